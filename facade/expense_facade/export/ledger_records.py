"""What the export ledger hands out: its entries, intents, output bindings and
incremental state, and its error (docs/export.md, "The ledger").
"""

from __future__ import annotations

import datetime as dt

import attrs

from expense_facade.errors import ExpenseFacadeError


class LedgerError(ExpenseFacadeError):
    """The ledger cannot be opened or used (locked by another run, newer schema, bad file,
    a full disk or an unwritable file)."""


class AccountHeldElsewhere(LedgerError):
    """Another process is exporting this account from the same (shared) ledger now."""


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
    mark_sent: bool = False


@attrs.frozen(slots=True)
class Intent:
    """A batch that was about to be appended to a sink when the ledger last heard of it."""

    sink: str
    sink_format: str
    sink_offset: int
    vendor: str
    account: str
    expense_ids: tuple[str, ...]


@attrs.frozen(slots=True)
class FileIdentity:
    """What identifies an output file's committed bytes (see ``export.outputs``)."""

    device: int
    inode: int
    length: int
    head_hash: str
    tail_hash: str


@attrs.frozen(slots=True)
class OutputBinding:
    """An output file as the ledger last wrote it: its identity and how much it holds."""

    path: str
    format: str
    identity: FileIdentity
    records: int
    updated_at: dt.datetime


@attrs.frozen(slots=True)
class ExportState:
    """A vendor account's incremental state (None: never recorded)."""

    position: dt.datetime | None
    """The vendor's update time the last complete incremental-capable run reached."""
    position_at: dt.datetime | None
    """When (this machine's clock) the position was recorded."""
    reconciled_at: dt.datetime | None
    """When (this machine's clock) the last complete full listing started."""
    identity: str | None = attrs.field(default=None, eq=False)
    """The identity the position belongs to (``AccountIdentity.key``; ``''``: recorded by
    an older version, which did not record one)."""
    base_url: str | None = attrs.field(default=None, eq=False)
    """The canonical base URL of that identity."""


__all__ = [
    "AccountHeldElsewhere",
    "ExportState",
    "FileIdentity",
    "Intent",
    "LedgerEntry",
    "LedgerError",
    "OutputBinding",
]
