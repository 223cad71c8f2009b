"""The export ledger: what was exported, per vendor, account and expense id.

An embedded SQLite file (WAL mode, ``synchronous=FULL`` so every commit is on disk when
it returns), safe for one writer at a time: ``Ledger`` takes an exclusive advisory lock on
``<path>.lock`` for as long as it is open for writing, so a second export against the same
ledger fails at once instead of interleaving with the first.

Each expense goes through these states, and only forwards::

    (absent) --intent--> written --> marked

* ``intents`` (a separate table, so an interrupted re-export never forgets an earlier
  export): a batch is about to be appended to a sink at a given byte offset. Committed
  *before* the append, so after a crash the ledger knows which sink tail may hold a
  half-finished batch (see ``expense_facade.export.sinks`` for how it is repaired).
* ``written``: the records are in the sink and the sink was fsync'd. They count as
  exported from now on (a later run skips them) but are not yet marked exported.
* ``marked``: marked exported at the vendor (``vendor_marked`` true) or, for vendors with
  no such endpoint or when marking was turned off, in the ledger only.

``pending_marks`` lists records that are written but not marked: a previous run died (or
the vendor refused the mark) between writing the sink and marking; the next run marks them
first, without writing them again.

The schema is versioned with ``PRAGMA user_version``; a ledger written by a newer version
of this library is refused rather than guessed at.
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
from typing import IO

import attrs

from expense_facade.errors import ExpenseFacadeError

SCHEMA_VERSION = 1
"""Bumped whenever the table layout changes; ``Ledger`` migrates older files forward."""

APP_DIR_NAME = "expense-facade"

# SQLite limits the number of host parameters in one statement (999 on old builds).
_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exports (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    expense_id    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('written', 'marked')),
    sink          TEXT,
    written_at    TEXT    NOT NULL,
    marked_at     TEXT,
    vendor_marked INTEGER NOT NULL DEFAULT 0,
    export_count  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (vendor, account, expense_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS exports_by_state ON exports (vendor, account, state);
CREATE TABLE IF NOT EXISTS intents (
    vendor      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    expense_id  TEXT    NOT NULL,
    sink        TEXT    NOT NULL,
    sink_format TEXT    NOT NULL,
    sink_offset INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, expense_id)
) WITHOUT ROWID;
"""


class LedgerError(ExpenseFacadeError):
    """The ledger cannot be opened or used (locked by another run, newer schema, bad file)."""


@attrs.frozen(slots=True)
class LedgerEntry:
    """One expense as the ledger knows it."""

    vendor: str
    account: str
    expense_id: str
    state: str
    sink: str | None
    written_at: dt.datetime
    marked_at: dt.datetime | None
    vendor_marked: bool
    export_count: int


@attrs.frozen(slots=True)
class Intent:
    """A batch that was about to be appended to a sink when the ledger last heard of it."""

    sink: str
    sink_format: str
    sink_offset: int
    vendor: str
    account: str
    expense_ids: tuple[str, ...]


def default_ledger_path(*, sandbox: bool = False) -> Path:
    """Where the ledger lives unless the caller says otherwise.

    The user's data folder: ``$XDG_DATA_HOME/expense-facade`` (``~/.local/share/...``) on
    Linux and other Unixes, ``~/Library/Application Support/expense-facade`` on macOS,
    ``%LOCALAPPDATA%\\expense-facade`` on Windows. Sandbox runs get their own file so demo
    data never mixes with real exports.
    """
    name = "ledger-sandbox.sqlite3" if sandbox else "ledger.sqlite3"
    return user_data_dir() / name


def user_data_dir() -> Path:
    """The per-user data folder for this application (not created here)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return root / APP_DIR_NAME


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _parse_ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _FileLock:
    """An exclusive advisory lock on a file, released by the OS if the process dies."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = open(self._path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise LedgerError(
                f"the export ledger {self._path.with_suffix('')} is in use by another run"
            ) from exc
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock on every platform
            self._handle = None


class Ledger:
    """The export ledger in one SQLite file; see the module docstring for the states.

    ``Ledger(path)`` creates the file and its folder when missing. Use it as a context
    manager or call ``close()``. Every ``record_*`` method is one durable transaction.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock: bool = True) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"cannot create the ledger folder {self.path.parent}: {exc}") from exc
        self._lock: _FileLock | None = None
        if lock:
            self._lock = _FileLock(self.path.with_name(self.path.name + ".lock"))
            self._lock.acquire()
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so each record_* call
            # is exactly one transaction and nothing is left open between calls.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._release_lock()
            raise LedgerError(f"cannot open the export ledger {self.path}: {exc}") from exc
        except LedgerError:
            self._release_lock()
            raise

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the database and release the lock (idempotent)."""
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None  # type: ignore[assignment]
        self._release_lock()

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
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer (which the
        # file lock should already have kept out) fails here rather than mid-transaction.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

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
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- queries -----------------------------------------------------------------------

    def is_exported(self, vendor: str, account: str, expense_id: str) -> bool:
        """True when the expense is written to a sink (marked or not)."""
        row = self._db.execute(
            "SELECT 1 FROM exports WHERE vendor=? AND account=? AND expense_id=?",
            (vendor, account, expense_id),
        ).fetchone()
        return row is not None

    def exported_ids(self, vendor: str, account: str, expense_ids: Iterable[str]) -> set[str]:
        """The subset of ``expense_ids`` already exported (one query per few hundred ids)."""
        found: set[str] = set()
        for chunk in _chunks(list(expense_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT expense_id FROM exports WHERE vendor=? AND account=? "  # noqa: S608
                f"AND expense_id IN ({marks})",
                (vendor, account, *chunk),
            )
            found.update(row[0] for row in rows)
        return found

    def get(self, vendor: str, account: str, expense_id: str) -> LedgerEntry | None:
        """The ledger's entry for one expense, or None."""
        row = self._db.execute(
            "SELECT vendor, account, expense_id, state, sink, written_at, marked_at, "
            "vendor_marked, export_count FROM exports "
            "WHERE vendor=? AND account=? AND expense_id=?",
            (vendor, account, expense_id),
        ).fetchone()
        if row is None:
            return None
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
        )

    def pending_marks(self, vendor: str, account: str) -> list[str]:
        """Ids written to a sink but not yet marked exported, oldest first."""
        rows = self._db.execute(
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
            for row in self._db.execute(sql, params)
        ]

    def intents_for_sink(self, sink: str) -> list[Intent]:
        """Every pending intent that points at ``sink`` (any vendor or account)."""
        return [intent for intent in self.pending_intents() if intent.sink == sink]

    def accounts(self, vendor: str) -> list[str]:
        """The accounts of ``vendor`` the ledger has entries for."""
        rows = self._db.execute(
            "SELECT DISTINCT account FROM exports WHERE vendor=? ORDER BY account", (vendor,)
        )
        return [row[0] for row in rows]

    def counts(self, vendor: str, account: str) -> dict[str, int]:
        """How many expenses are in each state for one vendor account."""
        rows = self._db.execute(
            "SELECT state, COUNT(*) FROM exports WHERE vendor=? AND account=? GROUP BY state",
            (vendor, account),
        )
        return {row[0]: int(row[1]) for row in rows}

    # -- updates -----------------------------------------------------------------------

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
        self, vendor: str, account: str, expense_ids: Collection[str], *, sink: str | None
    ) -> None:
        """The expenses are durably in ``sink``: they count as exported, not yet marked.

        Clears their intents in the same transaction. A re-export of an expense already in
        the ledger puts it back to ``written`` and counts the export.
        """
        now = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO exports (vendor, account, expense_id, state, sink, written_at, "
                "vendor_marked, export_count) VALUES (?, ?, ?, 'written', ?, ?, 0, 1) "
                "ON CONFLICT (vendor, account, expense_id) DO UPDATE SET state='written', "
                "sink=excluded.sink, written_at=excluded.written_at, marked_at=NULL, "
                "vendor_marked=0, export_count=export_count+1",
                [(vendor, account, i, sink, now) for i in expense_ids],
            )
            db.executemany(
                "DELETE FROM intents WHERE vendor=? AND account=? AND expense_id=?",
                [(vendor, account, i) for i in expense_ids],
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
        now = _now()
        changed = 0
        with self._transaction() as db:
            for chunk in _chunks(list(expense_ids)):
                marks = ",".join("?" * len(chunk))
                cursor = db.execute(
                    f"UPDATE exports SET state='marked', marked_at=?, vendor_marked=? "  # noqa: S608
                    f"WHERE vendor=? AND account=? AND expense_id IN ({marks})",
                    (now, int(vendor_marked), vendor, account, *chunk),
                )
                changed += cursor.rowcount
        return changed

    def clear_intents(self, sink: str) -> int:
        """Drop every intent that points at ``sink``, once the sink is repaired."""
        with self._transaction() as db:
            return db.execute("DELETE FROM intents WHERE sink=?", (sink,)).rowcount

    def forget(
        self, vendor: str, account: str | None = None, expense_ids: Iterable[str] | None = None
    ) -> int:
        """Remove entries so they are exported again; returns how many were removed.

        With only ``vendor``, forgets the whole vendor; with ``account``, that account; with
        ``expense_ids``, only those.
        """
        removed = 0
        with self._transaction() as db:
            if expense_ids is None:
                if account is None:
                    removed = db.execute("DELETE FROM exports WHERE vendor=?", (vendor,)).rowcount
                else:
                    removed = db.execute(
                        "DELETE FROM exports WHERE vendor=? AND account=?", (vendor, account)
                    ).rowcount
            else:
                ids = list(expense_ids)
                for chunk in _chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    account_clause = "" if account is None else " AND account=?"
                    params = (vendor,) + (() if account is None else (account,)) + tuple(chunk)
                    removed += db.execute(
                        f"DELETE FROM exports WHERE vendor=?{account_clause} "  # noqa: S608
                        f"AND expense_id IN ({marks})",
                        params,
                    ).rowcount
        return removed


__all__ = [
    "SCHEMA_VERSION",
    "Intent",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "default_ledger_path",
    "user_data_dir",
]
