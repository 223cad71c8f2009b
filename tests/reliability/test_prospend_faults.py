"""RELIABILITY.md's fault matrix for ProSpend, through the public API, faults injected in
the sandbox, sleeps on the sandbox's fake clock (no jitter, so they are exact), "nothing
lost" checked against the simulator's ground truth.

Rows that do not apply to ProSpend's operations: a 200 whose body says failure (ProSpend
has no envelope), timestamp ties (Revolut's paging), mark exported and batch updates
(no such endpoint), pre-signed uploads (none), and the killed export process (the export
pipeline's own tests).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlsplit

import expense_facade as ef
import httpx
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.prospend import ProspendSim

VENDOR = "prospend"
TOKEN_NAME = "token"
CLAIMS = "GET /{version}/company/{companyId}/claim"
CLAIM = "GET /{version}/company/{companyId}/claim/{claimId}"
EXPENSES = "GET /{version}/company/{companyId}/claim/{claimId}/expense"
EXPENSE = "GET /{version}/company/{companyId}/claim/{claimId}/expense/{expenseId}"
SPLITS = "GET /{version}/company/{companyId}/claim/{claimId}/expense/{expenseId}/split"
POST = "POST /{version}/company/{companyId}/transaction"
BACKOFF = [0.5, 1.0, 2.0]  # RetryPolicy defaults without jitter: 3 retries

READS = [
    ("list", CLAIMS),
    ("list", EXPENSES),
    ("list", SPLITS),
    ("get", EXPENSE),
    ("get", CLAIM),
    ("get", SPLITS),
]
ALL = [*READS, ("post", POST)]


class Recorder(httpx.BaseTransport):
    """Wraps a transport and keeps every request (to compare what was sent)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)


def make_sandbox() -> Sandbox:
    # seed 1, 60 expenses: 10 claims, 29 approved expenses, 4 of them split.
    return Sandbox(seed=1, size=60, clock=FakeClock(), vendors=(VENDOR,))


def sim_of(sb: Sandbox) -> ProspendSim:
    return cast(ProspendSim, sb.vendor(VENDOR))


def sleeps(sb: Sandbox) -> list[float]:
    return cast(FakeClock, sb.clock).sleeps


def connect(sb: Sandbox, **kwargs: Any) -> ef.ExpenseClient:
    return ef.connect(
        VENDOR, sandbox=sb, retry_policy=RetryPolicy(jitter_source=lambda: 0.0), **kwargs
    )


def hits(sb: Sandbox, route: str) -> int:
    return sum(1 for r in sb.requests if r.route == route)


def split_expense(sb: Sandbox) -> str:
    sim = sim_of(sb)
    return next(i for i in sim.approved_ids() if sim.expense(i)["isSplit"])


def transaction(transaction_id: str = "txn-fault-0001") -> ef.CardTransaction:
    return ef.CardTransaction(
        transaction_id=transaction_id,
        transaction_date=dt.date(2026, 1, 14),
        posting_date=dt.date(2026, 1, 15),
        merchant_name="Fault Coffee",
        mcc="5814",
        amount=ef.Money(Decimal("12.50"), "AUD"),
        cardholder_name="Casey Fault",
        card_suffix="4242",
        card_program_code="VISA_AU",
        card_program_type="Visa",
    )


def run(operation: str, client: ef.ExpenseClient, sb: Sandbox) -> Any:
    """Do ``operation`` and check the outcome against the ground truth."""
    if operation == "list":
        listing = client.list_approved()
        ids = [e.id for e in listing]
        assert ids == list(sim_of(sb).approved_ids())
        assert listing.malformed == []
        return ids
    if operation == "get":
        wanted = split_expense(sb)
        expense = client.get_expense(wanted)
        assert expense.id == wanted
        assert len(expense.line_items) >= 2
        return expense
    result = client.post_card_transaction(transaction())
    assert result.transaction_id == "txn-fault-0001"
    assert [t["transactionId"] for t in sim_of(sb).transactions] == ["txn-fault-0001"]
    return result


# ---- connect error / connect timeout, any method ------------------------------------------------
CONNECT_FAULTS: list[tuple[Callable[[], Fault], type[ef.APIConnectionError]]] = [
    (Fault.reset, ef.APIConnectionError),
    (Fault.connect_timeout, ef.APITimeoutError),
]


@pytest.mark.parametrize(("operation", "route"), ALL)
@pytest.mark.parametrize(("fault", "error"), CONNECT_FAULTS)
def test_connect_failures_are_retried_with_backoff_then_a_typed_error(
    operation: str,
    route: str,
    fault: Callable[[], Fault],
    error: type[ef.APIConnectionError],
) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, fault(), times=None)
    with connect(sb) as client, pytest.raises(error) as info:
        run(operation, client, sb)
    assert type(info.value) is error
    assert info.value.attempts == 4
    assert hits(sb, route) == 4
    assert sleeps(sb) == BACKOFF
    assert sim_of(sb).transactions == []


@pytest.mark.parametrize(("operation", "route"), ALL)
@pytest.mark.parametrize("fault", [Fault.reset, Fault.connect_timeout])
def test_connect_failures_then_success(
    operation: str, route: str, fault: Callable[[], Fault]
) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, fault(), times=2)
    with connect(sb) as client:
        result = run(operation, client, sb)
    assert sleeps(sb) == BACKOFF[:2]
    if operation == "post":
        assert (result.duplicate, result.attempts) == (False, 3)


# ---- read timeout on a read ------------------------------------------------------------------
@pytest.mark.parametrize(("operation", "route"), READS)
def test_read_timeouts_on_reads_are_retried_up_to_the_limit(operation: str, route: str) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, Fault.hang(), times=None)
    with connect(sb) as client, pytest.raises(ef.APITimeoutError) as info:
        run(operation, client, sb)
    assert info.value.attempts == 4
    assert hits(sb, route) == 4
    assert sleeps(sb) == BACKOFF


@pytest.mark.parametrize(("operation", "route"), READS)
def test_read_timeouts_then_success_lose_nothing(operation: str, route: str) -> None:
    sb = make_sandbox()
    rule = sb.faults.add(VENDOR, route, Fault.hang(), times=3)
    with connect(sb) as client:
        run(operation, client, sb)
    assert rule.fired == 3
    assert sleeps(sb) == BACKOFF


def test_max_retries_bounds_the_attempts() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, CLAIMS, Fault.hang(), times=None)
    with connect(sb, max_retries=1) as client, pytest.raises(ef.APITimeoutError) as info:
        list(client.list_approved())
    assert info.value.attempts == 2
    assert hits(sb, CLAIMS) == 2
    assert sleeps(sb) == [0.5]


# ---- 429 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("operation", "route"), [("list", CLAIMS), ("post", POST)])
def test_429_retry_after_seconds_is_waited(operation: str, route: str) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="2"))
    with connect(sb) as client:
        run(operation, client, sb)
    assert sleeps(sb) == [2.0]
    assert hits(sb, route) == 2


@pytest.mark.parametrize(("operation", "route"), [("get", EXPENSE), ("post", POST)])
def test_429_retry_after_http_date_is_parsed(operation: str, route: str) -> None:
    sb = make_sandbox()
    when = sb.clock.now() + dt.timedelta(seconds=7)
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after_date=when))
    with connect(sb) as client:
        run(operation, client, sb)
    assert sleeps(sb) == [7.0]


@pytest.mark.parametrize(("operation", "route"), [("list", EXPENSES), ("post", POST)])
def test_429_asking_far_too_long_gives_up_at_once_saying_how_long(
    operation: str, route: str
) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="3600"), times=None)
    with connect(sb) as client, pytest.raises(ef.RateLimitError) as info:
        run(operation, client, sb)
    assert info.value.retry_after == 3600.0
    assert info.value.attempts == 1
    assert "3600" in str(info.value)
    assert hits(sb, route) == 1
    assert sleeps(sb) == []
    assert sim_of(sb).transactions == []


# ---- 5xx then success --------------------------------------------------------------------------
@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize(("operation", "route"), ALL)
def test_server_errors_then_success(operation: str, route: str, status: int) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, Fault.status(status), times=3)
    with connect(sb) as client:
        result = run(operation, client, sb)
    assert sleeps(sb) == BACKOFF
    assert hits(sb, route) >= 4
    if operation == "post":
        assert (result.duplicate, result.attempts) == (False, 4)


@pytest.mark.parametrize(("operation", "route"), [("list", SPLITS), ("post", POST)])
def test_server_errors_that_persist_are_a_server_error(operation: str, route: str) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, Fault.status(503), times=None)
    with connect(sb) as client, pytest.raises(ef.ServerError) as info:
        run(operation, client, sb)
    assert (info.value.status, info.value.code, info.value.attempts) == (
        503,
        "SERVICE_UNAVAILABLE",
        4,
    )
    assert sim_of(sb).transactions == []


# ---- 4xx are final -----------------------------------------------------------------------------
CLIENT_ERRORS: list[tuple[int, type[ef.APIError], str]] = [
    (400, ef.BadRequestError, "BAD_REQUEST"),
    (401, ef.AuthenticationError, "UNAUTHORIZED"),
    (403, ef.PermissionDeniedError, "ACCESS_FORBIDDEN"),
    (404, ef.NotFoundError, "RESOURCE_NOT_FOUND"),
    (422, ef.BadRequestError, "ERROR"),
]


@pytest.mark.parametrize(("status", "error", "code"), CLIENT_ERRORS)
@pytest.mark.parametrize(("operation", "route"), [*READS[:3], READS[3], ("post", POST)])
def test_client_errors_are_never_retried_and_carry_the_details(
    operation: str, route: str, status: int, error: type[ef.APIError], code: str
) -> None:
    sb = make_sandbox()
    secret = sb.credentials(VENDOR)[TOKEN_NAME]
    fault = Fault.status(
        status, message=f"Injected {status} for {secret}", headers={"X-Request-Id": "req-ps-42"}
    )
    sb.faults.add(VENDOR, route, fault, times=None)
    with connect(sb) as client, pytest.raises(error) as info:
        run(operation, client, sb)
    err = info.value
    assert type(err) is error
    assert (err.status, err.code, err.request_id, err.attempts) == (
        status,
        code,
        "req-ps-42",
        1,
    )
    assert err.message.startswith(f"Injected {status} for ")
    assert secret not in str(err)
    assert secret not in repr(err)
    assert secret not in (err.body or "")
    assert hits(sb, route) == 1
    assert sleeps(sb) == []
    assert sim_of(sb).transactions == []


# ---- HTML or truncated JSON ----------------------------------------------------------------------
@pytest.mark.parametrize(("operation", "route"), ALL)
@pytest.mark.parametrize("fault", [Fault.truncate, Fault.html])
def test_html_or_truncated_bodies_are_malformed_response_errors(
    operation: str, route: str, fault: Callable[[], Fault]
) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, route, fault())
    with connect(sb) as client, pytest.raises(ef.MalformedResponseError) as info:
        run(operation, client, sb)
    err = info.value
    expected_status = 201 if (operation, fault) == ("post", Fault.truncate) else 200
    assert err.status == expected_status
    assert err.body
    assert err.body[:20] in str(err)  # the excerpt is in the message
    assert hits(sb, route) == 1


def test_a_truncated_answer_to_a_post_is_safe_to_send_again() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, POST, Fault.truncate())
    with connect(sb) as client:
        with pytest.raises(ef.MalformedResponseError):
            client.post_card_transaction(transaction())
        again = client.post_card_transaction(transaction())
    assert again.duplicate is True
    assert len(sim_of(sb).transactions) == 1


# ---- mutated records ----------------------------------------------------------------------------
def test_malformed_dates_in_every_record_lose_no_record() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, CLAIMS, Fault.mutate_records(malformed_date=True), times=None)
    sb.faults.add(VENDOR, EXPENSES, Fault.mutate_records(malformed_date=True), times=None)
    with connect(sb) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert [e.id for e in expenses] == list(sim_of(sb).approved_ids())
    assert listing.malformed == []
    assert all(e.updated_at is None for e in expenses)
    assert all(e.parse_warnings for e in expenses)
    assert all(e.gross is not None for e in expenses)


def test_unknown_enums_nulls_and_strings_in_every_record_lose_no_record() -> None:
    sb = make_sandbox()
    mutation = Fault.mutate_records(unknown_enum=True, extra_fields=True, amount_as_string=True)
    sb.faults.add(VENDOR, CLAIMS, mutation, times=None)
    sb.faults.add(VENDOR, EXPENSES, mutation, times=None)
    with connect(sb) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert [e.id for e in expenses] == list(sim_of(sb).approved_ids())
    assert {e.status for e in expenses} == {ef.ExpenseStatus.UNKNOWN}
    assert all(e.gross is not None for e in expenses)


# ---- paging ---------------------------------------------------------------------------------
@pytest.mark.parametrize("route", [CLAIMS, EXPENSES, SPLITS])
def test_a_repeating_cursor_stops_with_a_clear_error(route: str) -> None:
    sb = make_sandbox()
    body = json.dumps({"page": [], "nextCursor": "stuck"}).encode()
    sb.faults.add(VENDOR, route, Fault.status(200, body=body), times=None)
    with connect(sb) as client, pytest.raises(ef.PaginationError) as info:
        list(client.list_approved())
    assert "repeats" in str(info.value)
    assert hits(sb, route) == 2


def test_records_that_move_between_pages_are_listed_once() -> None:
    sb = make_sandbox()
    truth = list(sim_of(sb).approved_ids())
    direct = httpx.Client(
        transport=sb.transport(),
        base_url=sb.base_url(VENDOR),
        headers={"Authorization": f"Bearer {sb.credentials(VENDOR)[TOKEN_NAME]}"},
    )
    claims_path, expenses_path = "/beta/company/1/claim", "/beta/company/1/claim/3000/expense"
    with direct:
        first = direct.get(claims_path, params={"status": "Finalised", "limit": 2}).json()
        second = direct.get(
            claims_path,
            params={"status": "Finalised", "limit": 2, "cursor": first["nextCursor"]},
        ).json()
        lines = direct.get(expenses_path, params={"limit": 2}).json()
        lines2 = direct.get(
            expenses_path, params={"limit": 2, "cursor": lines["nextCursor"]}
        ).json()
    sb.clear_requests()
    # A record inserted in front shifts the list: the next page starts with the last
    # record of the page before.
    shifted_claims = {
        "page": [first["page"][-1], *second["page"]],
        "nextCursor": second["nextCursor"],
    }
    shifted_lines = {
        "page": [lines["page"][-1], *lines2["page"]],
        "nextCursor": lines2["nextCursor"],
    }
    for route, shifted in ((CLAIMS, shifted_claims), (f"GET {expenses_path}", shifted_lines)):
        sb.faults.add(VENDOR, route, Fault.status(200, body=json.dumps(shifted).encode()), after=1)
    with connect(sb) as client:
        ids = [e.id for e in client.list_approved(page_size=2)]
    assert ids == truth
    assert len(set(ids)) == len(ids)
    assert sb.faults.rules == []  # both shifted pages were served
    # The repeated claim's expenses were not fetched again: the same requests per path as
    # a listing without the shift.
    baseline = make_sandbox()
    with connect(baseline) as client:
        list(client.list_approved(page_size=2))
    assert paths(sb) == paths(baseline)


def paths(sb: Sandbox) -> Counter[str]:
    return Counter(urlsplit(r.url).path for r in sb.requests)


# ---- post card transaction: timeouts and 5xx ----------------------------------------------------
@pytest.mark.parametrize(
    "fault", [lambda: Fault.hang(processed=True), lambda: Fault.reset(processed=True)]
)
def test_a_lost_answer_to_a_post_is_retried_with_the_same_id_and_the_duplicate_is_success(
    fault: Callable[[], Fault],
) -> None:
    sb = make_sandbox()
    recorder = Recorder(sb.transport())
    sb.faults.add(VENDOR, POST, fault())
    with connect(sb, transport=recorder) as client:
        result = client.post_card_transaction(transaction())
    assert (result.duplicate, result.attempts) == (True, 2)
    assert result.transaction_id == "txn-fault-0001"
    posts = [r for r in recorder.requests if r.method == "POST"]
    assert len(posts) == 2
    assert posts[0].content == posts[1].content
    assert json.loads(posts[0].content)["transactionId"] == "txn-fault-0001"
    assert [t["transactionId"] for t in sim_of(sb).transactions] == ["txn-fault-0001"]
    assert sleeps(sb) == [0.5]


def test_posts_whose_answers_are_always_lost_still_store_exactly_one_transaction() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, POST, Fault.hang(processed=True), times=None)
    with connect(sb) as client, pytest.raises(ef.APITimeoutError) as info:
        client.post_card_transaction(transaction())
    assert info.value.attempts == 4
    assert [t["transactionId"] for t in sim_of(sb).transactions] == ["txn-fault-0001"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_on_a_post_are_retried_and_store_one_transaction(status: int) -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, POST, Fault.status(status), times=2)
    with connect(sb) as client:
        result = client.post_card_transaction(transaction())
    assert (result.duplicate, result.attempts) == (False, 3)
    assert result.vendor_id == sim_of(sb).transactions[0]["id"]
    assert len(sim_of(sb).transactions) == 1
    assert sleeps(sb) == BACKOFF[:2]
