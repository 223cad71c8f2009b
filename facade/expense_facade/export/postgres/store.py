"""The PostgreSQL ledger backend: a ``LedgerStore`` (``export.ledger_store``) on a
``postgresql://`` URL. It provides storage only (a connection, transactions, the
placeholder dialect, the schema version, locking); every protocol step is the ledger's
own, the same as on SQLite (docs/scale.md, "The PostgreSQL ledger").

Many processes on many machines share one such ledger; what keeps them apart is the
per-account advisory lock (``hold``): one account is exported by one process at a time.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

from expense_facade.export.ledger_records import LedgerError
from expense_facade.export.ledger_sql import SCHEMA_VERSION
from expense_facade.export.ledger_sql import migrate as migrate_ledger
from expense_facade.export.ledger_store import Row, Tx
from expense_facade.export.postgres import account_lock
from expense_facade.export.postgres.account_lock import Contention
from expense_facade.export.postgres.connection import connect, redacted, release
from expense_facade.export.postgres.migrations import VERSIONS_TABLE, ensure_versions, lock_key

if TYPE_CHECKING:
    import psycopg

COMPONENT: Final = "ledger"
"""The ledger's name in ``expense_facade_versions``."""
SERVER_IDENTITY: Final = (
    "SELECT current_database(), inet_server_addr(), inet_server_port(), pg_postmaster_start_time()"
)
"""Equal for two connections to one database of one server, however its URL is spelled."""


@functools.lru_cache(maxsize=512)
def dialect(sql: str) -> str:
    """The ledger's SQL (``?`` placeholders, the dialect SQLite and PostgreSQL share) as
    psycopg takes it: ``%s`` placeholders, a literal ``%`` doubled, no ``WITHOUT ROWID``."""
    text = re.sub(r"\)\s*WITHOUT ROWID", ")", sql)
    return text.replace("%", "%%").replace("?", "%s")


def _params(params: Sequence[object]) -> tuple[object, ...]:
    # The ledger's flags are INTEGER columns (SQLite has no boolean type): a Python bool
    # would reach PostgreSQL as boolean.
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


class _PgTx:
    """A transaction sent as a pipeline (``_pipelined``): a statement whose answer is
    needed (its rows, its count) waits for it; the others go with the ``COMMIT``."""

    def __init__(self, conn: psycopg.Connection[Any], pipeline: psycopg.Pipeline) -> None:
        self._conn = conn
        self._pipeline = pipeline

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        cursor = self._conn.execute(dialect(sql), _params(params))
        self._pipeline.sync()  # its columns and rows are known once it is answered
        return list(cursor.fetchall()) if cursor.description is not None else []

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        cursor = self._conn.execute(dialect(sql), _params(params))
        self._pipeline.sync()  # and its count
        return cursor.rowcount

    def run_many(self, sql: str, params: Sequence[Sequence[object]]) -> None:
        if params:
            with self._conn.cursor() as cursor:
                cursor.executemany(dialect(sql), [_params(p) for p in params])

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """The connection of this transaction (a destination table writes through it)."""
        return self._conn


@contextlib.contextmanager
def _pipelined(conn: psycopg.Connection[Any]) -> Iterator[psycopg.Pipeline]:
    """One transaction on ``conn`` (autocommit) in pipeline mode: ``BEGIN``, the
    statements that need no answer and ``COMMIT`` reach the server together, so a unit of
    work costs one round trip instead of one per statement plus two; leaving the block
    waits for every answer, the ``COMMIT``'s included, and raises the first error (with
    the transaction rolled back)."""
    from psycopg.pq import TransactionStatus

    try:
        with conn.pipeline() as pipeline:
            conn.execute("BEGIN", prepare=False)
            yield pipeline
            conn.execute("COMMIT", prepare=False)
    except BaseException:
        if not conn.closed and conn.info.transaction_status is not TransactionStatus.IDLE:
            with contextlib.suppress(Exception):  # the error that got here is the one to tell
                conn.execute("ROLLBACK")
        raise


class _PgReads:
    """A connection of its own for reads from any thread, one query at a time."""

    def __init__(self, url: str, name: str) -> None:
        self._url = url
        self._name = name
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = None
        try:
            self._conn = connect(url, autocommit=True)
        except _psycopg_error() as exc:
            raise LedgerError(f"cannot read the export ledger {name}: {exc}") from exc

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            if self._conn is None:
                raise LedgerError("the ledger reader is closed")
            try:
                return list(self._conn.execute(dialect(sql), _params(params)).fetchall())
            except _psycopg_error() as exc:
                raise LedgerError(f"cannot read the export ledger {self._name}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                release(self._url, self._conn, locks=False)  # it only ever reads
                self._conn = None


class PostgresStore:
    """The ledger in a PostgreSQL database (its tables in the URL's ``search_path``
    schema, ``public`` by default). Every transaction is committed durably when it ends.

    ``contention`` says what ``hold`` does when another process exports the account:
    skip it (the default) or wait for it."""

    shared = True
    """Other processes use this ledger at the same time (on other accounts)."""

    def __init__(self, url: str, *, contention: Contention = Contention.SKIP) -> None:
        self.url = url
        self.name = redacted(url)
        self.contention = contention
        self._held: dict[tuple[str, str], int] = {}
        self._opened_version: int | None = None
        try:
            self._conn: psycopg.Connection[Any] | None = connect(url, autocommit=True)
        except _psycopg_error() as exc:
            raise LedgerError(f"cannot open the export ledger {self.name}: {exc}") from exc
        try:
            self._open()
        except BaseException:
            self.close()  # a ledger that failed to open keeps no connection
            raise

    def _open(self) -> None:
        """Find the schema, and bring the ledger to today's layout if it is not."""
        # Every open but a ledger's first finds today's layout: one query says so.
        with self._errors("opened"):
            current = self._current_layout()
        if current is not None:
            self.schema = current
            self._opened_version = SCHEMA_VERSION
            return
        with self._errors("opened"):
            row = (
                self._connection()
                .execute("SELECT current_schema(), to_regclass(%s) IS NOT NULL", (VERSIONS_TABLE,))
                .fetchone()
            )
            if row is None or row[0] is None:
                raise LedgerError(f"the export ledger {self.name} has no schema to live in")
            self.schema = str(row[0])
        # A ledger already at today's layout (every open but the first) is read, not
        # migrated: no DDL, no migration lock.
        if not row[1] or self.schema_version() != SCHEMA_VERSION:
            with self._errors("opened"):
                ensure_versions(self._connection())
            # The ledger's own migrations (``ledger_sql``), one process at a time;
            # ``Ledger`` then finds the layout current.
            with self.migrating():
                migrate_ledger(self)

    def _current_layout(self) -> str | None:
        """The ledger's schema when its layout is today's, in one round trip; else None
        (no versions table yet, an older layout, or no schema at all)."""
        import psycopg

        try:
            row = (
                self._connection()
                .execute(
                    f"SELECT current_schema(), version FROM {VERSIONS_TABLE} "  # noqa: S608
                    "WHERE component = %s",
                    (COMPONENT,),
                )
                .fetchone()
            )
        except psycopg.errors.UndefinedTable:  # autocommit: nothing to roll back
            return None
        if row is None or row[0] is None or int(str(row[1])) != SCHEMA_VERSION:
            return None
        return str(row[0])

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise LedgerError(f"the export ledger {self.name} is closed")
        return self._conn

    def connection(self) -> psycopg.Connection[Any]:
        """The ledger's connection (autocommit outside ``transaction``)."""
        return self._connection()

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except _psycopg_error() as exc:
            raise LedgerError(f"the export ledger {self.name} cannot be {doing}: {exc}") from exc

    def connection_errors(self, doing: str) -> contextlib.AbstractContextManager[None]:
        """psycopg's errors inside the block as ``LedgerError`` (``doing``: "read", ...)."""
        return self._errors(doing)

    def server_identity(self) -> tuple[object, ...]:
        """(database, server address, port, start time): equal for two connections to
        the same database of the same server, however its URL is spelled."""
        with self._errors("read"):
            row = self._connection().execute(SERVER_IDENTITY).fetchone()
        return tuple(row) if row is not None else ()

    # -- LedgerStore -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        conn = self._connection()
        with self._errors("written"), _pipelined(conn) as pipeline:
            yield _PgTx(conn, pipeline)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._errors("read"):
            cursor = self._connection().execute(dialect(sql), _params(params))
            return list(cursor.fetchall()) if cursor.description is not None else []

    def reader(self) -> _PgReads:
        return _PgReads(self.url, self.name)

    def schema_version(self) -> int:
        if self._opened_version is not None:
            # ``Ledger`` asks right after opening: the answer ``_open`` just read.
            version, self._opened_version = self._opened_version, None
            return version
        with self._errors("read"):
            row = (
                self._connection()
                .execute(
                    f"SELECT version FROM {VERSIONS_TABLE} WHERE component = %s",  # noqa: S608
                    (COMPONENT,),
                )
                .fetchone()
            )
        return 0 if row is None else int(str(row[0]))

    def set_schema_version(self, tx: Tx, version: int) -> None:
        tx.run(
            f"INSERT INTO {VERSIONS_TABLE} (component, version) VALUES (?, ?) "  # noqa: S608
            "ON CONFLICT (component) DO UPDATE SET version = excluded.version, "
            "updated_at = now()",
            (COMPONENT, version),
        )

    @contextlib.contextmanager
    def migrating(self) -> Iterator[None]:
        """Held while the ledger's layout is created or migrated: workers starting together
        migrate one after the other (the second finds the layout current)."""
        key = lock_key("expense_facade.migrate", self.schema, COMPONENT)
        conn = self._connection()
        with self._errors("migrated"):
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            with self._errors("migrated"):
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    # -- one account, one process -----------------------------------------------------------

    def hold(self, vendor: str, account: str) -> bool:
        """Take the account for this process (its advisory lock, kept until ``close``):
        True once held, False when another process holds it and ``contention`` is skip."""
        if (vendor, account) in self._held:
            return True
        key = account_lock.account_key(self.schema, vendor, account)
        with self._errors("locked"):
            taken = account_lock.acquire(self._connection(), key, self.contention)
        if taken:
            self._held[(vendor, account)] = key
        return taken

    def held_accounts(self) -> list[tuple[str, str]]:
        """The (vendor, account) pairs this process holds."""
        return list(self._held)

    def release(self, vendor: str, account: str) -> None:
        """Give the account back (``close`` gives back every account)."""
        key = self._held.pop((vendor, account), None)
        if key is not None:
            with self._errors("unlocked"):
                account_lock.release(self._connection(), key)

    def close(self) -> None:
        """Close the connection (or give it back to the process, ``connection.release``):
        every account it held is free again (idempotent)."""
        if self._conn is not None:
            release(self.url, self._conn)
            self._conn = None
        self._held.clear()


__all__ = ["COMPONENT", "SERVER_IDENTITY", "PostgresStore", "dialect"]
