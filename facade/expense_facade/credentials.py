"""Credential declarations: what an adapter's ``connect`` keywords are and how a value
written as text (an environment variable) or as TOML (the config file) becomes one.

Each adapter declares ``credential_specs`` (a tuple of ``Credential``); the config
resolution (``expense_facade.config``), ``connect`` and the command all derive from it.
docs/command.md lists every vendor's credentials.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from expense_facade.errors import ConfigurationError

MAX_CREDENTIAL_CHARS = 64 * 1024
"""Longest value a credential may have (bounds what the environment or a file can hand in)."""


class Kind(enum.StrEnum):
    """The type of a credential's value."""

    STR = "str"
    """Text (a TOML integer is taken as its digits: ``company_id = 42``)."""
    SECRET = "secret"  # noqa: S105 (the name of a type, not a password)
    """Text that is never logged, shown or written to a cassette (a token, an API key)."""
    BOOL = "bool"
    """``true``/``false`` (TOML booleans; in the environment also 1/0, yes/no, on/off)."""
    INT = "int"
    """An integer (TOML integer, or decimal digits in the environment)."""


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


@attrs.frozen(slots=True)
class Credential:
    """One ``connect`` keyword of an adapter: its name, type, and whether it must be given
    (``default`` is used when an optional one is not)."""

    name: str
    kind: Kind = Kind.STR
    required: bool = False
    default: Any = None

    @property
    def secret(self) -> bool:
        """Whether the value must never be shown."""
        return self.kind is Kind.SECRET

    def from_text(self, text: str, where: str) -> Any:
        """The value of an environment variable ``where``, converted to this type."""
        value = text.strip()
        if len(value) > MAX_CREDENTIAL_CHARS:
            raise ConfigurationError(f"{where} is longer than {MAX_CREDENTIAL_CHARS} characters")
        if self.kind is Kind.BOOL:
            word = value.lower()
            if word in _TRUE or word in _FALSE:
                return word in _TRUE
            raise ConfigurationError(f"{where} must be true or false, not {self._show(value)}")
        if self.kind is Kind.INT:
            if value.lstrip("-").isdigit() and len(value) <= 20:
                return int(value)
            raise ConfigurationError(f"{where} must be an integer, not {self._show(value)}")
        return value

    def from_toml(self, value: object, where: str) -> Any:
        """A config file value ``where``, checked against this type (no guessing: a list
        or a table for a token, a string for a boolean, is an error naming the key)."""
        if self.kind is Kind.BOOL:
            if isinstance(value, bool):
                return value
            raise ConfigurationError(f"{where} must be true or false, not {self._kind_of(value)}")
        if self.kind is Kind.INT:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            raise ConfigurationError(f"{where} must be an integer, not {self._kind_of(value)}")
        if isinstance(value, str):
            return self.from_text(value, where)
        if self.kind is Kind.STR and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise ConfigurationError(f"{where} must be a string, not {self._kind_of(value)}")

    def _show(self, value: str) -> str:
        return "a hidden value" if self.secret else repr(value[:40])

    def _kind_of(self, value: object) -> str:
        names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
        for cls, name in names.items():
            if type(value) is cls:
                shown = repr(value)[:40]
                return name if self.secret else f"{name} ({shown})"
        if isinstance(value, list):
            return "a list"
        if isinstance(value, dict):
            return "a table"
        return type(value).__name__


def specs_from(required: tuple[str, ...], optional: dict[str, Any]) -> tuple[Credential, ...]:
    """Declarations for an adapter that lists only ``required_credentials`` and
    ``optional_credentials`` (names that say "secret" are taken as secrets)."""
    from expense_facade._http.redaction import is_secret_name

    def kind(name: str) -> Kind:
        return Kind.SECRET if is_secret_name(name) else Kind.STR

    return (
        *(Credential(n, kind(n), required=True) for n in required),
        *(Credential(n, kind(n), default=d) for n, d in optional.items()),
    )


__all__ = ["MAX_CREDENTIAL_CHARS", "Credential", "Kind", "specs_from"]
