"""Credential declarations: what an adapter's ``connect`` keywords are and how a value
written as text (an environment variable) or as TOML (the config file) becomes one.

Each adapter declares ``credential_specs`` (a tuple of ``Credential``); the config
resolution (``expense_facade.config``), ``connect`` and the command all derive from it.
docs/command.md lists every vendor's credentials.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
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
    header: bool = False
    """Sent in an HTTP header (a token, an API key): printable ASCII on one line."""
    multiline: bool = False
    """May hold line breaks (a PEM private key); every other value is one line."""

    @property
    def secret(self) -> bool:
        """Whether the value must never be shown."""
        return self.kind is Kind.SECRET

    def check_text(self, value: str, where: str) -> str:
        """``value`` if it can be used as this credential; else ``ConfigurationError``
        naming ``where`` (the variable, the key or the argument), never the value."""
        if len(value) > MAX_CREDENTIAL_CHARS:
            raise ConfigurationError(f"{where} is longer than {MAX_CREDENTIAL_CHARS} characters")
        problem = text_problem(value, header=self.header, multiline=self.multiline)
        if problem is not None:
            raise ConfigurationError(f"{where} {problem}")
        return value

    def from_text(self, text: str, where: str) -> Any:
        """The value of an environment variable ``where``, converted to this type."""
        value = self.check_text(text.strip(), where)
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


def text_problem(value: str, *, header: bool = False, multiline: bool = False) -> str | None:
    """What makes ``value`` unusable as a credential (without showing it), or None: a lone
    surrogate (bytes that were not UTF-8), a control character or a line break (unless
    ``multiline``), anything but printable ASCII in an HTTP header value."""
    allowed_breaks = "\n\r\t" if multiline else ""
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return "is not valid UTF-8 text"
        if (code < 0x20 or 0x7F <= code < 0xA0) and char not in allowed_breaks:
            what = "a line break" if char in "\r\n" else "a control character"
            return f"holds {what}; a credential is one line of text"
        if header and code > 0x7E:
            return "holds a non-ASCII character, which an HTTP header cannot carry"
    return None


HIDDEN = "<hidden>"
"""What a secret shows instead of itself."""


class Credentials(Mapping[str, Any]):
    """A client's credentials: a read-only mapping whose ``repr``, ``str`` and ``vars()``
    show ``HIDDEN`` for every secret (docs/limits.md, "Credentials")."""

    __slots__ = ("_secret", "_values")

    def __init__(self, values: Mapping[str, Any], secret: frozenset[str]) -> None:
        self._values = dict(values)
        self._secret = secret

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    @property  # vars() reads it: the values as shown, never a secret
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        return {
            name: HIDDEN if name in self._secret and value is not None else value
            for name, value in self._values.items()
        }

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"Credentials({shown})".replace(repr(HIDDEN), HIDDEN)

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("credentials are not pickled")


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


__all__ = [
    "HIDDEN",
    "MAX_CREDENTIAL_CHARS",
    "Credential",
    "Credentials",
    "Kind",
    "specs_from",
    "text_problem",
]
