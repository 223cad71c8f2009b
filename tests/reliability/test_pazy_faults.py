"""RELIABILITY.md's fault matrix for Pazy (list approved, get expense), through the public
API, faults injected in the in-process sandbox, sleeps on the sandbox's FakeClock.

Rows covered here: connect error / connect timeout; read timeout on the list and on the
detail (also a detail read during a listing); 429 with Retry-After in seconds, as an HTTP
date and far too long; 500/502/503/504 then success; 400/401/403/404/422; a 200 whose
body says ``ok: false``; HTML and truncated JSON; a cursor that repeats (and a page that
says there is more without a cursor); records inserted or changed between pages. Record-
level rows (unknown enum, extra/missing/null fields, amount as a string, a malformed date)
are in tests/vendors/test_pazy.py; the export killed at any point is
tests/cli/test_export_crash.py. Rows that do not apply to Pazy: timestamp ties (Revolut),
mark exported, card transactions, pre-signed uploads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import attrs
import expense_facade as ef
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    MalformedResponseError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
)
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.pazy import ERROR_CODES, PazySim

VENDOR = "pazy"
LIST = "GET /expenses"
DETAIL = "GET /expense/{expenseId}"
NO_JITTER = RetryPolicy(max_retries=3, jitter_source=lambda: 0.0)
BACKOFF = [0.5, 1.0, 2.0]  # exact sleeps before retries 1..3 without jitter


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sb(clock: FakeClock) -> Sandbox:
    return Sandbox(seed=17, size=60, clock=clock, vendors=(VENDOR,))


@pytest.fixture
def client(sb: Sandbox) -> Iterator[ef.ExpenseClient]:
    with ef.connect(VENDOR, sandbox=sb, retry_policy=NO_JITTER) as c:
        yield c


@pytest.fixture
def summaries(sb: Sandbox) -> Iterator[ef.ExpenseClient]:
    with ef.connect(VENDOR, sandbox=sb, retry_policy=NO_JITTER, details=False) as c:
        yield c


def sim(sb: Sandbox) -> PazySim:
    return cast(PazySim, sb.vendor(VENDOR))


def approved(sb: Sandbox) -> list[str]:
    return list(sim(sb).approved_ids())


def attempts(sb: Sandbox, route: str) -> int:
    return sum(1 for r in sb.requests if r.route == route)


def summary(sb: Sandbox, expense_id: str) -> dict[str, Any]:
    index = sim(sb).index_of(expense_id)
    assert index is not None
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in sim(sb).summary(index).items()}


def list_body(expenses: list[Any], context: dict[str, Any]) -> bytes:
    return json.dumps({"ok": True, "data": {"expenses": expenses, "context": context}}).encode()


# An operation under test and its check against the sandbox's ground truth.
Operation = Callable[[ef.ExpenseClient, Sandbox], None]


def do_list(client: ef.ExpenseClient, sb: Sandbox) -> None:
    listing = client.list_approved(page_size=10)
    assert [e.id for e in listing] == approved(sb)  # each approved expense once, none lost
    assert listing.malformed == []


def do_get(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expense_id = approved(sb)[3]
    expense = client.get_expense(expense_id)
    detail = sim(sb).get(expense_id)
    assert detail is not None
    assert expense.id == expense_id
    assert expense.gross == ef.Money(Decimal(str(detail["amount"])), detail["currency"])


OPERATIONS = [pytest.param(LIST, do_list, id="list"), pytest.param(DETAIL, do_get, id="get")]


# ---- connect error / connect timeout ------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_connect_errors_are_retried_with_backoff(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.reset(), times=2)
    operation(client, sb)
    assert sum(1 for r in sb.requests if r.route == route and r.injected) == 2
    assert clock.sleeps == BACKOFF[:2]


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.reset(), APIConnectionError), (Fault.connect_timeout(), APITimeoutError)],
    ids=["reset", "connect-timeout"],
)
def test_connect_failures_that_persist_are_a_typed_connection_error(
    client: ef.ExpenseClient,
    sb: Sandbox,
    clock: FakeClock,
    route: str,
    operation: Operation,
    fault: Fault,
    error: type[APIConnectionError],
) -> None:
    sb.faults.add(VENDOR, route, fault, times=None)
    with pytest.raises(error) as caught:
        operation(client, sb)
    assert type(caught.value) is error
    assert caught.value.attempts == attempts(sb, route) == 4
    assert clock.sleeps == BACKOFF


# ---- read timeouts ------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_read_timeouts_are_retried(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.hang(), times=3)
    operation(client, sb)
    assert sum(1 for r in sb.requests if r.route == route and r.injected) == 3
    assert clock.sleeps == BACKOFF


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_read_timeouts_up_to_the_limit(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.hang(), times=None)
    with pytest.raises(APITimeoutError) as caught:
        operation(client, sb)
    assert caught.value.attempts == attempts(sb, route) == 4
    assert clock.sleeps == BACKOFF


def test_a_detail_timing_out_during_the_listing_is_retried(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock
) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.hang(), after=5)
    do_list(client, sb)
    assert attempts(sb, DETAIL) == len(approved(sb)) + 1
    assert clock.sleeps == [0.5]


def test_max_retries_sets_the_attempt_count(sb: Sandbox, clock: FakeClock) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.hang(), times=None)
    policy = attrs.evolve(NO_JITTER, max_retries=0)
    with (
        ef.connect(VENDOR, sandbox=sb, retry_policy=policy) as c,
        pytest.raises(APITimeoutError) as caught,
    ):
        do_get(c, sb)
    assert caught.value.attempts == attempts(sb, DETAIL) == 1
    assert clock.sleeps == []


# ---- 429 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_with_retry_after_in_seconds_waits_that_long(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="12"))
    operation(client, sb)
    assert clock.sleeps == [12.0]


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_with_retry_after_as_an_http_date_waits_until_then(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    when = clock.now() + dt.timedelta(seconds=45)
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after_date=when))
    operation(client, sb)
    assert clock.sleeps == [45.0]


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_asking_far_too_long_gives_up_at_once_saying_how_long(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="86400"))
    with pytest.raises(RateLimitError) as caught:
        operation(client, sb)
    assert caught.value.retry_after == 86400.0
    assert "86400" in str(caught.value)
    assert caught.value.attempts == attempts(sb, route) == 1
    assert caught.value.code == "RATE_LIMITED"
    assert clock.sleeps == []


# ---- 5xx then success ---------------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_then_success(
    client: ef.ExpenseClient,
    sb: Sandbox,
    clock: FakeClock,
    route: str,
    operation: Operation,
    status: int,
) -> None:
    sb.faults.add(VENDOR, route, Fault.status(status), times=3)
    operation(client, sb)
    assert sum(1 for r in sb.requests if r.route == route and r.status == status) == 3
    assert clock.sleeps == BACKOFF


# ---- 4xx: never retried, typed ------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, BadRequestError),
    ],
)
def test_client_errors_are_typed_and_never_retried(
    client: ef.ExpenseClient,
    sb: Sandbox,
    clock: FakeClock,
    route: str,
    operation: Operation,
    status: int,
    error: type[APIError],
) -> None:
    fault = Fault.status(status, message="Refused by the test", headers={"X-Request-Id": "rq-9"})
    sb.faults.add(VENDOR, route, fault, times=None)
    with pytest.raises(error) as caught:
        operation(client, sb)
    err = caught.value
    assert type(err) is error
    assert (err.vendor, err.status, err.message, err.request_id) == (
        VENDOR, status, "Refused by the test", "rq-9"
    )  # fmt: skip
    assert err.code == ERROR_CODES.get(status, "INTERNAL_ERROR")  # the vendor's own code
    assert err.attempts == attempts(sb, route) == 1
    assert clock.sleeps == []
    secret = sb.credentials(VENDOR)["api_key"]
    for text in (str(err), repr(err), err.body or "", json.dumps(dict(err.headers))):
        assert secret not in text


# ---- a 200 that says it failed ------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("EXPENSE_NOT_FOUND", NotFoundError),
        ("ACCESS_DENIED", PermissionDeniedError),
        ("INSUFFICIENT_PERMISSIONS", PermissionDeniedError),
        ("INVALID_API_KEY", AuthenticationError),
        ("VALIDATION_ERROR", BadRequestError),
        ("SOMETHING_NEW", BadRequestError),
    ],
)
def test_a_200_with_ok_false_is_the_failure_it_says(
    client: ef.ExpenseClient,
    sb: Sandbox,
    route: str,
    operation: Operation,
    code: str,
    error: type[APIError],
) -> None:
    body = json.dumps({"ok": False, "error": {"code": code, "message": "It failed."}}).encode()
    sb.faults.add(VENDOR, route, Fault.status(200, body=body))
    with pytest.raises(error) as caught:
        operation(client, sb)
    assert type(caught.value) is error
    assert (caught.value.status, caught.value.code, caught.value.message) == (
        200, code, "It failed."
    )  # fmt: skip
    assert caught.value.attempts == attempts(sb, route) == 1


# ---- HTML and truncated JSON --------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_an_html_page_is_a_malformed_response_with_an_excerpt(
    client: ef.ExpenseClient, sb: Sandbox, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.html(status=200))
    with pytest.raises(MalformedResponseError) as caught:
        operation(client, sb)
    assert caught.value.status == 200
    assert "Bad Gateway" in caught.value.message


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_truncated_json_is_a_malformed_response_with_an_excerpt(
    client: ef.ExpenseClient, sb: Sandbox, route: str, operation: Operation
) -> None:
    sb.faults.add(VENDOR, route, Fault.truncate())
    with pytest.raises(MalformedResponseError) as caught:
        operation(client, sb)
    assert caught.value.status == 200
    assert (caught.value.body or "").startswith('{"ok":true,"data":{')
    assert attempts(sb, route) == 1


# ---- cursors ------------------------------------------------------------------------------


def test_a_repeating_cursor_stops_with_a_clear_error(
    summaries: ef.ExpenseClient, sb: Sandbox
) -> None:
    ids = approved(sb)
    first = list_body([summary(sb, i) for i in ids[:3]], {"hasMore": True, "nextCursor": 7})
    again = list_body([summary(sb, i) for i in ids[3:6]], {"hasMore": True, "nextCursor": 7})
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=first))
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=again))
    listed: list[str] = []
    listing = iter(summaries.list_approved())
    listed.extend(next(listing).id for _ in range(6))
    with pytest.raises(PaginationError, match="repeats"):
        next(listing)
    assert listed == ids[:6]
    assert attempts(sb, LIST) == 2


def test_more_pages_without_a_cursor_is_a_malformed_response(
    summaries: ef.ExpenseClient, sb: Sandbox
) -> None:
    body = list_body([summary(sb, approved(sb)[0])], {"hasMore": True})
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=body))
    with pytest.raises(MalformedResponseError, match="nextCursor"):
        list(summaries.list_approved())


@pytest.mark.parametrize("cursor", [12, 12.0, "12"], ids=["int", "float", "string"])
def test_the_next_cursor_is_sent_back_as_its_integer_text(
    summaries: ef.ExpenseClient, sb: Sandbox, cursor: Any
) -> None:
    body = list_body([], {"hasMore": True, "nextCursor": cursor})
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=body))
    ids = [e.id for e in summaries.list_approved(page_size=100)]
    lists = [r for r in sb.requests if r.route == LIST]
    assert parse_qs(urlsplit(lists[1].url).query)["cursor"] == ["12"]
    index = {expense_id: sim(sb).index_of(expense_id) for expense_id in approved(sb)}
    assert ids == [i for i, n in index.items() if n is not None and n >= 12]


# ---- records inserted or changed between pages --------------------------------------------


def test_records_changing_state_between_pages_are_neither_lost_nor_repeated(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    before = approved(sb)

    def order(expense_id: str) -> int:
        index = sim(sb).index_of(expense_id)
        assert index is not None
        return index

    late_pending = next(i for i in sim(sb).ids_in_state("PENDING") if order(i) > order(before[20]))
    listed: list[str] = []
    for number, page in enumerate(client.list_approved(page_size=10).pages()):
        listed.extend(e.id for e in page.expenses)
        if number == 0:
            sim(sb).set_state(before[2], "PENDING")  # already listed: not listed again
            sim(sb).set_state(before[25], "DRAFTED")  # on a later page: no longer approved
            sim(sb).set_state(late_pending, "APPROVED")  # approved while the listing runs
    assert len(listed) == len(set(listed))
    assert set(listed) == (set(before) - {before[25]}) | {late_pending}
    assert set(approved(sb)) <= set(listed)  # everything approved now was listed


def test_a_record_the_vendor_lists_on_two_pages_is_yielded_once(
    summaries: ef.ExpenseClient, sb: Sandbox
) -> None:
    ids = approved(sb)
    first = list_body([summary(sb, i) for i in ids[:3]], {"hasMore": True, "nextCursor": 101})
    second = list_body([summary(sb, i) for i in ids[2:5]], {"hasMore": False})
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=first))
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=second))
    assert [e.id for e in summaries.list_approved()] == ids[:5]
