"""One error hierarchy for everything the facade raises: ``ExpenseFacadeError`` and its
subclasses, API errors carrying status, vendor code, message and request id, never a
credential (docs/library.md, "Errors").
"""

from __future__ import annotations

from collections.abc import Mapping

from expense_facade.operations import Operation


class ExpenseFacadeError(Exception):
    """Base of every error this library raises."""


class ValidationError(ExpenseFacadeError, ValueError):
    """The caller's input is invalid; nothing was sent to the vendor."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnsupportedOperation(ExpenseFacadeError, NotImplementedError):
    """The vendor has no endpoint for this common operation (see ``client.capabilities``)."""

    def __init__(self, vendor: str, operation: Operation | str) -> None:
        self.vendor = vendor
        self.operation = Operation(operation)
        super().__init__(f"{vendor} does not support {self.operation.value}")


class ClientClosedError(ExpenseFacadeError, RuntimeError):
    """The client was closed (``close()``, or the end of its ``with`` block): it sends no
    more requests. Connect again."""


class ConfigurationError(ExpenseFacadeError, ValueError):
    """The client cannot be built as asked (unknown vendor, missing credential, http URL)."""


class APIConnectionError(ExpenseFacadeError):
    """The vendor could not be reached (after the retries the policy allows)."""

    def __init__(self, message: str, *, vendor: str, attempts: int = 1) -> None:
        super().__init__(message)
        self.vendor = vendor
        self.attempts = attempts


class APITimeoutError(APIConnectionError):
    """The vendor did not answer in time (after the retries the policy allows)."""


class APIError(ExpenseFacadeError):
    """The vendor answered with an error.

    ``status`` is the HTTP status (200 for a body that says it failed), ``code`` the
    vendor's error code when it gives one, ``request_id`` its request id when it sends one,
    ``body`` a short excerpt of the response body with secrets removed.
    """

    def __init__(
        self,
        message: str,
        *,
        vendor: str,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int = 1,
    ) -> None:
        self.vendor = vendor
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.headers: Mapping[str, str] = dict(headers or {})
        self.attempts = attempts
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [f"{self.vendor}: HTTP {self.status}"]
        if self.code:
            parts.append(f"[{self.code}]")
        parts.append(self.message)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)


class BadRequestError(APIError):
    """400 or 422, or a 200 whose body says the request was refused."""


class AuthenticationError(APIError):
    """401: the credential is missing, wrong or expired."""


class PermissionDeniedError(APIError):
    """403: the credential is valid but may not do this."""


class NotFoundError(APIError):
    """404: no such resource."""


class ConflictError(APIError):
    """409: the request conflicts with the vendor's state."""


class RateLimitError(APIError):
    """429 that could not be waited out; ``retry_after`` is what the vendor asked for."""

    def __init__(
        self,
        message: str,
        *,
        vendor: str,
        retry_after: float | None = None,
        status: int = 429,
        code: str | None = None,
        request_id: str | None = None,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int = 1,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message,
            vendor=vendor,
            status=status,
            code=code,
            request_id=request_id,
            body=body,
            headers=headers,
            attempts=attempts,
        )


class ServerError(APIError):
    """5xx that persisted through the retries."""


class MalformedResponseError(APIError):
    """The body is not what the vendor's API describes (HTML, truncated JSON, wrong shape)."""


class ResponseTooLargeError(MalformedResponseError):
    """The body passed ``limit`` bytes (counted after decompression) while it streamed in;
    reading stopped there. Not retried. The limit is ``connect(max_response_bytes=...)``."""

    def __init__(
        self,
        message: str,
        *,
        vendor: str,
        status: int,
        limit: int,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int = 1,
    ) -> None:
        self.limit = limit
        super().__init__(
            message,
            vendor=vendor,
            status=status,
            request_id=request_id,
            headers=headers,
            attempts=attempts,
        )


class MalformedRecordError(ExpenseFacadeError):
    """One record could not be read (raised only in strict mode; otherwise reported)."""

    def __init__(self, message: str, *, vendor: str, record_id: str | None) -> None:
        super().__init__(message)
        self.vendor = vendor
        self.record_id = record_id


class PaginationError(ExpenseFacadeError):
    """Paging cannot go on without looping or skipping records (a cursor that repeats, a
    page of timestamp ties larger than the vendor's maximum page size, ...).

    Raised instead of looping forever or silently losing records."""

    def __init__(self, message: str, *, vendor: str) -> None:
        super().__init__(f"{vendor}: {message}")
        self.vendor = vendor


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ExpenseFacadeError",
    "MalformedRecordError",
    "MalformedResponseError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "UnsupportedOperation",
    "ValidationError",
]
