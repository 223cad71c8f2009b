"""Paging strategies shared by the adapters (``cursor_pages``, ``timestamp_pages``,
``numbered_pages``, ``dedupe_pages``) and the compact set of ids already yielded
(``SeenIds``), so that no adapter holds its own loop (docs/adapter_guide.md, "Paging").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import attrs

from expense_facade.errors import PaginationError

T = TypeVar("T")

MAX_EMPTY_PAGES = 10
"""Consecutive empty pages that still hand out a new cursor before paging stops with an error."""

MAX_STALE_PAGES = 3
"""Consecutive pages that bring no new id (every record seen before) while the cursor keeps
changing, before paging stops with an error: a vendor looping over the same records with
fresh cursors would otherwise never end. One such page can happen honestly (records moving
between pages while the listing runs); three in a row do not."""


def raw_id(item: object) -> Hashable | None:
    """The ``id`` of a raw JSON object (``None`` for anything else); the default key."""
    if isinstance(item, dict):
        value = item.get("id")
        if type(value) is str:  # the common case, first: str() of a str is itself
            return value
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


@attrs.frozen(slots=True)
class CursorPage(Generic[T]):
    """What a cursor ``fetch`` returns: the page's items and the next cursor (``None`` or
    an empty string at the end)."""

    items: Sequence[T]
    next_cursor: str | None


def cursor_pages(
    fetch: Callable[[str | None], CursorPage[T]],
    *,
    vendor: str,
    key: Callable[[T], Hashable | None] = raw_id,
) -> Iterator[Sequence[T]]:
    """Pages from ``fetch(cursor)``, starting with ``cursor=None``, until no next cursor.

    A cursor seen before (including one equal to the cursor just used) raises
    ``PaginationError``: the vendor is not advancing and the loop would never end. So do
    ``MAX_EMPTY_PAGES`` empty pages, or ``MAX_STALE_PAGES`` pages bringing no new id (by
    ``key``; items without one are not judged), in a row, each with a fresh cursor.
    Items whose id was yielded before are dropped (a record that moved between pages
    while the listing ran is yielded once); items without an id are always yielded.
    """
    seen: set[str] = set()
    ids = SeenIds()
    cursor: str | None = None
    empty_in_a_row = 0
    stale_in_a_row = 0
    while True:
        page = fetch(cursor)
        fresh, judged, new = _fresh(page.items, key, ids)
        yield fresh
        stale_in_a_row = stale_in_a_row + 1 if judged and not new else 0
        if stale_in_a_row >= MAX_STALE_PAGES:
            raise PaginationError(
                f"{stale_in_a_row} pages in a row brought no record not seen before, each "
                "with a new cursor; stopping instead of looping",
                vendor=vendor,
            )
        next_cursor = page.next_cursor
        if next_cursor is None or next_cursor == "":
            return
        next_cursor = str(next_cursor)  # Pazy hands out numbers for a string parameter
        if next_cursor in seen or next_cursor == cursor:
            raise PaginationError(
                f"the next-page cursor repeats after {len(seen) + 1} pages; stopping "
                "instead of looping",
                vendor=vendor,
            )
        empty_in_a_row = empty_in_a_row + 1 if not page.items else 0
        if empty_in_a_row >= MAX_EMPTY_PAGES:
            raise PaginationError(
                f"{empty_in_a_row} empty pages in a row, each with a new cursor; stopping",
                vendor=vendor,
            )
        seen.add(next_cursor)
        cursor = next_cursor


def _fresh(
    items: Sequence[T], key: Callable[[T], Hashable | None], ids: SeenIds
) -> tuple[list[T], int, int]:
    """``items`` without those whose id was seen before (every id is remembered), how many
    had an id, and how many of those were new."""
    fresh: list[T] = []
    judged = new = 0
    for item in items:
        ident = key(item)
        if ident is None:
            fresh.append(item)
            continue
        judged += 1
        if ids.add(ident):
            new += 1
            fresh.append(item)
    return fresh, judged, new


def numbered_pages(
    fetch: Callable[[int], Sequence[T]],
    *,
    page_size: int,
    first: int = 1,
    step: int = 1,
    total: Callable[[], int | None] | None = None,
) -> Iterator[Sequence[T]]:
    """Pages from ``fetch(number)`` for ``number = first, first + step, ...``.

    For offset paging pass ``first=0, step=page_size``. Stops after a short or empty page,
    or once ``total()`` items (when the vendor reports a total) have been fetched.
    Note for queues that shrink while being read (Capture's Export queue shrinks as rows
    are marked): numbered paging skips rows there; read the whole queue first.
    """
    number = first
    fetched = 0
    while True:
        items = fetch(number)
        fetched += len(items)
        yield items
        known_total = total() if total is not None else None
        if len(items) < page_size or not items:
            return
        if known_total is not None and fetched >= known_total:
            return
        number += step


class SeenIds:
    """An exact set of the ids seen so far, compact enough to hold every id of a listing.

    A ``set`` of 200,000 id strings costs about 120 bytes per id (the string object, the
    table slot, and the allocator pages the long-lived strings pin). Here string ids are
    kept in a few hundred to a few thousand bucket strings (chosen by the id's hash), each
    a newline-separated run of ids; membership is a substring search for
    ``"\\n" + id + "\\n"`` in one bucket, so the answer is exact (no fingerprints, no
    false positives), at about the id's length plus a few bytes (a 36-character UUID id:
    about 40 bytes) and a microsecond or two per ``add``.
    Ids that are not strings, are empty or contain a newline go to an ordinary set.
    """

    _PER_BUCKET = 64  # ids per bucket on average before the buckets double (fewer: faster
    # adds, more memory per id; measured on 200,000 UUIDs: 16 -> 11 MB, 64 -> 8 MB)

    def __init__(self) -> None:
        self._mask = 255
        self._buckets = ["\n"] * (self._mask + 1)
        self._count = 0
        self._other: set[Hashable] = set()

    def __len__(self) -> int:
        return self._count + len(self._other)

    def __contains__(self, ident: object) -> bool:
        if type(ident) is not str or not ident or "\n" in ident:
            return ident in self._other
        return "\n" + ident + "\n" in self._buckets[hash(ident) & self._mask]

    def add(self, ident: Hashable) -> bool:
        """Remember ``ident``; ``True`` if it is new, ``False`` if it was seen before."""
        if type(ident) is not str or not ident or "\n" in ident:
            if ident in self._other:
                return False
            self._other.add(ident)
            return True
        slot = hash(ident) & self._mask
        bucket = self._buckets[slot]
        if "\n" + ident + "\n" in bucket:
            return False
        self._buckets[slot] = bucket + ident + "\n"
        self._count += 1
        if self._count > self._PER_BUCKET * (self._mask + 1):
            self._grow()
        return True

    def _grow(self) -> None:
        # Doubling splits each bucket in two (an id's new slot is its old one, or that
        # plus the old size). The buckets are split in place, one at a time, so the old
        # and the new copy of the ids never coexist (the peak stays at the data's size).
        size = self._mask + 1
        mask = size * 2 - 1
        buckets = self._buckets
        buckets.extend(["\n"] * size)
        for slot in range(size):
            ids = buckets[slot].split("\n")
            buckets[slot] = "\n" + "".join(i + "\n" for i in ids if i and hash(i) & mask == slot)
            buckets[slot + size] = "\n" + "".join(
                i + "\n" for i in ids if i and hash(i) & mask != slot
            )
        self._mask = mask


def dedupe_pages(
    pages: Iterable[Sequence[T]],
    key: Callable[[T], Hashable | None] = raw_id,
) -> Iterator[list[T]]:
    """``pages`` with every item whose key was already yielded removed.

    Items without a key (``key`` returns ``None``: a record too broken to have an id) are
    always passed on, so the adapter can report them. Memory grows with the number of ids
    (about their length each, see ``SeenIds``), not with the records.
    """
    seen = SeenIds()
    for page in pages:
        fresh: list[T] = []
        for item in page:
            ident = key(item)
            if ident is None or seen.add(ident):
                fresh.append(item)
        yield fresh


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)

TimestampFetch = Callable[[dt.datetime | None, dt.datetime | None, int], Sequence[Any]]
"""``fetch(from_inclusive, to_exclusive, count)`` -> items, newest first."""


def timestamp_pages(
    fetch: TimestampFetch,
    *,
    timestamp_of: Callable[[Any], dt.datetime | None],
    page_size: int,
    max_page_size: int,
    vendor: str,
    since: dt.datetime | None = None,
    key: Callable[[Any], Hashable | None] = raw_id,
    resolution: dt.timedelta = dt.timedelta(milliseconds=1),
) -> Iterator[list[Any]]:
    """Pages of a list sorted newest first and paged with a ``[from, to)`` time window.

    ``fetch(from, to, count)`` returns at most ``count`` items with ``from <= t < to``,
    newest first (``None`` means unbounded). ``timestamp_of`` reads an item's timestamp
    (``None`` if unreadable). ``resolution`` is the vendor's timestamp precision.

    The vendor's own rule (next ``to`` = last item's timestamp) skips items that share
    the last timestamp, and a page made only of such ties never advances. Instead:

    * Invariant: every item with ``t >= upper`` has been yielded. Initially ``upper`` is
      unbounded; paging ends when a page is short (the window held no more items).
    * A full page whose oldest readable timestamp bucket ``B`` is older than its newest:
      next ``upper = B + resolution``. Every item at or after that bucket ranks above the
      page's last item, so it was on this page: the invariant holds. The next page
      re-reads the ties at ``B`` (overlap); they are de-duplicated by ``key``. ``upper``
      strictly decreases, so paging always advances.
    * A full page whose readable items all share bucket ``B`` (a page made of ties):
      fetch the whole bucket ``[B, B + resolution)`` with ``max_page_size``; if that is
      short, every item in ``B`` is now yielded, and ``upper = B``. If even that is full,
      ``PaginationError``: more ties than the vendor can return at once cannot be paged
      without skipping, and skipping silently is not an option.
    * Items whose timestamp cannot be read are yielded but not used for the boundary
      (items after them on the page are no newer than the last readable one, so the
      invariant still holds); a full page with no readable timestamp is an error.

    Duplicates are removed by ``key`` across the whole listing (records whose timestamp
    moves between pages are yielded once).
    """
    if not 1 <= page_size <= max_page_size:
        raise ValueError(f"page_size must be within 1..{max_page_size}")
    seen = SeenIds()

    def fresh(items: Sequence[Any]) -> list[Any]:
        result = []
        for item in items:
            ident = key(item)
            if ident is None or seen.add(ident):
                result.append(item)
        return result

    def bucket(value: dt.datetime) -> dt.datetime:
        # Floor to the vendor's resolution, so sub-resolution noise cannot stall `upper`.
        # Integer microseconds: float seconds would misplace a boundary and skip items.
        micros = (value - _EPOCH) // _MICROSECOND
        step = max(1, resolution // _MICROSECOND)
        return _EPOCH + (micros - micros % step) * _MICROSECOND

    upper: dt.datetime | None = None
    while True:
        items = fetch(since, upper, page_size)
        yield fresh(items)
        if len(items) < page_size:
            return
        stamps = [ts for ts in (timestamp_of(item) for item in items) if ts is not None]
        if not stamps:
            raise PaginationError(
                "a full page has no readable timestamp; cannot page on without skipping",
                vendor=vendor,
            )
        newest, oldest = bucket(max(stamps)), bucket(min(stamps))
        if newest > oldest:
            upper = oldest + resolution
            continue
        # A page made only of ties at `oldest`: read that whole instant in one request.
        tie_lower = oldest if since is None or since < oldest else since
        ties = fetch(tie_lower, oldest + resolution, max_page_size)
        if len(ties) >= max_page_size:
            raise PaginationError(
                f"at least {max_page_size} items share the timestamp {oldest.isoformat()}, "
                "more than one request can return; cannot page past them without skipping",
                vendor=vendor,
            )
        yield fresh(ties)
        upper = oldest
