"""Where exported records go: an append-only file (written, flushed and fsync'd) or a
stream such as stdout, and the repair of a half-written tail (docs/export.md, "Crash
safety").
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

import attrs

from expense_facade.errors import ExpenseFacadeError
from expense_facade.export.file_lock import lock_open_file
from expense_facade.export.remedies import Remedied, Remedy, WayOn
from expense_facade.export.sinks.formats import RecordFormat, detect_format, format_by_name

if TYPE_CHECKING:
    from expense_facade.export.ledger_store import Tx
    from expense_facade.records import Expense

STDOUT = "-"
"""The sink identity (and ``--out`` value) meaning standard output."""


class SinkError(ExpenseFacadeError):
    """A sink cannot be opened, written or repaired."""


class OutputRefused(Remedied, SinkError):
    """An output file does not match what the ledger wrote to it, or holds what the format
    cannot append to; nothing was written. ``problem`` says what was found, ``remedies``
    the ways on (``export.remedies``)."""


class Sink:
    """Base of the sinks: a format, an identity for the ledger, and a durable append."""

    identity: str
    format: RecordFormat
    durable: bool  # True when an append survives a crash once it returns
    transactional = False
    """Written inside the ledger's own transaction (``write_in``) instead of appended
    between an intent and its record: a PostgreSQL table beside a PostgreSQL ledger."""

    def write_in(self, tx: Tx, account: str, expenses: Sequence[Expense]) -> int:
        """Write ``expenses`` of ``account`` through ``tx`` (transactional sinks only)."""
        raise NotImplementedError

    def offset(self) -> int:
        """Where the next append starts (0 for a stream, which cannot be repaired)."""
        raise NotImplementedError

    def append(self, chunks: Sequence[bytes]) -> None:
        """Write the encoded records, flush and fsync; returns once they are durable."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the file (idempotent)."""

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_file(fd: int, path: Path) -> None:
    """Lock the open file exclusively (``file_lock``), or SinkError."""
    try:
        lock_open_file(fd)
    except OSError as exc:
        raise SinkError(
            f"{path} is in use by another run (an export holds it open); wait for it to end"
        ) from exc


def _fsync_dir(path: Path) -> None:
    # A new file's directory entry is durable only once the directory itself is synced.
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileSink(Sink):
    """An append-only file; created (with its folder) when missing.

    The open file is locked (``flock``, exclusive, for as long as the sink is open), so two
    runs never append to one output, whatever name each uses for it. ``identity`` is the
    resolved path; ``created`` says the file did not exist before this sink opened it.
    """

    durable = True

    def __init__(self, path: str | os.PathLike[str], record_format: RecordFormat) -> None:
        self.path = Path(os.path.realpath(path))
        self.identity = str(self.path)
        self.format = record_format
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.created = not self.path.exists()
            # O_APPEND: every write lands at the current end, also after a repair has
            # truncated the file underneath this handle.
            # Read as well, so the file's identity is read from this very file (os.pread).
            self._file: BinaryIO | None = open(self.path, "a+b")  # noqa: SIM115
        except OSError as exc:
            raise SinkError(f"cannot open {self.path} for writing: {exc.strerror}") from exc
        try:
            lock_file(self._file.fileno(), self.path)
            if self.created:
                _fsync_dir(self.path.parent)
        except BaseException:
            self.close()
            raise
        self._check_header()

    def fileno(self) -> int:
        """The open file's descriptor (for reading its identity)."""
        if self._file is None:
            raise SinkError(f"{self.path} is closed")
        return self._file.fileno()

    def discard(self) -> None:
        """Close, and remove the file again if this sink created it and wrote nothing: a
        refused run leaves no empty file behind to be mistaken for the output later."""
        remove = self.created and self._file is not None and self.offset() == 0
        self.close()
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _check_header(self) -> None:
        if self.offset() == 0:
            return
        with open(self.path, "rb") as existing:
            first = existing.readline(64 * 1024)
        problem = self.format.refuses(first)
        if problem is None:
            return
        self.close()
        ways = [WayOn(Remedy.OTHER_OUTPUT, output=str(self.path))]
        held = detect_format(first)
        if held.name != self.format.name and held.detects(first):
            ways.append(WayOn(Remedy.OUTPUT_FORMAT, output=str(self.path), format=held.name))
        raise OutputRefused(f"{self.path} {problem}", *ways)

    def offset(self) -> int:
        if self._file is None:
            raise SinkError(f"{self.path} is closed")
        return os.fstat(self._file.fileno()).st_size

    def append(self, chunks: Sequence[bytes]) -> None:
        if self._file is None:
            raise SinkError(f"{self.path} is closed")
        data = b"".join(chunks)
        if self.offset() == 0:
            data = self.format.header() + data
        try:
            self._file.write(data)
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise SinkError(f"cannot write {self.path}: {exc.strerror}") from exc
        self.created = False  # it holds this run's records now, not a missing file's place

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __repr__(self) -> str:
        return f"FileSink({self.identity!r}, {self.format.name})"


class StreamSink(Sink):
    """A stream (standard output by default): flushed per batch, but not repairable.

    What a consumer has read cannot be taken back, so after a crash the last batch may be
    emitted again; use a file sink where exactly-once matters.
    """

    durable = False

    def __init__(self, record_format: RecordFormat, stream: IO[bytes] | None = None) -> None:
        self.identity = STDOUT
        self.format = record_format
        self._stream: IO[bytes] = stream if stream is not None else sys.stdout.buffer
        self._started = False

    def offset(self) -> int:
        return 0

    def append(self, chunks: Sequence[bytes]) -> None:
        data = b"".join(chunks)
        if not self._started:
            data = self.format.header() + data
            self._started = True
        try:
            self._stream.write(data)
            self._stream.flush()
        except BrokenPipeError as exc:
            raise SinkError("standard output was closed by the reader") from exc
        # Pipes and terminals cannot be synced; a redirected file can.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.fsync(self._stream.fileno())

    def __repr__(self) -> str:
        return f"StreamSink({self.format.name})"


def open_sink(
    out: str | os.PathLike[str],
    record_format: RecordFormat,
    *,
    vendor: str | None = None,
    stream: IO[bytes] | None = None,
) -> Sink:
    """The sink for ``--out``: ``-`` is stdout; an existing folder (or a path ending in a
    separator) gets one file per vendor, ``<folder>/<vendor>.<extension>``; anything else
    is a file that every vendor of the run appends to."""
    text = os.fspath(out)
    if text == STDOUT:
        return StreamSink(record_format, stream)
    path = Path(text)
    if is_directory_target(text):
        if vendor is None:
            raise SinkError(f"{text} is a folder: a vendor is needed to name the file in it")
        path = path / f"{vendor}.{record_format.extension}"
    return FileSink(path, record_format)


def is_directory_target(out: str) -> bool:
    """Whether ``--out`` names a folder (existing, or written with a trailing separator)."""
    if out == STDOUT:
        return False
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


@attrs.frozen(slots=True)
class RepairResult:
    """What ``repair_sink`` did to one sink after an interrupted run."""

    sink: str
    truncated_bytes: int
    records_dropped: int
    note: str | None = None


def repair_sink(
    sink: str,
    sink_format: str,
    offset: int,
    expected: set[tuple[str, str]],
    *,
    locked: bool = False,
) -> RepairResult:
    """Cut an interrupted batch off the end of a sink file.

    ``offset`` is where the batch started and ``expected`` the (vendor, expense id) pairs
    announced for it. The tail is read first: when it holds only those records (complete
    or cut off), the file is truncated back to ``offset`` and synced, so those records are
    written exactly once by the next run. A tail holding anything else means the file was
    changed by someone else since; nothing is cut and ``SinkError`` says so. The file is
    locked while it is repaired, unless ``locked`` says this process holds it already.
    """
    if sink == STDOUT:
        return RepairResult(sink, 0, 0, note="standard output cannot be repaired")
    path = Path(sink)
    try:
        handle = open(path, "r+b")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return RepairResult(sink, 0, 0, note="the file no longer exists")
    except OSError as exc:
        raise SinkError(f"cannot open {path} to repair it: {exc.strerror}") from exc
    with handle:
        if not locked:
            lock_file(handle.fileno(), path)
        size = os.fstat(handle.fileno()).st_size
        if size <= offset:
            note = None if size == offset else "the file is shorter than the ledger recorded"
            return RepairResult(sink, 0, 0, note=note)
        handle.seek(offset)
        tail = handle.read()
        scan = format_by_name(sink_format).scan(tail, at_start=offset == 0)
        foreign = [record for record in scan.records if record not in expected]
        if foreign:
            vendor, expense_id = foreign[0]
            raise OutputRefused(
                f"{path} changed after an interrupted export: from byte {offset} it holds "
                f"{expense_id!r} ({vendor or 'unreadable'}), which that export did not write",
                WayOn(Remedy.REPAIR_BY_HAND, output=str(path)),
            )
        handle.truncate(offset)
        handle.flush()
        os.fsync(handle.fileno())
    return RepairResult(sink, size - offset, len(scan.records))


__all__ = [
    "STDOUT",
    "FileSink",
    "OutputRefused",
    "RepairResult",
    "Sink",
    "SinkError",
    "StreamSink",
    "is_directory_target",
    "lock_file",
    "open_sink",
    "repair_sink",
]
