"""``Sandbox``: the five vendor simulators behind one URL space, with faults, rate limits,
observers and a request log; served in-process (``transport()``) or on loopback
(``serve()``). Reference: docs/sandbox.md.
"""

from __future__ import annotations

import collections
import datetime as dt
import email.utils
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import attrs

from expense_facade import registry
from expense_facade._http.pacing import TokenBucket
from expense_facade._http.redaction import REDACTED, redact_headers
from expense_facade.clock import Clock, SystemClock
from expense_facade.sandbox.faults import (
    Fault,
    FaultKind,
    FaultSet,
    deep_nesting_response,
    dripped,
    gzip_bomb_response,
    html_response,
    mutated,
    oversized_response,
    truncated,
    with_fresh_cursor,
)
from expense_facade.sandbox.vendor import VendorSim
from expense_facade.sandbox.wire import SimRequest, SimResponse, json_response

if TYPE_CHECKING:
    import httpx

    from expense_facade.sandbox.server import SandboxServer

IN_PROCESS_ORIGIN = "https://sandbox.invalid"

SECRET_QUERY = frozenset(
    {"signature", "sig", "token", "access_token", "api_key", "apikey", "key", "x-api-key"}
)
AUTH_MODES = ("token", "refresh")
"""``Sandbox(auth=...)``: ``token`` hands out each vendor's static credential;
``refresh`` the settings of the vendor's token refresh flow where it has one (revolut:
its access tokens then expire after 40 minutes of the sandbox clock), else the token."""
LOG_LIMIT = 100_000  # request-log entries kept (oldest dropped first)


def load_simulator(vendor: str) -> type[VendorSim]:
    """The simulator class of ``vendor`` (its registry line names it). Every listed vendor
    has one: an unknown vendor, or a simulator that is not installed, is a
    ``ConfigurationError`` naming it."""
    key = registry.normalise_vendor(vendor)
    base: type = VendorSim  # an abstract class: mypy takes it only untyped here
    cls: type[VendorSim] = registry.load_class(
        key, registry.vendors()[key].simulator, "simulator", base
    )
    return cls


def available_vendors() -> tuple[str, ...]:
    """The vendor keys the sandbox simulates: every vendor of the registry."""
    return registry.available_vendors()


ALL: tuple[str, ...] = available_vendors()
"""The vendors registered when the sandbox was imported (``Sandbox()`` mounts them all)."""


def redact_url(url: str) -> str:
    """``url`` with the values of secret-looking query parameters (pre-signed
    ``X-Amz-*`` parameters, tokens, keys) replaced."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    cleaned = [
        (k, REDACTED if k.lower() in SECRET_QUERY or k.lower().startswith("x-amz-") else v)
        for k, v in pairs
    ]
    query = "&".join(f"{quote(k, safe='[]')}={quote(v, safe='[]')}" for k, v in cleaned)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


@attrs.frozen
class LoggedRequest:
    """One entry of ``Sandbox.requests``. Credentials are already redacted."""

    method: str
    url: str
    status: int | None  # None when the connection was dropped or hung
    vendor: str | None
    route: str | None
    injected: bool
    fault: str | None
    headers: Mapping[str, str] = attrs.field(repr=False)
    at: dt.datetime


@attrs.frozen
class Exchange:
    """One answered request, as observers see it.

    ``path`` is relative to the mount the request went to: for a vendor's API mount
    (``api`` True) that is the path of the vendor's spec (``/v1/expenses/expense_x``).
    ``api`` is False for a helper mount (brex's upload bucket) and for a path where
    nothing is mounted (``vendor`` None). ``exempt`` is True when the answer is wrong on
    purpose (an injected fault, mutated or truncated records, a deliberate quirk)."""

    request: SimRequest
    response: SimResponse
    vendor: str | None
    path: str
    route: str | None
    api: bool
    fault: Fault | None

    @property
    def exempt(self) -> bool:
        """True when the response is not meant to follow the vendor's spec."""
        return self.response.injected or (
            self.fault is not None and self.fault.kind in (FaultKind.MUTATE, FaultKind.TRUNCATE)
        )


Observer = Callable[[Exchange], None]

# Observers of every Sandbox in the process (see the module docstring); tests install one
# for a whole session. Append/remove only; read as a snapshot.
OBSERVERS: list[Observer] = []


@attrs.frozen
class Dispatch:
    """What the app decided for one request: an answer (or none, when the fault drops the
    connection), the fault applied, and how long to delay."""

    response: SimResponse | None
    fault: Fault | None = None
    latency: float = 0.0


class Sandbox:
    """Every registered vendor's simulator in one app.

    ``size`` is the number of expenses per vendor (``sizes`` overrides per vendor); data is
    generated per index on demand, so a million costs nothing until it is read. ``clock``
    drives upload-URL expiry, rate-limit refills and in-process latency (default: the real
    clock). ``vendors`` restricts which vendors are mounted (default: every registered one).
    ``log_limit`` bounds the request log (oldest entries dropped first; 0 keeps none, for
    long runs and memory measurements).
    ``auth="refresh"`` hands out the refresh flow's settings instead of static tokens where
    a vendor has one (revolut; see ``AUTH_MODES`` and docs/sandbox.md).
    """

    def __init__(
        self,
        seed: int = 1,
        size: int = 500,
        *,
        sizes: Mapping[str, int] | None = None,
        clock: Clock | None = None,
        vendors: Iterable[str] | None = None,
        log_limit: int = LOG_LIMIT,
        auth: str = "token",
    ) -> None:
        if log_limit < 0:
            raise ValueError("log_limit must be 0 or more")
        if auth not in AUTH_MODES:
            raise ValueError(f"auth must be one of {', '.join(AUTH_MODES)}, not {auth!r}")
        self.auth = auth
        """Which credentials ``credentials()`` hands out (see ``AUTH_MODES``)."""
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self.faults = FaultSet()
        self._sims: dict[str, VendorSim] = {}
        self._locks: dict[str, threading.Lock] = {}
        for key in available_vendors() if vendors is None else vendors:
            cls = load_simulator(key)
            vendor_size = (sizes or {}).get(key, size)
            self._sims[key] = cls(seed=seed, size=vendor_size, clock=self.clock)
            self._locks[key] = threading.Lock()
        self._mounts: list[tuple[str, str, Callable[[SimRequest], SimResponse] | None]] = []
        for key, sim in self._sims.items():
            self._mounts.append((sim.mount, key, None))
            for prefix, handler in sim.extra_mounts().items():
                self._mounts.append((prefix, key, handler))
        self._mounts.sort(key=lambda m: len(m[0]), reverse=True)
        # Bounded so a long-running served sandbox does not grow without end.
        self._log: collections.deque[LoggedRequest] = collections.deque(maxlen=log_limit)
        self._log_lock = threading.Lock()
        self._buckets: dict[str, TokenBucket] = {}
        self.rate_limited: collections.Counter[str] = collections.Counter()
        self._observers: list[Observer] = []
        self._request_ids = itertools.count(1)  # next() is atomic: served threads share it
        self._fresh_cursors = itertools.count(1)  # never the same cursor twice

    # -- vendors ------------------------------------------------------------------------

    @property
    def vendors(self) -> tuple[str, ...]:
        """The mounted vendor keys."""
        return tuple(self._sims)

    def vendor(self, key: str) -> VendorSim:
        """The simulator of ``key`` (for ground-truth introspection in tests)."""
        try:
            return self._sims[key]
        except KeyError:
            raise KeyError(f"vendor {key!r} is not mounted in this sandbox") from None

    def base_url(self, vendor: str) -> str:
        """The in-process base URL of ``vendor`` (for clients using ``transport()``)."""
        return IN_PROCESS_ORIGIN + self.vendor(vendor).mount

    def credentials(self, vendor: str) -> dict[str, str]:
        """``connect()`` keyword arguments that authenticate against this sandbox (the
        refresh flow's settings where ``auth="refresh"`` and the vendor has one)."""
        sim = self.vendor(vendor)
        refresh = sim.refresh_credentials() if self.auth == "refresh" else None
        return refresh if refresh is not None else sim.credentials()

    # -- rate limiting --------------------------------------------------------------------

    def enable_rate_limits(self, *vendors: str, limit: tuple[int, float] | None = None) -> None:
        """Enforce each vendor's published limit (or ``limit`` = (requests, per_seconds))
        with a token bucket on the sandbox clock. No vendors named = every vendor that
        publishes a limit."""
        targets = vendors or tuple(k for k, s in self._sims.items() if s.rate_limit)
        for key in targets:
            chosen = limit or self.vendor(key).rate_limit
            if chosen is None:
                raise ValueError(f"{key} publishes no rate limit; pass limit=(n, seconds)")
            requests, per = chosen
            self._buckets[key] = TokenBucket(rate=requests / per, capacity=requests,
                                             clock=self.clock)  # fmt: skip

    def disable_rate_limits(self, *vendors: str) -> None:
        """Stop enforcing rate limits (for ``vendors``, or all)."""
        for key in vendors or tuple(self._buckets):
            self._buckets.pop(key, None)

    # -- request log ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        """Forget the request log."""
        with self._log_lock:
            self._log.clear()

    def _record(self, req: SimRequest, status: int | None, vendor: str | None,
                route: str | None, injected: bool, fault: Fault | None) -> None:  # fmt: skip
        entry = LoggedRequest(
            method=req.method,
            url=redact_url(req.url),
            status=status,
            vendor=vendor,
            route=route,
            injected=injected,
            fault=None if fault is None else str(fault.kind),
            headers=redact_headers(req.headers),
            at=self.clock.now(),
        )
        with self._log_lock:
            self._log.append(entry)

    # -- observers --------------------------------------------------------------------------

    def add_observer(self, observer: Observer) -> None:
        """Call ``observer(exchange)`` for every request this sandbox answers (dropped
        connections have no answer and are not observed). See the module docstring."""
        self._observers.append(observer)

    def remove_observer(self, observer: Observer) -> None:
        """Stop calling ``observer`` (ValueError when it was not added)."""
        self._observers.remove(observer)

    def _notify(self, req: SimRequest, response: SimResponse, vendor: str | None, path: str,
                route: str | None, api: bool, fault: Fault | None) -> None:  # fmt: skip
        if not (OBSERVERS or self._observers):
            return  # the common case: nothing to build
        observers = (*OBSERVERS, *self._observers)
        exchange = Exchange(req, response, vendor, path, route, api, fault)
        for observer in observers:
            observer(exchange)

    # -- the app ---------------------------------------------------------------------------

    def dispatch(self, req: SimRequest) -> Dispatch:
        """Route ``req`` (its ``path`` absolute from the sandbox root) and answer it."""
        for prefix, key, extra in self._mounts:
            if req.path == prefix or req.path.startswith(prefix + "/"):
                inner = attrs.evolve(req, path=req.path[len(prefix) :] or "/")
                return self._dispatch_vendor(req, inner, key, prefix, extra)
        response = json_response(404, {"message": f"nothing is mounted at {req.path}"})
        self._record(req, 404, None, None, False, None)
        self._notify(req, response, None, req.path, None, False, None)
        return Dispatch(response)

    def _dispatch_vendor(
        self,
        outer: SimRequest,
        req: SimRequest,
        key: str,
        prefix: str,
        extra: Callable[[SimRequest], SimResponse] | None,
    ) -> Dispatch:
        sim = self._sims[key]
        if extra is None:
            route = sim.match_route(req.method, req.path)
            route_key = None if route is None else route.key
        else:
            route_key = f"{req.method} {prefix}"
        fault = self.faults.take(key, req.method, req.path, route_key)
        if fault is not None and fault.before_vendor:
            response = None if fault.drops_connection else self._fault_response(sim, fault)
            if response is not None and extra is None:
                response = self._with_request_id(sim, response)
            self._record(outer, None if response is None else response.status, key,
                         route_key, True, fault)  # fmt: skip
            if response is not None:
                self._notify(outer, response, key, req.path, route_key, extra is None, fault)
            return Dispatch(response, fault)

        fresh_cursor = fault is not None and fault.kind is FaultKind.FRESH_CURSOR
        if fresh_cursor:
            # The first page, whatever cursor was asked for (see Fault.fresh_cursor_loop).
            query = tuple((k, v) for k, v in req.query if k != sim.cursor_param)
            req = attrs.evolve(req, query=query)
        response = self._answer(sim, key, req, extra)
        if extra is None:
            response = self._with_request_id(sim, response)
        if fault is not None:
            if fault.kind is FaultKind.TRUNCATE:
                response = truncated(response)
            elif fault.kind is FaultKind.MUTATE:
                response = mutated(response, fault, sim)
            elif fault.kind is FaultKind.DRIP:
                response = dripped(response, fault.seconds)
            elif fresh_cursor and sim.next_cursor_field is not None:
                number = next(self._fresh_cursors)
                response = with_fresh_cursor(response, sim.next_cursor_field, number)
        if fault is not None and fault.drops_connection:  # processed, then the answer is lost
            self._record(outer, None, key, route_key, True, fault)
            return Dispatch(None, fault)
        self._record(outer, response.status, key, route_key, response.injected, fault)
        self._notify(outer, response, key, req.path, route_key, extra is None, fault)
        latency = fault.seconds if fault is not None and fault.kind is FaultKind.LATENCY else 0
        return Dispatch(response, fault, float(latency))

    def _answer(
        self,
        sim: VendorSim,
        key: str,
        req: SimRequest,
        extra: Callable[[SimRequest], SimResponse] | None,
    ) -> SimResponse:
        if extra is None:
            denied = sim.authenticate(req)
            if denied is not None:
                return denied
        bucket = self._buckets.get(key)
        if bucket is not None and extra is None:
            wait = bucket.try_take()
            if wait > 0:
                self.rate_limited[key] += 1
                response = sim.rate_limited_response(wait)
                # A vendor that publishes no limit documents no 429 either: a test that
                # imposes one injects a fault.
                return response if sim.rate_limit else attrs.evolve(response, injected=True)
        with self._locks[key]:
            return sim.handle(req) if extra is None else extra(req)

    def _with_request_id(self, sim: VendorSim, response: SimResponse) -> SimResponse:
        """``response`` carrying a request id in the vendor's request-id header, as a real
        API answers every call (errors included), so clients can quote it, and a ``Date``
        from the sandbox's clock (the vendor's own clock)."""
        names = {name.lower() for name in response.headers}
        headers = dict(response.headers)
        if "date" not in names:
            headers["Date"] = email.utils.format_datetime(
                self.clock.now().astimezone(dt.UTC), usegmt=True
            )
        header = sim.request_id_header
        if header.lower() not in names:  # a fault that names its own request id keeps it
            headers[header] = f"req_{sim.key}_{next(self._request_ids):08d}"
        return attrs.evolve(response, headers=headers)

    @staticmethod
    def _fault_response(sim: VendorSim, fault: Fault) -> SimResponse:
        if fault.kind is FaultKind.HTML:
            return html_response(fault.status_code)
        if fault.kind is FaultKind.OVERSIZED:
            return oversized_response(fault.limit or 0, fault.headers.get("content-type"))
        if fault.kind is FaultKind.GZIP_BOMB:
            return gzip_bomb_response(fault.limit or 0)
        if fault.kind is FaultKind.DEEP_NESTING:
            return deep_nesting_response(fault.limit or 0)
        if fault.body is not None:
            headers = {"content-type": "application/json", **fault.headers}
            return SimResponse(fault.status_code, fault.body, headers, injected=True)
        response = sim.error_response(fault.status_code, fault.message, fault.headers)
        return attrs.evolve(response, injected=True)

    # -- serving ----------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An in-process ``httpx`` transport serving every mounted vendor (no sockets)."""
        from expense_facade.sandbox.transport import SandboxTransport

        return SandboxTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The same for an ``httpx.AsyncClient`` (the same dispatch and faults; latency
        awaited, so concurrent tasks overlap it)."""
        from expense_facade.sandbox.transport import AsyncSandboxTransport

        return AsyncSandboxTransport(self)

    @contextmanager
    def serve(self, port: int = 0, host: str = "127.0.0.1") -> Iterator[SandboxServer]:
        """Serve the sandbox over HTTP on loopback in a background thread."""
        from expense_facade.sandbox.server import SandboxServer

        server = SandboxServer(self, host, port)
        server.start()
        try:
            yield server
        finally:
            server.stop()
