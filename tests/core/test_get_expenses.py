"""``ExpenseClient.get_expenses``: many ids, order kept, bounded, errors in their turn;
``connect(concurrency=...)``; ``list_approved(read_ahead=...)`` and its ``connect`` default
(through the fake adapter in support.scripted_http). Every test runs on the sync and the
async client (issue 25): the fake vendor gates requests with a thread barrier for the one and
an asyncio barrier for the other."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import expense_facade as ef
import httpx
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    ConfigurationError,
    NotFoundError,
    UnsupportedOperation,
    ValidationError,
)
from expense_facade.operations import Operation
from support.sandbox import drivers_fixture, runs_once, viewed
from support.scripted_http import SECRET, serve_brex_with_fake_client

WAIT = 10.0


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    serve_brex_with_fake_client(monkeypatch)


class Vendor:
    """A fake vendor safe for threads and tasks: ``GET /expenses/{id}``; counts requests in
    flight.

    With ``gate`` set, each request waits until ``gate`` requests are in flight at once
    (so a test can see the pool, or the tasks, really run them together)."""

    def __init__(self, missing: frozenset[str] = frozenset(), gate: int | None = None) -> None:
        self.missing = missing
        self.gate = gate
        self.barrier = threading.Barrier(gate, timeout=WAIT) if gate else None
        self.abarrier = asyncio.Barrier(gate) if gate else None
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.asked: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        ident = self._arrive(request)
        try:
            if self.barrier is not None:
                self.barrier.wait()
            return self._answer(ident)
        finally:
            self._leave()

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        ident = self._arrive(request)
        try:
            if self.abarrier is not None:
                await asyncio.wait_for(self.abarrier.wait(), WAIT)
            await asyncio.sleep(0)  # a real await: other tasks send meanwhile
            return self._answer(ident)
        finally:
            self._leave()

    def _arrive(self, request: httpx.Request) -> str:
        ident = request.url.path.rsplit("/", 1)[-1]
        with self.lock:
            self.asked.append(ident)
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        return ident

    def _leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def _answer(self, ident: str) -> httpx.Response:
        if ident in self.missing:
            body: dict[str, Any] = {"ok": False, "error": {"code": "NF", "message": "gone"}}
            return httpx.Response(404, json=body)
        item = {"id": ident, "status": "APPROVED", "amount": 100, "currency": "EUR"}
        return httpx.Response(200, json={"ok": True, "data": item})


def connect(vendor: Vendor, *, driver: str = "sync", **kwargs: Any) -> ef.ExpenseClient:
    options: dict[str, Any] = {
        "token": SECRET,
        "clock": FakeClock(),
        "retry_policy": RetryPolicy(jitter_source=lambda: 0.0),
        **kwargs,
    }
    if driver == "async":
        return viewed(ef.aconnect("brex", transport=httpx.MockTransport(vendor.ahandle), **options))
    return ef.connect("brex", transport=httpx.MockTransport(vendor.handle), **options)


def test_expenses_come_back_in_the_order_asked_with_requests_in_parallel() -> None:
    vendor = Vendor(gate=4)
    ids = [f"e{i}" for i in range(20)]
    with connect(vendor) as client:
        got = list(client.get_expenses(ids, concurrency=4))
    assert [e.id for e in got] == ids
    assert all(e.gross == ef.Money(Decimal("1.00"), "EUR") for e in got)
    assert vendor.most == 4  # the gate trips only with 4 at once; never more
    assert sorted(vendor.asked) == sorted(ids)


def test_default_concurrency_is_eight() -> None:
    vendor = Vendor(gate=8)
    with connect(vendor) as client:
        assert [e.id for e in client.get_expenses([f"e{i}" for i in range(16)])] == [
            f"e{i}" for i in range(16)
        ]
    assert vendor.most == 8


@pytest.mark.sync_only("the sync client's results are a lazy iterator; the async twin below")
def test_an_error_stops_the_iteration_in_its_turn() -> None:
    vendor = Vendor(missing=frozenset({"e3"}))
    ids = [f"e{i}" for i in range(200)]
    with connect(vendor) as client:
        results = client.get_expenses(ids, concurrency=4)
        got = [next(results).id for _ in range(3)]
        with pytest.raises(NotFoundError):
            next(results)
    assert got == ["e0", "e1", "e2"]
    assert len(vendor.asked) <= 4 + 16  # nothing requested beyond the window (4 per worker)


class Stalling(Vendor):
    """``Vendor`` whose requests after ``e3`` (missing) never answer: only a cancellation
    ends them (counted in ``cancelled``)."""

    def __init__(self) -> None:
        super().__init__(missing=frozenset({"e3"}))
        self.cancelled: list[str] = []

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        ident = request.url.path.rsplit("/", 1)[-1]
        if int(ident[1:]) <= 3:
            return await super().ahandle(request)
        self._arrive(request)
        try:
            await asyncio.wait_for(asyncio.Event().wait(), WAIT)  # never set
        except asyncio.CancelledError:
            self.cancelled.append(ident)
            raise
        finally:
            self._leave()
        raise AssertionError("unreachable: the wait above ends by cancellation or timeout")


@runs_once("genuinely async: awaits the async client's list")
def test_the_async_error_surfaces_in_its_turn_and_the_rest_are_cancelled() -> None:
    vendor = Stalling()
    ids = [f"e{i}" for i in range(200)]

    async def fetch() -> None:
        async with ef.aconnect(
            "brex", token=SECRET, transport=httpx.MockTransport(vendor.ahandle), clock=FakeClock()
        ) as client:
            with pytest.raises(NotFoundError):
                await client.get_expenses(ids, concurrency=4)

    asyncio.run(fetch())
    assert vendor.asked[:4] == ["e0", "e1", "e2", "e3"]
    assert vendor.most <= 4  # bounded by the concurrency
    assert sorted(vendor.cancelled) == sorted(set(vendor.asked) - {"e0", "e1", "e2", "e3"})
    assert vendor.cancelled  # some were in flight when e3 failed, and were cancelled
    assert vendor.in_flight == 0  # none outlives the call
    assert len(vendor.asked) <= 4 + 16  # nothing requested beyond the window


def test_concurrency_one_reads_one_at_a_time() -> None:
    vendor = Vendor()
    with connect(vendor) as client:
        got = [e.id for e in client.get_expenses(["b", "a", "c"], concurrency=1)]
    assert got == ["b", "a", "c"]
    assert vendor.asked == ["b", "a", "c"]
    assert vendor.most == 1


@pytest.mark.sync_only("the sync client's get_expenses is lazy; the async one's is below")
def test_ids_are_read_lazily() -> None:
    vendor = Vendor()
    with connect(vendor) as client:
        results = client.get_expenses(iter(["x", "y"]))
        assert vendor.asked == []
        assert [e.id for e in results] == ["x", "y"]


@runs_once("genuinely async: the async contract, which the sync view cannot show")
def test_the_async_get_expenses_reads_nothing_until_awaited_then_is_the_whole_list() -> None:
    # The async client's get_expenses is, by design, an awaitable of the whole list in
    # order (docs/library.md, "Async"), not a lazy iterator: its laziness is that nothing,
    # not even the ids, is read before it is awaited. (support.async_view's get_expenses
    # iterates over that awaited list, so the sync tests above cannot tell the two apart.)
    vendor = Vendor()
    read: list[str] = []

    def ids() -> Iterator[str]:
        for ident in ("x", "y", "z"):
            read.append(ident)
            yield ident

    async def fetch() -> list[ef.Expense]:
        async with ef.aconnect(
            "brex", token=SECRET, transport=httpx.MockTransport(vendor.ahandle), clock=FakeClock()
        ) as client:
            pending = client.get_expenses(ids(), concurrency=2)
            await asyncio.sleep(0)  # a turn for anything started eagerly
            assert (read, vendor.asked) == ([], [])
            return await pending

    got = asyncio.run(fetch())
    assert type(got) is list
    assert [e.id for e in got] == ["x", "y", "z"]
    assert read == ["x", "y", "z"]
    assert vendor.most <= 2


def test_a_single_id_string_is_one_id_and_blank_ids_are_refused() -> None:
    vendor = Vendor()
    with connect(vendor) as client:
        assert [e.id for e in client.get_expenses("solo")] == ["solo"]
        with pytest.raises(ValidationError, match="ids"):
            list(client.get_expenses(["ok", "  "], concurrency=1))


@pytest.mark.parametrize("bad", [0, 65, True, "4"])
def test_bad_concurrency_is_a_validation_error_before_any_request(bad: Any) -> None:
    vendor = Vendor()
    with connect(vendor) as client, pytest.raises(ValidationError, match="concurrency"):
        client.get_expenses(["a"], concurrency=bad)
    assert vendor.asked == []


def test_unsupported_vendor_raises_at_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from support.scripted_http import FakeClient

    monkeypatch.setattr(FakeClient, "capabilities", frozenset({Operation.LIST_APPROVED}))
    with connect(Vendor()) as client, pytest.raises(UnsupportedOperation):
        client.get_expenses(["a"])


def test_connect_takes_the_fan_out_concurrency() -> None:
    with connect(Vendor(), concurrency=3) as client:
        assert client.concurrency == 3
    with connect(Vendor()) as client:
        assert client.concurrency == 1  # a listing fans out only when asked to
    with pytest.raises(ConfigurationError, match="concurrency"):
        connect(Vendor(), concurrency=0)


class Pages:
    """``GET /expenses?cursor=`` over ``n`` pages of two items; records the threads asking."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.threads: list[int] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.threads.append(threading.get_ident())
        number = int(request.url.params.get("cursor") or 0)
        items = [
            {"id": f"p{number}-{k}", "status": "APPROVED", "amount": 1, "currency": "EUR"}
            for k in range(2)
        ]
        following = str(number + 1) if number + 1 < self.n else None
        return httpx.Response(200, json={"ok": True, "data": {"items": items, "next": following}})


def listing_client(pages: Pages, *, driver: str = "sync", **kwargs: Any) -> ef.ExpenseClient:
    options: dict[str, Any] = {
        "token": SECRET, "transport": httpx.MockTransport(pages.handle), "clock": FakeClock(),
        **kwargs,
    }  # fmt: skip
    if driver == "async":
        return viewed(ef.aconnect("brex", **options))
    return ef.connect("brex", **options)


_driver = drivers_fixture(globals(), "connect", "listing_client")


@pytest.mark.sync_only("about the thread reading ahead (the async read_ahead: test_async_client)")
def test_read_ahead_lists_the_same_records_from_a_background_thread() -> None:
    plain, ahead = Pages(5), Pages(5)
    with listing_client(plain) as client:
        expected = [e.id for e in client.list_approved()]
    with listing_client(ahead) as client:
        got = [e.id for e in client.list_approved(read_ahead=1)]
    assert got == expected
    assert len(expected) == 10
    assert set(plain.threads) == {threading.get_ident()}
    assert threading.get_ident() not in ahead.threads


def test_connect_sets_the_default_read_ahead_and_bad_values_are_refused(
    client_driver: str,
) -> None:
    pages = Pages(3)
    with listing_client(pages, read_ahead=1) as client:
        assert len(list(client.list_approved())) == 6
        with pytest.raises(ValidationError, match="read_ahead"):
            client.list_approved(read_ahead=-1)
    if client_driver == "sync":
        assert threading.get_ident() not in pages.threads  # read by the read-ahead thread
    with pytest.raises(ConfigurationError, match="read_ahead"):
        listing_client(Pages(1), read_ahead=99)
