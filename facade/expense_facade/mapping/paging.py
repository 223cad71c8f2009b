"""Paging strategies shared by the adapters (``cursor_pages``, ``timestamp_pages``,
``numbered_pages``, ``dedupe_pages``) and the compact set of ids already yielded
(``SeenIds``), so that no adapter holds its own loop (docs/adapter_guide.md, "Paging").
The cursor and timestamp rules are written once, as walks without IO (``cursor_walk``,
``timestamp_walk``), run by a plain function (``pulled``) or inside an adapter's step
(``walk_steps``), so the sync and the async client page alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import attrs

from expense_facade.errors import PaginationError

if TYPE_CHECKING:
    from expense_facade.steps import Step

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


@attrs.frozen(slots=True)
class Fetch:
    """What a walk asks for: the result of ``fetch(*args)`` (the driver answers it)."""

    args: tuple[Any, ...]


@attrs.frozen(slots=True)
class Items(Generic[T]):
    """What a walk hands out: one page's items. The answer is ``None``, or what the
    caller read of them, item by item (``timestamp_walk``: their timestamps)."""

    items: Sequence[T]


Walk: TypeAlias = Generator[Fetch | Items[T], Any, None]
"""A paging strategy written once, without IO: it yields ``Fetch`` (answered with the
page fetched) and ``Items`` (a page for the caller). ``pulled`` drives it with a plain
function (``cursor_pages``...), ``walk_steps`` inside an adapter's step (sync or async)."""


def pulled(walk: Walk[T], fetch: Callable[..., Any]) -> Iterator[Sequence[T]]:
    """The pages of ``walk``, each ``Fetch`` answered by calling ``fetch``."""
    try:
        request = next(walk, None)
        while request is not None:
            if isinstance(request, Items):
                yield request.items
                answer = None
            else:
                answer = fetch(*request.args)
            request = _advance(walk, answer)
    finally:
        walk.close()


def walk_steps(
    walk: Walk[T],
    fetch: Callable[..., Step[Any]],
    each: Callable[[Sequence[T]], Step[Any]],
) -> Step[None]:
    """A step running ``walk``: each ``Fetch`` answered by the step ``fetch(*args)``, each
    page handed to the step ``each(items)``, whose value answers the ``Items``."""
    try:
        request = next(walk, None)
        while request is not None:
            if isinstance(request, Items):
                answer = yield from each(request.items)
            else:
                answer = yield from fetch(*request.args)
            request = _advance(walk, answer)
    finally:
        walk.close()


def collected_steps(walk: Walk[T], fetch: Callable[..., Step[Any]]) -> Step[list[T]]:
    """A step running ``walk`` to its end (``fetch`` as in ``walk_steps``): every item of
    every page, in order (for a short sub-list read whole: a ProSpend expense's splits)."""
    from expense_facade.steps import done

    collected: list[T] = []

    def each(items: Sequence[T]) -> Step[None]:
        collected.extend(items)
        return done(None)

    yield from walk_steps(walk, fetch, each)
    return collected


def _advance(walk: Walk[T], answer: Any) -> Fetch | Items[T] | None:
    try:
        return walk.send(answer)
    except StopIteration:
        return None


def cursor_pages(
    fetch: Callable[[str | None], CursorPage[T]],
    *,
    vendor: str,
    key: Callable[[T], Hashable | None] = raw_id,
) -> Iterator[Sequence[T]]:
    """Pages from ``fetch(cursor)``, starting with ``cursor=None``, until no next cursor
    (``cursor_walk``'s rules)."""
    return pulled(cursor_walk(vendor=vendor, key=key), fetch)


def cursor_walk(*, vendor: str, key: Callable[[T], Hashable | None] = raw_id) -> Walk[T]:
    """Cursor paging: ``Fetch((cursor,))`` answered with a ``CursorPage``, starting with
    ``cursor=None``, until no next cursor.

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
        page: CursorPage[T] = yield Fetch((cursor,))
        fresh, judged, new = _fresh(page.items, key, ids)
        yield Items(fresh)
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
    fresh = FreshFilter(key)
    for page in pages:
        yield fresh(page)


class FreshFilter(Generic[T]):
    """Called with each page: the page without the items whose key it passed before
    (items without a key always pass), so a listing yields each record once."""

    __slots__ = ("_key", "_seen")

    def __init__(self, key: Callable[[T], Hashable | None] = raw_id) -> None:
        self._key = key
        self._seen = SeenIds()

    def __call__(self, items: Iterable[T]) -> list[T]:
        key, seen = self._key, self._seen
        fresh: list[T] = []
        for item in items:
            ident = key(item)
            if ident is None or seen.add(ident):
                fresh.append(item)
        return fresh


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)

TimestampFetch = Callable[[dt.datetime | None, dt.datetime | None, int], Sequence[Any]]
"""``fetch(from_inclusive, to_exclusive, count)`` -> items, newest first."""


def timestamp_pages(fetch: TimestampFetch, **walk: Any) -> Iterator[Sequence[Any]]:
    """Pages of a list sorted newest first and paged with a ``[from, to)`` time window:
    ``timestamp_walk(**walk)``'s rules, each ``fetch(from, to, count)`` called here."""
    return pulled(timestamp_walk(**walk), fetch)


def _stamps(
    items: Sequence[Any],
    handed: Sequence[Any],
    read: Sequence[dt.datetime | None] | None,
    timestamp_of: Callable[[Any], dt.datetime | None],
) -> list[dt.datetime]:
    """The readable timestamps of a page's ``items``: for an item handed out (``handed``,
    the items in order without the repeated ones), the one the caller read (``read``, by
    position), else ``timestamp_of(item)`` (an item repeated from an earlier page, one not
    read, one whose timestamp the caller found unreadable)."""
    if not read:
        return [ts for ts in map(timestamp_of, items) if ts is not None]
    stamps: list[dt.datetime] = []
    position, count, known = 0, len(handed), len(read)
    for item in items:
        stamp = None
        if position < count and item is handed[position]:
            stamp = read[position] if position < known else None
            position += 1
        if stamp is None:
            stamp = timestamp_of(item)
            if stamp is None:
                continue
        stamps.append(stamp)
    return stamps


def timestamp_walk(
    *,
    timestamp_of: Callable[[Any], dt.datetime | None],
    page_size: int,
    max_page_size: int,
    vendor: str,
    since: dt.datetime | None = None,
    key: Callable[[Any], Hashable | None] = raw_id,
    resolution: dt.timedelta = dt.timedelta(milliseconds=1),
) -> Walk[Any]:
    """Pages of a list sorted newest first and paged with a ``[from, to)`` time window.

    ``fetch(from, to, count)`` returns at most ``count`` items with ``from <= t < to``,
    newest first (``None`` means unbounded). ``timestamp_of`` reads an item's timestamp
    (``None`` if unreadable). ``resolution`` is the vendor's timestamp precision. The
    answer to an ``Items`` may be the timestamps the caller read of the items handed out
    (by position, ``None`` where it read none): those are not read again (Revolut reads
    them as it maps its records); it must be what ``timestamp_of`` would read.

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
    fresh = FreshFilter(key)

    def bucket(value: dt.datetime) -> dt.datetime:
        # Floor to the vendor's resolution, so sub-resolution noise cannot stall `upper`.
        # Integer microseconds: float seconds would misplace a boundary and skip items.
        micros = (value - _EPOCH) // _MICROSECOND
        step = max(1, resolution // _MICROSECOND)
        return _EPOCH + (micros - micros % step) * _MICROSECOND

    upper: dt.datetime | None = None
    while True:
        items: Sequence[Any] = yield Fetch((since, upper, page_size))
        handed = fresh(items)
        read = yield Items(handed)
        if len(items) < page_size:
            return
        stamps = _stamps(items, handed, read, timestamp_of)
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
        ties: Sequence[Any] = yield Fetch((tie_lower, oldest + resolution, max_page_size))
        if len(ties) >= max_page_size:
            raise PaginationError(
                f"at least {max_page_size} items share the timestamp {oldest.isoformat()}, "
                "more than one request can return; cannot page past them without skipping",
                vendor=vendor,
            )
        yield Items(fresh(ties))
        upper = oldest
