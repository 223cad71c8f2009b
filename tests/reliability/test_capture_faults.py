"""RELIABILITY.md's fault matrix for Capture (list approved, mark exported), through the
public API, faults injected in the in-process sandbox, sleeps on the sandbox's FakeClock.

Rows covered here: connect error / connect timeout; read timeout on the listing; 429 with
Retry-After in seconds, as an HTTP date and far too long; 500/502/503/504 then success;
400/401/403/404/422; a 200 whose body says ``success: false``; HTML and truncated JSON;
rows marked while the listing is paged; timeout on mark exported; partial failure in a
batch status update. Record-level rows (unknown enum, extra/missing/null fields, amount as
a string, a malformed date) are in tests/vendors/test_capture.py; the export killed at
any point is tests/cli/test_export_crash.py. Rows that do not apply to Capture: timestamp
ties (Revolut), a repeating cursor (no cursor), card transactions, pre-signed uploads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, cast

import attrs
import expense_facade as ef
import httpx
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
    PermissionDeniedError,
    RateLimitError,
)
from expense_facade.records import Expense
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.capture import CaptureSim

VENDOR = "capture"
EXPORT = "GET /api/Expenses/Export"
UPDATE = "POST /api/Expenses/ExportStatusUpdate"
NO_JITTER = RetryPolicy(max_retries=3, jitter_source=lambda: 0.0)
BACKOFF = [0.5, 1.0, 2.0]  # exact sleeps before retries 1..3 without jitter


class Recorder(httpx.BaseTransport):
    """The sandbox's transport, keeping the body of each status update it passes on."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.posted: list[list[str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            body = json.loads(request.read())
            self.posted.append([status["id"] for status in body["exportStatuses"]])
        return self.inner.handle_request(request)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sb(clock: FakeClock) -> Sandbox:
    return Sandbox(seed=13, size=200, clock=clock, vendors=(VENDOR,))


@pytest.fixture
def recorder(sb: Sandbox) -> Recorder:
    return Recorder(sb.transport())


@pytest.fixture
def client(sb: Sandbox, recorder: Recorder) -> Iterator[ef.ExpenseClient]:
    with ef.connect(VENDOR, sandbox=sb, transport=recorder, retry_policy=NO_JITTER) as c:
        yield c


def sim(sb: Sandbox) -> CaptureSim:
    return cast(CaptureSim, sb.vendor(VENDOR))


def attempts(sb: Sandbox, route: str) -> int:
    return sum(1 for r in sb.requests if r.route == route)


def queued(client: ef.ExpenseClient, sb: Sandbox, count: int) -> list[Expense]:
    """The first ``count`` queued rows as records (read before any fault is set)."""
    expenses = list(client.list_approved())[:count]
    sb.clear_requests()
    return expenses


# An operation under test: runs against the client, returns what to check "nothing lost" on.
Operation = Callable[[ef.ExpenseClient, list[Expense]], Any]


def do_list(client: ef.ExpenseClient, _: list[Expense]) -> list[str]:
    return [e.id for e in client.list_approved(page_size=50)]


def do_mark(client: ef.ExpenseClient, chosen: list[Expense]) -> ef.MarkExportedResult:
    return client.mark_exported(chosen)


OPERATIONS = [pytest.param(EXPORT, do_list, id="list"), pytest.param(UPDATE, do_mark, id="mark")]


def check_done(
    sb: Sandbox, route: str, outcome: Any, chosen: list[Expense], before: list[str]
) -> None:
    """The operation's result against the sandbox's ground truth: nothing lost, nothing
    done twice."""
    if route == EXPORT:
        assert outcome == before  # every queued row, once, in order
    else:
        assert outcome.ok
        assert [o.expense_id for o in outcome.outcomes] == [e.id for e in chosen]
        assert sim(sb).exported_ids() == {e.id for e in chosen}


# ---- connect error / connect timeout ------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_connect_errors_are_retried_with_backoff(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    before = list(sim(sb).queue_ids())
    sb.faults.add(VENDOR, route, Fault.reset(), times=2)
    outcome = operation(client, chosen)
    check_done(sb, route, outcome, chosen, before)
    assert attempts(sb, route) == 3
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
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, route, fault, times=None)
    with pytest.raises(error) as caught:
        operation(client, chosen)
    assert type(caught.value) is error
    assert caught.value.attempts == 4
    assert attempts(sb, route) == 4
    assert clock.sleeps == BACKOFF
    assert sim(sb).exported_ids() == set()


# ---- read timeout on the listing ----------------------------------------------------------


def test_read_timeouts_on_the_listing_are_retried(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock
) -> None:
    before = list(sim(sb).queue_ids())
    sb.faults.add(VENDOR, EXPORT, Fault.hang(), times=3)
    assert do_list(client, []) == before
    assert attempts(sb, EXPORT) == 4
    assert clock.sleeps == BACKOFF


def test_read_timeouts_on_the_listing_up_to_the_limit(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock
) -> None:
    sb.faults.add(VENDOR, EXPORT, Fault.hang(), times=None)
    with pytest.raises(APITimeoutError) as caught:
        do_list(client, [])
    assert caught.value.attempts == attempts(sb, EXPORT) == 4
    assert clock.sleeps == BACKOFF


def test_max_retries_sets_the_attempt_count(sb: Sandbox, clock: FakeClock) -> None:
    sb.faults.add(VENDOR, EXPORT, Fault.hang(), times=None)
    policy = attrs.evolve(NO_JITTER, max_retries=1)
    with (
        ef.connect(VENDOR, sandbox=sb, retry_policy=policy) as c,
        pytest.raises(APITimeoutError) as caught,
    ):
        do_list(c, [])
    assert caught.value.attempts == attempts(sb, EXPORT) == 2
    assert clock.sleeps == [0.5]


# ---- 429 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_with_retry_after_in_seconds_waits_that_long(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    before = list(sim(sb).queue_ids())
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="7"))
    check_done(sb, route, operation(client, chosen), chosen, before)
    assert clock.sleeps == [7.0]
    assert attempts(sb, route) == 2


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_with_retry_after_as_an_http_date_waits_until_then(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    before = list(sim(sb).queue_ids())
    when = clock.now() + dt.timedelta(seconds=30)
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after_date=when))
    check_done(sb, route, operation(client, chosen), chosen, before)
    assert clock.sleeps == [30.0]


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_429_asking_far_too_long_gives_up_at_once_saying_how_long(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, route, Fault.status(429, retry_after="3600"))
    with pytest.raises(RateLimitError) as caught:
        operation(client, chosen)
    assert caught.value.retry_after == 3600.0
    assert "3600" in str(caught.value)
    assert caught.value.attempts == attempts(sb, route) == 1
    assert clock.sleeps == []
    assert sim(sb).exported_ids() == set()


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
    chosen = queued(client, sb, 5)
    before = list(sim(sb).queue_ids())
    sb.faults.add(VENDOR, route, Fault.status(status), times=2)
    check_done(sb, route, operation(client, chosen), chosen, before)
    assert attempts(sb, route) == 3
    assert clock.sleeps == BACKOFF[:2]


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
    chosen = queued(client, sb, 5)
    fault = Fault.status(status, message="Refused by the test", headers={"X-Request-Id": "rq-7"})
    sb.faults.add(VENDOR, route, fault, times=None)
    with pytest.raises(error) as caught:
        operation(client, chosen)
    err = caught.value
    assert type(err) is error
    assert (err.vendor, err.status, err.message, err.request_id) == (
        VENDOR, status, "Refused by the test", "rq-7"
    )  # fmt: skip
    assert err.code is None  # Capture's error body carries no code, only a message
    assert err.attempts == attempts(sb, route) == 1
    assert clock.sleeps == []
    secret = sb.credentials(VENDOR)["api_key"]
    for text in (str(err), repr(err), err.body or "", json.dumps(dict(err.headers))):
        assert secret not in text
    assert sim(sb).exported_ids() == set()


# ---- a 200 that says it failed ------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_a_200_with_success_false_is_a_failure(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    body = b'{"success": false, "message": "The integration is switched off.", "data": null}'
    sb.faults.add(VENDOR, route, Fault.status(200, body=body))
    with pytest.raises(BadRequestError) as caught:
        operation(client, chosen)
    assert (caught.value.status, caught.value.message) == (200, "The integration is switched off.")
    assert caught.value.attempts == attempts(sb, route) == 1
    assert sim(sb).exported_ids() == set()


# ---- HTML and truncated JSON --------------------------------------------------------------


def test_an_html_page_is_a_malformed_response_with_an_excerpt(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    sb.faults.add(VENDOR, EXPORT, Fault.html(status=200))
    with pytest.raises(MalformedResponseError) as caught:
        do_list(client, [])
    assert caught.value.status == 200
    assert "Bad Gateway" in caught.value.message
    assert "Bad Gateway" in (caught.value.body or "")


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_truncated_json_is_a_malformed_response_with_an_excerpt(
    client: ef.ExpenseClient, sb: Sandbox, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, route, Fault.truncate())
    with pytest.raises(MalformedResponseError) as caught:
        operation(client, chosen)
    assert caught.value.status == 200
    assert caught.value.body
    assert caught.value.body.startswith('{"success":true')
    assert attempts(sb, route) == 1
    if route == UPDATE:
        # The vendor applied the update and the answer was lost: sending it again is safe.
        assert sim(sb).exported_ids() == {e.id for e in chosen}
        assert client.mark_exported(chosen).ok
        assert sim(sb).exported_ids() == {e.id for e in chosen}


# ---- rows marked while the listing is paged -----------------------------------------------


def test_rows_marked_by_someone_else_mid_listing_are_neither_skipped_nor_repeated(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    before = list(sim(sb).queue_ids())
    listed: list[str] = []
    with ef.connect(VENDOR, sandbox=sb) as other:
        for number, page in enumerate(client.list_approved(page_size=20).pages()):
            listed.extend(e.id for e in page.expenses)
            if number == 0:  # another process marks rows from pages 1 and 5
                assert other.mark_exported([before[10], before[25], before[90]]).ok
    assert listed == before  # the listing is the queue as it was read: no row skipped
    assert len(set(listed)) == len(listed)


# ---- timeout on mark exported -------------------------------------------------------------


def test_a_timed_out_status_update_is_resent(
    client: ef.ExpenseClient, sb: Sandbox, clock: FakeClock, recorder: Recorder
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(processed=True))  # applied, answer lost
    result = client.mark_exported(chosen)
    assert result.ok
    assert recorder.posted == [[e.id for e in chosen]] * 2
    assert sim(sb).exported_ids() == {e.id for e in chosen}
    assert clock.sleeps == [0.5]


def test_only_the_batch_not_yet_confirmed_is_resent(
    client: ef.ExpenseClient, sb: Sandbox, recorder: Recorder
) -> None:
    chosen = queued(client, sb, 150)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(processed=True), after=1)
    result = client.mark_exported(chosen)
    assert result.ok
    assert len(result.outcomes) == 150
    ids = [e.id for e in chosen]
    assert recorder.posted == [ids[:100], ids[100:], ids[100:]]
    assert sim(sb).exported_ids() == set(ids)


def test_a_batch_that_keeps_timing_out_after_a_confirmed_one_is_reported_per_item(
    client: ef.ExpenseClient, sb: Sandbox, recorder: Recorder
) -> None:
    chosen = queued(client, sb, 150)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(), after=1, times=None)
    result = client.mark_exported(chosen)  # no exception: the first batch is confirmed
    ids = [e.id for e in chosen]
    assert [o.expense_id for o in result.succeeded] == ids[:100]
    assert [o.expense_id for o in result.failed] == ids[100:]
    assert all("not confirmed" in (o.message or "") for o in result.failed)
    assert all("after 4 attempts" in (o.message or "") for o in result.failed)
    assert recorder.posted == [ids[:100]] + [ids[100:]] * 4
    assert sim(sb).exported_ids() == set(ids[:100])  # nothing marked that failed


def test_a_single_batch_that_keeps_timing_out_raises_and_can_be_sent_again(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(), times=None)
    with pytest.raises(APITimeoutError) as caught:
        client.mark_exported(chosen)
    assert caught.value.attempts == 4
    assert sim(sb).exported_ids() == set()
    sb.faults.clear()
    assert client.mark_exported(chosen).ok
    assert sim(sb).exported_ids() == {e.id for e in chosen}


# ---- partial failure in a batch status update ---------------------------------------------


def test_a_partial_failure_is_reported_per_item_and_nothing_failed_is_marked(
    client: ef.ExpenseClient, sb: Sandbox, recorder: Recorder
) -> None:
    good = queued(client, sb, 4)
    stale = attrs.evolve(good[1], raw={**good[1].raw, "transactionType": 42})
    pending = next(sim(sb).pending_ids())
    batch: list[Expense | str] = [good[0], stale, pending, good[2], good[3]]
    result = client.mark_exported(batch)
    assert [(o.expense_id, o.succeeded) for o in result.outcomes] == [
        (good[0].id, True),
        (good[1].id, False),
        (pending, False),
        (good[2].id, True),
        (good[3].id, True),
    ]
    messages = {o.expense_id: o.message for o in result.failed}
    assert messages[good[1].id] == "transactionType does not match the expense."
    assert "not in the export queue" in (messages[pending] or "")
    assert recorder.posted == [[good[0].id, good[1].id, good[2].id, good[3].id]]
    assert sim(sb).exported_ids() == {good[0].id, good[2].id, good[3].id}
    assert good[1].id in set(sim(sb).queue_ids())  # the refused row is still queued


def test_per_item_answers_missing_from_a_refused_batch_are_failures(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    first, second = queued(client, sb, 2)
    body = json.dumps(
        {"success": False, "message": "1 of 2 failed.",
         "data": [{"id": first.id.upper(), "success": True, "message": None}]}
    ).encode()  # fmt: skip
    sb.faults.add(VENDOR, UPDATE, Fault.status(200, body=body))
    result = client.mark_exported([first, second])
    assert [o.succeeded for o in result.outcomes] == [True, False]  # ids matched in any case
    assert result.failed[0].message == (
        "no outcome for this item in a batch the vendor did not fully accept: 1 of 2 failed."
    )


def test_a_batch_accepted_without_per_item_answers_is_all_confirmed(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    chosen = queued(client, sb, 3)
    sb.faults.add(VENDOR, UPDATE, Fault.status(200, body=b'{"success": true, "message": "ok"}'))
    result = client.mark_exported(chosen)
    assert result.ok
    assert [o.expense_id for o in result.succeeded] == [e.id for e in chosen]
