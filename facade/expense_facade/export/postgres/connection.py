"""Opening PostgreSQL from a ``postgresql://`` URL (docs/scale.md, "URLs").

psycopg is imported only here and only when a URL is used, so the library and the
command work without the ``postgres`` extra until one is given.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
from typing import TYPE_CHECKING, Any, Final

import attrs

from expense_facade.errors import ConfigurationError

if TYPE_CHECKING:
    import psycopg

SCHEMES: Final = ("postgresql://", "postgres://")
"""What a ledger or output given as text must start with to name PostgreSQL."""

CONNECT_TIMEOUT_S: Final = 10
"""How long opening a connection may take before it is an error, not a hang."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` (a ledger or an output as given) names PostgreSQL."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def identifier(name: str, what: str) -> str:
    """``name`` quoted for SQL, when it is a plain identifier (letters, digits, ``_``, at
    most 63); else ``ConfigurationError`` naming ``what``."""
    if not _IDENTIFIER.fullmatch(name):
        raise ConfigurationError(
            f"{what} {name!r} must be letters, digits and '_' (at most 63, not starting "
            "with a digit)"
        )
    return f'"{name}"'


@attrs.frozen(slots=True)
class TableTarget:
    """``postgresql://…#schema.table``: where the destination table is."""

    url: str = attrs.field(repr=False)
    """The connection URL, without the fragment (it may hold a password)."""
    schema: str
    table: str

    @property
    def qualified(self) -> str:
        """``"schema"."table"``, quoted."""
        return f"{identifier(self.schema, 'schema')}.{identifier(self.table, 'table')}"

    @property
    def name(self) -> str:
        """``schema.table``: how messages and the summary name it."""
        return f"{self.schema}.{self.table}"


def parse_table_target(target: str) -> TableTarget:
    """``postgresql://host/db#schema.table`` (``#table`` alone is in ``public``)."""
    url, _, fragment = target.partition("#")
    if not fragment:
        raise ConfigurationError(
            "a PostgreSQL output names its table after '#': postgresql://host/db#schema.table"
        )
    schema, _, table = fragment.rpartition(".")
    schema = schema or "public"
    identifier(schema, "schema")
    identifier(table, "table")
    return TableTarget(url=url, schema=schema, table=table)


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to ``url``. ``ConfigurationError`` when the ``postgres`` extra is not
    installed; psycopg's ``OperationalError`` when the server cannot be reached.

    In a process that keeps its connections (``keep_connections``), an autocommit
    connection given back with ``release`` is reused while it is still open
    (``_still_open``)."""
    try:
        import psycopg
    except ImportError:
        raise ConfigurationError(
            "PostgreSQL needs the postgres extra: pip install 'expense-facade[postgres]'"
        ) from None
    if autocommit and _Kept.pid == os.getpid():
        while _Kept.idle.get(url):
            conn = _Kept.idle[url].pop()
            if _still_open(conn):
                return conn
            with contextlib.suppress(Exception):
                conn.close()
    return psycopg.connect(url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_S)


def _still_open(conn: psycopg.Connection[Any]) -> bool:
    """Whether an idle kept connection can be used again, without a round trip: nothing
    may arrive on an idle connection but the server's last words (a restart, a
    terminated backend: an error, then the end of the stream), so a socket with anything
    to read is given up. Anything else unexpected there only costs a new connection."""
    if conn.closed or conn.broken:
        return False
    try:
        if hasattr(select, "poll"):  # select() cannot watch a descriptor past 1023
            watch = select.poll()
            watch.register(conn.fileno(), select.POLLIN)
            return not watch.poll(0)
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class _Kept:
    """The connections a process keeps for reuse, by URL (``keep_connections``)."""

    pid: int | None = None
    """The process that keeps them: a forked child starts with none of its own."""
    idle: dict[str, list[psycopg.Connection[tuple[object, ...]]]] = {}


KEPT_PER_URL: Final = 4
"""Idle connections kept per URL (a ledger uses two: its own and its reader's)."""


def keep_connections() -> None:
    """From now on, this process reuses its PostgreSQL connections instead of opening one
    per ledger: for a worker process that exports account after account
    (``expense_facade.jobs``), where connecting (a server process each, and the server's
    catalog caches to fill again) cost more than the export's own statements. Idempotent;
    a forked child keeps its own."""
    if _Kept.pid != os.getpid():
        _Kept.pid = os.getpid()
        _Kept.idle = {}  # the parent's sockets are not this process's to use


def release(url: str, conn: psycopg.Connection[Any], *, locks: bool = True) -> None:
    """Done with ``conn``, opened by ``connect(url, autocommit=True)``: closed, or, in a
    process that keeps its connections, kept for the next ``connect(url)`` once every
    advisory lock it holds is given back (an account this process exported is free again,
    as when the connection closes). ``locks=False``: it never took one (a ledger's
    reader), so there is nothing to give back."""
    import psycopg

    keep = (
        _Kept.pid == os.getpid()
        and not conn.closed
        and conn.autocommit
        and conn.info.transaction_status is psycopg.pq.TransactionStatus.IDLE
        and len(_Kept.idle.get(url, ())) < KEPT_PER_URL
    )
    if keep and locks:
        try:
            conn.execute("SELECT pg_advisory_unlock_all()")
        except psycopg.Error:
            keep = False
    if keep:
        _Kept.idle.setdefault(url, []).append(conn)
    else:
        with contextlib.suppress(Exception):
            conn.close()


__all__ = [
    "CONNECT_TIMEOUT_S",
    "SCHEMES",
    "TableTarget",
    "connect",
    "identifier",
    "is_postgres_url",
    "keep_connections",
    "parse_table_target",
    "redacted",
    "release",
]
