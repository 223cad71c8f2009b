"""Retry and timeout constants, and the pure retry decision (``RetryPolicy``) the HTTP
session asks after each attempt; what is retried and how long it waits is in
docs/http.md, "Retries and timeouts".
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
from collections.abc import Callable

import attrs
import httpx

DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to establish a connection."""

DEFAULT_READ_TIMEOUT = 60.0
"""Seconds to wait for the response (and for writing the request, and for a pool slot)."""

SLOW_READ_TIMEOUT = 120.0
"""Read timeout for calls known to be slow (Capture's Export; an integrator uses 120 s)."""

DEFAULT_MAX_RETRIES = 3
"""Retries after the first attempt: at most ``1 + DEFAULT_MAX_RETRIES`` attempts."""

BACKOFF_BASE = 0.5
"""Seconds before the first retry; doubled for each further retry."""

BACKOFF_CAP = 8.0
"""Longest backoff between two attempts, in seconds."""

JITTER = 0.25
"""Fraction of the backoff removed at random, so that many clients do not retry in step."""

RETRY_AFTER_CAP = 60.0
"""Longest ``Retry-After`` honoured, in seconds; a longer ask gives up at once."""

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses that say "try again later" (for idempotent calls only)."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that are always safe to repeat."""

# The connect phase ended before any byte of the request left: safe to repeat any method.
_CONNECT_PHASE_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


def default_timeout(read: float = DEFAULT_READ_TIMEOUT) -> httpx.Timeout:
    """The facade's default timeouts; ``read`` also bounds writes and waiting for a pool slot."""
    return httpx.Timeout(read, connect=DEFAULT_CONNECT_TIMEOUT)


def as_timeout(value: float | httpx.Timeout | None, *, read: float) -> httpx.Timeout:
    """A user's ``timeout=`` (seconds for everything, an ``httpx.Timeout``, or ``None`` for
    the defaults with ``read`` seconds to read) as an ``httpx.Timeout``."""
    if value is None:
        return default_timeout(read)
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(positive_seconds(value, "timeout"))


def positive_seconds(value: object, name: str) -> float:
    """``value`` as a positive, finite number of seconds, or ``ValueError`` naming ``name``
    (NaN and infinities are refused: they would mean "never" or fail every comparison)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def check_max_retries(value: object) -> int:
    """``value`` if it is an integer >= 0 (a user's ``max_retries=``); else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an integer >= 0, not {value!r}")
    return value


def is_idempotent(method: str, *, retry_safe: bool) -> bool:
    """Whether repeating the call cannot do the vendor-side action twice."""
    return retry_safe or method.upper() in IDEMPOTENT_METHODS


def parse_retry_after(value: str | None, *, now: dt.datetime) -> float | None:
    """Seconds the vendor asked to wait: ``Retry-After`` as delta-seconds or an HTTP date
    (relative to ``now``). ``None`` when absent or unreadable; never negative."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive result means "-0000"
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


@attrs.frozen(slots=True)
class RetryDecision:
    """What to do after a failed attempt: wait ``delay`` seconds and retry, or stop.

    ``retry_after`` is what the vendor asked for (even when it was too long to honour),
    so the final error can say it.
    """

    retry: bool
    delay: float = 0.0
    retry_after: float | None = None
    reason: str = ""


@attrs.frozen(slots=True)
class RetryPolicy:
    """How many times and how long to wait; the decisions are pure functions of the attempt.

    ``jitter_source`` returns a float in [0, 1); inject ``lambda: 0.0`` for exact sleeps in
    tests (no jitter) or ``lambda: 0.999`` for the shortest.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    backoff_base: float = BACKOFF_BASE
    backoff_cap: float = BACKOFF_CAP
    jitter: float = JITTER
    retry_after_cap: float = RETRY_AFTER_CAP
    jitter_source: Callable[[], float] = attrs.field(default=random.random, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")

    def backoff(self, retry_number: int) -> float:
        """Seconds before retry number ``retry_number`` (1 for the first retry)."""
        delay = min(self.backoff_cap, self.backoff_base * 2 ** (retry_number - 1))
        return float(delay * (1.0 - self.jitter * self.jitter_source()))

    def after_exception(self, exc: Exception, *, idempotent: bool, attempt: int) -> RetryDecision:
        """Decision after attempt number ``attempt`` (1-based) failed with a transport error."""
        if attempt > self.max_retries:
            return RetryDecision(False, reason="no retries left")
        if isinstance(exc, _CONNECT_PHASE_ERRORS):
            return RetryDecision(True, self.backoff(attempt), reason=type(exc).__name__)
        if isinstance(exc, httpx.TransportError) and idempotent:
            return RetryDecision(True, self.backoff(attempt), reason=type(exc).__name__)
        # Not retried: the request may have reached the vendor and the write may be done.
        return RetryDecision(False, reason=f"{type(exc).__name__} on a write that is not safe")

    def after_status(
        self,
        status: int,
        retry_after_header: str | None,
        *,
        idempotent: bool,
        attempt: int,
        now: dt.datetime,
    ) -> RetryDecision:
        """Decision after attempt number ``attempt`` (1-based) got an HTTP error ``status``."""
        retry_after = parse_retry_after(retry_after_header, now=now)
        if status not in RETRYABLE_STATUSES:
            return RetryDecision(False, retry_after=retry_after, reason=f"HTTP {status}")
        if not idempotent:
            return RetryDecision(
                False, retry_after=retry_after, reason=f"HTTP {status} on a write that is not safe"
            )
        if retry_after is not None and retry_after > self.retry_after_cap:
            return RetryDecision(
                False,
                retry_after=retry_after,
                reason=f"more than the {self.retry_after_cap:g} s the client waits at most",
            )
        if attempt > self.max_retries:
            return RetryDecision(False, retry_after=retry_after, reason="no retries left")
        delay = retry_after if retry_after is not None else self.backoff(attempt)
        return RetryDecision(True, delay, retry_after=retry_after, reason=f"HTTP {status}")
