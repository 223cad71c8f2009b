"""Vendors, accounts and clients for the command: the command-line options on top of
``expense_facade.config`` (the environment and the config file, shared with ``connect``).
docs/command.md documents the variables, the file and accounts.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from expense_facade.cli.exits import UsageError
from expense_facade.config import BASE_URL, Account, Config, env_name, specs_of
from expense_facade.connect import connect
from expense_facade.registry import available_vendors, normalise_vendor

if TYPE_CHECKING:
    from expense_facade.client import ExpenseClient
    from expense_facade.sandbox import Sandbox

VENDORS: tuple[str, ...] = available_vendors()
"""The vendors the command knows: the registry's."""


def base_url_env(vendor: str) -> str:
    """``EXPENSE_FACADE_<VENDOR>_BASE_URL``."""
    return env_name(vendor, BASE_URL.name)


def credential_env(vendor: str, *, required_only: bool = False) -> dict[str, str]:
    """The vendor's ``connect`` keyword -> the environment variable that supplies it
    (derived from the adapter's declared credentials)."""
    return {
        spec.name: env_name(vendor, spec.name)
        for spec in specs_of(vendor)
        if spec.required or not required_only
    }


class _CredentialEnv(Mapping[str, Mapping[str, str]]):
    """``CREDENTIAL_ENV[vendor]``: ``credential_env(vendor)``, derived when asked for (the
    adapters are imported only then)."""

    def __getitem__(self, vendor: str) -> Mapping[str, str]:
        if vendor not in VENDORS:
            raise KeyError(vendor)
        return credential_env(vendor)

    def __iter__(self) -> Iterator[str]:
        return iter(VENDORS)

    def __len__(self) -> int:
        return len(VENDORS)


CREDENTIAL_ENV: Mapping[str, Mapping[str, str]] = _CredentialEnv()
"""Vendor -> connect() keyword -> the environment variable that supplies it."""


def parse_vendors(values: Sequence[str]) -> list[str]:
    """The vendor keys named (``all`` = every vendor), in order, without repeats."""
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            key = part.strip().lower()
            if key == "all":
                chosen.extend(VENDORS)
            elif key in VENDORS:
                chosen.append(key)
            else:
                raise UsageError(
                    f"unknown vendor {part.strip()!r}; choose from {', '.join(VENDORS)} or all"
                )
    return list(dict.fromkeys(chosen))


def parse_vendor(value: str, command: str) -> str:
    """The one vendor a single-vendor ``command`` (``get``, ``mark-exported``...) names."""
    key = value.strip().lower()
    if key in VENDORS:
        return key
    if key == "all" or "," in key:
        raise UsageError(f"{command} takes one vendor; choose one of {', '.join(VENDORS)}")
    raise UsageError(f"unknown vendor {value.strip()!r}; choose one of {', '.join(VENDORS)}")


@attrs.define
class ClientFactory:
    """Builds vendor clients from the command line, the environment and the config file."""

    args: argparse.Namespace
    environ: Mapping[str, str]
    config: Config = attrs.field(factory=Config)
    _sandbox: Sandbox | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: Mapping[str, str]) -> ClientFactory:
        """Read the config file now, so a bad one fails before anything is done."""
        config = Config() if args.sandbox else Config.load(args.config, environ=environ)
        return cls(args=args, environ=environ, config=config)

    def _sandbox_instance(self) -> Sandbox:
        if self._sandbox is None:
            from expense_facade.sandbox import Sandbox

            if self.args.sandbox_size < 1:
                raise UsageError("--sandbox-size must be at least 1")
            try:
                self._sandbox = Sandbox(
                    seed=self.args.sandbox_seed,
                    size=self.args.sandbox_size,
                    auth=self.args.sandbox_auth,
                )
            except ValueError as exc:  # the sandbox knows its auth modes
                raise UsageError(f"--sandbox-auth: {exc}") from None
        return self._sandbox

    def selected(self, vendors: Sequence[str]) -> list[tuple[str, str | None]]:
        """(vendor, account name) of the configured accounts of ``vendors`` (only the one
        ``--account`` names, if given), in order: each vendor's unnamed account first,
        then its named ones."""
        chosen = getattr(self.args, "account", None)
        found: list[tuple[str, str | None]] = []
        for vendor in vendors:
            names = (None,) if self.args.sandbox else self.config.account_names(vendor)
            found.extend((vendor, name) for name in names if chosen is None or name == chosen)
        if chosen is not None and not found:
            where = "the sandbox" if self.args.sandbox else "the config"
            raise UsageError(f"no account {chosen!r} of {', '.join(vendors)} in {where}")
        return found

    def resolve(self, vendor: str, name: str | None) -> Account:
        """The account's settings from the environment and the config file."""
        return Account(vendor, name, {}) if self.args.sandbox else self.config.account(vendor, name)

    def accounts(self, vendors: Sequence[str]) -> list[Account]:
        """The selected accounts of ``vendors``, resolved (see ``selected``)."""
        return [self.resolve(vendor, name) for vendor, name in self.selected(vendors)]

    def account(self, vendor: str) -> Account:
        """The one account a single-account command uses (``--account``, else the only or
        unnamed one)."""
        if self.args.sandbox:
            return Account(vendor, None, {})
        return self.config.account(vendor, getattr(self.args, "account", None))

    def settings(self, account: Account | str) -> dict[str, Any]:
        """The keyword arguments for ``connect``; raises ConfigurationError if incomplete."""
        if isinstance(account, str):
            account = self.account(account)
        kwargs: dict[str, Any] = {}
        if self.args.timeout is not None:
            if self.args.timeout <= 0:
                raise UsageError("--timeout must be a positive number of seconds")
            kwargs["timeout"] = self.args.timeout
        if self.args.max_retries is not None:
            if self.args.max_retries < 0:
                raise UsageError("--max-retries must be 0 or more")
            kwargs["max_retries"] = self.args.max_retries
        if self.args.no_rate_limit:
            kwargs["rate_limit"] = False
        if account.name is not None:
            kwargs["account"] = account.name
        if self.args.sandbox:
            kwargs["sandbox"] = self._sandbox_instance()
            return kwargs
        account.require(account.settings)
        return {**account.settings, **kwargs}

    def connect(self, vendor: str, settings: Mapping[str, Any] | None = None) -> ExpenseClient:
        """A connected client (no request is made until it is used), built with
        ``settings`` (default: ``self.settings(vendor)``). The environment and the config
        were read here already: ``connect`` is told not to read them again."""
        given = self.settings(vendor) if settings is None else settings
        return connect(normalise_vendor(vendor), config=False, **given)
