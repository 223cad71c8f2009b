"""The export ledger (SQLite): what was exported, per vendor, account and expense id, the
intents that make a crash repairable, the identity of each output it wrote to, and the
incremental position per account (docs/export.md, "The ledger").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from expense_facade.export.file_lock import lock_open_file
from expense_facade.export.ledger_reader import LedgerReader
from expense_facade.export.ledger_records import (
    ExportState,
    FileIdentity,
    Intent,
    LedgerEntry,
    LedgerError,
    OutputBinding,
)
from expense_facade.export.ledger_sql import (
    EXPORTED_AMONG,
    MIGRATIONS,
    NEW_FILE,
    SCHEMA_VERSION,
    chunks,
    rows_among,
)
from expense_facade.user_dirs import user_data_dir


def default_ledger_path(*, sandbox: bool = False) -> Path:
    """Where the ledger lives unless the caller says otherwise: in the user's data folder
    (``user_dirs.user_data_dir``). Sandbox runs get their own file so demo data never
    mixes with real exports."""
    name = "ledger-sandbox.sqlite3" if sandbox else "ledger.sqlite3"
    return user_data_dir() / name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _parse_ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class _FileLock:
    """The ledger file's own lock (``file_lock``), taken before SQLite opens it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        # Windows locks byte ranges of the database file for SQLite itself: a side file
        # named after the resolved path is locked there instead.
        where = (
            Path(os.path.realpath(self._path) + ".lock") if sys.platform == "win32" else self._path
        )
        try:
            fd = os.open(where, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise LedgerError(
                f"cannot open the export ledger {self._path}: {exc.strerror}"
            ) from exc
        try:
            lock_open_file(fd)
        except OSError as exc:
            os.close(fd)
            raise LedgerError(f"the export ledger {self._path} is in use by another run") from exc
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock on every platform
            self._fd = None


class Ledger:
    """The export ledger in one SQLite file; see the module docstring for the states.

    ``Ledger(path)`` creates the file and its folder when missing. Use it as a context
    manager or call ``close()``. Every ``record_*`` method is one durable transaction.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise LedgerError(f"the export ledger {self.path} is a folder; name a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"cannot create the ledger folder {self.path.parent}: {exc.strerror}"
            ) from exc
        self._lock: _FileLock | None = None
        if lock:
            # Before SQLite opens it: the lock's file descriptor outlives the connection
            # (closing it first would drop SQLite's own POSIX locks on the file).
            self._lock = _FileLock(self.path)
            self._lock.acquire()
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so each record_* call
            # is exactly one transaction and nothing is left open between calls.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            self._close_db()
            self._release_lock()
            raise LedgerError(f"cannot open the export ledger {self.path}: {exc}") from exc
        except BaseException:
            self._close_db()
            self._release_lock()
            raise

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the database and release the lock (idempotent)."""
        self._close_db()
        self._release_lock()

    def _close_db(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
            self._db = None  # type: ignore[assignment]

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

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
        return f"Ledger({str(self.path)!r})"

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """SQLite's failures (a full disk, an unwritable or vanished file) as LedgerError."""
        try:
            yield
        except sqlite3.Error as exc:
            raise LedgerError(f"the export ledger {self.path} cannot be {doing}: {exc}") from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer (which the
        # file lock should already have kept out) fails here rather than mid-transaction.
        with self._errors("written"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                # SQLite may already have rolled back by itself (a full disk does that).
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple[Any, ...]]:
        with self._errors("read"):
            return self._db.execute(sql, tuple(params)).fetchall()

    def _migrate(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"the export ledger {self.path} has schema version {version}; this version of "
                f"expense-facade understands up to {SCHEMA_VERSION}"
            )
        if version == SCHEMA_VERSION:
            return
        with self._transaction() as db:
            if version == 0:  # a new file: today's layout at once
                steps = [NEW_FILE]
            else:
                steps = [MIGRATIONS[v] for v in range(version + 1, SCHEMA_VERSION + 1)]
            for script in steps:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- queries -----------------------------------------------------------------------

    def is_exported(self, vendor: str, account: str, expense_id: str) -> bool:
        """True when the expense is written to a sink (marked or not)."""
        rows = self._query(
            "SELECT 1 FROM exports WHERE vendor=? AND account=? AND expense_id=?",
            (vendor, account, expense_id),
        )
        return bool(rows)

    def exported_ids(self, vendor: str, account: str, expense_ids: Iterable[str]) -> set[str]:
        """The subset of ``expense_ids`` already exported (one query per few hundred ids)."""
        rows = rows_among(self._query, EXPORTED_AMONG, (vendor, account), expense_ids)
        return {expense_id for (expense_id,) in rows}

    def known_ids(self, vendor: str, expense_ids: Iterable[str]) -> set[str]:
        """The subset of ``expense_ids`` exported for ``vendor`` under any account."""
        select = "SELECT expense_id FROM exports WHERE vendor=? AND expense_id IN"
        return {
            expense_id for (expense_id,) in rows_among(self._query, select, (vendor,), expense_ids)
        }

    def get(self, vendor: str, account: str, expense_id: str) -> LedgerEntry | None:
        """The ledger's entry for one expense, or None."""
        rows = self._query(
            "SELECT vendor, account, expense_id, state, sink, written_at, marked_at, "
            "vendor_marked, export_count, mark_sent FROM exports "
            "WHERE vendor=? AND account=? AND expense_id=?",
            (vendor, account, expense_id),
        )
        if not rows:
            return None
        row = rows[0]
        written_at = _parse_ts(row[5])
        assert written_at is not None  # NOT NULL column
        return LedgerEntry(
            vendor=row[0],
            account=row[1],
            expense_id=row[2],
            state=row[3],
            sink=row[4],
            written_at=written_at,
            marked_at=_parse_ts(row[6]),
            vendor_marked=bool(row[7]),
            export_count=int(row[8]),
            mark_sent=bool(row[9]),
        )

    def pending_marks(self, vendor: str, account: str) -> list[str]:
        """Ids written to a sink but not yet marked exported, oldest first."""
        rows = self._query(
            "SELECT expense_id FROM exports WHERE vendor=? AND account=? AND state='written' "
            "ORDER BY written_at, expense_id",
            (vendor, account),
        )
        return [row[0] for row in rows]

    def pending_intents(
        self, vendor: str | None = None, account: str | None = None
    ) -> list[Intent]:
        """Batches announced but never confirmed written, grouped by sink and account."""
        sql = (
            "SELECT sink, sink_format, vendor, account, MIN(sink_offset), "
            "group_concat(expense_id, char(31)) FROM intents"
        )
        where: list[str] = []
        params: list[str] = []
        if vendor is not None:
            where.append("vendor=?")
            params.append(vendor)
        if account is not None:
            where.append("account=?")
            params.append(account)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY sink, sink_format, vendor, account ORDER BY sink, vendor, account"
        return [
            Intent(
                sink=row[0],
                sink_format=row[1],
                vendor=row[2],
                account=row[3],
                sink_offset=int(row[4]),
                expense_ids=tuple(row[5].split("\x1f")),
            )
            for row in self._query(sql, params)
        ]

    def intents_for_sink(self, sink: str) -> list[Intent]:
        """Every pending intent that points at ``sink`` (any vendor or account)."""
        return [intent for intent in self.pending_intents() if intent.sink == sink]

    def accounts(self, vendor: str) -> list[str]:
        """The accounts of ``vendor`` the ledger has entries for."""
        rows = self._query(
            "SELECT DISTINCT account FROM exports WHERE vendor=? ORDER BY account", (vendor,)
        )
        return [row[0] for row in rows]

    def counts(self, vendor: str, account: str) -> dict[str, int]:
        """How many expenses are in each state for one vendor account."""
        rows = self._query(
            "SELECT state, COUNT(*) FROM exports WHERE vendor=? AND account=? GROUP BY state",
            (vendor, account),
        )
        return {row[0]: int(row[1]) for row in rows}

    def output(self, path: str) -> OutputBinding | None:
        """The binding of the output file at ``path`` (its resolved path), or None."""
        return self._binding("path=?", (path,))

    def output_by_file(self, device: int, inode: int) -> OutputBinding | None:
        """The binding of the output that is this file under another name, or None."""
        return self._binding("device=? AND inode=?", (device, inode))

    def outputs(self) -> list[OutputBinding]:
        """Every output the ledger is bound to."""
        return [_binding(row) for row in self._query(f"{_OUTPUT_SELECT} ORDER BY path")]

    def _binding(self, where: str, params: tuple[object, ...]) -> OutputBinding | None:
        rows = self._query(f"{_OUTPUT_SELECT} WHERE {where} LIMIT 1", params)
        return _binding(rows[0]) if rows else None

    def export_state(self, vendor: str, account: str) -> ExportState:
        """The incremental state of one vendor account (all None when never recorded)."""
        rows = self._query(
            "SELECT position, position_at, reconciled_at FROM export_state "
            "WHERE vendor=? AND account=?",
            (vendor, account),
        )
        if not rows:
            return ExportState(None, None, None)
        row = rows[0]
        return ExportState(_parse_ts(row[0]), _parse_ts(row[1]), _parse_ts(row[2]))

    def reader(self) -> LedgerReader:
        """A read-only view for other threads (a listing's fan-out); close it after use."""
        return LedgerReader(self.path)

    # -- updates -----------------------------------------------------------------------

    def record_state(
        self,
        vendor: str,
        account: str,
        *,
        position: dt.datetime | None,
        reconciled_at: dt.datetime | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        """Record a complete run: the position it reached (None keeps the one recorded)
        and, for a full listing, when it started (None keeps the one recorded)."""
        if position is not None and position.tzinfo is None:
            raise ValueError("position must be timezone-aware")
        stamp = (at or dt.datetime.now(dt.UTC)).isoformat()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO export_state (vendor, account, position, position_at, "
                "reconciled_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (vendor, account) DO UPDATE "
                "SET position=coalesce(excluded.position, position), "
                "position_at=CASE WHEN excluded.position IS NULL THEN position_at "
                "ELSE excluded.position_at END, "
                "reconciled_at=coalesce(excluded.reconciled_at, reconciled_at)",
                (
                    vendor,
                    account,
                    None if position is None else position.isoformat(),
                    None if position is None else stamp,
                    None if reconciled_at is None else reconciled_at.isoformat(),
                ),
            )

    def record_groups(
        self, vendor: str, account: str, groups: Iterable[tuple[str, str, int]]
    ) -> None:
        """Groups ``(group, version, records)`` now held completely at that version."""
        now = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO known_groups (vendor, account, group_id, version, "
                "records, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(vendor, account, g, v, n, now) for g, v, n in groups],
            )

    def record_intent(
        self,
        vendor: str,
        account: str,
        expense_ids: Collection[str],
        *,
        sink: str,
        sink_format: str,
        sink_offset: int,
    ) -> None:
        """Announce that ``expense_ids`` are about to be appended to ``sink`` at ``sink_offset``."""
        now = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO intents "
                "(vendor, account, expense_id, sink, sink_format, sink_offset, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(vendor, account, i, sink, sink_format, sink_offset, now) for i in expense_ids],
            )

    def record_written(
        self,
        vendor: str,
        account: str,
        expense_ids: Collection[str],
        *,
        sink: str | None,
        output: tuple[str, FileIdentity] | None = None,
    ) -> None:
        """The expenses are durably in ``sink``: they count as exported, not yet marked.

        Clears their intents in the same transaction, and with ``output`` (the sink's format
        and its identity after the append) moves the sink's binding forward with them. A
        re-export of an expense already in the ledger puts it back to ``written`` and counts
        the export.
        """
        now = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO exports (vendor, account, expense_id, state, sink, written_at, "
                "vendor_marked, export_count) VALUES (?, ?, ?, 'written', ?, ?, 0, 1) "
                "ON CONFLICT (vendor, account, expense_id) DO UPDATE SET state='written', "
                "sink=excluded.sink, written_at=excluded.written_at, marked_at=NULL, "
                "vendor_marked=0, mark_sent=0, export_count=export_count+1",
                [(vendor, account, i, sink, now) for i in expense_ids],
            )
            db.executemany(
                "DELETE FROM intents WHERE vendor=? AND account=? AND expense_id=?",
                [(vendor, account, i) for i in expense_ids],
            )
            if output is not None and sink is not None:
                fmt, identity = output
                _upsert_binding(db, sink, fmt, identity, len(expense_ids), add=True)

    def bind_output(self, path: str, fmt: str, identity: FileIdentity, records: int) -> None:
        """Bind the ledger to the output at ``path`` as it is now (replacing any binding of
        that path or of the same file under another name)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM outputs WHERE path=? OR (device=? AND inode=?)",
                (path, identity.device, identity.inode),
            )
            _upsert_binding(db, path, fmt, identity, records, add=False)

    def record_mark_sent(self, vendor: str, account: str, expense_ids: Collection[str]) -> set[str]:
        """The vendor is about to be asked to mark these written expenses exported; returns
        the ids that were not flagged so already (``clear_mark_sent`` takes them back)."""
        newly: set[str] = set()
        with self._transaction() as db:
            for chunk in chunks(list(expense_ids)):
                marks = ",".join("?" * len(chunk))
                where = (
                    f"WHERE vendor=? AND account=? AND state='written' AND mark_sent=0 "
                    f"AND expense_id IN ({marks})"
                )
                params = (vendor, account, *chunk)
                newly.update(
                    row[0]
                    for row in db.execute(f"SELECT expense_id FROM exports {where}", params)  # noqa: S608
                )
                db.execute(f"UPDATE exports SET mark_sent=1 {where}", params)  # noqa: S608
        return newly

    def clear_mark_sent(self, vendor: str, account: str, expense_ids: Collection[str]) -> None:
        """The vendor answered without marking these: no mark of theirs is in flight."""
        with self._transaction() as db:
            for chunk in chunks(list(expense_ids)):
                marks = ",".join("?" * len(chunk))
                db.execute(
                    f"UPDATE exports SET mark_sent=0 WHERE vendor=? AND account=? "  # noqa: S608
                    f"AND state='written' AND expense_id IN ({marks})",
                    (vendor, account, *chunk),
                )

    def record_marked(
        self,
        vendor: str,
        account: str,
        expense_ids: Collection[str],
        *,
        vendor_marked: bool,
    ) -> int:
        """Mark written expenses exported; returns how many rows changed.

        Ids that were never written are ignored: the ledger never marks a record before it
        is written, whatever the caller asks.
        """
        return self._set_marked(vendor, account, expense_ids, "?", (int(vendor_marked),))

    def settle_marks(self, vendor: str, account: str, expense_ids: Collection[str]) -> int:
        """Mark written expenses that the vendor's complete listing no longer shows.

        The ones this ledger had asked the vendor to mark (``mark_sent``, by a run that died
        before hearing the answer) left the listing because the vendor did mark them: they
        are recorded as marked at the vendor. The others left it some other way (marked by
        someone else, no longer approved): marked in the ledger only.
        """
        return self._set_marked(vendor, account, expense_ids, "mark_sent", ())

    def _set_marked(
        self,
        vendor: str,
        account: str,
        expense_ids: Collection[str],
        vendor_marked_sql: str,
        vendor_marked_params: tuple[object, ...],
    ) -> int:
        now = _now()
        changed = 0
        with self._transaction() as db:
            for chunk in chunks(list(expense_ids)):
                marks = ",".join("?" * len(chunk))
                cursor = db.execute(
                    f"UPDATE exports SET state='marked', marked_at=?, "  # noqa: S608
                    f"vendor_marked={vendor_marked_sql} "
                    f"WHERE vendor=? AND account=? AND expense_id IN ({marks})",
                    (now, *vendor_marked_params, vendor, account, *chunk),
                )
                changed += cursor.rowcount
        return changed

    def restore(
        self,
        entries: Iterable[tuple[str, str, str]],
        *,
        sink: str,
        output: tuple[str, FileIdentity, int],
    ) -> int:
        """Record ``(vendor, account, id)`` entries read back from an output file as written
        (their marks are completed by the next export) and bind the ledger to that file, in
        one transaction; returns how many entries were new to the ledger."""
        now = _now()
        added = 0
        with self._transaction() as db:
            for entry_chunk in chunks(list(entries)):
                cursor = db.executemany(
                    "INSERT OR IGNORE INTO exports (vendor, account, expense_id, state, sink, "
                    "written_at, vendor_marked, export_count) "
                    "VALUES (?, ?, ?, 'written', ?, ?, 0, 1)",
                    [(v, a, i, sink, now) for v, a, i in entry_chunk],
                )
                added += cursor.rowcount
            fmt, identity, records = output
            db.execute(
                "DELETE FROM outputs WHERE path=? OR (device=? AND inode=?)",
                (sink, identity.device, identity.inode),
            )
            _upsert_binding(db, sink, fmt, identity, records, add=False)
        return added

    def clear_intents(self, sink: str) -> int:
        """Drop every intent that points at ``sink``, once the sink is repaired."""
        with self._transaction() as db:
            return db.execute("DELETE FROM intents WHERE sink=?", (sink,)).rowcount

    def forget(
        self, vendor: str, account: str | None = None, expense_ids: Iterable[str] | None = None
    ) -> int:
        """Remove entries so they are exported again; returns how many were removed.

        With only ``vendor``, forgets the whole vendor; with ``account``, that account; with
        ``expense_ids``, only those. The incremental state of that scope is dropped too, so
        the next run lists everything again.
        """
        removed = 0
        with self._transaction() as db:
            # What is forgotten must be listed again: the position and the groups held
            # would hide it from an incremental run.
            scope, scope_params = (
                ("vendor=?", (vendor,))
                if account is None
                else ("vendor=? AND account=?", (vendor, account))
            )
            db.execute(f"DELETE FROM export_state WHERE {scope}", scope_params)  # noqa: S608
            db.execute(f"DELETE FROM known_groups WHERE {scope}", scope_params)  # noqa: S608
            if expense_ids is None:
                if account is None:
                    removed = db.execute("DELETE FROM exports WHERE vendor=?", (vendor,)).rowcount
                else:
                    removed = db.execute(
                        "DELETE FROM exports WHERE vendor=? AND account=?", (vendor, account)
                    ).rowcount
            else:
                ids = list(expense_ids)
                for chunk in chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    account_clause = "" if account is None else " AND account=?"
                    params = (vendor,) + (() if account is None else (account,)) + tuple(chunk)
                    removed += db.execute(
                        f"DELETE FROM exports WHERE vendor=?{account_clause} "  # noqa: S608
                        f"AND expense_id IN ({marks})",
                        params,
                    ).rowcount
        return removed


_OUTPUT_SELECT = (
    "SELECT path, format, device, inode, length, head_hash, tail_hash, records, updated_at "
    "FROM outputs"
)


def _binding(row: Sequence[Any]) -> OutputBinding:
    updated_at = _parse_ts(row[8])
    assert updated_at is not None  # NOT NULL column
    return OutputBinding(
        path=row[0],
        format=row[1],
        identity=FileIdentity(
            device=int(row[2]),
            inode=int(row[3]),
            length=int(row[4]),
            head_hash=row[5],
            tail_hash=row[6],
        ),
        records=int(row[7]),
        updated_at=updated_at,
    )


def _upsert_binding(
    db: sqlite3.Connection, path: str, fmt: str, identity: FileIdentity, records: int, *, add: bool
) -> None:
    db.execute(
        "INSERT INTO outputs (path, format, device, inode, length, head_hash, tail_hash, "
        "records, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET format=excluded.format, device=excluded.device, "
        "inode=excluded.inode, length=excluded.length, head_hash=excluded.head_hash, "
        "tail_hash=excluded.tail_hash, updated_at=excluded.updated_at, "
        "records=excluded.records + (CASE WHEN ? THEN outputs.records ELSE 0 END)",
        (
            path,
            fmt,
            identity.device,
            identity.inode,
            identity.length,
            identity.head_hash,
            identity.tail_hash,
            records,
            _now(),
            add,
        ),
    )


__all__ = [
    "SCHEMA_VERSION",
    "ExportState",
    "FileIdentity",
    "Intent",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "LedgerReader",
    "OutputBinding",
    "default_ledger_path",
    "user_data_dir",
]
