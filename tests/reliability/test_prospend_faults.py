"""RELIABILITY.md's fault matrix, the rows only ProSpend has (the rows every vendor shares
are in test_faults_common.py): a truncated or lost answer to a card transaction post (safe to
send again: the vendor de-duplicates on ``transactionId``), mutated records, a repeating
cursor and records that move between pages. Faults are injected in the sandbox; sleeps are
on its fake clock with no jitter, so they are exact; "nothing lost" is checked against the
simulator's ground truth.

Rows that do not apply to ProSpend's operations: a 200 whose body says failure (ProSpend
has no envelope), timestamp ties (Revolut's paging), mark exported and batch updates
(no such endpoint), pre-signed uploads (none), and the killed export process (the export
pipeline's own tests).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import cast
from urllib.parse import urlsplit

import expense_facade as ef
import httpx
import pytest
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.prospend import ProspendSim
from support import sandbox as support
from support.records import card_transaction
from support.sandbox import BACKOFF, RecordingTransport, hits, sleeps

VENDOR = "prospend"
TOKEN_NAME = "token"
CLAIMS = "GET /{version}/company/{companyId}/claim"
EXPENSES = "GET /{version}/company/{companyId}/claim/{claimId}/expense"
SPLITS = "GET /{version}/company/{companyId}/claim/{claimId}/expense/{expenseId}/split"
POST = "POST /{version}/company/{companyId}/transaction"

# seed 1, 60 expenses: 10 claims, 29 approved expenses, 4 of them split.
make_sandbox = partial(support.make, VENDOR, seed=1, size=60)
connect = partial(support.connect, vendor=VENDOR)
_driver = support.drivers_fixture(globals(), vendor=VENDOR)  # every test on both clients


def sim_of(sb: Sandbox) -> ProspendSim:
    return cast(ProspendSim, sb.vendor(VENDOR))


def transaction() -> ef.CardTransaction:
    return card_transaction(transaction_id="txn-fault-0001")


# ---- post card transaction: truncated, lost and 5xx answers -------------------------------
def test_a_truncated_answer_to_a_post_is_safe_to_send_again() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, POST, Fault.truncate())
    with connect(sb) as client:
        with pytest.raises(ef.MalformedResponseError):
            client.post_card_transaction(transaction())
        again = client.post_card_transaction(transaction())
    assert again.duplicate is True
    assert len(sim_of(sb).transactions) == 1


@pytest.mark.parametrize(
    "fault", [lambda: Fault.hang(processed=True), lambda: Fault.reset(processed=True)]
)
def test_a_lost_answer_to_a_post_is_retried_with_the_same_id_and_the_duplicate_is_success(
    fault: Callable[[], Fault],
) -> None:
    sb = make_sandbox()
    recorder = RecordingTransport.of(sb)
    sb.faults.add(VENDOR, POST, fault())
    with connect(sb, transport=recorder) as client:
        result = client.post_card_transaction(transaction())
    assert (result.duplicate, result.attempts) == (True, 2)
    assert result.transaction_id == "txn-fault-0001"
    posts = recorder.sent("POST")
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
