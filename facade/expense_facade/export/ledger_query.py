"""What every table module of the ledger shares: ``IN`` lookups a few hundred values at a
time, and timestamps as stored (docs/export.md, "The ledger").
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

_T = TypeVar("_T")

CHUNK = 500
"""Values per ``IN (...)``: SQLite limits the parameters of one statement (999 on old
builds)."""

Rows = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]
"""Runs one statement with its parameters and returns its rows."""


def chunks(items: Iterable[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``; an iterator is consumed a slice at a time
    (``ledger rebuild`` streams a file of millions of records through it)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def marks(values: Sequence[object]) -> str:
    """``(?,?,?)`` for ``values``."""
    return "(" + ",".join("?" * len(values)) + ")"


def rows_among(
    rows: Rows, select: str, params: Sequence[object], among: Iterable[str]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select`` (ending in ``IN``) for the values ``among``, a few hundred
    per statement; ``params`` come before them. A value holding NUL is never among the
    stored ones (``rejects.unstorable``), and PostgreSQL would refuse the whole query."""
    for chunk in chunks([value for value in among if "\x00" not in value]):
        yield from rows(f"{select} {marks(chunk)}", (*params, *chunk))


def now() -> str:
    """This machine's time as stored (ISO 8601, UTC)."""
    return dt.datetime.now(dt.UTC).isoformat()


def parse_ts(value: str | None) -> dt.datetime | None:
    """A stored timestamp, or None."""
    return dt.datetime.fromisoformat(value) if value else None
