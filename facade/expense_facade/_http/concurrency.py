"""Bounded concurrency: ``ordered_map`` (a fan-out that keeps input order) and
``read_ahead`` (a producer a bounded number of items ahead of its consumer); guarantees
in docs/http.md, "Fan-out and read-ahead".
"""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

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
    check_concurrency(concurrency)
    ahead = WINDOW_PER_WORKER * concurrency if window is None else window
    if isinstance(ahead, bool) or not isinstance(ahead, int) or ahead < concurrency:
        raise ValueError(f"window must be an integer >= concurrency ({concurrency})")
    if concurrency == 1:
        return map(fn, items)
    return _pooled(fn, items, concurrency, ahead, thread_name)


WINDOW_PER_WORKER = 4
"""Default ``window`` of ``ordered_map``: items taken ahead of the consumer per worker."""


def _pooled(
    fn: Callable[[T], R], items: Iterable[T], concurrency: int, window: int, thread_name: str
) -> Iterator[R]:
    from concurrent.futures import ThreadPoolExecutor  # lazy: importing it costs startup time

    source = iter(items)
    pending: deque[Future[R]] = deque()
    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=thread_name)
    # Each call runs in a copy of the submitter's context, so what a listing records
    # (session.recording_request_ids) includes the requests of its fan-out.
    try:
        # Prime the window, then keep it full: one new submission per result handed out,
        # so queued, running and finished-but-not-consumed items never exceed `window`;
        # the pool's `concurrency` workers bound the calls running at once.
        for item in source:
            pending.append(executor.submit(contextvars.copy_context().run, fn, item))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()  # re-raises fn's exception, in order
            for item in source:
                pending.append(executor.submit(contextvars.copy_context().run, fn, item))
                break
            yield result
    finally:
        # Error or early close: drop what has not started, wait for what has (no thread
        # keeps sending requests after the caller has moved on).
        for future in pending:
            future.cancel()
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
