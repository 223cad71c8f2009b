"""The export ledger: what was exported, per vendor, account and expense id, the intents
that make a crash repairable, the identity of each output it wrote to, and the
incremental position per account. It owns the exactly-once protocol: the pipeline hands
it units of work (``AccountRun``: write this batch to this sink, mark these at the
vendor), and it runs every protocol step inside them, on any ``LedgerStore`` backend
(docs/export.md, "The ledger").
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from types import TracebackType

from expense_facade.export import (
    ledger_exports,
    ledger_outputs,
    ledger_overview,
    ledger_positions,
)
from expense_facade.export.account_identity import AccountIdentity, canonical_label, dedupe_scope
from expense_facade.export.delivery import PREFIX as DELIVERY_PREFIX
from expense_facade.export.delivery import DeliverySink
from expense_facade.export.ledger_overview import LedgerOverview
from expense_facade.export.ledger_reader import LedgerReader
from expense_facade.export.ledger_records import (
    AccountHeldElsewhere,
    ExportState,
    FileIdentity,
    Intent,
    LedgerEntry,
    LedgerError,
    OutputBinding,
)
from expense_facade.export.ledger_sql import SCHEMA_VERSION, migrate
from expense_facade.export.ledger_store import LedgerStore, SqliteStore
from expense_facade.export.ledger_units import AccountRun
from expense_facade.export.outputs import way_on
from expense_facade.export.sinks import OutputRefused, RepairResult, Sink, repair_sink
from expense_facade.user_dirs import user_data_dir

OutputFacts = tuple[str, FileIdentity, int]
"""An output file as ``Ledger.restore`` binds it: its format, identity and records."""


def default_ledger_path(*, sandbox: bool = False) -> Path:
    """Where the ledger lives unless the caller says otherwise: in the user's data folder
    (``user_dirs.user_data_dir``). Sandbox runs get their own file so demo data never
    mixes with real exports."""
    name = "ledger-sandbox.sqlite3" if sandbox else "ledger.sqlite3"
    return user_data_dir() / name


class Ledger:
    """The export ledger on a ``LedgerStore`` (an SQLite file by default).

    ``Ledger(path)`` opens (and creates, with its folder) an SQLite ledger;
    ``Ledger(store=...)`` any other backend. Use it as a context manager or call
    ``close()``. Every unit of work is one or more durable transactions, each complete.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        lock: bool = True,
        store: LedgerStore | None = None,
    ) -> None:
        if store is None:
            if path is None:
                raise TypeError("Ledger needs a path or a store")
            store = SqliteStore(path, lock=lock)
        self.store: LedgerStore = store
        self.path = Path(path) if path is not None else Path(store.name)
        self.name = store.name
        self._intents_resolved = False
        self._identity_key: bytes | None = None
        try:
            migrate(store)
        except BaseException:
            store.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the store and release its lock (idempotent)."""
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.name!r})"

    # -- reads -------------------------------------------------------------------------

    @staticmethod
    def scope(vendor: str, account: str) -> str:
        """The account part of the key the ledger dedupes ``account``'s records by
        (``account_identity.dedupe_scope``): every method taking an account maps it so."""
        return dedupe_scope(vendor, account)

    def identity_key(self) -> bytes:
        """The ledger's own random key for the credentials' fingerprints."""
        if self._identity_key is None:
            # Made once per ledger: read it, and make it in a transaction only if missing.
            self._identity_key = ledger_positions.stored_identity_key(self.store.rows)
        if self._identity_key is None:
            with self.store.transaction() as tx:
                self._identity_key = ledger_positions.identity_key(tx)
        return self._identity_key

    def is_exported(self, vendor: str, account: str, expense_id: str) -> bool:
        """True when the expense is written to a sink (marked or not)."""
        return bool(self.exported_ids(vendor, account, [expense_id]))

    def exported_ids(self, vendor: str, account: str, expense_ids: Iterable[str]) -> set[str]:
        """The subset of ``expense_ids`` already exported (one query per few hundred ids)."""
        scope = self.scope(vendor, account)
        return ledger_exports.exported_among(self.store.rows, vendor, scope, expense_ids)

    def known_ids(self, vendor: str, expense_ids: Iterable[str]) -> set[str]:
        """The subset of ``expense_ids`` exported for ``vendor`` under any account."""
        return ledger_exports.known_among(self.store.rows, vendor, expense_ids)

    def get(self, vendor: str, account: str, expense_id: str) -> LedgerEntry | None:
        """The ledger's entry for one expense, or None."""
        return ledger_exports.entry(
            self.store.rows, vendor, self.scope(vendor, account), expense_id
        )

    def pending_marks(self, vendor: str, account: str) -> list[str]:
        """Ids written to a sink but not yet marked exported, oldest first."""
        return ledger_exports.pending_marks(self.store.rows, vendor, self.scope(vendor, account))

    def pending_intents(self) -> list[Intent]:
        """Batches announced but never confirmed written, grouped by sink and account."""
        return ledger_exports.pending_intents(self.store.rows)

    def accounts(self, vendor: str) -> list[str]:
        """The dedupe scopes of ``vendor`` the ledger has entries for (``*``: the whole
        vendor, whose ids are unique across its customers)."""
        return ledger_exports.accounts(self.store.rows, vendor)

    def counts(self, vendor: str, account: str) -> dict[str, int]:
        """How many expenses are in each state for one vendor account."""
        return ledger_exports.counts(self.store.rows, vendor, self.scope(vendor, account))

    def output(self, path: str) -> OutputBinding | None:
        """The binding of the output file at ``path`` (its resolved path), or None."""
        return ledger_outputs.by_path(self.store.rows, path)

    def output_by_file(self, device: int, inode: int) -> OutputBinding | None:
        """The binding of the output that is this file under another name, or None."""
        return ledger_outputs.by_file(self.store.rows, device, inode)

    def output_of(self, path: str, device: int, inode: int) -> OutputBinding | None:
        """``output(path)``, else ``output_by_file(device, inode)``, in one query."""
        return ledger_outputs.by_path_or_file(self.store.rows, path, device, inode)

    def outputs(self) -> list[OutputBinding]:
        """Every output the ledger is bound to."""
        return ledger_outputs.every(self.store.rows)

    def export_state(
        self, vendor: str, account: str, identity: AccountIdentity | None = None
    ) -> ExportState:
        """The incremental state of one vendor account under ``identity`` (None: the one
        recorded last, whatever its identity); all None when never recorded."""
        return ledger_positions.state(
            self.store.rows,
            vendor,
            canonical_label(account),
            None if identity is None else identity.key,
        )

    def export_states(
        self, vendor: str, account: str, identity: AccountIdentity
    ) -> tuple[ExportState, ExportState]:
        """``export_state(vendor, account, identity)`` and ``export_state(vendor,
        account)`` (the one recorded last, whatever its identity), in one query."""
        return ledger_positions.states(
            self.store.rows, vendor, canonical_label(account), identity.key
        )

    def overview(self, *, vendor: str | None = None, limit: int = 50) -> LedgerOverview:
        """What the ledger holds (``ledger_overview``): records per vendor and dedupe
        scope, positions per account, outputs, at most ``limit`` rows of each with their
        full counts; ``vendor`` keeps that vendor's records and positions only."""
        if limit < 0:
            raise ValueError("limit must be 0 or more")
        return ledger_overview.overview(self.store.rows, vendor=vendor, limit=limit)

    def reader(self) -> LedgerReader:
        """A read-only view for other threads (a listing's fan-out); close it after use."""
        return LedgerReader(self.store.reader())

    # -- units of work -------------------------------------------------------------------

    def recover(
        self, held: Collection[str] = (), *, destination: Sink | None = None
    ) -> list[RepairResult]:
        """Repair every sink a killed run left with a half-written batch, then drop its
        intents; done once per open ledger, and again only after a batch of this process
        failed half-way. ``held``: file sinks this process has open (and locked) already.

        Runs before anything is appended, for every sink in the ledger, so a sink never
        receives a batch while an earlier one is unresolved. Raises ``SinkError`` when a
        sink's tail holds data the interrupted batch did not write.

        A delivery (``export.delivery``) is settled only when its destination is the one
        being opened (``destination``): what the destination says it holds is recorded
        written, the rest is dropped and delivered again under the same keys.
        """
        # A shared ledger (docs/scale.md): other processes may be writing their own sinks
        # right now; only the sinks this process holds are repaired, each when opened.
        shared = self.store.shared
        if self._intents_resolved or (shared and not held):
            return []
        by_sink: dict[str, tuple[str, int, set[tuple[str, str]]]] = {}
        deliveries: list[Intent] = []
        waiting = False
        for intent in self.pending_intents():
            if shared and intent.sink not in held:
                continue
            if intent.sink.startswith(DELIVERY_PREFIX):
                if isinstance(destination, DeliverySink) and intent.sink == destination.identity:
                    deliveries.append(intent)
                else:
                    waiting = True  # settled when its destination is opened
                continue
            fmt, offset, expected = by_sink.get(
                intent.sink, (intent.sink_format, intent.sink_offset, set())
            )
            expected.update((intent.vendor, expense_id) for expense_id in intent.expense_ids)
            by_sink[intent.sink] = (fmt, min(offset, intent.sink_offset), expected)
        results: list[RepairResult] = []
        if deliveries and isinstance(destination, DeliverySink):
            results.append(self._settle_deliveries(destination, deliveries))
        for sink, (fmt, offset, expected) in by_sink.items():
            try:
                results.append(repair_sink(sink, fmt, offset, expected, locked=sink in held))
            except OutputRefused as exc:
                raise OutputRefused(exc.problem, *exc.remedies, way_on(sink, self)) from exc
            with self.store.transaction() as tx:
                ledger_exports.drop_intents(tx, sink)
        self._intents_resolved = not (shared or waiting)
        return results

    def _settle_deliveries(self, sink: DeliverySink, intents: Sequence[Intent]) -> RepairResult:
        """Record what the destination holds of the announced batches; drop the rest."""
        held_ids = 0
        with self.store.transaction() as tx:
            for intent in intents:
                records = [(intent.vendor, intent.account, i) for i in intent.expense_ids]
                got = sink.held(records)
                if got:
                    ids = [i for i in intent.expense_ids if i in got]
                    held_ids += len(ids)
                    ledger_exports.add_written(
                        tx, intent.vendor, intent.account, ids, sink=sink.identity, marked=False
                    )
            ledger_exports.drop_intents(tx, sink.identity)
        dropped = sum(len(i.expense_ids) for i in intents) - held_ids
        note = (
            f"after an interrupted delivery: {held_ids} held by the destination and recorded, "
            f"{dropped} to be delivered again under the same keys"
        )
        return RepairResult(sink.identity, 0, dropped, note=note)

    def unresolved(self) -> None:
        """A batch of this process failed between its intent and its record: the next
        ``recover`` repairs its sink again."""
        self._intents_resolved = False

    def begin(
        self, vendor: str, account: str, identity: AccountIdentity | None = None
    ) -> AccountRun:
        """The units of work of one vendor account's run (``AccountRun``); ``identity``
        keys its incremental position (None: the one recorded last). The account is this
        process's until the ledger closes: ``AccountHeldElsewhere`` when another process
        exports it from the same ledger now (a shared ledger, docs/scale.md)."""
        if not self.hold(vendor, account):
            raise AccountHeldElsewhere(
                f"{vendor} ({account}) is being exported by another process; skipped"
            )
        return AccountRun(self, vendor, account, identity)

    def hold(self, vendor: str, account: str) -> bool:
        """Take the account for this process (``LedgerStore.hold``, keyed by its canonical
        label, however it is spelled); False when another process has it."""
        return self.store.hold(vendor, canonical_label(account))

    def bind_output(self, path: str, fmt: str, identity: FileIdentity, records: int) -> None:
        """Bind the ledger to the output at ``path`` as it is now (replacing any binding of
        that path or of the same file under another name)."""
        with self.store.transaction() as tx:
            ledger_outputs.rebind(tx, path, fmt, identity, records)

    def restore(
        self,
        entries: Iterable[tuple[str, str, str]],
        *,
        sink: str,
        output: OutputFacts | Callable[[], OutputFacts] | None,
    ) -> tuple[int, int]:
        """The output file at ``sink`` as it is now is what was exported to it, in one
        transaction: its ``(vendor, account, id)`` entries are recorded as written (their
        marks are completed by the next export), the entries recorded as written to it that
        it no longer holds are forgotten (exported again by the next run, which lists their
        vendors in full), the file's intents are dropped and the ledger is bound to the file
        as it is (``output``: its format, identity and records, or a function giving them
        once ``entries`` is consumed; None: it no longer exists). ``entries`` streams
        through a temporary table a batch at a time (docs/limits.md: memory flat in the
        size of the file); an exception from it rolls everything back.
        Returns ``(entries new to the ledger, entries forgotten)``."""
        keyed = ((v, self.scope(v, a), i) for v, a, i in entries)
        with self.store.transaction() as tx:
            ledger_exports.stage_present(tx, keyed)
            bound = output() if callable(output) else output
            vendors, forgotten = ledger_exports.forget_missing(tx, sink)
            for vendor in vendors:  # what is forgotten must be listed again
                ledger_positions.delete(tx, vendor, None, None)
            added = ledger_exports.restore_written(tx, sink=sink)
            ledger_exports.unstage_present(tx)
            ledger_exports.drop_intents(tx, sink)
            if bound is None:
                ledger_outputs.unbind(tx, sink)
            else:
                fmt, identity, records = bound
                ledger_outputs.rebind(tx, sink, fmt, identity, records)
        return added, forgotten

    def record_state(
        self,
        vendor: str,
        account: str,
        *,
        position: dt.datetime | None,
        reconciled_at: dt.datetime | None = None,
        at: dt.datetime | None = None,
        identity: AccountIdentity | None = None,
    ) -> None:
        """Record a complete run: the position it reached (None keeps the one recorded)
        and, for a full listing, when it started (None keeps the one recorded), under
        ``identity`` (None: not known)."""
        if position is not None and position.tzinfo is None:
            raise ValueError("position must be timezone-aware")
        with self.store.transaction() as tx:
            ledger_positions.save_state(
                tx,
                vendor,
                canonical_label(account),
                "" if identity is None else identity.key,
                None if identity is None else identity.base_url,
                position=position,
                reconciled_at=reconciled_at,
                at=at or dt.datetime.now(dt.UTC),
            )

    def forget(
        self, vendor: str, account: str | None = None, expense_ids: Iterable[str] | None = None
    ) -> int:
        """Remove entries so they are exported again; returns how many were removed.

        With only ``vendor``, forgets the whole vendor; with ``account``, that account's
        dedupe scope (the whole vendor where its ids are unique across customers); with
        ``expense_ids``, only those. The incremental state of that account is dropped too,
        so the next run lists everything again.
        """
        key = None if account is None else self.scope(vendor, account)
        scope, params = (
            ("vendor=?", (vendor,)) if key is None else ("vendor=? AND account=?", (vendor, key))
        )
        with self.store.transaction() as tx:
            # What is forgotten must be listed again: the position and the groups held
            # would hide it from an incremental run.
            ledger_positions.delete(
                tx, vendor, None if account is None else canonical_label(account), key
            )
            return ledger_exports.delete(
                tx, scope, params, None if expense_ids is None else list(expense_ids)
            )


__all__ = [
    "SCHEMA_VERSION",
    "AccountRun",
    "ExportState",
    "FileIdentity",
    "Intent",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "LedgerOverview",
    "LedgerReader",
    "OutputBinding",
    "SqliteStore",
    "default_ledger_path",
    "user_data_dir",
]
