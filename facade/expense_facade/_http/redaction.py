"""Keeping secrets out of logs, reprs and exception text: a registry of secret values,
patterns for what is secret by position, and a logging filter (docs/http.md, "Secrets").
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs

REDACTED = "[REDACTED]"
"""What a removed secret is replaced with."""

MIN_SECRET_LENGTH = 4
"""Shorter values are not registered: replacing "1" everywhere would garble every log."""

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "proxy-authorization"})
"""Request headers whose values are credentials (lower case)."""

# Loggers that see request details. A logging.Filter only applies to records created on
# the logger it is attached to (not to records propagated from child loggers), so the
# child loggers httpcore actually logs on are listed too.
FILTERED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "expense_facade",
)

_lock = threading.Lock()
_secrets: set[str] = set()
_by_length: list[str] = []
_ordered: tuple[str, ...] = ()
"""The registered secrets, longest first (a snapshot ``redact`` reads without the lock)."""
_longest_secret = 0

_HEADER_VALUE = re.compile(
    r"(?i)\b(authorization|proxy-authorization|x-api-key|api-key)(['\"]?\s*[:=]\s*['\"]?)"
    r"([^'\",\r\n}]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}")
_URL_QUERY = re.compile(r"(?i)\b(https?://[^\s?#'\"<>]+)\?[^\s#'\"<>]*")


def register_secret(value: object) -> None:
    """Remember a secret value (a token, an API key) so ``redact`` removes it everywhere.

    Non-strings and values shorter than ``MIN_SECRET_LENGTH`` are ignored.
    """
    global _ordered, _longest_secret
    if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        _longest_secret = max(_longest_secret, len(value))
        # Longest first, so a secret that contains another is removed whole. Kept as a
        # list, not one pattern of them all: recompiling that pattern for every client
        # made thousands of accounts cost minutes (docs/limits.md, "Accounts").
        bisect.insort(_by_length, value, key=lambda secret: -len(secret))
        _ordered = tuple(_by_length)


_SECRET_NAME_PARTS = ("token", "key", "secret", "password", "credential")


def is_secret_name(name: str) -> bool:
    """Whether a credential's name says its value is secret (``token``, ``api_key``, ...);
    ``company_id`` or ``version`` are not, and must not be scrubbed from every log line."""
    lower = name.lower()
    return any(part in lower for part in _SECRET_NAME_PARTS)


def strip_query(url: object) -> str:
    """The URL without its query string and fragment (they may carry signatures/tokens)."""
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return _URL_QUERY.sub(r"\1", text.split("#", 1)[0])
    if parts.username or parts.password:  # credentials in the authority are dropped too
        netloc = parts.hostname or ""
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def redact(text: str) -> str:
    """``text`` with registered secrets, credential header values, bearer tokens and URL
    query strings removed."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _HEADER_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _URL_QUERY.sub(r"\1", text)


def excerpt(body: bytes | str | None, limit: int = 300) -> str:
    """A short, single-line, redacted excerpt of a response body for error text.

    Only the body's head is looked at (never the whole body: it may be many megabytes):
    a window of the limit plus room for the longest registered secret, redacted, then cut.
    A secret cut by the window's end cannot leave its beginning behind: that many
    characters are dropped from the end of a window that did not hold the whole body."""
    if body is None:
        return ""
    margin = _longest_secret + 16
    window = 4 * limit + 4 * margin  # UTF-8 takes at most 4 bytes a character
    cut = len(body) > window
    head = body[:window]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    text = redact(" ".join(text.split()))
    if cut:
        text = text[: max(0, len(text) - margin)]
    return text if len(text) <= limit and not cut else text[: limit - 1] + "…"


def redact_headers(headers: Any) -> dict[str, str]:
    """A copy of ``headers`` (any mapping or ``httpx.Headers``) with credential values and
    cookies replaced, for error objects and logs."""
    result: dict[str, str] = {}
    for key, value in dict(headers).items():
        lower = str(key).lower()
        if lower in SECRET_HEADERS or lower in ("set-cookie", "cookie"):
            result[str(key)] = REDACTED
        else:
            result[str(key)] = redact(str(value))
    return result


def mask(value: object) -> str:
    """How a secret is shown in a repr: never any part of it."""
    return REDACTED if value else repr(value)


def secret_field(**kwargs: Any) -> Any:
    """An attrs field for a credential: left out of ``repr`` and of equality."""
    return attrs.field(repr=False, eq=False, **kwargs)


class RedactingFilter(logging.Filter):
    """Rewrites every record's message (and formatted traceback) through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_filter = RedactingFilter()
# Like any library: nothing reaches stderr through logging's last resort unless the
# application configures logging (or EXPENSE_FACADE_LOG asks, see expense_facade.logs).
_silent = logging.NullHandler()


def install_log_filter(*extra_loggers: str) -> None:
    """Attach the redacting filter to the HTTP and library loggers (idempotent).

    Also sweeps every ``expense_facade.*``/``httpx.*``/``httpcore.*`` logger that exists
    already (each session calls this), because a filter on a parent logger does not see
    records created on its children. Library code should log through ``get_logger``.
    """
    existing = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.startswith(("expense_facade.", "httpx.", "httpcore."))
    ]
    for name in (*FILTERED_LOGGERS, *extra_loggers, *existing):
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)
    library = logging.getLogger("expense_facade")
    if _silent not in library.handlers:
        library.addHandler(_silent)


def get_logger(name: str) -> logging.Logger:
    """A library logger with the redacting filter attached (use ``__name__``)."""
    install_log_filter(name)
    return logging.getLogger(name)
