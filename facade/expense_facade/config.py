"""Vendor accounts from the environment and the config file: the one implementation
``connect`` and the command share (docs/command.md, "Configuration").

Everything is derived from the registry and each adapter's ``credential_specs``: the
keys a ``[vendor]`` table may hold, the ``EXPENSE_FACADE_<VENDOR>[_<ACCOUNT>]_<NAME>``
variables, and the type each value must have. A ``[vendor]`` table's own keys are the
vendor's unnamed account; each sub-table (``[brex.acme]``) is a named account.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from expense_facade.config_limits import MAX_CONFIG_BYTES, config_problem
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import ConfigurationError
from expense_facade.input_files import read_regular
from expense_facade.registry import adapter_class, available_vendors, normalise_vendor
from expense_facade.user_dirs import user_config_dir

if TYPE_CHECKING:
    from expense_facade.client import ExpenseClient

CONFIG_ENV = "EXPENSE_FACADE_CONFIG"
"""Names the config file to read instead of the default one."""
ENV_PREFIX = "EXPENSE_FACADE"
BASE_URL = Credential("base_url", Kind.STR)
"""Every account may name its server (a regional host, a sandbox)."""
ACCOUNT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
"""An account's name: lower-case letters, digits, ``-`` and ``_`` (it names files and
environment variables)."""


def default_config_path() -> Path:
    """``config.toml`` in the user's config folder (``user_dirs.user_config_dir``)."""
    return user_config_dir() / "config.toml"


def env_name(vendor: str, name: str, account: str | None = None) -> str:
    """``EXPENSE_FACADE_<VENDOR>_<NAME>``, or ``EXPENSE_FACADE_<VENDOR>_<ACCOUNT>_<NAME>``
    for a named account (``-`` in a name becomes ``_``)."""
    parts = [ENV_PREFIX, vendor, *([account] if account else []), name]
    return "_".join(part.upper().replace("-", "_") for part in parts)


def check_account_name(name: object) -> str:
    """``name`` if it is a valid account name; else ``ConfigurationError``."""
    if not isinstance(name, str) or not ACCOUNT_NAME.fullmatch(name):
        raise ConfigurationError(
            f"account name {name!r} must be 1-63 lower-case letters, digits, '-' or '_', "
            "starting with a letter or a digit"
        )
    return name


def _check_variables(vendor: str, named: tuple[str, ...], settings: list[str], where: str) -> None:
    """``ConfigurationError`` when two settings of the vendor's accounts (the unnamed one
    included) would read the same environment variable: ``acme-corp`` and ``acme_corp``,
    or a Revolut account ``refresh`` whose ``token`` is the unnamed ``refresh_token``."""
    owner: dict[str, tuple[str | None, str]] = {}
    for account in (None, *named):
        for setting in settings:
            variable = env_name(vendor, setting, account)
            first = owner.setdefault(variable, (account, setting))
            if first != (account, setting):
                raise ConfigurationError(
                    f"{where}: {_setting_label(vendor, account, setting)} and "
                    f"{_setting_label(vendor, *first)} would both be read from {variable}; "
                    "rename the account"
                )


def _setting_label(vendor: str, account: str | None, setting: str) -> str:
    if account is None:
        return f"{setting} of the unnamed {vendor} account"
    return f"{setting} of {vendor} account {account!r}"


def specs_of(vendor: str) -> tuple[Credential, ...]:
    """The vendor's declared ``connect`` keywords (the adapter's ``credential_specs``)."""
    return adapter_class(vendor).credential_specs


@attrs.frozen(slots=True)
class Account:
    """One vendor account as configured: the ``connect`` keywords found for it.

    ``name`` is the name the config gives it (``[brex.acme]`` -> ``"acme"``), ``None``
    for the vendor's unnamed account. The account's identity (what the export ledger keys
    its state by) is ``ExpenseClient.account``: the name, else the vendor's coordinates.
    """

    vendor: str
    name: str | None
    settings: Mapping[str, Any] = attrs.field(repr=False)
    """Credentials (typed as declared) and ``base_url``, where configured."""
    config_path: Path | None = None

    @property
    def label(self) -> str:
        """``brex`` for the unnamed account, ``brex.acme`` for a named one (the file name
        of its output in an export folder, the word in messages)."""
        return self.vendor if self.name is None else f"{self.vendor}.{self.name}"

    def require(self, given: Mapping[str, Any], cls: type[ExpenseClient] | None = None) -> None:
        """``ConfigurationError`` naming the first required credential ``given`` lacks, with
        the variable and the config key that would supply it."""
        for spec in (cls or adapter_class(self.vendor)).credential_specs:
            value = given.get(spec.name)
            if spec.required and (value is None or (isinstance(value, str) and not value.strip())):
                where = "the config file" if self.config_path is None else str(self.config_path)
                raise ConfigurationError(
                    f"{self.label}: missing credential {spec.name!r}; set "
                    f"{env_name(self.vendor, spec.name, self.name)} (or {spec.name} in "
                    f"[{self.label}] of {where}), or pass {spec.name}=... to connect"
                )


@attrs.frozen(slots=True)
class Config:
    """A config file's contents and the environment, read once.

    ``Config.load()`` reads ``$EXPENSE_FACADE_CONFIG`` or the default file (a missing
    default file is an empty config); ``Config.load(path)`` that file (which must exist).
    """

    data: Mapping[str, Any] = attrs.field(repr=False, factory=dict)
    environ: Mapping[str, str] = attrs.field(repr=False, factory=dict)
    path: Path | None = None
    _names: dict[str, tuple[str | None, ...]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )
    """Each vendor's account names, checked once (a config may hold thousands)."""

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
    ) -> Config:
        """Read the config file now, so that a bad one fails before anything is done."""
        env = os.environ if environ is None else environ
        named = os.fspath(path) if path is not None else env.get(CONFIG_ENV)
        where = Path(named) if named else default_config_path()
        try:
            os.stat(where)
        except FileNotFoundError:
            if named:
                raise ConfigurationError(f"config file {where} does not exist") from None
            return cls(environ=dict(env))
        except OSError:
            pass  # read_regular says what is wrong with it
        raw = read_regular(where, "config file", MAX_CONFIG_BYTES, ConfigurationError)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigurationError(f"config file {where} is not UTF-8 text") from None
        problem = config_problem(text)  # before tomllib, which such a file would hold up
        if problem is not None:
            raise ConfigurationError(f"config file {where} {problem} (the limit for a config file)")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"config file {where} is not valid TOML: {exc}") from None
        except (RecursionError, ValueError) as exc:  # past what the scan bounds
            raise ConfigurationError(f"config file {where} cannot be read: {exc}") from None
        return cls(data=data, environ=dict(env), path=where)

    def _where(self) -> str:
        return f"config file {self.path}" if self.path else "the config"

    def _table(self, vendor: str) -> Mapping[str, Any]:
        table = self.data.get(vendor, {})
        if not isinstance(table, dict):
            raise ConfigurationError(f"{self._where()}: [{vendor}] must be a table")
        return table

    def configured_vendors(self) -> tuple[str, ...]:
        """The vendors the config file has a table for or the environment a variable of
        (registry order)."""
        found = []
        for vendor in available_vendors():
            names = [BASE_URL.name, *(s.name for s in specs_of(vendor))]
            if vendor in self.data or any(
                self.environ.get(env_name(vendor, n), "").strip() for n in names
            ):
                found.append(vendor)
        return tuple(found)

    def account_names(self, vendor: str) -> tuple[str | None, ...]:
        """The vendor's configured accounts, the unnamed one (``None``) first.

        The unnamed account is configured when ``[vendor]`` holds a key of its own or an
        ``EXPENSE_FACADE_<VENDOR>_<NAME>`` variable is set; when nothing at all is
        configured for the vendor, it is the unnamed account alone.
        """
        key = normalise_vendor(vendor)
        if key not in self._names:
            table = self._table(key)
            try:
                named = tuple(
                    check_account_name(k) for k, v in table.items() if isinstance(v, dict)
                )
            except ConfigurationError as exc:
                raise ConfigurationError(f"{self._where()}: [{key}.<name>]: {exc}") from None
            names = [BASE_URL.name, *(s.name for s in specs_of(key))]
            _check_variables(key, named, names, self._where())
            unnamed = any(not isinstance(v, dict) for v in table.values()) or any(
                self.environ.get(env_name(key, name), "").strip() for name in names
            )
            self._names[key] = (None, *named) if unnamed or not named else named
        return self._names[key]

    def account(self, vendor: str, name: str | None = None) -> Account:
        """The settings of the vendor's account ``name``; without a name, the unnamed
        account, or the only named one when that is all the config holds."""
        key = normalise_vendor(vendor)
        configured = self.account_names(key)
        if name is None:
            if None not in configured and len(configured) > 1:
                raise ConfigurationError(
                    f"{key}: {self._where()} holds several accounts "
                    f"({', '.join(str(n) for n in configured)}); name one (account=...)"
                )
            name = configured[0]
        elif name not in configured:
            known = ", ".join(str(n) for n in configured if n is not None) or "none"
            raise ConfigurationError(
                f"{key}: no account {name!r} in {self._where()} (named accounts: {known})"
            )
        table = self._table(key)
        section = (
            table[name]
            if name is not None
            else {k: v for k, v in table.items() if not isinstance(v, dict)}
        )
        label = key if name is None else f"{key}.{name}"
        specs = {s.name: s for s in (*specs_of(key), BASE_URL)}
        unknown = sorted(set(section) - set(specs))
        if unknown:
            raise ConfigurationError(
                f"{self._where()}: unknown setting {unknown[0]!r} in [{label}] "
                f"(known: {', '.join(sorted(specs))})"
            )
        settings: dict[str, Any] = {}
        for spec in specs.values():
            variable = env_name(key, spec.name, name)
            text = self.environ.get(variable, "")
            if text.strip():
                settings[spec.name] = spec.from_text(text, variable)
            elif spec.name in section:
                where = f"{self._where()}: {spec.name} in [{label}]"
                value = spec.from_toml(section[spec.name], where)
                if not (isinstance(value, str) and not value):
                    settings[spec.name] = value
        return Account(vendor=key, name=name, settings=settings, config_path=self.path)


__all__ = [
    "ACCOUNT_NAME",
    "CONFIG_ENV",
    "Account",
    "Config",
    "check_account_name",
    "default_config_path",
    "env_name",
    "specs_of",
]
