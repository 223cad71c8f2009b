"""Ledger and output bound to each other: an output file's identity, the check an export
makes before it writes to a file, and the ledger rebuilt from an output file.

The rules (what is refused, what is accepted, how to go on) are in docs/command.md,
"Ledger and output"; this module is their one implementation.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from expense_facade._wording import counted
from expense_facade.export.ledger_records import FileIdentity, LedgerError, OutputBinding
from expense_facade.export.rebuild_entries import RebuildEntries
from expense_facade.export.remedies import Remedy, WayOn
from expense_facade.export.sinks import (
    FileSink,
    OutputRefused,
    RecordFormat,
    RepairResult,
    Sink,
    format_by_name,
)
from expense_facade.export.sinks.files import lock_file
from expense_facade.export.sinks.formats import DEFAULT_FORMAT, StoredRecord
from expense_facade.export.sinks.formats import detect_format as format_of_first_line
from expense_facade.input_files import open_regular

if TYPE_CHECKING:
    from expense_facade.export.ledger import Ledger

HASHED_BYTES = 4096
"""Bytes hashed at each end of an output's committed part (its head and its tail)."""


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if sys.platform == "win32":  # pragma: no cover - no os.pread there
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, size)
    return os.pread(fd, size, offset)


def identify(fd: int, length: int | None = None) -> FileIdentity:
    """The identity of the open file ``fd`` as of its first ``length`` bytes (all of it by
    default): device, inode, length, and SHA-256 of the head and of the tail of those bytes."""
    stat = os.fstat(fd)
    size = stat.st_size if length is None else length
    head = _read_at(fd, min(size, HASHED_BYTES), 0)
    tail_from = max(0, size - HASHED_BYTES)
    tail = _read_at(fd, size - tail_from, tail_from)
    return FileIdentity(
        device=stat.st_dev,
        inode=stat.st_ino,
        length=size,
        head_hash=hashlib.sha256(head).hexdigest(),
        tail_hash=hashlib.sha256(tail).hexdigest(),
    )


def sink_identity(sink: Sink) -> tuple[str, FileIdentity] | None:
    """``(format, identity)`` of a file sink as it is now, recorded with each batch."""
    if not isinstance(sink, FileSink):
        return None
    return sink.format.name, identify(sink.fileno())


def _same_bytes(a: FileIdentity, b: FileIdentity) -> bool:
    return (a.length, a.head_hash, a.tail_hash) == (b.length, b.head_hash, b.tail_hash)


def check_output(ledger: Ledger, sink: Sink, *, new_output: bool = False) -> RepairResult | None:
    """Check that ``sink`` is the file the ledger last wrote (see docs/command.md), before a
    run appends to it; bind the ledger to it where it may go on. Returns a note when
    something was accepted or started anew; raises ``OutputRefused`` (one line: what was
    found, ``remedies``: how to go on) when not. ``new_output`` accepts the file as it is
    now."""
    if not isinstance(sink, FileSink):
        return None  # a stream cannot be checked: what a reader consumed is gone
    path = sink.identity
    now = identify(sink.fileno())
    binding = ledger.output_of(path, now.device, now.inode)
    if binding is None or binding.identity.length == 0:
        return _check_unbound(ledger, sink, now, new_output=new_output)
    problem = _compare(binding, sink, now)
    if problem is None:
        if binding.path != path or (binding.identity.device, binding.identity.inode) != (
            now.device,
            now.inode,
        ):
            # The same bytes under another name, or copied into place: the same output.
            ledger.bind_output(path, sink.format.name, now, binding.records)
            return RepairResult(path, 0, 0, note="same content as the ledger wrote; accepted")
        return None
    if new_output:
        ledger.bind_output(path, sink.format.name, now, 0)
        return RepairResult(path, 0, 0, note=f"{problem}; started a new output there, as asked")
    sink.discard()  # a file this run created only to refuse it is not left behind
    if binding.format != sink.format.name:
        raise OutputRefused(
            f"{path} {problem}",
            WayOn(Remedy.OUTPUT_FORMAT, output=path, format=binding.format),
            WayOn(Remedy.OTHER_OUTPUT, output=path),
        )
    raise OutputRefused(f"{path} {problem}", way_on(path, ledger))


def _compare(binding: OutputBinding, sink: FileSink, now: FileIdentity) -> str | None:
    """What changed since the ledger last wrote to the file, or None."""
    was = binding.identity
    wrote = f"the ledger wrote {counted(binding.records, 'record')} ({was.length:,} bytes)"
    if binding.format != sink.format.name:
        return f"was written as {binding.format}, not {sink.format.name}"
    if sink.created:
        return f"no longer exists ({wrote} to it)"
    if now.length < was.length:
        return f"is shorter than the ledger recorded ({now.length:,} bytes; {wrote})"
    same_file = (now.device, now.inode) == (was.device, was.inode)
    if not _same_bytes(identify(sink.fileno(), was.length), was):
        if same_file:
            return f"was changed: its first {was.length:,} bytes are not those {wrote}"
        return f"was replaced by a different file ({wrote} to the one before)"
    if now.length > was.length:
        extra = now.length - was.length
        return f"holds {extra:,} bytes after what {wrote}: another ledger or program appended to it"
    return None


def _check_unbound(
    ledger: Ledger, sink: FileSink, now: FileIdentity, *, new_output: bool
) -> RepairResult | None:
    if now.length == 0:
        return None
    records, unknown = _count_unknown(ledger, sink.fileno(), sink.format)
    path = sink.identity
    if not unknown:
        ledger.bind_output(path, sink.format.name, now, records)
        return None
    if new_output:
        ledger.bind_output(path, sink.format.name, now, 0)
        return RepairResult(
            path,
            0,
            0,
            note=f"{counted(unknown, 'record')} this ledger does not know are left in "
            "the file; started a new output there, as asked",
        )
    sink.discard()
    raise OutputRefused(
        f"{path} already holds {counted(unknown, 'record')} the ledger {ledger.name} does "
        f"not know ({records:,} in the file; the ledger was deleted or emptied, or "
        "another ledger wrote them)",
        way_on(path, ledger),
    )


def way_on(path: str, ledger: Ledger) -> WayOn:
    """The way on from a refused output that ends with each record in it exactly once:
    the ledger rebuilt from the file as it is now, then another export."""
    return WayOn(Remedy.REBUILD_LEDGER, output=path, ledger=ledger.name)


_BATCH = 5_000
"""Records of an output file checked against the ledger at a time (memory stays flat)."""


def _count_unknown(ledger: Ledger, fd: int, record_format: RecordFormat) -> tuple[int, int]:
    """(records in the file, how many the ledger does not hold): every unreadable line
    counts as unknown. The file is streamed, a batch at a time."""
    dup = os.dup(fd)
    with os.fdopen(dup, "rb") as handle:
        handle.seek(0)
        records = record_format.read(handle)
        total = unknown = 0
        while batch := list(itertools.islice(records, _BATCH)):
            total += len(batch)
            unknown += _unknown(ledger, batch)
    return total, unknown


def _unknown(ledger: Ledger, records: Iterable[StoredRecord]) -> int:
    """How many of ``records`` the ledger does not hold (unreadable lines included)."""
    by_vendor: dict[str, list[str]] = {}
    unknown = 0
    for record in records:
        if record.problem is not None:
            unknown += 1
        else:
            by_vendor.setdefault(record.vendor, []).append(record.expense_id)
    for vendor, ids in by_vendor.items():
        known = ledger.known_ids(vendor, ids)
        unknown += sum(1 for i in ids if i not in known)
    return unknown


# -- rebuild ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class RebuildResult:
    """What ``rebuild_ledger`` read from one output file and added to the ledger."""

    path: str
    format: str
    records: int
    added: int
    accounts: tuple[tuple[str, str], ...]  # (vendor, account) pairs found
    forgotten: int = 0
    """Entries the ledger had recorded as written to the file that it no longer holds:
    exported again by the next run."""
    all_accounts: bool = True  # False: more pairs than rebuild_entries.MAX_ACCOUNTS


def detect_format(path: Path) -> RecordFormat:
    """The format of the file at ``path``, as the formats themselves detect it from its
    first line (``sinks.formats.detect_format``)."""
    with open(path, "rb") as handle:
        first = handle.readline(64 * 1024)
    return format_of_first_line(first)


def rebuild_ledger(
    ledger: Ledger, path: str | os.PathLike[str], record_format: RecordFormat | None = None
) -> RebuildResult:
    """Restore the ledger's knowledge of one output file: every record in it counts as
    exported (written; the next export completes its marks) and the ledger is bound to the
    file as it is. The file is locked while it is read. Nothing is changed, and a
    ``LedgerError`` says why, when the file holds a line that is not a record or ends
    inside one."""
    real = Path(os.path.realpath(path))
    if not real.exists():  # deleted: nothing in it was exported, as far as it shows
        fmt = record_format or format_by_name(DEFAULT_FORMAT)
        _, gone = ledger.restore([], sink=str(real), output=None)
        return RebuildResult(str(real), fmt.name, 0, 0, (), gone)
    # A regular file (a FIFO or a device is refused at once), checked line by line as it
    # is read (rebuild_entries).
    with open_regular(real, "the output file", LedgerError) as handle:
        try:
            fmt = record_format or detect_format(real)
        except OSError as exc:
            raise LedgerError(f"cannot read {real}: {exc.strerror}") from exc
        lock_file(handle.fileno(), real)
        identity = identify(handle.fileno())
        if identity.length and _read_at(handle.fileno(), 1, identity.length - 1) != b"\n":
            raise LedgerError(_cut_off_message(handle.fileno(), real, identity.length))
        entries = RebuildEntries(fmt.read(handle), real)
        # Streamed into the restore's transaction (memory flat in the file's size); the
        # count of records is known once they are all read.
        added, gone = ledger.restore(
            entries, sink=str(real), output=lambda: (fmt.name, identity, entries.records)
        )
    return RebuildResult(
        str(real), fmt.name, entries.records, added, entries.accounts, gone, entries.all_accounts
    )


def _cut_off_message(fd: int, path: Path, size: int) -> str:
    keep = size
    while keep > 0:  # back to the end of the last complete line, a block at a time
        start = max(0, keep - HASHED_BYTES)
        block = _read_at(fd, keep - start, start)
        at = block.rfind(b"\n")
        if at >= 0:
            keep = start + at + 1
            break
        keep = start
    return (
        f"{path} ends inside a record ({size - keep:,} bytes after the last complete one, "
        f"left by an interrupted export): cut them off (truncate -s {keep} {path}) and run "
        "again; nothing was rebuilt"
    )


__all__ = [
    "HASHED_BYTES",
    "OutputRefused",
    "RebuildResult",
    "check_output",
    "detect_format",
    "identify",
    "rebuild_ledger",
    "sink_identity",
    "way_on",
]
