"""``Listing``: the lazy result of ``list_approved``, iterated record by record or page by
page; constant memory, and records that could not be read reported (``malformed``), never
hidden. ``KnownRecords``: what a caller already has (``list_approved(known=...)``), left
out before any per-record request (docs/library.md, "Clients, records, listings").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any

import attrs

from expense_facade._http.redaction import get_logger
from expense_facade.errors import MalformedRecordError
from expense_facade.records import Expense, MalformedRecord

log = get_logger(__name__)

RawPage = tuple[Sequence[Expense], Sequence[MalformedRecord]]
"""What an adapter yields per vendor page: the records read and the ones that failed."""


class KnownRecords:
    """What the caller already has, so a listing does per-record work only for the rest.

    The base answers "nothing is known"; ``known_ids`` is given a page of ids at a time
    (one lookup per page, not per record). A *group* is a set of records the vendor lists
    together behind one request (a ProSpend claim and its expenses) and versions as a
    whole (the claim's ``updatedDate``): ``unchanged_groups`` names the groups the caller
    holds completely at that version, so their records are not even fetched;
    ``group_listed`` tells the caller a group's records at a version, once listed.
    ``skipped`` counts the records left out so far. Thread-safe: adapters call it from
    their fan-out and read-ahead threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.skipped = 0
        """Records left out of the listing because they are known."""

    def known_ids(self, ids: Sequence[str]) -> Collection[str]:
        """The subset of ``ids`` the caller already has."""
        return ()

    def unchanged_groups(self, groups: Sequence[tuple[str, str]]) -> dict[str, int]:
        """Of ``(group, version)`` pairs, the groups held completely at that version, with
        how many records each holds."""
        return {}

    def group_listed(self, group: str, version: str, ids: Sequence[str]) -> None:
        """``group`` at ``version`` holds exactly ``ids`` (all of them listed or known)."""

    # -- for adapters ------------------------------------------------------------------------

    def among(self, ids: Sequence[str]) -> Collection[str]:
        """``known_ids(ids)``, counted as skipped."""
        if not ids:
            return ()
        found = self.known_ids(ids)
        self.count(len(found))
        return found

    def count(self, records: int) -> None:
        """Count ``records`` left out (a skipped group's records)."""
        if records:
            with self._lock:
                self.skipped += records


class _KnownIds(KnownRecords):
    """``known=`` given as a collection of ids or a predicate."""

    def __init__(self, ids: Collection[str] | Callable[[str], bool]) -> None:
        super().__init__()
        self._has: Callable[[str], bool] = ids.__contains__ if isinstance(ids, Collection) else ids

    def known_ids(self, ids: Sequence[str]) -> Collection[str]:
        return {i for i in ids if self._has(i)}


KnownArgument = KnownRecords | Collection[str] | Callable[[str], bool] | None
"""What ``list_approved(known=...)`` accepts."""


def as_known(known: KnownArgument) -> KnownRecords:
    """A ``KnownRecords`` for any accepted ``known=`` value (None: nothing known)."""
    if known is None:
        return KnownRecords()
    if isinstance(known, KnownRecords):
        return known
    if isinstance(known, str) or not (isinstance(known, Collection) or callable(known)):
        raise TypeError("known must be a collection of ids, a predicate or a KnownRecords")
    return _KnownIds(known)


def without_known(pages: Iterable[RawPage], known: KnownRecords) -> Iterator[RawPage]:
    """``pages`` with the known records left out (every adapter's listing goes through it)."""
    if type(known) is KnownRecords:  # nothing is known: no ids to collect and look up
        yield from pages
        return
    for expenses, malformed in pages:
        found = known.among([e.id for e in expenses])
        yield ([e for e in expenses if e.id not in found] if found else expenses), malformed


@attrs.frozen(slots=True)
class Page:
    """One vendor page: its number (from 1), its records and the records that failed."""

    number: int
    expenses: tuple[Expense, ...]
    malformed: tuple[MalformedRecord, ...] = ()


class PageBook:
    """What a listing keeps as its pages go by, for ``Listing`` and ``AsyncListing``:
    counts, request ids, malformed records reported (or raised, ``strict``), single use."""

    _source: Any  # the adapter's pages: an iterable (Listing), an async iterator (AsyncListing)

    def __init__(
        self,
        vendor: str,
        pages: Any,
        *,
        strict: bool = False,
        request_ids: list[str] | None = None,
    ) -> None:
        self.vendor = vendor
        self._source = pages
        self.strict = strict
        self._started = False
        self.malformed: list[MalformedRecord] = []
        """Every malformed record reported so far."""
        self.pages_read = 0
        """Vendor pages read so far."""
        self.records_read = 0
        """Expenses handed out so far (malformed records not counted)."""
        self.request_ids: list[str] = request_ids if request_ids is not None else []
        """The vendor's request id of each answer read so far for this listing (its pages,
        and the per-record requests a vendor needs), in the order received: what a support
        ticket about a listing quotes."""

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} vendor={self.vendor!r} pages_read={self.pages_read} "
            f"records_read={self.records_read} malformed={len(self.malformed)}>"
        )

    def _start(self) -> None:
        if self._started:
            raise RuntimeError(
                f"a {type(self).__name__} can be iterated once; call list_approved() again"
            )
        self._started = True

    def _take(self, expenses: Sequence[Expense], malformed: Sequence[MalformedRecord]) -> Page:
        """Book one vendor page; the ``Page`` handed out."""
        self.pages_read += 1
        for record in malformed:
            self._report(record)
        self.records_read += len(expenses)
        log.debug(
            "%s: page %d: %d records, %d malformed (%d so far)",
            self.vendor,
            self.pages_read,
            len(expenses),
            len(malformed),
            self.records_read,
        )
        return Page(self.pages_read, tuple(expenses), tuple(malformed))

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


class Listing(PageBook):
    """An iterable of ``Expense`` over all pages; lazy and single-use.

    Iterate it (``for expense in listing``) or call ``pages()`` (``for page in
    listing.pages()``), one or the other, once: a second iteration raises
    ``RuntimeError`` rather than silently re-reading the vendor.
    """

    _source: Iterable[RawPage]

    def pages(self) -> Iterator[Page]:
        """The listing page by page."""
        self._start()
        return self._pages()

    def _pages(self) -> Iterator[Page]:
        for expenses, malformed in self._source:
            yield self._take(expenses, malformed)

    def __iter__(self) -> Iterator[Expense]:
        for page in self.pages():
            yield from page.expenses
