"""Rejected records, and vendors stopped alone: one record that cannot be read, encoded or
stored costs that record only; one vendor's listing that fails, even on a bug, costs that
vendor only. It is reported in the summary (``ExportSummary.malformed``), never written half-way
nor recorded in the ledger, keeps the position from passing it (so the next run lists it
again), and is appended with its raw payload, escaped, to a rejects file beside the
output (docs/export.md, "Rejected records").
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from expense_facade.errors import ExpenseFacadeError
from expense_facade.export.postgres.connection import is_postgres_url, parse_table_target
from expense_facade.export.sinks import STDOUT, SinkError, is_directory_target
from expense_facade.mapping.json_values import InvalidText
from expense_facade.record_data import jsonable
from expense_facade.records import Expense, MalformedRecord
from expense_facade.user_dirs import user_data_dir

_log = logging.getLogger(__name__)

REJECTS_SUFFIX = ".rejects.jsonl"
"""What the rejects file beside an output is called: ``approved.csv`` ->
``approved.rejects.jsonl``; in a folder, ``<folder>/rejects.jsonl``."""


def vendor_stopped(exc: Exception, said: str) -> str:
    """Why a vendor's listing stopped (``said``: the error's message on one line): the
    library's own error as it says it; anything else is a bug (in an adapter, a
    decoder...) that stops this vendor only, its traceback in the debug log, so the other
    vendors are still exported."""
    if isinstance(exc, ExpenseFacadeError):
        return said
    _log.debug("a vendor's listing stopped by an unexpected error", exc_info=exc)
    name = type(exc).__name__
    return f"stopped by an unexpected {name}: {said} (a bug; the traceback is in the debug log)"


def rejected(expense: Expense, reason: str) -> MalformedRecord:
    """``expense`` as a rejected record: its id, why, and the vendor's payload."""
    return MalformedRecord(
        vendor=expense.vendor, reason=reason, record_id=expense.id, raw=expense.raw
    )


NUL_REASON = "holds a NUL character (U+0000), which PostgreSQL text cannot store"


def unstorable(expense: Expense) -> str | None:
    """Why ``expense``'s id cannot be stored in the ledger (SQLite keeps UTF-8 text: a lone
    surrogate has none; PostgreSQL's text holds no NUL, and a ledger is the same on both
    backends), or None when it can."""
    if "\x00" in expense.id:
        return f"the id cannot be stored: it {NUL_REASON}"
    if expense.id.isascii():
        return None
    try:
        expense.id.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"the id cannot be stored: {exc.reason} at character {exc.start}"
    return None


def split_unstorable(
    expenses: Sequence[Expense],
) -> tuple[list[Expense], list[tuple[Expense, str]]]:
    """``expenses`` split into those the ledger can store and the rest, each with why."""
    kept: list[Expense] = []
    refused: list[tuple[Expense, str]] = []
    for expense in expenses:
        problem = unstorable(expense)
        if problem is None:
            kept.append(expense)
        else:
            refused.append((expense, problem))
    return kept, refused


def rejects_path_for(out: str | os.PathLike[str]) -> Path | None:
    """The rejects file beside the output ``out``: ``<folder>/rejects.jsonl`` for a folder,
    ``<name>.rejects.jsonl`` beside a file, ``<schema>.<table>.rejects.jsonl`` in the
    user's data folder for a PostgreSQL table; None for standard output."""
    target = os.fspath(out)
    if target == STDOUT:
        return None
    if is_postgres_url(target):
        return user_data_dir() / f"{parse_table_target(target).name}{REJECTS_SUFFIX}"
    if is_directory_target(target):
        return Path(target) / REJECTS_SUFFIX.removeprefix(".")
    path = Path(target)
    return path.with_name(path.name.removesuffix(path.suffix) + REJECTS_SUFFIX)


def escaped(value: Any) -> Any:
    """A raw payload made JSON-serialisable, each string the vendor sent as invalid text
    given back as it was sent (``InvalidText.sent``: written with ``ensure_ascii``, a lone
    surrogate is the escape ``\\udc00`` the vendor wrote, a byte that was not UTF-8 is
    ``\\udcXX``)."""
    if isinstance(value, InvalidText):
        return value.sent
    if isinstance(value, dict):
        return {escaped(k): escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escaped(v) for v in value]
    return jsonable(value)


def reject_line(record: MalformedRecord) -> str:
    """One line of the rejects file (ASCII JSON, so every payload can be written)."""
    entry = {
        "vendor": record.vendor,
        "record_id": record.record_id,
        "reason": record.reason,
        "raw": escaped(record.raw),
    }
    return json.dumps(entry, ensure_ascii=True, separators=(",", ":")) + "\n"


def write_rejects(path: Path, records: Iterable[MalformedRecord]) -> int:
    """Append ``records`` to the rejects file at ``path``; how many were written."""
    lines = [reject_line(record) for record in records]
    if not lines:
        return 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="ascii") as handle:
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise SinkError(f"cannot write the rejected records to {path}: {exc.strerror}") from exc
    return len(lines)


__all__ = [
    "NUL_REASON",
    "REJECTS_SUFFIX",
    "escaped",
    "reject_line",
    "rejected",
    "rejects_path_for",
    "split_unstorable",
    "unstorable",
    "vendor_stopped",
    "write_rejects",
]
