"""Receipt downloads: a file streamed to a path or a binary file object, with a size cap,
a content-type check, and its size and SHA-256 counted as it arrives (docs/library.md,
"Receipts"; the bounds: docs/limits.md).

Each attempt streams into a temporary file first (beside the destination path, or
anonymous for a file object); only a complete, checked file reaches the destination, so a
retried or refused download never leaves a partial receipt behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any

import attrs
import httpx

from expense_facade._http.limits import BodyRefused
from expense_facade.errors import ValidationError

DEFAULT_MAX_RECEIPT_BYTES = 50 * 1024 * 1024
"""Largest receipt file accepted by default (Brex's own upload limit, 50 MB)."""

RECEIPT_CONTENT_TYPES = ("application/pdf", "image/")
"""Content types a receipt file may have (a type, or a prefix ending in ``/``): what the
vendors document (Revolut: ``image/*`` and ``application/pdf``)."""

DownloadDestination = str | os.PathLike[str] | IO[bytes]
"""Where ``download_receipt`` writes: a path, or a binary file object open for writing."""


@attrs.frozen(slots=True)
class DownloadedFile:
    """What one completed download wrote."""

    size: int
    sha256: str
    content_type: str
    path: str | None  # None when written to a file object


def is_receipt_type(content_type: str | None) -> bool:
    """True for a content type a receipt file may have (parameters ignored)."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return any(
        kind.startswith(allowed) if allowed.endswith("/") else kind == allowed
        for allowed in RECEIPT_CONTENT_TYPES
    )


class DownloadTarget:
    """A destination being written: ``consume`` is what ``HttpSession.send(consume=...)``
    calls for a successful answer (once per attempt; ``aconsume`` for the async
    session), ``commit`` moves the checked file into place (``acommit`` from a
    coroutine), ``discard`` drops it."""

    def __init__(self, destination: Any, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._path: Path | None = None
        self._handle: IO[bytes] | None = None
        self._spool: IO[bytes]
        if isinstance(destination, str | os.PathLike):
            self._path = Path(destination)
            if self._path.is_dir():
                raise ValidationError(f"dest is a folder: {self._path}", field="dest")
            folder = self._path.parent
            if not folder.is_dir():
                raise ValidationError(f"dest's folder does not exist: {folder}", field="dest")
            self._spool = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open until commit)
                prefix=f".{self._path.name}.", suffix=".part", dir=folder, delete=False
            )
        elif hasattr(destination, "write"):
            self._handle = destination
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (kept open until commit)
        else:
            raise ValidationError(
                f"dest must be a path or a binary file object, not {type(destination).__name__}",
                field="dest",
            )
        self.size = 0
        self.content_type = ""
        self._digest = hashlib.sha256()

    def consume(self, response: httpx.Response, chunks: Iterator[bytes]) -> None:
        """Write one attempt's body (``chunks``, already bounded by the session) afresh;
        ``BodyRefused`` for a content type that is not a receipt's."""
        self._begin(response)
        for chunk in chunks:
            self._add(chunk)

    async def aconsume(self, response: httpx.Response, chunks: AsyncIterator[bytes]) -> None:
        """``consume`` for ``AsyncHttpSession.send(consume=...)``. The spool is written
        on the event loop: a local file takes a piece (at most ``limits.PIECE``) at a
        time, as fast as the network hands it over."""
        self._begin(response)
        async for chunk in chunks:
            self._add(chunk)

    def _begin(self, response: httpx.Response) -> None:
        content_type = response.headers.get("content-type")
        if not is_receipt_type(content_type):
            raise BodyRefused(
                f"expected a receipt file ({', '.join(RECEIPT_CONTENT_TYPES)}*), got "
                f"{content_type or 'no content type'}"
            )
        self._spool.seek(0)
        self._spool.truncate()
        self._digest = hashlib.sha256()
        self.size = 0
        self.content_type = (content_type or "").split(";", 1)[0].strip()

    def _add(self, chunk: bytes) -> None:
        self._spool.write(chunk)
        self._digest.update(chunk)
        self.size += len(chunk)

    def commit(self) -> DownloadedFile:
        """Move the complete file to the destination (an atomic rename for a path)."""
        self._spool.flush()
        if self._path is not None:
            os.fsync(self._spool.fileno())
            self._spool.close()
            os.replace(self._spool.name, self._path)
        else:
            assert self._handle is not None
            self._spool.seek(0)
            try:
                shutil.copyfileobj(self._spool, self._handle)
            except TypeError:
                raise ValidationError(
                    "dest must be a file object opened in binary mode", field="dest"
                ) from None
            finally:
                self._spool.close()
        return DownloadedFile(
            size=self.size,
            sha256=self._digest.hexdigest(),
            content_type=self.content_type,
            path=None if self._path is None else str(self._path),
        )

    async def acommit(self) -> DownloadedFile:
        """``commit`` for an async caller: in a worker thread (it syncs the file to disk
        and copies it), so the event loop goes on meanwhile."""
        import asyncio  # here: the sync client never loads it (first use)

        return await asyncio.to_thread(self.commit)

    def discard(self) -> None:
        """Drop what was written (nothing reaches the destination)."""
        self._spool.close()
        if self._path is not None:
            Path(self._spool.name).unlink(missing_ok=True)


__all__ = [
    "DEFAULT_MAX_RECEIPT_BYTES",
    "RECEIPT_CONTENT_TYPES",
    "DownloadDestination",
    "DownloadTarget",
    "DownloadedFile",
    "is_receipt_type",
]
