"""Bounded concurrency: ``ordered_map`` (a fan-out on threads that keeps input order),
its async twin ``aordered_map`` (on tasks), and ``read_ahead`` (a producer a bounded
number of items ahead of its consumer); guarantees in docs/http.md, "Fan-out and
read-ahead".
"""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")
F = TypeVar("F")

DEFAULT_CONCURRENCY = 8
"""Requests in flight at once for ``get_expenses`` unless told otherwise, and the value to
give ``connect(concurrency=...)`` for a listing's fan-out: enough to hide a vendor's
latency, few enough not to look like abuse."""

DEFAULT_FAN_OUT = 1
"""A listing's fan-out unless ``connect(concurrency=...)`` says otherwise: one request at a
time, so a listing's requests (and, when one fails, the retries and the point it stops)
come in one deterministic sequence. Exports that want speed pass ``concurrency=8``."""

MAX_CONCURRENCY = 64
"""Upper bound accepted for ``concurrency``: more threads only add contention."""


def check_concurrency(value: object, *, field: str = "concurrency") -> int:
    """``value`` if it is an integer within ``1..MAX_CONCURRENCY``; else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENCY:
        raise ValueError(f"{field} must be an integer within 1..{MAX_CONCURRENCY}, not {value!r}")
    return value


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    window: int | None = None,
    thread_name: str = "expense-facade",
) -> Iterator[R]:
    """``fn`` over ``items`` with at most ``concurrency`` calls at once; results in order.

    Lazy: nothing runs until the first result is asked for. ``window`` (at least
    ``concurrency``; default ``WINDOW_PER_WORKER * concurrency``) bounds the items taken
    ahead of the consumer. See the module docstring for the guarantees.
    """
    ahead = _checked_window(concurrency, window)
    if concurrency == 1:
        return map(fn, items)
    return _pooled(fn, items, concurrency, ahead, thread_name)


async def aordered_map(
    fn: Callable[[T], Awaitable[R]],
    items: Iterable[T],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    window: int | None = None,
) -> AsyncGenerator[R, None]:
    """``ordered_map`` for coroutines: ``fn`` over ``items`` on asyncio tasks, at most
    ``concurrency`` awaiting at once, results in input order, at most ``window`` items
    taken ahead of the consumer. An exception from ``fn`` reaches the consumer in its
    item's turn; then (or when the iteration is closed early, or cancelled) the tasks not
    consumed are cancelled and awaited, so none outlives the iteration."""
    import asyncio  # here: the sync client never loads it (first use)

    ahead = _checked_window(concurrency, window)
    if concurrency == 1:
        for item in items:
            yield await fn(item)
        return
    slots = asyncio.Semaphore(concurrency)

    async def bounded(item: T) -> R:
        async with slots:
            return await fn(item)

    # Tasks copy the caller's context, so a listing's request ids include its fan-out.
    tasks = _Window(items, lambda item: asyncio.ensure_future(bounded(item)), ahead)
    try:
        while (task := tasks.pop()) is not None:
            result = await task  # re-raises fn's exception, in order
            tasks.refill()
            yield result
    finally:
        for waiting in tasks.pending:
            waiting.cancel()
        await asyncio.gather(*tasks.pending, return_exceptions=True)


def _checked_window(concurrency: int, window: int | None) -> int:
    """The window of a fan-out of ``concurrency`` (the default when ``window`` is None)."""
    check_concurrency(concurrency)
    ahead = WINDOW_PER_WORKER * concurrency if window is None else window
    if isinstance(ahead, bool) or not isinstance(ahead, int) or ahead < concurrency:
        raise ValueError(f"window must be an integer >= concurrency ({concurrency})")
    return ahead


class _Window(Generic[T, F]):
    """The items of a fan-out started ahead of the consumer (futures or tasks ``F``),
    oldest first: primed to ``size``, then one started per one consumed, so queued,
    running and finished-but-not-consumed items never exceed ``size``."""

    def __init__(self, items: Iterable[T], start: Callable[[T], F], size: int) -> None:
        self._source = iter(items)
        self._start = start
        self.pending: deque[F] = deque()
        for item in self._source:
            self.pending.append(start(item))
            if len(self.pending) >= size:
                break

    def pop(self) -> F | None:
        """The oldest started item, or None when all are consumed."""
        return self.pending.popleft() if self.pending else None

    def refill(self) -> None:
        """Start the next item, if any (after one was consumed)."""
        for item in self._source:
            self.pending.append(self._start(item))
            break


WINDOW_PER_WORKER = 4
"""Default ``window`` of ``ordered_map``: items taken ahead of the consumer per worker."""


def _pooled(
    fn: Callable[[T], R], items: Iterable[T], concurrency: int, window: int, thread_name: str
) -> Iterator[R]:
    from concurrent.futures import ThreadPoolExecutor  # lazy: importing it costs startup time

    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=thread_name)

    # Each call runs in a copy of the submitter's context, so what a listing records
    # (session.recording_request_ids) includes the requests of its fan-out.
    def start(item: T) -> Future[R]:
        return executor.submit(contextvars.copy_context().run, fn, item)

    futures: _Window[T, Future[R]] | None = None
    try:
        futures = _Window(items, start, window)
        while (future := futures.pop()) is not None:
            result = future.result()  # re-raises fn's exception, in order
            futures.refill()
            yield result
    finally:
        # Error or early close: drop what has not started, wait for what has (no thread
        # keeps sending requests after the caller has moved on).
        for waiting in futures.pending if futures is not None else ():
            waiting.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


MAX_READ_AHEAD = 8
"""Upper bound accepted for ``read_ahead`` depth (each item may be a whole page)."""


def check_read_ahead(value: object, *, field: str = "read_ahead") -> int:
    """``value`` if it is an integer within ``0..MAX_READ_AHEAD``; else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_READ_AHEAD:
        raise ValueError(f"{field} must be an integer within 0..{MAX_READ_AHEAD}, not {value!r}")
    return value


def read_ahead(
    source: Iterable[T], *, depth: int = 1, thread_name: str = "expense-facade-read-ahead"
) -> Iterator[T]:
    """``source``'s items, in order, produced on a background thread at most ``depth``
    items ahead of the consumer (``depth=0``: the source itself, no thread).

    Lazy: the thread starts at the first ``next``. The producer asks the source for the
    next item only once fewer than ``depth`` items are waiting, so it never runs further
    ahead. An exception from the source is raised to the consumer in its place (after the
    items before it). Closing the iterator early stops the producer and closes the source
    (on the producer's thread, so the source's ``finally`` blocks run) before returning.
    """
    check_read_ahead(depth, field="depth")
    if depth == 0:
        return iter(source)
    return _read_ahead(source, depth, thread_name)


_DONE = object()


def _read_ahead(source: Iterable[T], depth: int, thread_name: str) -> Iterator[T]:
    items: deque[tuple[bool, Any]] = deque()  # (is_error, item or exception)
    ready = threading.Condition()
    slots = threading.Semaphore(depth)  # items the producer may still run ahead
    stop = threading.Event()

    def produce() -> None:
        iterator = iter(source)
        try:
            while True:
                slots.acquire()
                if stop.is_set():
                    return
                try:
                    item: Any = next(iterator)
                except StopIteration:
                    item = _DONE
                except BaseException as exc:  # handed to the consumer, in its place
                    with ready:
                        items.append((True, exc))
                        ready.notify()
                    return
                with ready:
                    items.append((False, item))
                    ready.notify()
                if item is _DONE:
                    return
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # the source's own cleanup, on the thread that ran it

    producer = threading.Thread(target=produce, name=thread_name, daemon=True)
    producer.start()
    try:
        while True:
            with ready:
                while not items:
                    ready.wait()
                failed, item = items.popleft()
            if failed:
                raise item
            if item is _DONE:
                return
            slots.release()
            yield item
    finally:
        stop.set()
        slots.release()  # wake a producer waiting for a slot, so it sees `stop`
        producer.join()
