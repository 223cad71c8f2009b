"""The ledger's ``outputs`` table and its SQL: each output file the ledger wrote to, its
identity and committed length (docs/export.md, "The ledger"; the rules that use it are
in ``export.outputs``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from expense_facade.export.ledger_query import Rows, now, parse_ts
from expense_facade.export.ledger_records import FileIdentity, OutputBinding
from expense_facade.export.ledger_store import Tx

TABLE = """
CREATE TABLE IF NOT EXISTS outputs (
    path        TEXT    NOT NULL PRIMARY KEY,
    format      TEXT    NOT NULL,
    device      BIGINT  NOT NULL,
    inode       BIGINT  NOT NULL,
    length      BIGINT  NOT NULL,
    head_hash   TEXT    NOT NULL,
    tail_hash   TEXT    NOT NULL,
    records     BIGINT  NOT NULL,
    updated_at  TEXT    NOT NULL
);
"""

_SELECT = (
    "SELECT path, format, device, inode, length, head_hash, tail_hash, records, updated_at "
    "FROM outputs"
)


def _binding(row: Sequence[Any]) -> OutputBinding:
    updated_at = parse_ts(row[8])
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


def by_path(rows: Rows, path: str) -> OutputBinding | None:
    """The binding of the output at ``path`` (resolved), or None."""
    found = rows(f"{_SELECT} WHERE path=? LIMIT 1", (path,))
    return _binding(found[0]) if found else None


def by_file(rows: Rows, device: int, inode: int) -> OutputBinding | None:
    """The binding of the output that is this file under another name, or None."""
    found = rows(f"{_SELECT} WHERE device=? AND inode=? LIMIT 1", (device, inode))
    return _binding(found[0]) if found else None


def by_path_or_file(rows: Rows, path: str, device: int, inode: int) -> OutputBinding | None:
    """``by_path``, else ``by_file``, in one query (a run opening its output asks both)."""
    found = rows(f"{_SELECT} WHERE path=? OR (device=? AND inode=?)", (path, device, inode))
    row = next((row for row in found if row[0] == path), found[0] if found else None)
    return None if row is None else _binding(row)


def every(rows: Rows, limit: int | None = None) -> list[OutputBinding]:
    """Every binding (the first ``limit``), by path."""
    bounded = ("LIMIT ?", (limit,)) if limit is not None else ("", ())
    return [_binding(row) for row in rows(f"{_SELECT} ORDER BY path {bounded[0]}", bounded[1])]


def count(rows: Rows) -> int:
    """How many outputs the ledger is bound to."""
    return int(rows("SELECT COUNT(*) FROM outputs", ())[0][0])


def advance(tx: Tx, path: str, fmt: str, identity: FileIdentity, records: int) -> None:
    """The output at ``path`` now holds ``records`` more, and is as ``identity`` says."""
    _upsert(tx, path, fmt, identity, records, add=True)


def rebind(tx: Tx, path: str, fmt: str, identity: FileIdentity, records: int) -> None:
    """Bind to the output at ``path`` as it is now, replacing any binding of that path or
    of the same file under another name."""
    tx.run(
        "DELETE FROM outputs WHERE path=? OR (device=? AND inode=?)",
        (path, identity.device, identity.inode),
    )
    _upsert(tx, path, fmt, identity, records, add=False)


_UPSERT = (
    "INSERT INTO outputs (path, format, device, inode, length, head_hash, tail_hash, "
    "records, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (path) DO UPDATE SET format=excluded.format, device=excluded.device, "
    "inode=excluded.inode, length=excluded.length, head_hash=excluded.head_hash, "
    "tail_hash=excluded.tail_hash, updated_at=excluded.updated_at, records=excluded.records"
)


def unbind(tx: Tx, path: str) -> None:
    """Forget the output at ``path``."""
    tx.run("DELETE FROM outputs WHERE path=?", (path,))


def _upsert(
    tx: Tx, path: str, fmt: str, identity: FileIdentity, records: int, *, add: bool
) -> None:
    # run_many for one row: no count is wanted, so a backend may send it with the COMMIT
    # (PostgreSQL's pipeline: a batch's "written" step is then one round trip).
    tx.run_many(
        _UPSERT + " + outputs.records" if add else _UPSERT,
        [
            (
                path,
                fmt,
                identity.device,
                identity.inode,
                identity.length,
                identity.head_hash,
                identity.tail_hash,
                records,
                now(),
            ),
        ],
    )
