"""RELIABILITY.md's fault matrix, the rows only Revolut has (the rows every vendor shares
are in test_faults_common.py): its own rate limit, 5xx on a timestamp-tie window, an object
where the list should be, odd records and malformed dates on a page boundary, ties and
records changing between pages. Faults are injected in the in-process sandbox; sleeps are
on its fake clock with a retry policy without jitter, so every wait is asserted exactly.
"Nothing lost" is the sandbox's own list of approved ids, each exactly once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.faults import UNKNOWN_ENUM
from expense_facade.sandbox.vendors.revolut import RevolutSim
from support.sandbox import client_fixture, connect, make, sandbox_fixture, sleeps

VENDOR = "revolut"
LIST = "GET /expenses"
SEED, SIZE = 13, 1500  # 1500 records: the sandbox's long run of equal expense_dates is 650 long

sb = sandbox_fixture(VENDOR, seed=SEED, size=SIZE)
client = client_fixture(VENDOR)


def sim(sb: Sandbox) -> RevolutSim:
    return cast(RevolutSim, sb.vendor(VENDOR))


def truth(sb: Sandbox) -> list[str]:
    return list(sim(sb).approved_ids())


def listed(client: ef.ExpenseClient, page_size: int = 60) -> list[str]:
    ids = [e.id for e in client.list_approved(page_size=page_size)]
    assert len(ids) == len(set(ids)), "a record was listed twice"
    return ids


def window(url: str) -> dt.timedelta | None:
    """``to - from`` of a list request (None when either bound is absent)."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    if "from" not in params or "to" not in params:
        return None
    return dt.datetime.fromisoformat(params["to"]) - dt.datetime.fromisoformat(params["from"])


def body(items: list[dict[str, Any]]) -> Fault:
    return Fault.status(200, body=json.dumps(items).encode())


# ---- 429 ------------------------------------------------------------------------------------


def test_the_sandbox_rate_limit_is_waited_out_by_its_retry_after(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.enable_rate_limits(VENDOR, limit=(2, 60.0))  # two requests, then one every 30 s
    ids = truth(sb)[:3]
    assert [client.get_expense(i).id for i in ids] == ids
    assert sb.rate_limited[VENDOR] == 1
    assert sleeps(sb) == [30.0]


# ---- 5xx ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success_loses_nothing_even_on_a_tie_window(
    sb: Sandbox, client: ef.ExpenseClient, status: int
) -> None:
    # A dry run on an identical sandbox finds the first whole-instant request for ties.
    probe = make(VENDOR, seed=SEED, size=SIZE)
    with connect(probe, VENDOR) as dry:
        listed(dry, page_size=40)
    tie_request = [window(r.url) for r in probe.requests].index(dt.timedelta(milliseconds=1))
    sb.faults.add(VENDOR, LIST, Fault.status(status), times=2, after=tie_request)
    assert listed(client, page_size=40) == truth(sb)
    assert sleeps(sb) == [0.5, 1.0]
    failed = [window(r.url) for r in sb.requests if r.status == status]
    assert failed == [dt.timedelta(milliseconds=1)] * 2


# ---- malformed bodies -----------------------------------------------------------------------


def test_an_object_where_the_list_should_be_is_a_malformed_response(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=b'{"expenses": []}'))
    with pytest.raises(ef.MalformedResponseError) as caught:
        listed(client)
    assert "expenses" in (caught.value.body or "")


# ---- odd records ----------------------------------------------------------------------------


def test_odd_records_are_parsed_and_nothing_is_lost(sb: Sandbox, client: ef.ExpenseClient) -> None:
    sb.faults.add(
        VENDOR,
        LIST,
        Fault.mutate_records(unknown_enum=True, extra_fields=True, amount_as_string=True),
        after=2,
    )
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(missing_optional=True, limit=5), after=4)
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(null_values=True, limit=5), after=6)
    listing = client.list_approved(page_size=60)
    expenses = list(listing)
    assert [e.id for e in expenses] == truth(sb)
    assert listing.malformed == []
    unknown = [e for e in expenses if e.raw_status == UNKNOWN_ENUM]
    assert unknown
    assert all(e.status is ef.ExpenseStatus.UNKNOWN for e in unknown)
    assert all(isinstance(e.raw["spent_amount"]["amount"], str) for e in unknown)
    assert all(e.gross is not None for e in unknown)
    # Records without a date (some were re-reads of the previous page, de-duplicated away)
    # are still yielded; paging goes on from their readable neighbours' dates.
    emptied = [e for e in expenses if e.transaction_date is None]
    assert emptied
    assert all(e.raw.get("expense_date") is None for e in emptied)


def test_a_malformed_date_on_a_page_boundary_loses_nothing(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    page_size = 25
    last_on_first_page = cast(int, sim(sb).index_of(truth(sb)[page_size - 1]))
    bad_id = sim(sb).use_malformed_date(last_on_first_page)
    listing = client.list_approved(page_size=page_size)
    expenses = {e.id: e for e in listing}
    assert list(expenses) == truth(sb)
    assert expenses[bad_id].transaction_date is None
    assert any(w.startswith("expense_date:") for w in expenses[bad_id].parse_warnings)


# ---- ties and paging ------------------------------------------------------------------------


def test_a_page_made_only_of_ties_is_paged_past(sb: Sandbox, client: ef.ExpenseClient) -> None:
    revolut = sim(sb)
    tied = [
        revolut.expense_id(i)
        for i in range(revolut.long_tie_start, revolut.long_tie_end)
        if revolut.kind(i)[1] == "approved"
    ]
    assert len(tied) > 3 * 40  # several pages of one millisecond
    ids = listed(client, page_size=40)
    assert ids == truth(sb)
    assert set(tied) <= set(ids)


def test_more_ties_than_one_request_returns_stops_with_a_clear_error(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    template = sim(sb).expense(truth(sb)[0])
    instant = "2025-06-01T10:00:00.000Z"
    ties = [{**template, "id": f"tie-{n}", "expense_date": instant} for n in range(500)]
    sb.faults.add(VENDOR, LIST, body(ties[:50]))  # a full page, all one instant
    sb.faults.add(VENDOR, LIST, body(ties))  # the whole instant: as many as a request gives
    listing = client.list_approved(page_size=50)
    seen: list[str] = []
    with pytest.raises(ef.PaginationError) as caught:
        seen.extend(e.id for e in listing)
    assert "share the timestamp" in str(caught.value)
    assert seen == [f"tie-{n}" for n in range(50)]


def test_records_changed_between_pages_are_listed_once(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    revolut = sim(sb)
    before = truth(sb)
    pending = next(
        revolut.expense_id(i)
        for i in range(revolut.size // 2, revolut.size)
        if revolut.kind(i)[1] == "awaiting_review"
    )
    seen: list[str] = []
    for page in client.list_approved(page_size=50).pages():
        if page.number == 2:
            # An already listed record's date moves back past the pages still to come (it
            # will be met again), a later one stops being approved, one becomes approved.
            revolut.move_expense_date(page.expenses[0].id, dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
            revolut.set_state(before[-1], "reverted")
            revolut.set_state(pending, "approved")
        seen.extend(e.id for e in page.expenses)
    assert len(seen) == len(set(seen))
    assert sorted(seen) == sorted(truth(sb))
    assert before[-1] not in seen
    assert pending in seen
