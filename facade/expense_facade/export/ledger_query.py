"""What every table module of the ledger shares: ``IN`` lookups a few hundred values at a
time, and timestamps as stored (docs/export.md, "The ledger").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

_T = TypeVar("_T")

CHUNK = 500
"""Values per ``IN (...)``: SQLite limits the parameters of one statement (999 on old
builds)."""

Rows = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]
"""Runs one statement with its parameters and returns its rows."""


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(values: Sequence[object]) -> str:
    """``(?,?,?)`` for ``values``."""
    return "(" + ",".join("?" * len(values)) + ")"


def rows_among(
    rows: Rows, select: str, params: Sequence[object], among: Iterable[str]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select`` (ending in ``IN``) for the values ``among``, a few hundred
    per statement; ``params`` come before them."""
    for chunk in chunks(list(among)):
        yield from rows(f"{select} {marks(chunk)}", (*params, *chunk))


def now() -> str:
    """This machine's time as stored (ISO 8601, UTC)."""
    return dt.datetime.now(dt.UTC).isoformat()


def parse_ts(value: str | None) -> dt.datetime | None:
    """A stored timestamp, or None."""
    return dt.datetime.fromisoformat(value) if value else None
