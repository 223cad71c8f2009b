"""``Listing``: the lazy result of ``list_approved``, iterated record by record or page by
page; constant memory, and records that could not be read reported (``malformed``), never
hidden. ``ItemsPage``: a vendor page as its items and their mapping, each record built as
the listing hands it out. ``KnownRecords``: what a caller already has
(``list_approved(known=...)``), left out before any per-record request (docs/library.md,
"Clients, records, listings"; docs/adapter_guide.md, "Parsing records").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

import attrs

from expense_facade._http.redaction import get_logger
from expense_facade.errors import MalformedRecordError
from expense_facade.records import Expense, MalformedRecord

log = get_logger(__name__)

Item = TypeVar("Item")

RawPage = tuple[Sequence[Expense], Sequence[MalformedRecord]]
"""A vendor page read: the records read and the ones that failed."""


class ItemsPage(Generic[Item]):
    """A vendor page not read yet: its items (typically wire-shape views of the decoded
    records) and ``parse_one``, the adapter's mapping of one item. A listing maps each item
    as it hands the record out (``handed_to``), so a record the caller drops is freed
    before the next is built; built a page at a time, records outlive the garbage
    collector's young generation and cost it again in the older ones (docs/benchmarks.md).
    Read whole (``read``) where a page is needed at once (``Listing.pages``, known records,
    read-ahead). Used once, either way.

    An item ``parse_one`` fails on (any exception) is a ``MalformedRecord`` with the item
    as its raw payload and ``id_of(item)`` as its id; the rest of the page goes on.
    ``note(record)``, when given, is kept per item in ``notes`` (``None`` for an item not
    read yet or not read at all): what a step wants to know of the records after its
    ``Emit`` (Revolut's page boundary is each record's ``transaction_date``).
    """

    __slots__ = ("_id_of", "_note", "_parse_one", "items", "notes", "vendor")

    def __init__(
        self,
        items: Sequence[Item],
        parse_one: Callable[[Item], Expense],
        *,
        vendor: str,
        id_of: Callable[[Item], Hashable | None],
        note: Callable[[Expense], Any] | None = None,
    ) -> None:
        self.items = items
        self.vendor = vendor
        self._parse_one = parse_one
        self._id_of = id_of
        self._note = note
        self.notes: list[Any] = [None] * len(items) if note is not None else []

    def __repr__(self) -> str:
        return f"<ItemsPage vendor={self.vendor!r} items={len(self.items)}>"

    def handed_to(self, book: Book) -> Iterator[Expense]:
        """The page's records, each mapped when asked for and counted in ``book``; a
        record that cannot be read is reported to ``book`` (which raises when strict).
        The page is booked once taken whole."""
        parse, note, notes = self._parse_one, self._note, self.notes
        malformed = 0
        for n, item in enumerate(self.items):
            try:
                record = parse(item)
            except Exception as exc:  # one bad record must never lose the page
                malformed += 1
                book._report(self._malformed(item, exc))
                continue
            if note is not None:
                notes[n] = note(record)
            book.records_read += 1
            yield record
        book._booked(len(self.items) - malformed, malformed)

    def read(self) -> tuple[tuple[Expense, ...], tuple[MalformedRecord, ...]]:
        """The whole page mapped: ``(expenses, malformed)``."""
        book = _Kept()
        return tuple(self.handed_to(book)), tuple(book.malformed)

    def _malformed(self, item: Item, exc: Exception) -> MalformedRecord:
        try:
            ident = self._id_of(item)
        except Exception:
            ident = None
        return MalformedRecord(
            vendor=self.vendor,
            reason=f"{type(exc).__name__}: {exc}",
            record_id=None if ident is None else str(ident),
            raw=item,
        )


class Book(Protocol):
    """What ``ItemsPage.handed_to`` tells as it goes (a ``PageBook``, or ``_Kept``)."""

    records_read: int

    def _report(self, record: MalformedRecord) -> None: ...

    def _booked(self, records: int, malformed: int) -> None: ...


class _Kept:
    """A ``Book`` keeping the malformed records of one page read whole."""

    def __init__(self) -> None:
        self.records_read = 0
        self.malformed: list[MalformedRecord] = []

    def _report(self, record: MalformedRecord) -> None:
        self.malformed.append(record)

    def _booked(self, records: int, malformed: int) -> None:
        pass


AnyPage: TypeAlias = RawPage | ItemsPage[Any]
"""What a listing's step emits per vendor page (``steps.Emit``): an ``ItemsPage``, or a
page read already."""


def read_page(page: AnyPage) -> RawPage:
    """``page`` read whole (an ``ItemsPage`` mapped; a ``RawPage`` as it is)."""
    return page.read() if isinstance(page, ItemsPage) else page


def read_pages(pages: Iterable[AnyPage]) -> Iterator[RawPage]:
    """``pages``, each read whole before it is handed on: for a producer running ahead of
    its consumer (read-ahead), so that no page is mapped while the step that emitted it
    goes on."""
    source = iter(pages)
    try:
        for page in source:
            yield read_page(page)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


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


def without_known(pages: Iterable[AnyPage], known: KnownRecords) -> Iterator[AnyPage]:
    """``pages`` with the known records left out (every adapter's listing goes through it;
    an ``ItemsPage`` is read whole first, for one lookup of its ids)."""
    if type(known) is KnownRecords:  # nothing is known: no ids to collect and look up
        yield from pages
        return
    for page in pages:
        expenses, malformed = read_page(page)
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

    def _take(self, page: AnyPage) -> Page:
        """Book one vendor page, read whole; the ``Page`` handed out."""
        self.pages_read += 1
        expenses, malformed = read_page(page)
        for record in malformed:
            self._report(record)
        self.records_read += len(expenses)
        self._booked(len(expenses), len(malformed))
        return Page(self.pages_read, tuple(expenses), tuple(malformed))

    def _records(self, page: AnyPage) -> Iterable[Expense]:
        """One vendor page's records, booked as ``_take`` books a page: an ``ItemsPage``
        mapped as each record is taken (record by record iteration)."""
        if isinstance(page, ItemsPage):
            self.pages_read += 1
            return page.handed_to(self)
        return self._take(page).expenses

    def _booked(self, records: int, malformed: int) -> None:
        log.debug(
            "%s: page %d: %d records, %d malformed (%d so far)",
            self.vendor,
            self.pages_read,
            records,
            malformed,
            self.records_read,
        )

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

    _source: Iterable[AnyPage]

    def pages(self) -> Iterator[Page]:
        """The listing page by page."""
        self._start()
        return self._pages()

    def _pages(self) -> Iterator[Page]:
        for page in self._source:
            yield self._take(page)

    def __iter__(self) -> Iterator[Expense]:
        self._start()
        for page in self._source:
            yield from self._records(page)
