"""The ledger's storage seam: what a backend provides (a connection, transactions, its SQL
dialect, its locking), and the embedded SQLite backend. Every protocol step (intents,
written, marks, outputs, positions) is written once, in the table modules, against this
seam (docs/export.md, "The ledger: one protocol, two backends").
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from expense_facade.export.file_lock import lock_open_file
from expense_facade.export.ledger_records import LedgerError

Row = tuple[Any, ...]


class Tx(Protocol):
    """One open transaction. Statements use ``?`` placeholders (the backend translates)."""

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run one statement; its rows."""
        ...

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement; how many rows it changed."""
        ...

    def run_many(self, sql: str, params: Sequence[Sequence[object]]) -> None:
        """Run one statement per parameter row (no count: a backend may send them with the
        commit, not wait for each)."""
        ...


class Reads(Protocol):
    """Reads from any thread (a listing's fan-out asks what is exported)."""

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...

    def close(self) -> None: ...


class LedgerStore(Protocol):
    """What a ledger backend implements: storage only, no protocol step.

    ``transaction()`` is one atomic, durable unit (committed when the block ends, rolled
    back when it raises); ``rows()`` reads outside any transaction; ``reader()`` gives a
    connection other threads may read through. ``schema_version``/``set_schema_version``
    keep the layout's version (``ledger_sql.migrate`` takes it forward). The store holds
    the ledger for one run at a time (a file lock, an advisory lock), and raises
    ``LedgerError`` for every failure of its own.
    """

    name: str
    """How messages name the ledger (a path, a database)."""

    shared: bool
    """Other processes use the ledger at the same time, each on accounts of its own
    (PostgreSQL); False where one run holds the whole ledger (the SQLite file lock)."""

    def transaction(self) -> contextlib.AbstractContextManager[Tx]: ...

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...

    def reader(self) -> Reads: ...

    def schema_version(self) -> int: ...

    def set_schema_version(self, tx: Tx, version: int) -> None: ...

    def hold(self, vendor: str, account: str) -> bool:
        """Take the account for this process until ``close``: False when another process
        has it (a ledger held whole by one run always has it)."""
        ...

    def close(self) -> None: ...


# -- SQLite ---------------------------------------------------------------------------------


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


class _SqliteTx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._db.execute(sql, tuple(params)).fetchall()

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        return self._db.execute(sql, tuple(params)).rowcount

    def run_many(self, sql: str, params: Sequence[Sequence[object]]) -> None:
        self._db.executemany(sql, [tuple(p) for p in params])


class _SqliteReads:
    """A read-only connection of its own, one query at a time from any thread."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        try:
            self._db: sqlite3.Connection | None = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"cannot read the export ledger {path}: {exc}") from exc

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            if self._db is None:
                raise LedgerError("the ledger reader is closed")
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise LedgerError(f"cannot read the export ledger: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class SqliteStore:
    """The embedded backend: one SQLite file (WAL, ``synchronous=FULL``: a commit is on
    disk when it returns), held by one run at a time through a lock on the file itself.

    Creates the file and its folder when missing; ``lock=False`` skips the file lock (a
    reader that must not wait for a run)."""

    def __init__(self, path: str | os.PathLike[str], *, lock: bool = True) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.shared = False  # the file lock: one run holds the whole ledger
        self._db: sqlite3.Connection | None = None
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
            # isolation_level=None: BEGIN/COMMIT are ours, so each transaction() is exactly
            # one transaction and nothing is left open between them.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            self.close()
            raise LedgerError(f"cannot open the export ledger {self.path}: {exc}") from exc
        except BaseException:
            self.close()
            raise

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise LedgerError(f"the export ledger {self.path} is closed")
        return self._db

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """SQLite's failures (a full disk, an unwritable or vanished file) as LedgerError."""
        try:
            yield
        except sqlite3.Error as exc:
            raise LedgerError(f"the export ledger {self.path} cannot be {doing}: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        # BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer (which the
        # file lock should already have kept out) fails here rather than mid-transaction.
        db = self._connection()
        with self._errors("written"):
            db.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(db)
            except BaseException:
                # SQLite may already have rolled back by itself (a full disk does that).
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._errors("read"):
            return self._connection().execute(sql, tuple(params)).fetchall()

    def reader(self) -> Reads:
        return _SqliteReads(self.path)

    def schema_version(self) -> int:
        with self._errors("read"):
            (version,) = self._connection().execute("PRAGMA user_version").fetchone()
        return int(version)

    def set_schema_version(self, tx: Tx, version: int) -> None:
        tx.run(f"PRAGMA user_version={int(version)}")

    def hold(self, vendor: str, account: str) -> bool:
        return True  # the file lock holds every account of the ledger already

    def close(self) -> None:
        """Close the database and release the lock (idempotent)."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


__all__ = ["LedgerStore", "Reads", "Row", "SqliteStore", "Tx"]
