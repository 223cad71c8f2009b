"""Read-only lookups on an export ledger from any thread: what a listing's fan-out asks
(docs/export.md, "The ledger").
"""

from __future__ import annotations

from collections.abc import Sequence

from expense_facade.export import ledger_exports, ledger_positions
from expense_facade.export.ledger_store import Reads


class LedgerReader:
    """Read-only lookups through a connection of their own (``LedgerStore.reader``), safe
    from any thread; used by a listing's fan-out to ask what is already exported."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._reads.close()

    def exported_ids(self, vendor: str, account: str, expense_ids: Sequence[str]) -> set[str]:
        """The subset of ``expense_ids`` already exported."""
        return ledger_exports.exported_among(self._reads.rows, vendor, account, expense_ids)

    def unchanged_groups(
        self, vendor: str, account: str, groups: Sequence[tuple[str, str]]
    ) -> dict[str, int]:
        """Of ``(group, version)``, those recorded at exactly that version, with their size."""
        return ledger_positions.unchanged_groups(self._reads.rows, vendor, account, groups)


__all__ = ["LedgerReader"]
