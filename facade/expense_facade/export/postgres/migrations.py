"""Versioned schema migrations in PostgreSQL, for the ledger and each destination table
(docs/scale.md, "Schema and migrations").

Each component (``ledger``, ``table:schema.table``) has a version in
``expense_facade_versions``, in the schema it lives in; ``migrate`` runs the steps past it
in one transaction, under a transaction-scoped advisory lock so that workers starting
together migrate once. A version newer than the code knows is refused, not guessed at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from expense_facade.errors import ExpenseFacadeError

if TYPE_CHECKING:
    import psycopg

VERSIONS_TABLE: Final = "expense_facade_versions"

_VERSIONS_DDL: Final = f"""
CREATE TABLE IF NOT EXISTS {VERSIONS_TABLE} (
    component  text        PRIMARY KEY,
    version    integer     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
)
"""


class SchemaVersionError(ExpenseFacadeError):
    """A component's schema is newer than this code (written by a later release)."""


def lock_key(*parts: str) -> int:
    """A signed 64-bit advisory lock key for ``parts`` (stable across processes and
    machines, unlike Python's ``hash``)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def ensure_versions(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Create the versions table of the connection's schema when missing (processes that
    start together create it once: concurrent ``CREATE ... IF NOT EXISTS`` can collide)."""
    with conn.transaction():
        schema = conn.execute("SELECT current_schema()").fetchone()
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s)",
            (lock_key("expense_facade.versions", str(schema[0] if schema else "")),),
        )
        conn.execute(_VERSIONS_DDL)


def migrate(
    conn: psycopg.Connection[tuple[object, ...]],
    component: str,
    steps: Mapping[int, str],
) -> int:
    """Take ``component`` to the highest version in ``steps`` (each step the statements
    from the version before it) and return that version. One transaction; commits."""
    target = max(steps)
    ensure_versions(conn)
    with conn.transaction():
        # Serialises migrators of this component in this schema; released at commit.
        schema = conn.execute("SELECT current_schema()").fetchone()
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s)",
            (lock_key("expense_facade.migrate", str(schema[0] if schema else ""), component),),
        )
        row = conn.execute(
            f"SELECT version FROM {VERSIONS_TABLE} WHERE component = %s",  # noqa: S608
            (component,),
        ).fetchone()
        current = int(str(row[0])) if row is not None else 0
        if current > target:
            raise SchemaVersionError(
                f"{component} is at schema version {current}, newer than this release "
                f"knows ({target}); upgrade expense-facade"
            )
        for version in sorted(v for v in steps if v > current):
            conn.execute(steps[version])
        if current != target:
            conn.execute(
                f"INSERT INTO {VERSIONS_TABLE} (component, version) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT (component) DO UPDATE SET version = excluded.version, "
                "updated_at = now()",
                (component, target),
            )
    return target


__all__ = ["VERSIONS_TABLE", "SchemaVersionError", "ensure_versions", "lock_key", "migrate"]
