"""RELIABILITY.md's fault matrix, the rows only Pazy has (the rows every vendor shares are
in test_faults_common.py): a detail read timing out during a listing; a 200 whose body says
``ok: false``; a cursor that repeats (and a page that says there is more without a cursor);
records inserted or changed between pages. Faults are injected in the in-process sandbox;
sleeps are on its FakeClock with a retry policy without jitter, so they are exact.
Record-level rows (unknown enum, extra/missing/null fields, amount as a string, a malformed
date) are in tests/vendors/test_pazy.py; the export killed at any point is
tests/cli/test_export_crash.py. Rows that do not apply to Pazy: timestamp ties (Revolut),
mark exported, card transactions, pre-signed uploads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import pytest
from expense_facade.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    MalformedResponseError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
)
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.pazy import PazySim
from support.sandbox import client_fixture, hits, sandbox_fixture, sleeps

VENDOR = "pazy"
LIST = "GET /expenses"
DETAIL = "GET /expense/{expenseId}"

sb = sandbox_fixture(VENDOR, seed=17, size=60)
client = client_fixture(VENDOR)
summaries = client_fixture(VENDOR, name="summaries", details=False)


def sim(sb: Sandbox) -> PazySim:
    return cast(PazySim, sb.vendor(VENDOR))


def approved(sb: Sandbox) -> list[str]:
    return list(sim(sb).approved_ids())


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


# ---- read timeouts ------------------------------------------------------------------------


def test_a_detail_timing_out_during_the_listing_is_retried(
    client: ef.ExpenseClient,
    sb: Sandbox,
) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.hang(), after=5)
    do_list(client, sb)
    assert hits(sb, DETAIL) == len(approved(sb)) + 1
    assert sleeps(sb) == [0.5]


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
    assert caught.value.attempts == hits(sb, route) == 1


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
    assert hits(sb, LIST) == 2


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
