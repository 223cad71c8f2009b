"""From an HTTP response to the facade's typed errors, and JSON decoding done once; an
adapter describes its vendor's error wording with an ``ErrorFormat`` (docs/http.md,
"Errors and JSON decoding").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from expense_facade._http.redaction import excerpt, redact, redact_headers
from expense_facade.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from expense_facade.mapping.json_values import TooDeep, loads

DEFAULT_REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-amz-request-id",
)
"""Headers tried, in order, for the vendor's request id when the adapter names none."""

ErrorExtractor = Callable[[Any], tuple[str | None, str | None]]
"""Parsed error body -> (vendor error code, message); either may be ``None``."""


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def extract_common_error(body: Any) -> tuple[str | None, str | None]:
    """Code and message from the usual shapes: ``{code, message}``,
    ``{error: {code, message}}``, ``{error: "...", error_description}``,
    ``{errors: [{code, message}, ...]}``, ``{message}``, ``{title, detail}``."""
    if not isinstance(body, dict):
        return None, None
    nested = body.get("error")
    if isinstance(nested, dict):
        code, message = extract_common_error(nested)
        if code or message:
            return code, message
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code, message = extract_common_error(errors[0])
        if code or message:
            return code, message
    code = _text(body.get("code")) or _text(body.get("error_code")) or _text(body.get("type"))
    message = (
        _text(body.get("message"))
        or _text(body.get("error_description"))
        or _text(body.get("detail"))
        or _text(body.get("title"))
    )
    if isinstance(nested, str) and nested.strip():
        if code is None:
            code = nested.strip()
        elif message is None:
            message = nested.strip()
    return code, message


@attrs.frozen(slots=True)
class ErrorFormat:
    """How one vendor words its errors (supplied by the adapter as a class attribute).

    ``extract`` gets the JSON-parsed error body (whatever shape) and returns
    ``(code, message)``; ``request_id_headers`` are tried in order (case-insensitive).
    """

    extract: ErrorExtractor = extract_common_error
    request_id_headers: tuple[str, ...] = DEFAULT_REQUEST_ID_HEADERS

    def request_id(self, headers: httpx.Headers | Mapping[str, str]) -> str | None:
        """The vendor's request id from response headers, if it sent one."""
        lookup = httpx.Headers(headers) if not isinstance(headers, httpx.Headers) else headers
        for name in self.request_id_headers:
            value = lookup.get(name)
            if value:
                return str(value)
        return None


def error_class_for_status(status: int) -> type[APIError]:
    """The ``APIError`` subclass for an HTTP status."""
    if status in (400, 422):
        return BadRequestError
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return APIError


def error_for_response(
    response: httpx.Response,
    *,
    vendor: str,
    error_format: ErrorFormat,
    attempts: int = 1,
    retry_after: float | None = None,
    note: str | None = None,
) -> APIError:
    """The typed error for an HTTP error response (the body is parsed here, once)."""
    status = response.status_code
    code: str | None = None
    message: str | None = None
    try:
        body = loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError, TooDeep):
        body = None  # an HTML error page: the excerpt shows it
    if body is not None:
        try:
            code, message = error_format.extract(body)
        except Exception:  # a vendor extractor must never mask the real error
            code, message = None, None
    if not message:
        message = response.reason_phrase or "error"
    if note:
        message = f"{message} ({note})"
    kwargs: dict[str, Any] = {
        "vendor": vendor,
        "status": status,
        "code": redact(code) if code else None,
        "request_id": error_format.request_id(response.headers),
        "body": excerpt(response.content),
        "headers": redact_headers(response.headers),
        "attempts": attempts,
    }
    cls = error_class_for_status(status)
    if cls is RateLimitError:
        return RateLimitError(redact(message), retry_after=retry_after, **kwargs)
    return cls(redact(message), **kwargs)


def malformed_response(
    response: httpx.Response,
    reason: str,
    *,
    vendor: str,
    error_format: ErrorFormat,
    attempts: int = 1,
) -> MalformedResponseError:
    """A ``MalformedResponseError`` for ``response``: status, reason and body excerpt."""
    snippet = excerpt(response.content, limit=120)
    return MalformedResponseError(
        redact(f"{reason}: {snippet!r}" if snippet else f"{reason}: empty body"),
        vendor=vendor,
        status=response.status_code,
        request_id=error_format.request_id(response.headers),
        body=excerpt(response.content),
        headers=redact_headers(response.headers),
        attempts=attempts,
    )


def decode_json(
    response: httpx.Response,
    *,
    vendor: str,
    error_format: ErrorFormat | None = None,
    attempts: int | None = None,
) -> Any:
    """The response body parsed as JSON, once: numbers exact (``json_values``). HTML, an
    empty body, truncated or invalid JSON, or JSON nested deeper than the parser goes
    raises ``MalformedResponseError`` with the status and a short excerpt. Invalid UTF-8
    inside a string costs only the objects holding it (see ``json_values.loads``)."""
    fmt = error_format or ErrorFormat()
    tries = attempts if attempts is not None else attempts_of(response)
    content_type = response.headers.get("content-type", "unknown content type")
    try:
        return loads(response.content)
    except TooDeep:
        reason = "the JSON body is nested deeper than the parser goes"
    except (ValueError, UnicodeDecodeError):
        reason = f"expected a JSON body, got {content_type} that does not parse"
    raise malformed_response(response, reason, vendor=vendor, error_format=fmt, attempts=tries)


ATTEMPTS_EXTENSION = "expense_facade.attempts"
"""Key in ``httpx.Response.extensions`` where the session records the attempt count."""


def attempts_of(response: httpx.Response) -> int:
    """How many attempts the session needed for ``response`` (1 when unknown)."""
    value = response.extensions.get(ATTEMPTS_EXTENSION, 1)
    return value if isinstance(value, int) else 1


class VendorFailure(Exception):
    """Raised by an adapter's body check when a 2xx body says the call failed (Capture's
    ``success: false``, Pazy's ``ok: false``). ``ExpenseClient._call`` turns it into
    ``error_class`` (default ``BadRequestError``) with the response's status and request id.
    """

    def __init__(
        self,
        code: str | None,
        message: str | None,
        *,
        error_class: type[APIError] = BadRequestError,
    ) -> None:
        super().__init__(message or code or "the vendor reported a failure")
        self.code = code
        self.message = message
        self.error_class = error_class
