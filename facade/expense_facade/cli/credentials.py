"""Vendors and clients for the command, from the environment and the config file
(docs/command.md).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from expense_facade.cli.config import load_config
from expense_facade.cli.exits import UsageError
from expense_facade.connect import connect
from expense_facade.errors import ConfigurationError
from expense_facade.registry import adapter_class, available_vendors

if TYPE_CHECKING:
    from expense_facade.client import ExpenseClient
    from expense_facade.sandbox import Sandbox

VENDORS: tuple[str, ...] = ("capture", "brex", "revolut", "prospend", "pazy")

CREDENTIAL_ENV: Mapping[str, Mapping[str, str]] = {
    "capture": {"api_key": "EXPENSE_FACADE_CAPTURE_API_KEY"},
    "brex": {"token": "EXPENSE_FACADE_BREX_TOKEN"},
    "revolut": {"token": "EXPENSE_FACADE_REVOLUT_TOKEN"},
    "prospend": {
        "token": "EXPENSE_FACADE_PROSPEND_TOKEN",
        "company_id": "EXPENSE_FACADE_PROSPEND_COMPANY_ID",
    },
    "pazy": {"api_key": "EXPENSE_FACADE_PAZY_API_KEY"},
}
"""Vendor -> connect() keyword -> the environment variable that supplies it."""


def base_url_env(vendor: str) -> str:
    """``EXPENSE_FACADE_<VENDOR>_BASE_URL``."""
    return f"EXPENSE_FACADE_{vendor.upper()}_BASE_URL"


def parse_vendors(values: Sequence[str]) -> list[str]:
    """The vendor keys named (``all`` = every vendor), in order, without repeats."""
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            key = part.strip().lower()
            if key == "all":
                chosen.extend(available_vendors())
            elif key in VENDORS:
                chosen.append(key)
            else:
                raise UsageError(
                    f"unknown vendor {part.strip()!r}; choose from {', '.join(VENDORS)} or all"
                )
    return list(dict.fromkeys(chosen))


@attrs.define
class ClientFactory:
    """Builds vendor clients from the command line, the environment and the config file."""

    args: argparse.Namespace
    environ: Mapping[str, str]
    config_path: Path | None = None
    config: dict[str, Any] = attrs.field(factory=dict)
    _sandbox: Sandbox | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: Mapping[str, str]) -> ClientFactory:
        """Read the config file now, so a bad one fails before anything is done."""
        path, data = (None, {}) if args.sandbox else load_config(args.config, environ)
        return cls(args=args, environ=environ, config_path=path, config=data)

    def _sandbox_instance(self) -> Sandbox:
        if self._sandbox is None:
            from expense_facade.sandbox import Sandbox

            if self.args.sandbox_size < 1:
                raise UsageError("--sandbox-size must be at least 1")
            self._sandbox = Sandbox(seed=self.args.sandbox_seed, size=self.args.sandbox_size)
        return self._sandbox

    def settings(self, vendor: str) -> dict[str, Any]:
        """The keyword arguments for ``connect(vendor, ...)``; raises UsageError if incomplete."""
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
        if self.args.sandbox:
            kwargs["sandbox"] = self._sandbox_instance()
            return kwargs
        section = self.config.get(vendor, {})
        if not isinstance(section, dict):
            raise UsageError(f"config file {self.config_path}: [{vendor}] must be a table")
        required = _required_credentials(vendor)
        for name, env in CREDENTIAL_ENV[vendor].items():
            value = self.environ.get(env) or section.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if name in required:
                    where = f" (or {name} in [{vendor}] of the config file)"
                    raise UsageError(f"{vendor}: no {name.replace('_', ' ')}; set {env}{where}")
                continue
            kwargs[name] = str(value).strip()
        base_url = self.environ.get(base_url_env(vendor)) or section.get("base_url")
        if base_url:
            kwargs["base_url"] = str(base_url).strip()
        # Other settings the adapter accepts (ProSpend's API "version") may be in the file.
        optional = _optional_credentials(vendor)
        for name, value in section.items():
            if name in kwargs or name == "base_url" or name in CREDENTIAL_ENV[vendor]:
                continue
            if name not in optional:
                known = sorted({*CREDENTIAL_ENV[vendor], *optional, "base_url"})
                raise UsageError(
                    f"config file {self.config_path}: unknown setting {name!r} in [{vendor}] "
                    f"(known: {', '.join(known)})"
                )
            kwargs[name] = str(value).strip()
        return kwargs

    def connect(self, vendor: str, settings: Mapping[str, Any] | None = None) -> ExpenseClient:
        """A connected client (no request is made until it is used), built with
        ``settings`` (default: ``self.settings(vendor)``)."""
        return connect(vendor, **(self.settings(vendor) if settings is None else settings))


def _optional_credentials(vendor: str) -> frozenset[str]:
    try:
        return frozenset(adapter_class(vendor).optional_credentials)
    except ConfigurationError:
        return frozenset()


def _required_credentials(vendor: str) -> frozenset[str]:
    try:
        return frozenset(adapter_class(vendor).required_credentials)
    except ConfigurationError:
        return frozenset(CREDENTIAL_ENV[vendor])
