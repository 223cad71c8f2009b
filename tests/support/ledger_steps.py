"""Ledgers in the states the exactly-once protocol leaves them, reached through its units
of work, and a store that stops a run at any protocol step (as SIGKILL would)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from expense_facade.export import ledger as ledger_module
from expense_facade.export.ledger import Ledger
from expense_facade.export.ledger_store import LedgerStore, Reads, Row, SqliteStore, Tx
from expense_facade.export.sinks import FileSink, JsonLinesFormat

from support.export_fakes import make_expense

STEPS: dict[str, str] = {
    "intent": "INSERT INTO intents",
    "written": "INSERT INTO exports",
    "mark-sent": "UPDATE exports SET mark_sent=1",
    "marked": "UPDATE exports SET state='marked'",
}
"""Each protocol step by the statement that makes it (docs/export.md, "Crash safety")."""

Hook = Callable[[str, str], None]
"""``hook(step, "before" | "after")``: before runs inside the step's transaction (raising
there rolls it back, as a kill before the step would), after once it is committed."""


class Crash(BaseException):
    """Stands in for SIGKILL: nothing of ours catches it."""


def write_unmarked(
    ledger: Ledger, vendor: str, account: str, ids: Sequence[str], sink_path: Path
) -> None:
    """``ids`` written to ``sink_path`` and recorded, not yet marked: what a run killed
    before its vendor marks leaves."""
    unit = ledger.begin(vendor, account)
    with FileSink(sink_path, JsonLinesFormat()) as sink:
        unit.open_sink(sink, new_output=True, reexport=False, vendor_marks=True)
        unit.write([make_expense(vendor, i, account=account) for i in ids])
    unit.close()


class _Watched:
    def __init__(self, tx: Tx, hook: Hook, seen: list[str]) -> None:
        self._tx = tx
        self._hook = hook
        self._seen = seen

    def _step(self, sql: str) -> None:
        for step, prefix in STEPS.items():
            if sql.startswith(prefix) and step not in self._seen:
                self._seen.append(step)
                self._hook(step, "before")

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        self._step(sql)
        return self._tx.rows(sql, params)

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        self._step(sql)
        return self._tx.run(sql, params)

    def run_many(self, sql: str, params: Sequence[Sequence[object]]) -> None:
        self._step(sql)
        self._tx.run_many(sql, params)


class SteppedStore:
    """A store (SQLite, or PostgreSQL under ``each_ledger_backend``) that calls ``hook``
    around every protocol step it runs; everything else is the inner store's."""

    def __init__(self, inner: LedgerStore, hook: Hook) -> None:
        self.inner = inner
        self.hook = hook
        self.name = inner.name
        self.shared = inner.shared

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        seen: list[str] = []
        with self.inner.transaction() as tx:
            yield _Watched(tx, self.hook, seen)
        for step in seen:
            self.hook(step, "after")

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self.inner.rows(sql, params)

    def reader(self) -> Reads:
        return self.inner.reader()

    def schema_version(self) -> int:
        return self.inner.schema_version()

    def set_schema_version(self, tx: Tx, version: int) -> None:
        self.inner.set_schema_version(tx, version)

    def hold(self, vendor: str, account: str) -> bool:
        return self.inner.hold(vendor, account)

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)  # the backend's own (PostgreSQL: server_identity)


def crash_at(point: str, occurrence: int = 1) -> Hook:
    """A hook that raises ``Crash`` at ``point`` (``"before-intent"``, ``"after-written"``...)
    the ``occurrence``-th time it is reached."""
    reached = [0]

    def hook(step: str, when: str) -> None:
        if f"{when}-{step}" == point:
            reached[0] += 1
            if reached[0] == occurrence:
                raise Crash(point)

    return hook


def stepped_ledger(path: Path, hook: Hook) -> Ledger:
    """A ledger whose store calls ``hook`` around each protocol step."""
    # Through the name the ledger module opens files with, so that a test run on both
    # backends (``support.ledger_backends``) steps the PostgreSQL store as well.
    return Ledger(store=SteppedStore(ledger_module.SqliteStore(path), hook))


@contextlib.contextmanager
def every_store_stepped(hook: Hook) -> Iterator[None]:
    """Every SQLite ledger opened meanwhile (the command's own, too) calls ``hook`` around
    each protocol step it runs, as ``SteppedStore`` does."""
    real = SqliteStore.transaction

    @contextlib.contextmanager
    def transaction(self: SqliteStore) -> Iterator[Tx]:
        seen: list[str] = []
        with real(self) as tx:
            yield _Watched(tx, hook, seen)
        for step in seen:
            hook(step, "after")

    SqliteStore.transaction = transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        SqliteStore.transaction = real  # type: ignore[method-assign]
