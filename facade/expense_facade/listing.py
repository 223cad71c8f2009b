"""``Listing``: the lazy result of ``list_approved``, iterated record by record or page by page.

Nothing is fetched until iteration starts, and one page at a time is held, so memory stays
constant however long the list. Records that could not be read are reported, not hidden:
each page carries its ``malformed`` records, ``Listing.malformed`` accumulates them, and
each is logged at WARNING. With ``strict=True`` the first one raises instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import attrs

from expense_facade._http.redaction import get_logger
from expense_facade.errors import MalformedRecordError
from expense_facade.records import Expense, MalformedRecord

log = get_logger(__name__)

RawPage = tuple[Sequence[Expense], Sequence[MalformedRecord]]
"""What an adapter yields per vendor page: the records read and the ones that failed."""


@attrs.frozen(slots=True)
class Page:
    """One vendor page: its number (from 1), its records and the records that failed."""

    number: int
    expenses: tuple[Expense, ...]
    malformed: tuple[MalformedRecord, ...] = ()


class Listing:
    """An iterable of ``Expense`` over all pages; lazy and single-use.

    Iterate it (``for expense in listing``) or call ``pages()`` (``for page in
    listing.pages()``), one or the other, once: a second iteration raises
    ``RuntimeError`` rather than silently re-reading the vendor.
    """

    def __init__(self, vendor: str, pages: Iterable[RawPage], *, strict: bool = False) -> None:
        self.vendor = vendor
        self.strict = strict
        self._source = pages
        self._started = False
        self.malformed: list[MalformedRecord] = []
        """Every malformed record reported so far."""
        self.pages_read = 0
        """Vendor pages read so far."""
        self.records_read = 0
        """Expenses handed out so far (malformed records not counted)."""

    def __repr__(self) -> str:
        return (
            f"<Listing vendor={self.vendor!r} pages_read={self.pages_read} "
            f"records_read={self.records_read} malformed={len(self.malformed)}>"
        )

    def pages(self) -> Iterator[Page]:
        """The listing page by page."""
        if self._started:
            raise RuntimeError("a Listing can be iterated once; call list_approved() again")
        self._started = True
        return self._pages()

    def _pages(self) -> Iterator[Page]:
        for expenses, malformed in self._source:
            self.pages_read += 1
            for record in malformed:
                self._report(record)
            self.records_read += len(expenses)
            yield Page(self.pages_read, tuple(expenses), tuple(malformed))

    def _report(self, record: MalformedRecord) -> None:
        if self.strict:
            raise MalformedRecordError(
                f"{self.vendor}: record {record.record_id or '(no id)'} could not be read: "
                f"{record.reason}",
                vendor=self.vendor,
                record_id=record.record_id,
            )
        self.malformed.append(record)
        log.warning(
            "%s: skipped malformed record %s on page %d: %s",
            self.vendor,
            record.record_id or "(no id)",
            self.pages_read,
            record.reason,
        )

    def __iter__(self) -> Iterator[Expense]:
        for page in self.pages():
            yield from page.expenses
