"""``expense_facade._http.concurrency.ordered_map``: order, bounds, errors, laziness, concurrency=1.

No test sleeps: threads are coordinated with events and barriers (their timeouts only
elapse when the code under test is broken).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from expense_facade._http.concurrency import (
    MAX_CONCURRENCY,
    MAX_READ_AHEAD,
    check_concurrency,
    check_read_ahead,
    ordered_map,
    read_ahead,
)

WAIT = 10.0  # seconds a broken implementation may block a test before it fails


class InFlight:
    """Counts calls running at once, and the most seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started: list[int] = []

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.now -= 1


def test_results_come_out_in_input_order_although_later_items_finish_first() -> None:
    # Item i may finish only after item i + 1 has: completion order is the reverse.
    n = 4
    finished = [threading.Event() for _ in range(n + 1)]
    finished[n].set()
    order: list[int] = []

    def fn(i: int) -> int:
        assert finished[i + 1].wait(WAIT), "items did not run concurrently"
        order.append(i)
        finished[i].set()
        return i * 10

    assert list(ordered_map(fn, range(n), concurrency=n)) == [0, 10, 20, 30]
    assert order == [3, 2, 1, 0]


def test_in_flight_calls_reach_the_bound_and_never_exceed_it() -> None:
    concurrency = 3
    barrier = threading.Barrier(concurrency, timeout=WAIT)  # trips only with 3 at once
    counter = InFlight()

    def fn(i: int) -> int:
        with counter:
            barrier.wait()
        return i

    assert list(ordered_map(fn, range(12), concurrency=concurrency)) == list(range(12))
    assert counter.most == concurrency


def test_the_input_is_read_lazily_never_far_ahead_of_the_consumer() -> None:
    pulled: list[int] = []

    def source() -> Iterator[int]:
        for i in range(1000):
            pulled.append(i)
            yield i

    results = ordered_map(lambda i: i, source(), concurrency=4, window=6)
    assert pulled == []  # nothing runs before the first result is asked for
    for consumed, value in enumerate(results, start=1):
        assert value == consumed - 1
        assert len(pulled) <= consumed + 6
        if consumed == 10:
            break
    results.close()  # type: ignore[attr-defined]
    assert len(pulled) <= 16


def test_the_default_window_is_four_items_per_worker() -> None:
    pulled: list[int] = []

    def source() -> Iterator[int]:
        for i in range(1000):
            pulled.append(i)
            yield i

    results = ordered_map(lambda i: i, source(), concurrency=2)
    assert next(results) == 0
    assert len(pulled) <= 1 + 8
    results.close()  # type: ignore[attr-defined]


def test_a_slow_item_does_not_idle_the_other_workers() -> None:
    # Item 0 can finish only after items 1..5 have: with two workers, that needs the
    # window to take items beyond the two running ones while the consumer waits for 0.
    done = [threading.Event() for _ in range(6)]

    def fn(i: int) -> int:
        if i == 0:
            assert all(e.wait(WAIT) for e in done[1:]), "other items were held back"
        if i < len(done):
            done[i].set()
        return i

    assert list(ordered_map(fn, range(10), concurrency=2, window=6)) == list(range(10))


@pytest.mark.parametrize("window", [1, 0, True])
def test_a_window_smaller_than_the_pool_is_refused(window: object) -> None:
    with pytest.raises(ValueError, match="window"):
        ordered_map(lambda i: i, [1], concurrency=2, window=window)  # type: ignore[arg-type]


def test_an_error_is_raised_in_its_turn_after_the_results_before_it() -> None:
    calls: list[int] = []
    lock = threading.Lock()

    def fn(i: int) -> int:
        with lock:
            calls.append(i)
        if i == 5:
            raise KeyError("boom")
        return i

    results = ordered_map(fn, range(100), concurrency=4)
    got = [next(results) for _ in range(5)]
    with pytest.raises(KeyError, match="boom"):
        next(results)
    assert got == [0, 1, 2, 3, 4]
    # Items beyond the window (default 4 per worker) were never started.
    assert max(calls) <= 5 + 16


def test_closing_early_waits_for_running_calls_and_starts_no_more() -> None:
    release = threading.Event()
    running = InFlight()
    started: list[int] = []

    def fn(i: int) -> int:
        started.append(i)
        if i > 0:
            with running:
                release.wait(WAIT)
        return i

    results = ordered_map(fn, range(50), concurrency=4)
    assert next(results) == 0
    release.set()
    results.close()  # type: ignore[attr-defined]
    assert running.now == 0  # every started call has returned
    assert len(started) <= 1 + 4


def test_concurrency_one_runs_in_the_callers_thread_in_order() -> None:
    caller = threading.get_ident()
    threads: set[int] = set()

    def fn(i: int) -> int:
        threads.add(threading.get_ident())
        return -i

    assert list(ordered_map(fn, [3, 1, 2], concurrency=1)) == [-3, -1, -2]
    assert threads == {caller}


def test_concurrency_one_raises_the_error_of_the_failing_item() -> None:
    def fn(i: int) -> int:
        if i == 2:
            raise ValueError("item 2")
        return i

    results = ordered_map(fn, [1, 2, 3], concurrency=1)
    assert next(results) == 1
    with pytest.raises(ValueError, match="item 2"):
        next(results)


def test_empty_input_gives_no_results() -> None:
    assert list(ordered_map(lambda i: i, [], concurrency=8)) == []


@pytest.mark.parametrize("bad", [0, -1, MAX_CONCURRENCY + 1, True, 2.0, "8", None])
def test_concurrency_outside_the_range_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        check_concurrency(bad)
    with pytest.raises(ValueError, match="concurrency"):
        ordered_map(lambda i: i, [1], concurrency=bad)  # type: ignore[arg-type]


# -- read_ahead ---------------------------------------------------------------------------------


class Source:
    """A generator source that records how far it was asked, and whether it was closed."""

    def __init__(self, n: int, fail_at: int | None = None) -> None:
        self.n = n
        self.fail_at = fail_at
        self.produced = 0
        self.closed = False
        self.threads: set[int] = set()
        self.advanced = threading.Condition()

    def __iter__(self) -> Iterator[int]:
        try:
            for i in range(self.n):
                self.threads.add(threading.get_ident())
                if i == self.fail_at:
                    raise LookupError(f"page {i}")
                with self.advanced:
                    self.produced = i + 1
                    self.advanced.notify_all()
                yield i
        finally:
            self.closed = True

    def wait_for(self, produced: int) -> bool:
        with self.advanced:
            return self.advanced.wait_for(lambda: self.produced >= produced, WAIT)


def test_read_ahead_keeps_order_on_another_thread() -> None:
    source = Source(20)
    assert list(read_ahead(source, depth=2)) == list(range(20))
    assert threading.get_ident() not in source.threads
    assert source.closed


def test_read_ahead_runs_exactly_depth_items_ahead_and_no_further() -> None:
    depth = 2
    source = Source(60)
    items = read_ahead(source, depth=depth)
    assert source.produced == 0  # lazy: nothing before the first next()
    for consumed in range(1, 41):
        assert next(items) == consumed - 1
        # The producer may now hold `depth` items beyond the one just handed out: wait
        # until it has (it must get there), then check it went no further.
        assert source.wait_for(consumed + depth)
        assert source.produced <= consumed + depth
    items.close()  # type: ignore[attr-defined]
    assert source.closed  # closed early, on the producer's thread, finally blocks run
    assert source.produced <= 40 + depth


def test_read_ahead_raises_the_sources_error_in_its_place() -> None:
    items = read_ahead(Source(10, fail_at=3), depth=2)
    got = [next(items) for _ in range(3)]
    with pytest.raises(LookupError, match="page 3"):
        next(items)
    assert got == [0, 1, 2]


def test_read_ahead_zero_is_the_source_itself() -> None:
    source = Source(3)
    assert list(read_ahead(source, depth=0)) == [0, 1, 2]
    assert source.threads == {threading.get_ident()}


@pytest.mark.parametrize("bad", [-1, MAX_READ_AHEAD + 1, True, 1.0])
def test_read_ahead_depth_outside_the_range_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="depth"):
        read_ahead([1], depth=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="read_ahead"):
        check_read_ahead(bad)
