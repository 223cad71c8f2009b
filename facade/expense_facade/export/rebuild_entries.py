"""The entries ``ledger rebuild`` restores from an output file, checked as they stream by.

The file is read a line at a time (``read_records``: each line bounded by ``MAX_LINE``)
and never held whole: 2 million records rebuild in flat memory. The first record that
cannot be restored stops the rebuild with a ``LedgerError`` naming its line (the ledger
transaction it streams into is rolled back, so nothing is rebuilt): a line that is not a
record, a record without an account, of a vendor this version does not know, or whose
text is not valid (a lone surrogate escape). docs/command.md, "ledger rebuild".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from expense_facade.export.ledger_records import LedgerError
from expense_facade.export.sinks.formats import StoredRecord
from expense_facade.registry import available_vendors

MAX_ACCOUNTS = 1_000
"""Distinct accounts a rebuild keeps count of (a file holds a few; a hostile one could
hold a million, which must not cost a million entries)."""


class RebuildEntries:
    """``(vendor, account, expense_id)`` of each record of ``records`` (iterate once).
    After the iteration: ``records`` counted, ``accounts`` the distinct ``(vendor,
    account)`` pairs (sorted; the first ``MAX_ACCOUNTS`` of them), ``all_accounts`` False
    when there were more."""

    def __init__(self, records: Iterable[StoredRecord], path: Path) -> None:
        self._records = records
        self._path = path
        self._vendors = frozenset(available_vendors())
        self._accounts: set[tuple[str, str]] = set()
        self.records = 0
        self.all_accounts = True

    @property
    def accounts(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self._accounts))

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        for record in self._records:
            self._check(record)
            self.records += 1
            account = (record.vendor, record.account)
            if account not in self._accounts:
                if len(self._accounts) < MAX_ACCOUNTS:
                    self._accounts.add(account)
                else:
                    self.all_accounts = False
            yield record.vendor, record.account, record.expense_id

    def _check(self, record: StoredRecord) -> None:
        path, line = self._path, record.line
        if record.problem is None and not record.account:
            raise LedgerError(
                f"{path}: the record on line {line} has no account; nothing was rebuilt"
            )
        problem = record.problem
        if problem is None and record.vendor not in self._vendors:
            shown = record.vendor[:40].encode("ascii", "backslashreplace").decode("ascii")
            problem = f"a record of an unknown vendor {shown!r}"
        elif problem is None and not _valid_text(record.account, record.expense_id):
            problem = "a record whose account or id is not valid text (a lone surrogate)"
        if problem is not None:
            raise LedgerError(
                f"{path}: line {line} is {problem}: remove that line (sed -i '{line}d' "
                f"{path}; its records are exported again, once) or mend it, and run again; "
                "nothing was rebuilt"
            )


def _valid_text(*values: str) -> bool:
    for value in values:
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


__all__ = ["MAX_ACCOUNTS", "RebuildEntries"]
