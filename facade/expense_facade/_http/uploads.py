"""Receipt uploads: reading the caller's file (at most the size limit plus one byte, from
any file, device or pipe), and the plain client for pre-signed URLs, uploads and downloads
(docs/http.md, "Receipt uploads"; docs/limits.md).
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import httpx

from expense_facade._http.downloads import DownloadTarget
from expense_facade._http.error_mapping import ErrorFormat
from expense_facade._http.limits import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
from expense_facade._http.retry import RetryPolicy
from expense_facade._http.session import HttpSession
from expense_facade.clock import Clock
from expense_facade.errors import ValidationError

if TYPE_CHECKING:  # the async shell loads only with the async client (first use)
    from expense_facade._http.async_session import AsyncHttpSession

DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Brex's documented limit for a receipt (50 MB); adapters may set their own."""

FileInput = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
"""What ``upload_receipt`` accepts: the bytes, a path, or a binary file object."""

S3_ERROR_FORMAT = ErrorFormat(
    extract=lambda body: (None, None),  # S3 errors are XML: the excerpt carries them
    request_id_headers=("x-amz-request-id", "x-amz-id-2", "x-request-id"),
)


@attrs.frozen(slots=True)
class UploadFile:
    """A file ready to upload: all of its bytes (so Content-Length is known), a name and a
    content type."""

    content: bytes = attrs.field(repr=False)
    filename: str
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)


def read_upload_file(
    file: Any,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> UploadFile:
    """Read ``file`` (bytes, a path, or a binary file object) into an ``UploadFile``.

    The filename defaults to the path's or file object's name ("receipt" for bare bytes),
    the content type to a guess from the filename ("application/octet-stream" if none).
    Raises ``ValidationError`` for an empty or too large file, a text-mode file object,
    or a path that cannot be read; nothing has been sent to the vendor then.
    """
    guessed_name: str | None = None
    if isinstance(file, bytes | bytearray | memoryview):
        content = bytes(file)
    elif isinstance(file, str | os.PathLike):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > max_bytes:  # a regular file that says it is too large: not opened
                raise ValidationError(_too_large(size, max_bytes), field="file")
            # A device or a pipe (/dev/zero, a FIFO) reports no size: read with the bound.
            with path.open("rb") as handle:
                content = _read_at_most(handle, max_bytes + 1)
        except OSError as exc:
            raise ValidationError(
                f"cannot read {path.name!r}: {exc.strerror or exc}", field="file"
            ) from exc
        guessed_name = path.name
    elif hasattr(file, "read"):
        # Read one byte more than allowed: enough to know it is too large.
        content = _read_at_most(file, max_bytes + 1)
        name = getattr(file, "name", None)
        if isinstance(name, str) and name and not name.startswith("<"):
            guessed_name = Path(name).name
    else:
        raise ValidationError(
            f"file must be bytes, a path or a binary file object, not {type(file).__name__}",
            field="file",
        )
    if len(content) > max_bytes:  # read stopped one byte past the limit
        raise ValidationError(
            f"the file is larger than {max_bytes} bytes, the most the vendor accepts",
            field="file",
        )
    if not content:
        raise ValidationError("the file is empty", field="file")
    name = filename or guessed_name or "receipt"
    ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return UploadFile(content=content, filename=name, content_type=ctype)


READ_CHUNK = 1024 * 1024
"""Bytes asked of a file object per ``read``: a file object may ignore a size and return
everything, a pipe returns what it has; either way no read asks for more than this."""


def _read_at_most(handle: Any, limit: int) -> bytes:
    """At most ``limit`` bytes from ``handle`` (a binary file object), in bounded reads."""
    parts: list[bytes] = []
    total = 0
    while total < limit:
        chunk = handle.read(min(READ_CHUNK, limit - total))
        if isinstance(chunk, str):
            raise ValidationError("the file object must be opened in binary mode", field="file")
        if chunk is None:  # a non-blocking stream with nothing ready: stop here
            break
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise ValidationError("the file object's read() did not return bytes", field="file")
        if not chunk:
            break
        if len(chunk) > limit - total:  # a read() that ignored the size it was given
            chunk = bytes(chunk[: limit - total])
        parts.append(bytes(chunk))
        total += len(chunk)
    return b"".join(parts)


def _too_large(size: int, limit: int) -> str:
    return f"the file is {size} bytes; the vendor accepts at most {limit} bytes"


SessionT = TypeVar("SessionT", HttpSession, "AsyncHttpSession")
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _Presigned(Generic[SessionT, TransportT]):
    """What both pre-signed clients share: a session with no vendor credentials and no
    base URL (the URL's signature is the credential), S3's error format, and the PUT's
    headers."""

    def __init__(
        self,
        vendor: str,
        *,
        timeout: httpx.Timeout | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        transport: TransportT | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self._session: SessionT = self._new_session(
            vendor,
            {
                "base_url": None,  # absolute URLs only; each is checked for https
                "auth_headers": None,
                "error_format": S3_ERROR_FORMAT,
                "timeout": timeout,
                "retry_policy": retry_policy,
                "clock": clock,
                "transport": transport,
                "max_response_bytes": max_response_bytes,
                "deadline": deadline,
            },
        )

    def _new_session(self, vendor: str, settings: dict[str, Any]) -> SessionT:
        raise NotImplementedError

    @staticmethod
    def _put_headers(upload: UploadFile, headers: dict[str, str] | None) -> dict[str, str]:
        extra = {"Content-Type": upload.content_type, "Content-Length": str(upload.size)}
        extra.update(headers or {})
        return extra


class PresignedClient(_Presigned[HttpSession, httpx.BaseTransport]):
    """Sends to pre-signed URLs (a receipt's upload PUT, its download GET) with no vendor
    credentials: the URL's signature is the credential."""

    def _new_session(self, vendor: str, settings: dict[str, Any]) -> HttpSession:
        return HttpSession(vendor, **settings)

    def put(
        self, url: str, upload: UploadFile, *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """PUT the file's bytes to ``url`` (always with a Content-Length: S3 rejects
        chunked bodies), retried as a safe write (the same URL replaces the same object);
        raises the typed error on failure (403 when the URL has expired)."""
        return self._session.send(
            "PUT",
            url,
            content=upload.content,
            headers=self._put_headers(upload, headers),
            retry_safe=True,
        )

    def get(self, url: str, target: DownloadTarget) -> httpx.Response:
        """GET ``url`` into ``target`` (retried for transport errors and 5xx, as any read);
        raises the typed error on failure (403 when the URL has expired)."""
        return self._session.send(
            "GET", url, consume=target.consume, max_body_bytes=target.max_bytes
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._session.close()


async def aread_upload_file(
    file: Any,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> UploadFile:
    """``read_upload_file`` in a worker thread, so reading a path or a file object (a
    blocking read of up to ``max_bytes``) never stalls the event loop."""
    import asyncio  # here: the sync client never loads it (first use)

    return await asyncio.to_thread(
        read_upload_file, file, filename=filename, content_type=content_type, max_bytes=max_bytes
    )
