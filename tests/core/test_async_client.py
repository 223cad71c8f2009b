"""``aconnect`` and ``AsyncExpenseClient`` (issue 25), genuinely async: listings equal to the
sync client's on every vendor, bounded fan-out in order, Revolut's one shared refresh,
cancelled writes, ``async with``. The shared operation tests run on the async client
through ``support.async_view`` (``client_fixture`` gives both clients)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

import expense_facade as ef
import httpx
import pytest
from expense_facade.clock import FakeClock
from expense_facade.errors import ClientClosedError, UnsupportedOperation, ValidationError
from expense_facade.operations import Operation
from expense_facade.registry import BUILTIN, normalise_vendor
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.vendors.revolut import RevolutSim
from support.records import card_transaction
from support.sandbox import DRIVERS, NO_JITTER, connect, make

VENDORS = sorted(BUILTIN)


class Watched(httpx.AsyncBaseTransport):
    """An async transport that counts requests in flight and can hold some back until
    released (``hold(predicate)``), in front of the sandbox's own."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.in_flight = 0
        self.most = 0
        self.seen: list[str] = []
        self.held = asyncio.Event()
        self.arrived = asyncio.Event()
        self.hold_when: Callable[[httpx.Request], bool] = lambda request: False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        self.seen.append(f"{request.method} {request.url.path}")
        try:
            if self.hold_when(request):
                self.arrived.set()
                await self.held.wait()
            await asyncio.sleep(0.002)  # a real wait: other tasks send meanwhile
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1


def _aconnect(sb: Sandbox, vendor: str, **options: Any) -> ef.AsyncExpenseClient:
    options.setdefault("retry_policy", NO_JITTER)
    return ef.aconnect(normalise_vendor(vendor), sandbox=sb, **options)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_async_listing_yields_the_sync_listing_s_records(vendor: str) -> None:
    sb = make(vendor, size=150, seed=11)
    with ef.connect(
        normalise_vendor(vendor), sandbox=sb, retry_policy=NO_JITTER, concurrency=4
    ) as client:
        sync_listing = client.list_approved(page_size=20)
        expected = list(sync_listing)

    async def listed() -> tuple[list[ef.Expense], int, list[str]]:
        async with _aconnect(sb, vendor, concurrency=4) as client:
            listing = client.list_approved(page_size=20)
            records = [expense async for expense in listing]
            return records, listing.pages_read, listing.request_ids

    records, pages, request_ids = asyncio.run(listed())
    assert expected  # the sandbox holds approved records for every vendor
    assert records == expected
    assert pages == sync_listing.pages_read
    assert len(request_ids) == len(sync_listing.request_ids)  # the same requests, each once


@pytest.mark.parametrize("vendor", VENDORS)
def test_capabilities_and_unsupported_operations_are_the_sync_client_s(vendor: str) -> None:
    sb = make(vendor, size=20)

    async def check() -> None:
        async with _aconnect(sb, vendor) as client:
            assert client.capabilities == BUILTIN_CAPABILITIES[vendor]
            if Operation.GET_EXPENSE not in client.capabilities:
                with pytest.raises(UnsupportedOperation):
                    await client.get_expense("x")
            if Operation.MARK_EXPORTED not in client.capabilities:
                with pytest.raises(UnsupportedOperation):
                    await client.mark_exported(["x"])

    asyncio.run(check())


BUILTIN_CAPABILITIES = {vendor: ef.capabilities(vendor) for vendor in VENDORS}


def test_get_expenses_keeps_order_within_its_concurrency() -> None:
    sb = make("pazy", size=120, seed=3)
    with ef.connect("pazy", sandbox=sb, retry_policy=NO_JITTER) as client:
        ids = [e.id for e in client.list_approved(page_size=100)][:40]

    async def fetch() -> tuple[list[str], Watched]:
        watched = Watched(sb.async_transport())
        async with ef.aconnect(
            "pazy", sandbox=sb, transport=watched, retry_policy=NO_JITTER
        ) as client:
            got = await client.get_expenses(ids, concurrency=5)
        return [e.id for e in got], watched

    got, watched = asyncio.run(fetch())
    assert got == ids
    assert 1 < watched.most <= 5


def test_a_listing_fans_out_to_its_concurrency_in_list_order() -> None:
    sb = make("pazy", size=120, seed=3)
    with ef.connect("pazy", sandbox=sb, retry_policy=NO_JITTER) as client:
        expected = [e.id for e in client.list_approved(page_size=50)]

    async def listed() -> tuple[list[str], Watched]:
        watched = Watched(sb.async_transport())
        async with ef.aconnect(
            "pazy", sandbox=sb, transport=watched, retry_policy=NO_JITTER, concurrency=8
        ) as client:
            return [e.id async for e in client.list_approved(page_size=50)], watched

    got, watched = asyncio.run(listed())
    assert got == expected
    assert 1 < watched.most <= 8


def test_a_fan_out_hands_each_claim_over_while_later_ones_are_in_flight() -> None:
    # ProSpend's claims fan out as a streamed Concurrently: the first claim's page reaches
    # the caller while the last claim's requests are still held back (gathered first, the
    # listing would wait for them and never get here: the test would time out).
    sb = make("prospend", size=60, seed=3)
    with ef.connect("prospend", sandbox=sb, retry_policy=NO_JITTER) as client:
        expected = [e.id for e in client.list_approved()]
    last_claim = expected[-1].split(":")[0]
    assert expected[0].split(":")[0] != last_claim

    async def listed() -> list[str]:
        watched = Watched(sb.async_transport())
        watched.hold_when = lambda request: f"/claim/{last_claim}/" in request.url.path
        got: list[str] = []
        async with ef.aconnect(
            "prospend", sandbox=sb, transport=watched, retry_policy=NO_JITTER, concurrency=8
        ) as client:
            async for page in client.list_approved().pages():
                watched.held.set()  # the first page came: the held claim may go on
                got.extend(e.id for e in page.expenses)
        return got

    assert asyncio.run(asyncio.wait_for(listed(), 20)) == expected


def test_the_first_failure_of_get_expenses_is_raised_in_its_turn() -> None:
    sb = make("brex", size=60, seed=3)
    with ef.connect("brex", sandbox=sb, retry_policy=NO_JITTER) as client:
        ids = [e.id for e in client.list_approved(page_size=10)][:6]

    async def fetch() -> None:
        async with _aconnect(sb, "brex") as client:
            with pytest.raises(ef.NotFoundError):
                await client.get_expenses([*ids[:3], "exp_missing", *ids[3:]], concurrency=3)
            with pytest.raises(ValidationError):
                await client.get_expenses(["  "])

    asyncio.run(fetch())


def test_concurrent_tasks_share_one_revolut_refresh() -> None:
    sb = Sandbox(seed=5, size=400, clock=FakeClock(), vendors=("revolut",), auth="refresh")
    sim = cast(RevolutSim, sb.vendor("revolut"))
    ids = list(sim.approved_ids())[:24]

    async def fetch() -> list[str]:
        async with _aconnect(sb, "revolut") as client:
            tasks = [asyncio.ensure_future(client.get_expense(i)) for i in ids]
            return [e.id for e in await asyncio.gather(*tasks)]

    assert asyncio.run(fetch()) == ids
    assert sim.tokens_issued == 1


def test_a_token_refused_while_tasks_run_is_refreshed_once() -> None:
    sb = Sandbox(seed=5, size=400, clock=FakeClock(), vendors=("revolut",), auth="refresh")
    sim = cast(RevolutSim, sb.vendor("revolut"))
    ids = list(sim.approved_ids())[:16]

    async def fetch() -> list[str]:
        async with _aconnect(sb, "revolut") as client:
            await client.get_expense(ids[0])  # a token issued
            sim.expire_access_tokens()  # the token ends early: the next requests get 401
            return [e.id for e in await client.get_expenses(ids, concurrency=8)]

    assert asyncio.run(fetch()) == ids
    assert sim.tokens_issued == 2


def test_a_cancelled_post_card_transaction_finishes_its_post_first() -> None:
    sb = make("prospend", size=20)
    tx = card_transaction(transaction_id="async-cancelled-1")

    async def post() -> ef.CardTransactionResult:
        watched = Watched(sb.async_transport())
        watched.hold_when = lambda request: request.method == "POST"
        async with ef.aconnect(
            "prospend", sandbox=sb, transport=watched, retry_policy=NO_JITTER
        ) as client:
            task = asyncio.ensure_future(client.post_card_transaction(tx))
            await watched.arrived.wait()  # the POST is on the wire
            task.cancel()
            await asyncio.sleep(0)
            assert not task.done()  # waiting for the POST's answer, not abandoning it
            watched.held.set()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert [s for s in watched.seen if s.startswith("POST")] == [
                "POST /prospend/beta/company/1/transaction"
            ]
            return await client.post_card_transaction(tx)  # the caller posts it again

    again = asyncio.run(post())
    assert again.duplicate is True  # the cancelled POST reached the vendor, once


def test_a_cancelled_mark_exported_sends_no_batch_after_the_one_in_flight() -> None:
    from expense_facade.vendors.capture import MARK_BATCH_SIZE

    sb = make("capture", size=MARK_BATCH_SIZE * 2 + 40)
    with ef.connect("capture", sandbox=sb, retry_policy=NO_JITTER) as client:
        listed = list(client.list_approved())
    assert len(listed) > MARK_BATCH_SIZE

    async def mark() -> list[str]:
        watched = Watched(sb.async_transport())
        watched.hold_when = lambda request: request.method != "GET"
        async with ef.aconnect(
            "capture", sandbox=sb, transport=watched, retry_policy=NO_JITTER
        ) as client:
            task = asyncio.ensure_future(client.mark_exported(listed))
            await watched.arrived.wait()
            task.cancel()
            watched.held.set()
            with pytest.raises(asyncio.CancelledError):
                await task
            return [s for s in watched.seen if not s.startswith("GET")]

    writes = asyncio.run(mark())
    assert len(writes) == 1  # the first batch, completed; the second never sent
    with ef.connect("capture", sandbox=sb, retry_policy=NO_JITTER) as client:
        left = {e.id for e in client.list_approved()}
    marked = {e.id for e in listed} - left
    assert marked == {e.id for e in listed[:MARK_BATCH_SIZE]}


def test_a_cancelled_mark_exported_hands_every_confirmed_batch_to_on_confirmed() -> None:
    from expense_facade.vendors.capture import MARK_BATCH_SIZE

    sb = make("capture", size=MARK_BATCH_SIZE * 3 + 40)
    with ef.connect("capture", sandbox=sb, retry_policy=NO_JITTER) as client:
        listed = list(client.list_approved())
    assert len(listed) > MARK_BATCH_SIZE * 2  # three status updates
    reported: list[ef.MarkExportedResult] = []
    writes = 0

    def second_write(request: httpx.Request) -> bool:
        nonlocal writes
        writes += request.method != "GET"
        return request.method != "GET" and writes == 2

    async def mark() -> list[str]:
        watched = Watched(sb.async_transport())
        watched.hold_when = second_write
        async with ef.aconnect(
            "capture", sandbox=sb, transport=watched, retry_policy=NO_JITTER
        ) as client:
            task = asyncio.ensure_future(client.mark_exported(listed, on_confirmed=reported.append))
            await watched.arrived.wait()  # the second update is on the wire
            assert len(reported) == 1  # the first, confirmed before it was sent
            task.cancel()
            watched.held.set()
            with pytest.raises(asyncio.CancelledError):
                await task
            return [s for s in watched.seen if not s.startswith("GET")]

    assert len(asyncio.run(mark())) == 2  # the third update never sent
    # The update in flight at the cancellation completed, and its outcomes were handed
    # over too: exactly what the vendor marked, per item.
    assert [len(r.outcomes) for r in reported] == [MARK_BATCH_SIZE, MARK_BATCH_SIZE]
    assert all(r.ok for r in reported)
    reported_ids = [o.expense_id for r in reported for o in r.outcomes]
    assert reported_ids == [e.id for e in listed[: MARK_BATCH_SIZE * 2]]
    with ef.connect("capture", sandbox=sb, retry_policy=NO_JITTER) as client:
        left = {e.id for e in client.list_approved()}
    assert {e.id for e in listed} - left == set(reported_ids)


@pytest.mark.parametrize("driver", DRIVERS)
def test_on_confirmed_gets_each_batch_and_together_they_are_the_result(driver: str) -> None:
    from expense_facade.vendors.capture import MARK_BATCH_SIZE

    sb = make("capture", size=MARK_BATCH_SIZE * 2 + 40)
    with connect(sb, "capture", driver=driver) as client:
        listed = list(client.list_approved())
        reported: list[ef.MarkExportedResult] = []
        result = client.mark_exported([*listed, "not-in-the-queue"], on_confirmed=reported.append)
    assert len(reported) == len(range(0, len(listed), MARK_BATCH_SIZE)) >= 2
    confirmed = [o for r in reported for o in r.outcomes]
    assert confirmed == [o for o in result.outcomes if o.expense_id != "not-in-the-queue"]
    assert [o.expense_id for o in result.failed] == ["not-in-the-queue"]  # not an update


@pytest.mark.parametrize("driver", DRIVERS)
def test_an_error_in_on_confirmed_stops_the_marking(driver: str) -> None:
    from expense_facade.vendors.capture import MARK_BATCH_SIZE

    sb = make("capture", size=MARK_BATCH_SIZE * 2 + 40)

    def refuse(result: ef.MarkExportedResult) -> None:
        raise LookupError("the caller's ledger refused")

    with connect(sb, "capture", driver=driver) as client:
        listed = list(client.list_approved())
        with pytest.raises(LookupError, match="ledger refused"):
            client.mark_exported(listed, on_confirmed=refuse)
        left = {e.id for e in client.list_approved()}
    assert {e.id for e in listed} - left == {e.id for e in listed[:MARK_BATCH_SIZE]}


def test_async_with_closes_and_a_closed_client_refuses() -> None:
    sb = make("brex", size=20)

    async def use() -> None:
        async with _aconnect(sb, "brex") as client:
            derived = client.with_options(timeout=5, max_retries=0)
            assert isinstance(derived, ef.AsyncExpenseClient)
            assert [e async for e in derived.list_approved(page_size=5)]
            await derived.aclose()  # leaves the shared connection to its parent
            assert [e async for e in client.list_approved(page_size=5)]
        with pytest.raises(ClientClosedError):
            await client.get_expense("anything")

    asyncio.run(use())


def test_aconnect_takes_connect_s_parameters_and_refuses_a_sync_transport() -> None:
    sb = make("pazy", size=10)
    with pytest.raises(ef.ConfigurationError, match="AsyncBaseTransport"):
        ef.aconnect("pazy", sandbox=sb, transport=sb.transport())  # type: ignore[call-overload]
    with pytest.raises(ef.ConfigurationError, match="BaseTransport"):
        ef.connect("pazy", sandbox=sb, transport=sb.async_transport())  # type: ignore[call-overload]
    with pytest.raises(ef.ConfigurationError, match="unknown argument"):
        ef.aconnect("pazy", sandbox=sb, no_such_setting=1)  # type: ignore[call-overload]
    client = ef.aconnect("pazy", sandbox=sb, concurrency=3)
    assert client.concurrency == 3
    assert "api_key" not in repr(client)
    asyncio.run(client.aclose())


@pytest.mark.parametrize("vendor", VENDORS)
def test_read_ahead_and_check_access_on_the_async_client(vendor: str) -> None:
    sb = make(vendor, size=80, seed=4)
    with ef.connect(normalise_vendor(vendor), sandbox=sb, retry_policy=NO_JITTER) as client:
        expected = [e.id for e in client.list_approved(page_size=10)]

    async def listed() -> list[str]:
        async with _aconnect(sb, vendor) as client:
            await client.check_access()
            listing = client.list_approved(page_size=10, read_ahead=2)
            ids = [page_id async for page in listing.pages() for page_id in _ids(page)]
            with pytest.raises(RuntimeError, match="iterated once"):
                listing.pages()
            return ids

    assert asyncio.run(listed()) == expected


def _ids(page: ef.Page) -> list[str]:
    return [e.id for e in page.expenses]


def test_an_abandoned_async_listing_sends_nothing_more() -> None:
    sb = make("brex", size=120, seed=4)

    async def first_page() -> int:
        watched = Watched(sb.async_transport())
        async with ef.aconnect(
            "brex", sandbox=sb, transport=watched, retry_policy=NO_JITTER
        ) as client:
            listing = client.list_approved(page_size=10)
            async for _ in listing:
                break
            await listing.aclose()
            return len(watched.seen)

    assert asyncio.run(first_page()) == 1
