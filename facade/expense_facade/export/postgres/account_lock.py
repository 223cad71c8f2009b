"""One account exported by one process at a time, on any machine: a session-level
PostgreSQL advisory lock keyed by the ledger's schema and the account's identity
(docs/scale.md, "One account, one worker").

The lock lives as long as the connection holding it: a worker that dies (SIGKILL, a lost
machine) loses its connection and so the lock, and the next worker takes the account over.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from expense_facade.export.postgres.migrations import lock_key

if TYPE_CHECKING:
    import psycopg


class Contention(enum.StrEnum):
    """What a process does when another holds the account: skip it, or wait its turn."""

    SKIP = "skip"
    WAIT = "wait"


def account_key(schema: str, vendor: str, account: str) -> int:
    """The advisory lock key of one account in one ledger (a ledger is a schema, so two
    ledgers in one database never block each other)."""
    return lock_key("expense_facade.account", schema, vendor, account)


def acquire(
    conn: psycopg.Connection[tuple[object, ...]],
    key: int,
    contention: Contention,
) -> bool:
    """Take the lock on ``conn`` (autocommit): True once held; False when another
    process holds it and ``contention`` is ``SKIP``."""
    if contention is Contention.WAIT:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        return True
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
    return bool(row and row[0])


def release(conn: psycopg.Connection[tuple[object, ...]], key: int) -> None:
    """Give the lock back (closing the connection does too)."""
    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


__all__ = ["Contention", "account_key", "acquire", "release"]
