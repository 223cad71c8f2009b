"""Injectable time: a monotonic clock, a wall clock and a sleep, so tests never really
sleep (docs/sandbox.md shows ``FakeClock``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """What the library needs of time. ``SystemClock`` is the real one."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going backwards."""
        ...

    def now(self) -> dt.datetime:
        """The current wall-clock time, timezone-aware (UTC)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """``sleep`` for a coroutine: other tasks run meanwhile."""
        import asyncio  # here: the sync client never loads it (first use)

        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """A clock for tests: ``sleep`` advances time instantly and records each call."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._start = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self._elapsed

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=self._elapsed)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        """``sleep`` for a coroutine: recorded and instant, yet a point where other tasks
        run (as a real wait would be)."""
        import asyncio  # here: the sync client never loads it (first use)

        self.sleep(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Move time forward without recording a sleep."""
        if seconds > 0:
            self._elapsed += seconds
