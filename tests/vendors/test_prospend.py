"""The ProSpend adapter through the public API, against the in-process sandbox (ground
truth from the simulator) and, for payloads the sandbox never sends (the older beta's
field names, records without ids, a 409 carrying the stored transaction), a small fake
vendor on an ``httpx.MockTransport``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any, Final, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import httpx
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.operations import Operation
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from expense_facade.sandbox.vendors.prospend import ProspendSim
from support import sandbox as support
from support.records import card_transaction as transaction
from support.sandbox import RecordingTransport, as_decoded

VENDOR: Final = "prospend"
CLAIMS = "GET /{version}/company/{companyId}/claim"
EXPENSES = "GET /{version}/company/{companyId}/claim/{claimId}/expense"
EXPENSE = "GET /{version}/company/{companyId}/claim/{claimId}/expense/{expenseId}"
SPLITS = "GET /{version}/company/{companyId}/claim/{claimId}/expense/{expenseId}/split"
CLAIM = "GET /{version}/company/{companyId}/claim/{claimId}"
POST = "POST /{version}/company/{companyId}/transaction"
NO_DATE = "1970-01-01T00:00:00Z"


# ---- helpers ------------------------------------------------------------------------------
make_sandbox = partial(support.make, VENDOR, size=150, seed=3)
connect = partial(support.connect, vendor=VENDOR)


_driver = support.drivers_fixture(globals(), vendor=VENDOR)


def sim_of(sb: Sandbox) -> ProspendSim:
    return cast(ProspendSim, sb.vendor(VENDOR))


def queries(sb: Sandbox, route: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.url).query) for r in sb.requests if r.route == route]


def composite(claim_id: str, expense_id: str) -> str:
    return f"{claim_id}:{expense_id}"


def first_expense_of_claim(sim: ProspendSim, index: int) -> str:
    e = sim.expense_range(index)[0]
    return composite(str(3000 + index), str(1_000_000 + e))


def stamp(value: str | None) -> dt.datetime:
    """A date-time the sandbox wrote (its shape calls every optional field nullable)."""
    assert value is not None
    return dt.datetime.fromisoformat(value)


def wire_amount(total: dict[str, Any], name: str) -> Decimal:
    value = total[name]
    assert isinstance(value, Decimal | int)
    return Decimal(value)


# ---- capabilities and configuration ------------------------------------------------------------
def test_capabilities_are_list_get_and_post_transaction() -> None:
    assert ef.capabilities(VENDOR) == frozenset(
        {Operation.LIST_APPROVED, Operation.GET_EXPENSE, Operation.POST_CARD_TRANSACTION}
    )


def test_account_is_host_and_company() -> None:
    with connect(make_sandbox()) as client:
        assert client.account == "sandbox.invalid/1"


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"token": "tok_abcdef123"}, "company_id"),
        ({"token": "tok_abcdef123", "company_id": "acme"}, "company_id"),
        ({"token": "tok_abcdef123", "company_id": "1", "ready_status": "Paid"}, "ready_status"),
        ({"token": "tok_abcdef123", "company_id": "1", "version": ""}, "version"),
        ({"token": "tok_abcdef123", "company_id": "1", "claim_status": "x"}, "claim_status"),
    ],
)
def test_bad_configuration_is_refused(
    kwargs: dict[str, Any], problem: str, client_driver: str
) -> None:
    with pytest.raises(ef.ConfigurationError) as info:
        support.connecting(client_driver)(VENDOR, **kwargs)
    assert problem in str(info.value)
    assert "tok_abcdef123" not in str(info.value)


@pytest.mark.parametrize(
    ("given", "asked"), [(None, "Finalised"), ("approved", "Approved"), ("FINALISED", "Finalised")]
)
def test_ready_status_is_case_insensitive_and_defaults_to_finalised(
    given: str | None, asked: str
) -> None:
    # Seen where it matters, on either client: the status the claims listing asks for.
    sb = make_sandbox()
    with connect(sb, **({} if given is None else {"ready_status": given})) as client:
        list(client.list_approved())
    assert queries(sb, CLAIMS)
    assert {q["status"][0] for q in queries(sb, CLAIMS)} == {asked}


# ---- list_approved --------------------------------------------------------------------------
def test_lists_exactly_the_expenses_of_finalised_claims_once_in_order() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        listing = client.list_approved()
        expenses = list(listing)
    truth = list(sim_of(sb).approved_ids("Finalised"))
    assert len(truth) > 20
    assert [e.id for e in expenses] == truth
    assert listing.malformed == []
    assert {(e.status, e.raw_status) for e in expenses} == {
        (ef.ExpenseStatus.APPROVED, "Finalised")
    }
    assert {q["status"][0] for q in queries(sb, CLAIMS)} == {"Finalised"}


def test_ready_status_approved_lists_the_approved_claims_instead() -> None:
    sb = make_sandbox()
    with connect(sb, ready_status="Approved") as client:
        expenses = list(client.list_approved())
    assert [e.id for e in expenses] == list(sim_of(sb).approved_ids("Approved"))
    assert {(e.status, e.raw_status) for e in expenses} == {(ef.ExpenseStatus.APPROVED, "Approved")}


def test_default_page_size_is_the_documented_maximum_and_filters_are_explicit() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        list(client.list_approved())
    claim_queries, expense_queries = queries(sb, CLAIMS), queries(sb, EXPENSES)
    assert claim_queries
    assert expense_queries
    assert all(q["limit"] == ["100"] for q in claim_queries + expense_queries)
    assert all(
        q["includePersonal"] == ["false"] and q["includeOmitted"] == ["false"]
        for q in expense_queries
    )
    assert all("minUpdatedDate" not in q for q in claim_queries + expense_queries)


def test_small_pages_follow_cursors_and_stay_within_page_size() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        listing = client.list_approved(page_size=2)
        pages = list(listing.pages())
    assert [e.id for p in pages for e in p.expenses] == list(sim_of(sb).approved_ids())
    assert all(1 <= len(p.expenses) <= 2 for p in pages)
    assert all(q["limit"] == ["2"] for q in queries(sb, CLAIMS) + queries(sb, EXPENSES))
    assert any("cursor" in q for q in queries(sb, CLAIMS))
    assert any("cursor" in q for q in queries(sb, EXPENSES))


def test_listing_is_lazy() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        listing = client.list_approved()
        assert sb.requests == []
        next(iter(listing))
        assert len(sb.requests) >= 2


def test_since_filters_claims_by_update_time_and_keeps_all_their_expenses() -> None:
    sb = make_sandbox(size=300)
    sim = sim_of(sb)
    since = dt.datetime(2024, 3, 1, 12, 30, 15, 987_000, tzinfo=dt.UTC)
    with connect(sb) as client:
        expenses = list(client.list_approved(since=since))
    floor = since.replace(microsecond=0)

    def claim_updated(expense_id: str) -> dt.datetime:
        claim = sim.claim(expense_id.split(":")[0])
        return stamp(claim["updatedDate"])

    truth = [i for i in sim.approved_ids() if claim_updated(i) >= floor]
    assert 0 < len(truth) < len(list(sim.approved_ids()))
    assert [e.id for e in expenses] == truth
    assert {q["minUpdatedDate"][0] for q in queries(sb, CLAIMS)} == {"2024-03-01T12:30:15Z"}
    # The expenses of a claim that changed are all listed, however old they are.
    assert all("minUpdatedDate" not in q for q in queries(sb, EXPENSES))
    assert all(e.updated_at is not None and e.updated_at >= floor for e in expenses)


def test_amounts_are_exact_decimals_from_the_claim_currency_totals() -> None:
    sb = make_sandbox()
    recorder = RecordingTransport.of(sb)
    with connect(sb, transport=recorder) as client:
        expenses = {e.id: e for e in client.list_approved()}
    wire = {
        composite(claim_id, item["id"]): item
        for claim_id, page in _expense_pages(recorder)
        for item in page["page"]
    }
    assert wire.keys() == expenses.keys()
    checked_fraction = 0
    for expense_id, expense in expenses.items():
        total = wire[expense_id]["claimCurrencyTotal"]
        assert expense.gross is not None
        assert expense.net is not None
        assert expense.tax is not None
        for money, name in ((expense.gross, "grossAmount"), (expense.net, "netAmount"),
                            (expense.tax, "taxAmount")):  # fmt: skip
            assert isinstance(money.amount, Decimal)
            assert money.amount == wire_amount(total, name)
            # Exactly the digits on the wire: no binary noise from a float.
            assert str(money.amount) == str(total[name])
            assert money.currency == total["currencyCode"] == "AUD"
        assert expense.currency == "AUD"
        assert expense.exchange_rate is None
        checked_fraction += expense.gross.amount != expense.gross.amount.to_integral_value()
    assert checked_fraction > 10


def _expense_pages(recorder: RecordingTransport) -> Iterator[tuple[str, Any]]:
    for exchange in recorder.exchanges:
        parts = exchange.request.url.path.split("/")
        response = exchange.response
        if parts[-1] == "expense" and response is not None and response.status_code == 200:
            yield parts[-2], json.loads(response.content, parse_float=Decimal)


def test_fields_are_mapped_from_the_expense_and_its_claim() -> None:
    sb = make_sandbox()
    sim = sim_of(sb)
    with connect(sb) as client:
        expenses = list(client.list_approved())
    for expense in expenses[:25]:
        claim_id, _ = expense.id.split(":")
        claim, raw = sim.claim(claim_id), sim.expense(expense.id)
        assert expense.raw["claim"] == as_decoded(claim)  # numbers exact, as on the wire
        assert expense.raw["expense"] == as_decoded(raw)
        assert expense.employee == ef.Employee(id=claim["claimantId"], name=claim["claimantName"])
        assert expense.gl_code == raw["glCode"]
        assert expense.tax_code == raw["taxCode"]
        assert expense.project == raw["projectCode"]
        assert expense.cost_centre == raw["costCenterCode"]
        assert expense.department is None  # the sandbox's custom fields are not dimensions
        assert expense.location is None
        assert expense.description == (raw["description"] or None)
        assert expense.approved_at == stamp(claim["approvedDate"])
        updated = [stamp(claim["updatedDate"])]
        if raw["updatedDate"] != NO_DATE:
            updated.append(stamp(raw["updatedDate"]))
        assert expense.updated_at == max(updated)
        assert expense.transaction_date is None
        assert expense.submitted_at is None
        assert expense.account == "sandbox.invalid/1"
        assert expense.parse_warnings == ()
        assert expense.updated_at is not None
        assert expense.updated_at.tzinfo is not None


def test_no_date_epoch_is_absent_not_1970() -> None:
    sb = make_sandbox(size=400)
    sim = sim_of(sb)
    with connect(sb) as client:
        expenses = list(client.list_approved())
    undated = [e for e in expenses if sim.expense(e.id)["updatedDate"] == NO_DATE]
    assert undated, "the sandbox dates about 5% of expenses 1970-01-01 (no date)"
    for expense in undated:
        claim = sim.claim(expense.id.split(":")[0])
        assert expense.updated_at == stamp(claim["updatedDate"])
    assert all(e.updated_at and e.updated_at.year > 2000 for e in expenses)
    assert all(e.parse_warnings == () for e in expenses)


def test_splits_become_line_items_and_only_split_expenses_cost_a_request() -> None:
    sb = make_sandbox(size=300)
    sim = sim_of(sb)
    with connect(sb) as client:
        expenses = list(client.list_approved())
    split = [e for e in expenses if sim.expense(e.id)["isSplit"]]
    unsplit = [e for e in expenses if not sim.expense(e.id)["isSplit"]]
    assert split
    assert unsplit
    split_paths = {urlsplit(r.url).path for r in sb.requests if r.route == SPLITS}
    assert len(split_paths) == len(split) == len([r for r in sb.requests if r.route == SPLITS])
    for expense in unsplit:
        assert expense.line_items == ()
        assert expense.raw["splits"] is None
    for expense in split:
        children = [c["splitId"] for c in sim.expense(expense.id).get("splitChildren") or []]
        assert [line.raw["id"] for line in expense.line_items] == children
        assert expense.gross is not None
        # Lines are in the claim currency and add up to the expense exactly.
        assert sum((line.amount.amount for line in expense.line_items if line.amount),
                   Decimal(0)) == expense.gross.amount  # fmt: skip
        for line in expense.line_items:
            assert line.amount is not None
            assert line.amount.currency == "AUD"
            assert line.gl_code == line.raw["glCode"]
            assert line.tax_code == line.raw["taxCode"]
            assert line.description == line.raw["description"]
            assert line.tax_amount is not None
            assert str(line.tax_amount.amount) == str(line.raw["claimCurrencyTotal"]["taxAmount"])


# ---- get_expense ---------------------------------------------------------------------------------
def test_get_expense_equals_the_listed_record_including_splits() -> None:
    sb = make_sandbox(size=300)
    sim = sim_of(sb)
    with connect(sb) as client:
        listed = list(client.list_approved())
        chosen = [e for e in listed if sim.expense(e.id)["isSplit"]][:2] + listed[:2]
        for expense in chosen:
            detail = client.get_expense(expense.id)
            assert detail == expense
            assert detail.raw["expense"] == expense.raw["expense"]
            assert detail.line_items == expense.line_items


@pytest.mark.parametrize(
    ("index", "status", "raw"),
    [
        (0, ef.ExpenseStatus.APPROVED, "Finalised"),
        (1, ef.ExpenseStatus.APPROVED, "Approved"),
        (2, ef.ExpenseStatus.PENDING_APPROVAL, "PendingApproval"),
        (3, ef.ExpenseStatus.DRAFT, "NotSubmitted"),
        (4, ef.ExpenseStatus.REJECTED, "Rejected"),
        (5, ef.ExpenseStatus.DRAFT, "None"),
    ],
)
def test_claim_statuses_are_normalised_with_the_raw_word_kept(
    index: int, status: ef.ExpenseStatus, raw: str
) -> None:
    sb = make_sandbox()
    sim = sim_of(sb)
    expense_id = first_expense_of_claim(sim, index)
    assert sim.claim(str(3000 + index))["status"] == raw
    with connect(sb) as client:
        expense = client.get_expense(expense_id)
    assert (expense.status, expense.raw_status) == (status, raw)
    assert expense.id == expense_id


@pytest.mark.parametrize("bad", ["1000000", "3000-1000000", "3000:", ":1000000", "a:1", "1:2:3"])
def test_get_expense_needs_a_composite_id(bad: str) -> None:
    sb = make_sandbox()
    with connect(sb) as client, pytest.raises(ef.ValidationError) as info:
        client.get_expense(bad)
    assert info.value.field == "expense_id"
    assert "<claimId>:<expenseId>" in str(info.value)
    assert sb.requests == []


def test_get_expense_unknown_is_not_found() -> None:
    sb = make_sandbox()
    with connect(sb) as client, pytest.raises(ef.NotFoundError) as info:
        client.get_expense("999999:999999")
    assert info.value.status == 404
    assert info.value.code == "RESOURCE_NOT_FOUND"
    assert len(sb.requests) == 1  # a 404 is final


def test_wrong_token_company_and_version_are_typed_errors_without_the_secret() -> None:
    sb = make_sandbox()
    secret = "ps_wrong_token_0123456789"
    cases: list[tuple[dict[str, Any], type[ef.APIError], str]] = [
        ({"token": secret}, ef.AuthenticationError, "UNAUTHORIZED"),
        ({"company_id": "2"}, ef.PermissionDeniedError, "ACCESS_FORBIDDEN"),
        ({"version": "v2"}, ef.NotFoundError, "RESOURCE_NOT_FOUND"),
    ]
    for kwargs, error, code in cases:
        with connect(sb, **kwargs) as client, pytest.raises(error) as info:
            next(iter(client.list_approved()))
        assert info.value.code == code
        assert secret not in str(info.value)
        assert secret not in repr(info.value)
        assert secret not in (info.value.body or "")


# ---- mutated records (the RELIABILITY row "unknown enum, extra fields, ...") -----------------
def test_unknown_claim_status_is_unknown_with_the_raw_word_and_nothing_is_lost() -> None:
    sb = make_sandbox()
    sb.faults.add(VENDOR, CLAIMS, Fault.mutate_records(unknown_enum=True, limit=1))
    with connect(sb) as client:
        expenses = list(client.list_approved())
    truth = list(sim_of(sb).approved_ids())
    assert [e.id for e in expenses] == truth
    first_claim = truth[0].split(":")[0]
    for expense in expenses:
        if expense.id.startswith(first_claim + ":"):
            assert (expense.status, expense.raw_status) == (
                ef.ExpenseStatus.UNKNOWN,
                UNKNOWN_ENUM,
            )
        else:
            assert expense.status is ef.ExpenseStatus.APPROVED


def test_extra_fields_and_amounts_as_strings_are_parsed_exactly() -> None:
    sb = make_sandbox()
    sim = sim_of(sb)
    sb.faults.add(
        VENDOR, EXPENSES, Fault.mutate_records(extra_fields=True, amount_as_string=True), times=None
    )
    with connect(sb) as client:
        expenses = list(client.list_approved())
    assert [e.id for e in expenses] == list(sim.approved_ids())
    for expense in expenses:
        raw = expense.raw["expense"]
        assert isinstance(raw["claimCurrencyTotal"]["grossAmount"], str)
        assert "sandboxExtraField" in raw
        truth = sim.expense(expense.id)["claimCurrencyTotal"]
        assert truth is not None
        assert expense.gross is not None
        assert str(expense.gross.amount) == raw["claimCurrencyTotal"]["grossAmount"]
        assert expense.gross.amount == Decimal(repr(truth["grossAmount"]))
        assert expense.parse_warnings == ()


def test_missing_optional_fields_and_nulls_leave_fields_empty_without_errors() -> None:
    sb = make_sandbox()
    sim = sim_of(sb)
    truth = list(sim.approved_ids())
    sb.faults.add(VENDOR, EXPENSES, Fault.mutate_records(missing_optional=True, limit=1))
    sb.faults.add(VENDOR, EXPENSES, Fault.mutate_records(null_values=True, limit=1))
    sb.faults.add(VENDOR, CLAIMS, Fault.mutate_records(null_values=True, limit=1))
    with connect(sb) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert [e.id for e in expenses] == truth
    assert listing.malformed == []
    stripped = expenses[0]  # first expense of the first claim: only "id" left, claim nulled
    assert stripped.raw["expense"] == {"id": truth[0].split(":")[1]}
    assert stripped.gross is None
    assert stripped.gl_code is None
    assert stripped.line_items == ()
    assert (stripped.status, stripped.raw_status) == (ef.ExpenseStatus.UNKNOWN, None)
    assert stripped.employee is None
    assert stripped.approved_at is None
    second_claim = next(e for e in expenses if e.id.split(":")[0] != truth[0].split(":")[0])
    nulled = second_claim  # first expense of the second claim: every field null
    assert nulled.raw["expense"]["claimCurrencyTotal"] is None
    assert nulled.gross is None
    assert nulled.description is None
    assert nulled.updated_at is not None
    assert nulled.status is ef.ExpenseStatus.APPROVED


def test_a_malformed_date_empties_that_field_with_a_warning_and_the_listing_goes_on() -> None:
    sb = make_sandbox()
    truth = list(sim_of(sb).approved_ids())
    sb.faults.add(VENDOR, CLAIMS, Fault.mutate_records(malformed_date=True, limit=1))
    sb.faults.add(VENDOR, EXPENSES, Fault.mutate_records(malformed_date=True, limit=1))
    with connect(sb) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert [e.id for e in expenses] == truth
    assert listing.malformed == []
    broken = expenses[0]
    assert broken.raw["expense"]["updatedDate"] == MALFORMED_DATE
    assert broken.updated_at is None
    assert any(w.startswith("updated_at:") for w in broken.parse_warnings)
    assert any(w.startswith("claim.updatedDate:") for w in broken.parse_warnings)
    assert broken.approved_at is not None  # approvedDate is not touched by the fault
    assert all(e.parse_warnings == () for e in expenses[1:] if e.id.split(":")[0] != "3000")


# ---- a fake vendor for payloads the sandbox never sends -----------------------------------------
def fake_vendor(
    handler: Callable[[httpx.Request], httpx.Response],
) -> ef.ExpenseClient:
    return ef.connect(
        VENDOR,
        token="tok_fake_vendor_123456",
        company_id="7",
        base_url="https://api.prospend.test",
        transport=httpx.MockTransport(handler),
        clock=FakeClock(),
        retry_policy=RetryPolicy(jitter_source=lambda: 0.0),
    )


def routes(table: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    """Answers by path (without /beta/company/7); a callable value gets the request."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/beta/company/7")
        answer = table[f"{request.method} {path}"]
        if callable(answer):
            return cast(httpx.Response, answer(request))
        return httpx.Response(200, json=answer)

    return handle


def claim(claim_id: str | None, status: str = "Finalised", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": status,
        "claimantId": "4645",
        "claimantName": "Kylie Magenta",
        "approvedDate": "2025-05-02T00:00:00Z",
        "updatedDate": "2025-05-03T00:00:00Z",
        **extra,
    }
    if claim_id is not None:
        data["id"] = claim_id
    return data


def test_older_beta_field_names_are_read() -> None:
    old = {
        "id": "11",
        "total": {"grossAmount": 12.5, "netAmount": 11.36, "taxAmount": 1.14, "currency": "NZD"},
        "updatedOn": "2025-06-01T10:00:00Z",
        "createdOn": "2025-05-30T10:00:00Z",
    }
    handler = routes(
        {
            "GET /claim": {"page": [claim("5", updatedDate=NO_DATE)], "nextCursor": None},
            "GET /claim/5/expense": {"page": [old]},
        }
    )
    with fake_vendor(handler) as client:
        (expense,) = list(client.list_approved())
    assert expense.id == "5:11"
    assert expense.gross == ef.Money(Decimal("12.5"), "NZD")
    assert expense.net == ef.Money(Decimal("11.36"), "NZD")
    assert expense.tax == ef.Money(Decimal("1.14"), "NZD")
    assert expense.updated_at == dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    assert expense.parse_warnings == ()


def test_an_older_beta_claim_gives_its_updated_on_as_version_and_update_time() -> None:
    older_claim = claim("6", updatedOn="2025-07-01T08:00:00Z")
    del older_claim["updatedDate"]
    handler = routes(
        {
            "GET /claim": {"page": [older_claim], "nextCursor": None},
            "GET /claim/6/expense": {"page": [{"id": "21", "updatedDate": NO_DATE}]},
        }
    )
    with fake_vendor(handler) as client:
        (expense,) = list(client.list_approved())
    assert expense.updated_at == dt.datetime(2025, 7, 1, 8, tzinfo=dt.UTC)


def test_transaction_totals_are_the_fallback_and_approvers_give_the_approval_time() -> None:
    expense = {
        "id": "12",
        "transactionTotal": {
            "grossAmount": 50,
            "netAmount": 45.45,
            "taxAmount": 4.55,
            "currencyCode": "GBP",
        },
    }
    seed_claim = claim(
        "6",
        approvedDate=NO_DATE,
        approvers=[
            {"id": "4709", "name": "John Red", "approvedDate": "2025-05-01T00:00:00Z"},
            {"id": "4710", "name": "Kaylie Magenta", "approvedDate": "2025-05-02T08:00:00Z"},
        ],
    )
    handler = routes(
        {"GET /claim": {"page": [seed_claim]}, "GET /claim/6/expense": {"page": [expense]}}
    )
    with fake_vendor(handler) as client:
        (record,) = list(client.list_approved())
    assert record.gross == ef.Money(Decimal("50"), "GBP")
    assert record.net == ef.Money(Decimal("45.45"), "GBP")
    assert record.approved_at == dt.datetime(2025, 5, 2, 8, tzinfo=dt.UTC)
    assert record.parse_warnings == (
        "gross: no claimCurrencyTotal; amounts taken from transactionTotal",
    )


def test_custom_fields_named_as_dimensions_fill_them_expense_first() -> None:
    expense = {
        "id": "41",
        "projectCode": "PRJ_CODE",
        "customFields": [
            {"type": "text", "name": "Department", "value": "Sales"},
            {"type": "text", "name": "Project", "value": "ignored: projectCode wins"},
            {"type": "text", "name": "City", "value": "not a dimension"},
            "not a field",
        ],
    }
    claim_fields = [
        {"type": "text", "name": "department", "value": "Ops"},
        {"type": "text", "name": "Location", "value": "Sydney"},
        {"type": "text", "name": "Cost centre", "value": "CC9"},
    ]
    handler = routes(
        {
            "GET /claim": {"page": [claim("12", customFields=claim_fields)]},
            "GET /claim/12/expense": {"page": [expense]},
        }
    )
    with fake_vendor(handler) as client:
        (record,) = list(client.list_approved())
    assert (record.department, record.location) == ("Sales", "Sydney")
    assert (record.project, record.cost_centre) == ("PRJ_CODE", "CC9")


def test_records_without_ids_are_reported_and_the_rest_goes_on() -> None:
    good = {"id": "21", "claimCurrencyTotal": {"grossAmount": 1.1, "currencyCode": "AUD"}}
    nameless = {"description": "no id", "claimCurrencyTotal": {"grossAmount": 2}}
    handler = routes(
        {
            "GET /claim": {"page": [claim(None), claim("8"), "not a claim"]},
            "GET /claim/8/expense": {"page": [nameless, good]},
        }
    )
    with fake_vendor(handler) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert [e.id for e in expenses] == ["8:21"]
    assert expenses[0].gross == ef.Money(Decimal("1.1"), "AUD")
    reasons = sorted(m.reason for m in listing.malformed)
    assert len(reasons) == 3
    assert all(m.record_id is None for m in listing.malformed)
    assert any("expense without an id in claim 8" in r for r in reasons)
    assert sum("claim" in r for r in reasons) == 3
    raws = [m.raw for m in listing.malformed]
    assert {"claim": claim(None), "expense": None, "splits": None} in raws
    assert any(r["expense"] == nameless for r in raws if isinstance(r, dict))


def test_a_claim_with_another_known_status_is_never_exported() -> None:
    handler = routes(
        {
            "GET /claim": {"page": [claim("9", status="PendingApproval"), claim("10")]},
            "GET /claim/10/expense": {"page": [{"id": "31"}]},
        }
    )
    with fake_vendor(handler) as client:
        assert [e.id for e in client.list_approved()] == ["10:31"]


def test_an_empty_next_cursor_ends_the_list() -> None:
    handler = routes(
        {
            "GET /claim": {"page": [claim("10")], "nextCursor": ""},
            "GET /claim/10/expense": {"page": [{"id": "31"}, {"id": "32"}]},
        }
    )
    with fake_vendor(handler) as client:
        assert [e.id for e in client.list_approved()] == ["10:31", "10:32"]


@pytest.mark.parametrize("body", [{"description": "no id"}, {"id": "99"}, ["not", "an", "object"]])
def test_a_detail_answer_that_is_not_the_record_asked_for_is_malformed(body: Any) -> None:
    handler = routes(
        {
            "GET /claim/5/expense/11": lambda _: httpx.Response(200, json=body),
            "GET /claim/5": claim("5"),
        }
    )
    with fake_vendor(handler) as client, pytest.raises(ef.MalformedResponseError) as info:
        client.get_expense("5:11")
    assert info.value.status == 200


def test_get_expense_on_the_fake_vendor_reads_claim_and_expense() -> None:
    handler = routes(
        {
            "GET /claim/5/expense/11": {"id": "11", "glCode": "GL1", "isSplit": False},
            "GET /claim/5": claim("5", status="PendingApproval"),
        }
    )
    with fake_vendor(handler) as client:
        expense = client.get_expense(" 5:11 ")
    assert (expense.id, expense.gl_code, expense.raw_status) == ("5:11", "GL1", "PendingApproval")
    assert expense.account == "api.prospend.test/7"


# ---- post_card_transaction ---------------------------------------------------------------------
def test_posts_a_card_transaction_with_exact_amounts() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        result = client.post_card_transaction(transaction())
    (stored,) = sim_of(sb).transactions
    assert result.transaction_id == stored["transactionId"] == "txn_1775706370771"
    assert result.duplicate is False
    assert result.vendor_id == stored["id"]
    assert result.attempts == 1
    # The sandbox parses JSON numbers as Decimal: the digits sent are exactly these.
    assert stored["transactionAmount"] == Decimal("700.10")
    assert str(stored["transactionAmount"]) == "700.10"
    assert str(stored["foreignCurrencyAmount"]) == "500.00"
    assert (stored["currencyCode"], stored["foreignCurrencyCode"]) == ("AUD", "USD")
    assert (stored["transactionDate"], stored["postingDate"]) == ("2026-01-31", "2026-02-02")
    assert (stored["cardId"], stored["externalCardId"]) == ("28676", "123123")
    assert stored["transactionStatus"] == "COMPLETED"


def test_the_wire_body_uses_the_spec_names_and_json_numbers() -> None:
    seen: list[httpx.Request] = []

    def created(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "12345", "transactionId": "t-1"})

    tx = transaction(
        transaction_id="t-1",
        amount=ef.Money(Decimal("-1.250"), "KWD"),
        foreign_amount=None,
        card_id=None,
        external_card_id=None,
    )
    with fake_vendor(routes({"POST /transaction": created})) as client:
        result = client.post_card_transaction(tx)
    assert result.vendor_id == "12345"
    (request,) = seen
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer tok_fake_vendor_123456"
    assert b'"transactionAmount":-1.250' in request.content
    assert json.loads(request.content, parse_float=Decimal) == {
        "transactionId": "t-1",
        "transactionDate": "2026-01-31",
        "postingDate": "2026-02-02",
        "merchantName": "Telstra",
        "mcc": "5943",
        "transactionAmount": Decimal("-1.250"),
        "currencyCode": "KWD",
        "cardHolderName": "Kylie Magenta",
        "cardSuffix": "1111",
        "transactionStatus": "COMPLETED",
        "cardProgramCode": "AR_AU",
        "cardProgramType": "AR",
    }


def test_trailing_zeros_beyond_the_currency_are_accepted_and_sent_at_its_digits() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        client.post_card_transaction(
            transaction(amount=ef.Money(Decimal("700.1000"), "AUD"), foreign_amount=None)
        )
    (stored,) = sim_of(sb).transactions
    assert str(stored["transactionAmount"]) == "700.10"
    assert stored["foreignCurrencyAmount"] is None


def test_posting_again_is_a_duplicate_and_stores_nothing_new() -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        first = client.post_card_transaction(transaction())
        again = client.post_card_transaction(transaction())
    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.transaction_id == first.transaction_id
    assert again.attempts == 1
    assert again.vendor_id is None  # the sandbox's 409 does not carry the transaction
    assert again.raw.get("code") == "RESOURCE_CONFLICT"
    assert len(sim_of(sb).transactions) == 1


def test_a_409_carrying_the_stored_transaction_gives_its_id() -> None:
    existing = {"id": "777", "transactionId": "txn_1775706370771", "transactionAmount": 700.1}
    handler = routes({"POST /transaction": lambda _: httpx.Response(409, json=existing)})
    with fake_vendor(handler) as client:
        result = client.post_card_transaction(transaction())
    assert (result.duplicate, result.vendor_id, result.raw) == (True, "777", as_decoded(existing))


def test_a_409_that_is_not_a_duplicate_is_a_conflict_error() -> None:
    body = {"code": "CARD_LOCKED", "message": "The card is locked"}
    handler = routes({"POST /transaction": lambda _: httpx.Response(409, json=body)})
    with fake_vendor(handler) as client, pytest.raises(ef.ConflictError) as info:
        client.post_card_transaction(transaction())
    assert (info.value.status, info.value.code) == (409, "CARD_LOCKED")


def test_an_unknown_card_program_is_the_vendors_bad_request_not_retried() -> None:
    sb = make_sandbox()
    with connect(sb) as client, pytest.raises(ef.BadRequestError) as info:
        client.post_card_transaction(transaction(card_program_code="NOPE"))
    assert (info.value.status, info.value.code) == (400, "BAD_REQUEST")
    assert "NOPE" in info.value.message
    assert len(sb.requests) == 1
    assert sim_of(sb).transactions == []


AUD = "AUD"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"transaction_id": " "}, "transaction_id"),
        ({"merchant_name": ""}, "merchant_name"),
        ({"cardholder_name": ""}, "cardholder_name"),
        ({"card_program_type": ""}, "card_program_type"),
        ({"transaction_status": ""}, "transaction_status"),
        ({"mcc": "59"}, "mcc"),
        ({"mcc": "59x3"}, "mcc"),
        ({"card_suffix": "11a1"}, "card_suffix"),
        ({"card_suffix": "1234567"}, "card_suffix"),
        ({"card_id": ""}, "card_id"),
        ({"external_card_id": " "}, "external_card_id"),
        ({"amount": ef.Money(Decimal("1.234"), AUD)}, "amount"),
        ({"amount": ef.Money(Decimal("100.5"), "JPY"), "foreign_amount": None}, "amount"),
        ({"amount": ef.Money(Decimal("1E+40"), AUD)}, "amount"),
        ({"amount": ef.Money(Decimal("1"), "aud")}, "amount"),
        ({"amount": ef.Money(Decimal("1"), "AUDX")}, "amount"),
        ({"amount": ef.Money(Decimal("1"), None)}, "amount"),
        ({"foreign_amount": ef.Money(Decimal("5"), AUD)}, "foreign_amount"),
        ({"foreign_amount": ef.Money(Decimal("5.001"), "USD")}, "foreign_amount"),
        ({"foreign_amount": ef.Money(Decimal("5"), "usd")}, "foreign_amount"),
        ({"foreign_amount": ef.Money(Decimal("5"), None)}, "foreign_amount"),
        ({"posting_date": dt.date(2026, 1, 30)}, "posting_date"),
        ({"transaction_date": dt.datetime(2026, 1, 31, 9, tzinfo=dt.UTC)}, "transaction_date"),
        ({"posting_date": "2026-02-02"}, "posting_date"),
    ],
)
def test_invalid_transactions_are_refused_before_sending(
    overrides: dict[str, Any], field: str
) -> None:
    sb = make_sandbox()
    with connect(sb) as client, pytest.raises(ef.ValidationError) as info:
        client.post_card_transaction(transaction(**overrides))
    assert info.value.field == field
    assert sb.requests == []


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_transaction_amount_that_is_not_finite_cannot_even_be_built(amount: str) -> None:
    # Money refuses it (issue 12), so it is refused before anything could be sent.
    sb = make_sandbox()
    with pytest.raises(ef.ValidationError) as info:
        transaction(amount=ef.Money(Decimal(amount), AUD))
    assert info.value.field == "amount"
    assert sb.requests == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": ef.Money(Decimal("-12.5"), AUD), "foreign_amount": None},  # a refund
        {"amount": ef.Money(Decimal("1.234"), "KWD"), "foreign_amount": None},
        {"amount": ef.Money(Decimal("1500"), "JPY"), "foreign_amount": None},
        {"posting_date": dt.date(2026, 1, 31)},
        {"card_suffix": "123456", "card_id": None, "external_card_id": None},
    ],
)
def test_valid_edge_transactions_are_accepted(overrides: dict[str, Any]) -> None:
    sb = make_sandbox()
    with connect(sb) as client:
        result = client.post_card_transaction(transaction(**overrides))
    assert result.duplicate is False
    assert len(sim_of(sb).transactions) == 1
