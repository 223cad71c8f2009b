"""A token bucket: the one rate-limit primitive, used by the client-side limiter and by the
sandbox's server-side limiter alike (docs/http.md, "Session").
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from expense_facade.clock import Clock, SystemClock

LONG_WAIT = 5.0
"""Seconds from which a wait to stay under a rate limit is logged as a warning (a shorter
one is a debug line): a run that stalls that long says why."""


class TokenBucket:
    """``rate`` tokens per second refill a bucket holding at most ``capacity`` tokens.

    A vendor limit of "60 requests per minute" is ``TokenBucket(rate=1.0, capacity=60)``
    for a server that allows bursts, or a small capacity for a client that wants to pace.
    Thread-safe, and shared by asyncio tasks alike: the arithmetic (``reserve``) is done
    under a lock held for no wait; a task awaits its wait (``pacing.asleep``), a thread
    sleeps it (``take``).
    """

    def __init__(self, rate: float, capacity: float, clock: Clock | None = None) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock or SystemClock()
        self._tokens = capacity
        self._stamp = self._clock.monotonic()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def try_take(self, tokens: float = 1.0) -> float:
        """Take ``tokens`` if available and return 0; otherwise take nothing and return the
        seconds until they would be available."""
        with self._lock:
            self._refill()
            if self._tokens >= tokens:
                self._tokens -= tokens
                return 0.0
            return (tokens - self._tokens) / self.rate

    def reserve(self, tokens: float = 1.0) -> float:
        """Take ``tokens`` now, going into debt if needed, and return how long the caller
        must wait before using them. Callers that reserve in turn are paced evenly."""
        with self._lock:
            self._refill()
            self._tokens -= tokens
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def take(
        self, tokens: float = 1.0, *, before_wait: Callable[[float], None] | None = None
    ) -> float:
        """Block (on the bucket's clock) until ``tokens`` are available; return seconds
        waited. ``before_wait(seconds)`` is called first when there is a wait (to say so)."""
        wait = self.reserve(tokens)
        if wait > 0:
            if before_wait is not None:
                before_wait(wait)
            self._clock.sleep(wait)
        return wait


async def asleep(clock: Clock, seconds: float) -> None:
    """Wait ``seconds`` on ``clock`` without blocking the event loop: the clock's own
    ``asleep`` (``SystemClock``, ``FakeClock``), else its blocking ``sleep`` in a thread
    (a caller's own clock)."""
    import asyncio  # here: the sync client never loads it (first use)

    own = getattr(clock, "asleep", None)
    if own is not None:
        await own(seconds)
    else:
        await asyncio.to_thread(clock.sleep, seconds)
