"""Paging strategies: the cursor guard, timestamp paging with ties, de-duplication."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import pytest
from expense_facade.errors import PaginationError
from expense_facade.mapping.paging import (
    CursorPage,
    Items,
    cursor_pages,
    dedupe_pages,
    numbered_pages,
    timestamp_pages,
    timestamp_walk,
)
from hypothesis import given, settings
from hypothesis import strategies as st

T0 = dt.datetime(2025, 10, 6, 8, 0, tzinfo=dt.UTC)
MS = dt.timedelta(milliseconds=1)


class TimeWindowSource:
    """A fake Revolut list: ``[from, to)`` newest first, at most ``count``, ties in an order
    that changes on every request (the vendor does not promise one)."""

    def __init__(self, items: list[dict[str, Any]], seed: int = 0) -> None:
        self.items = items
        self.calls: list[tuple[dt.datetime | None, dt.datetime | None, int]] = []
        self._random = random.Random(seed)

    def fetch(
        self, lower: dt.datetime | None, upper: dt.datetime | None, count: int
    ) -> list[dict[str, Any]]:
        self.calls.append((lower, upper, count))
        window = [
            item
            for item in self.items
            if (lower is None or item["at"] >= lower) and (upper is None or item["at"] < upper)
        ]
        self._random.shuffle(window)
        window.sort(key=lambda item: item["at"], reverse=True)  # stable: ties stay shuffled
        return window[:count]


def stamp(item: Any) -> dt.datetime | None:
    value = item.get("at")
    return value if isinstance(value, dt.datetime) else None


def run(
    source: TimeWindowSource,
    *,
    page_size: int,
    max_page_size: int = 10,
    since: dt.datetime | None = None,
) -> list[str]:
    ids: list[str] = []
    for page in timestamp_pages(
        source.fetch,
        timestamp_of=stamp,
        page_size=page_size,
        max_page_size=max_page_size,
        vendor="revolut",
        since=since,
    ):
        ids.extend(item["id"] for item in page)
        assert len(source.calls) < 1000, "paging does not terminate"
    return ids


def make(offsets_ms: Sequence[int]) -> list[dict[str, Any]]:
    return [{"id": f"e{i}", "at": T0 + offset * MS} for i, offset in enumerate(offsets_ms)]


def test_ties_longer_than_a_page_are_neither_skipped_nor_duplicated() -> None:
    # 7 expenses share one millisecond, pages hold 3: the vendor's own rule would skip or loop.
    items = make([50, 40, 30, 30, 30, 30, 30, 30, 30, 20, 10, 0])
    source = TimeWindowSource(items)
    ids = run(source, page_size=3)
    assert sorted(ids) == sorted(item["id"] for item in items)
    assert len(ids) == len(set(ids))
    # The all-ties page was paged past with one request for the whole instant, at max size.
    assert (T0 + 30 * MS, T0 + 31 * MS, 10) in [(lo, up, n) for lo, up, n in source.calls]


def test_a_list_made_only_of_ties() -> None:
    items = make([5] * 8)
    ids = run(TimeWindowSource(items), page_size=2)
    assert sorted(ids) == sorted(item["id"] for item in items)
    assert len(ids) == 8


def test_more_ties_than_one_request_can_return_is_an_error_not_a_skip() -> None:
    items = make([7] * 12)
    with pytest.raises(PaginationError, match="share the timestamp"):
        run(TimeWindowSource(items), page_size=3, max_page_size=10)


def test_since_is_the_lower_bound() -> None:
    items = make([0, 1, 2, 3, 3, 3, 4, 5])
    ids = run(TimeWindowSource(items), page_size=2, since=T0 + 3 * MS)
    assert sorted(ids) == ["e3", "e4", "e5", "e6", "e7"]


def test_sub_millisecond_timestamps_do_not_stall_paging() -> None:
    micro = dt.timedelta(microseconds=1)
    items: list[dict[str, Any]] = [{"id": f"e{i}", "at": T0 + (i % 4) * micro} for i in range(9)]
    ids = run(TimeWindowSource(items), page_size=2)
    assert sorted(ids) == sorted(item["id"] for item in items)


def test_unreadable_timestamps_are_yielded_and_not_used_as_boundary() -> None:
    items = make([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    broken = {"id": "bad", "at": T0 + 5 * MS, "raw_date": "2025-10-6T08:34:18.123Z"}
    source = TimeWindowSource([*items, broken])
    real_fetch = source.fetch

    def fetch(lo: dt.datetime | None, up: dt.datetime | None, n: int) -> list[dict[str, Any]]:
        # the vendor sorts by its own value; we cannot read this one's
        return [dict(i, at=None) if i["id"] == "bad" else i for i in real_fetch(lo, up, n)]

    ids: list[str] = []
    for page in timestamp_pages(
        fetch, timestamp_of=stamp, page_size=3, max_page_size=10, vendor="revolut"
    ):
        ids.extend(item["id"] for item in page)
    assert sorted(ids) == sorted([*(i["id"] for i in items), "bad"])
    assert len(ids) == len(set(ids))


def read_walk(
    source: TimeWindowSource, *, page_size: int, unread: set[str], wasted: list[str]
) -> list[str]:
    """``timestamp_walk`` driven as an adapter's step drives it (``walk_steps``): each
    ``Items`` answered with the timestamps the caller read of the items handed out
    (``None`` for those in ``unread``); ``wasted`` gets each item ``timestamp_of`` was
    asked for although the caller had read its timestamp on that page."""
    handed: set[str] = set()

    def counted(item: Any) -> dt.datetime | None:
        if item["id"] in handed and item["id"] not in unread:
            wasted.append(item["id"])
        return stamp(item)

    walk = timestamp_walk(timestamp_of=counted, page_size=page_size, max_page_size=10, vendor="v")
    ids: list[str] = []
    request = next(walk)
    try:
        while True:
            if isinstance(request, Items):
                handed = {item["id"] for item in request.items}
                ids.extend(handed)
                answer: Any = [None if i["id"] in unread else stamp(i) for i in request.items]
            else:
                answer = source.fetch(*request.args)
            request = walk.send(answer)
    except StopIteration:
        return ids


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=6), min_size=0, max_size=40),
    page_size=st.integers(min_value=1, max_value=6),
    unread=st.sets(st.integers(min_value=0, max_value=39), max_size=8),
)
def test_timestamps_the_caller_read_page_as_timestamp_of_would(
    offsets: list[int], page_size: int, unread: set[int]
) -> None:
    """Revolut's page boundary comes from its mapped records: the same requests and items
    as reading each item's timestamp again, and ``timestamp_of`` asked only for the items
    the caller did not read (repeated from an earlier page, or read as ``None``)."""
    items = make(offsets)
    plain = TimeWindowSource(items)
    source = TimeWindowSource(items)
    wasted: list[str] = []
    not_read = {f"e{i}" for i in unread}
    try:
        expected: list[str] | str = sorted(run(plain, page_size=page_size))
    except PaginationError:  # more ties than a request can return: refused by both
        expected = "refused"
    try:
        got: list[str] | str = sorted(
            read_walk(source, page_size=page_size, unread=not_read, wasted=wasted)
        )
    except PaginationError:
        got = "refused"
    assert got == expected
    assert source.calls == plain.calls
    assert wasted == []


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=6), min_size=0, max_size=40),
    page_size=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_timestamp_paging_yields_every_item_exactly_once(
    offsets: list[int], page_size: int, seed: int
) -> None:
    items = make(offsets)
    max_page = 12
    ties = max((offsets.count(o) for o in set(offsets)), default=0)
    source = TimeWindowSource(items, seed)
    if ties >= max_page and len(items) > page_size:
        with pytest.raises(PaginationError):
            run(source, page_size=page_size, max_page_size=max_page)
        return
    ids = run(source, page_size=page_size, max_page_size=max_page)
    assert sorted(ids) == sorted(item["id"] for item in items)
    assert len(ids) == len(set(ids))


def test_cursor_pages_follow_cursors_to_the_end() -> None:
    pages = {None: (["a", "b"], "c1"), "c1": (["c"], 2), "2": (["d"], None)}
    seen: list[str | None] = []

    def fetch(cursor: str | None) -> CursorPage[str]:
        seen.append(cursor)
        items, nxt = pages[cursor]
        return CursorPage(items, nxt)  # type: ignore[arg-type]  # a numeric cursor, as Pazy's

    assert [list(p) for p in cursor_pages(fetch, vendor="pazy")] == [["a", "b"], ["c"], ["d"]]
    assert seen == [None, "c1", "2"]


@pytest.mark.parametrize("cycle", [["c1", "c1"], ["c1", "c2", "c1"]])
def test_a_repeating_cursor_stops_with_a_clear_error(cycle: list[str]) -> None:
    cursors = iter(cycle)
    calls = 0

    def fetch(cursor: str | None) -> CursorPage[int]:
        nonlocal calls
        calls += 1
        return CursorPage([calls], next(cursors))

    with pytest.raises(PaginationError, match="cursor repeats"):
        for _ in cursor_pages(fetch, vendor="brex"):
            pass
    assert calls == len(cycle)


def test_endless_empty_pages_stop() -> None:
    counter = iter(range(1000))

    def fetch(cursor: str | None) -> CursorPage[int]:
        return CursorPage([], f"c{next(counter)}")

    with pytest.raises(PaginationError, match="empty pages"):
        list(cursor_pages(fetch, vendor="brex"))


def test_numbered_pages_stop_on_a_short_page_or_the_total() -> None:
    data = list(range(7))
    calls: list[int] = []

    def by_offset(offset: int) -> list[int]:
        calls.append(offset)
        return data[offset : offset + 3]

    assert [list(p) for p in numbered_pages(by_offset, page_size=3, first=0, step=3)] == [
        [0, 1, 2],
        [3, 4, 5],
        [6],
    ]
    six = data[:6]
    pages = list(numbered_pages(lambda n: six[(n - 1) * 3 : n * 3], page_size=3, total=lambda: 6))
    assert len(pages) == 2  # no extra empty request once the total is reached


def test_dedupe_pages_drops_records_that_moved_between_pages() -> None:
    pages: list[list[dict[str, Any]]] = [
        [{"id": "1"}, {"id": "2"}],
        [{"id": "2"}, {"id": 3}, {"x": "no id"}],
        [{"id": "1"}],
    ]
    out = [[item.get("id") for item in page] for page in dedupe_pages(pages)]
    assert out == [["1", "2"], [3, None], []]
