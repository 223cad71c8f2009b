"""The Pazy adapter through the public API, against the in-process sandbox's ground truth.

Fault-matrix rows (retries, timeouts, error statuses, cursor guard, records changing
between pages) are in tests/reliability/test_pazy_faults.py; this module covers the
operations, the record mapping and the record-level rows (unknown enum, extra/missing/
null fields, amounts as strings, a malformed date, a record without an id).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any, Final, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import pytest
from expense_facade.errors import (
    AuthenticationError,
    ConfigurationError,
    MalformedRecordError,
    MalformedResponseError,
    NotFoundError,
    ValidationError,
)
from expense_facade.operations import Operation
from expense_facade.records import Expense, ExpenseStatus, Money
from expense_facade.sandbox import Fault, LoggedRequest, Sandbox
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from expense_facade.sandbox.vendors.pazy import PazySim
from support.sandbox import client_fixture, connect, connecting, in_process, sandbox_fixture

VENDOR: Final = "pazy"
LIST = "GET /expenses"
DETAIL = "GET /expense/{expenseId}"
SUMMARY_FIELDS = ("id", "state", "syncState", "expenseType", "paymentState", "currency",
                  "totalAmount", "itemCount")  # fmt: skip


sb = sandbox_fixture(VENDOR, seed=5, size=120)
client = client_fixture(VENDOR)
summaries = client_fixture(VENDOR, name="summaries", details=False)  # lists summaries only


def sim(sb: Sandbox) -> PazySim:
    return cast(PazySim, sb.vendor(VENDOR))


def truth(sb: Sandbox, expense_id: str) -> dict[str, Any]:
    """The sandbox's own detail of ``expense_id`` (amounts as Decimal or str)."""
    detail = sim(sb).get(expense_id)
    assert detail is not None
    return dict(detail)  # read as untyped JSON


def requests_to(sb: Sandbox, route: str) -> list[LoggedRequest]:
    return [r for r in sb.requests if r.route == route]


def query(entry: LoggedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(entry.url).query, keep_blank_values=True)


def money(value: Any, currency: str) -> Money:
    return Money(Decimal(str(value)), currency)


def list_body(expenses: list[Any], context: dict[str, Any] | None = None) -> bytes:
    context = {"hasMore": False} if context is None else context
    return json.dumps({"ok": True, "data": {"expenses": expenses, "context": context}}).encode()


def summary(sb: Sandbox, expense_id: str, **changes: Any) -> dict[str, Any]:
    index = sim(sb).index_of(expense_id)
    assert index is not None
    built = sim(sb).summary(index)
    row = {k: str(v) if isinstance(v, Decimal) else v for k, v in built.items()}
    return {**row, **changes}


def approved(sb: Sandbox) -> list[str]:
    return list(sim(sb).approved_ids())


# ---- capabilities and unsupported operations --------------------------------------------


def test_capabilities_are_list_approved_and_get_expense(client: ef.ExpenseClient) -> None:
    expected = frozenset({Operation.LIST_APPROVED, Operation.GET_EXPENSE})
    assert client.capabilities == expected
    assert ef.capabilities(VENDOR) == expected


# ---- connecting ----------------------------------------------------------------------------


def test_connect_needs_an_api_key_and_sends_it_as_api_key_authorization(
    sb: Sandbox, driver: str
) -> None:
    with pytest.raises(ConfigurationError, match="api_key"):
        connecting(driver)(VENDOR, base_url=sb.base_url(VENDOR), transport=in_process(sb, driver))
    assert sb.requests == []
    with connecting(driver)(VENDOR, sandbox=sb) as c:
        c.get_expense(approved(sb)[0])
    assert sb.requests[-1].headers["authorization"] == "[REDACTED]"
    assert sb.requests[-1].status == 200  # the sandbox accepted "Api-Key <key>"


def test_wrong_api_key_is_an_authentication_error_with_the_vendor_code(
    sb: Sandbox, driver: str
) -> None:
    wrong = "pzk-wrong-key-0123456789"
    with (
        connect(sb, VENDOR, driver=driver, api_key=wrong) as c,
        pytest.raises(AuthenticationError) as caught,
    ):
        c.get_expense(approved(sb)[0])
    assert (caught.value.status, caught.value.code) == (401, "INVALID_API_KEY")
    assert wrong not in str(caught.value)
    assert len(sb.requests) == 1


def test_details_option_must_be_a_boolean(sb: Sandbox, driver: str) -> None:
    with pytest.raises(ConfigurationError, match="details"):
        connecting(driver)(VENDOR, sandbox=sb, details="no")


# ---- list approved -------------------------------------------------------------------------


def test_list_approved_returns_exactly_the_approved_expenses_each_once(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    listing = client.list_approved(page_size=20)
    assert sb.requests == []  # lazy
    pages = list(listing.pages())
    ids = [e.id for page in pages for e in page.expenses]
    assert ids == approved(sb)
    assert len(ids) == len(set(ids)) > 40
    assert all(len(page.expenses) <= 20 for page in pages)
    assert listing.malformed == []
    for page in pages:
        assert all(e.status is ExpenseStatus.APPROVED for e in page.expenses)
        assert all(e.raw_status == "APPROVED" for e in page.expenses)
    lists = requests_to(sb, LIST)
    assert len(lists) == len(pages)
    assert query(lists[0]) == {"limit": ["20"], "state": ["APPROVED"]}
    for entry in lists[1:]:
        assert query(entry)["cursor"][0].isdigit()  # the numeric cursor sent back as text
    assert len(requests_to(sb, DETAIL)) == len(ids)  # each listed expense read in full


def test_default_page_size_is_100_and_larger_pages_are_refused(client: ef.ExpenseClient) -> None:
    with pytest.raises(ValidationError):
        client.list_approved(page_size=101)
    listing = client.list_approved()
    next(iter(listing))
    assert listing.pages_read == 1


def test_listed_expenses_map_every_field_from_the_detail_exactly(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    kinds: set[type] = set()
    with_mcc = with_document = several_lines = 0
    for expense in client.list_approved():
        detail = truth(sb, expense.id)
        currency = detail["currency"]
        kinds.add(type(detail["amount"]))
        assert expense.status is ExpenseStatus.APPROVED
        assert expense.raw_status == "APPROVED"
        assert expense.gross == money(detail["amount"], currency)
        assert expense.currency == currency
        lines = detail["lineItems"]
        assert expense.net == money(
            sum(Decimal(str(li["amountBreakdown"]["subTotal"])) for li in lines), currency
        )
        assert expense.tax == money(
            sum(Decimal(str(li["trxTax"]["amount"])) for li in lines), currency
        )
        assert expense.transaction_date == dt.datetime.fromisoformat(detail["expenseDate"])
        assert expense.approved_at == dt.datetime.fromisoformat(detail["approvedDate"])
        initiator = detail["initiator"]
        assert expense.employee == ef.Employee(
            id=initiator["slug"], name=initiator["name"], email=initiator["email"]
        )
        mcc = detail["merchant"].get("mcc")
        with_mcc += mcc is not None
        assert expense.merchant == ef.Merchant(
            name=detail["merchant"]["name"], mcc=mcc["code"] if mcc else None
        )
        assert expense.description == detail["description"]
        document = detail.get("documentId")
        with_document += document is not None
        assert expense.receipts == ((ef.ReceiptRef(id=document),) if document else ())
        assert len(expense.line_items) == len(lines)
        several_lines += len(lines) > 1
        for item, line in zip(expense.line_items, lines, strict=True):
            assert item.amount == money(line["amount"], currency)
            assert item.tax_amount == money(line["trxTax"]["amount"], currency)
            assert item.tax_code == line["trxTax"]["name"]
            assert item.gl_code == line["ledgerId"]
            assert item.description == line["description"]
            assert item.raw["id"] == line["id"]
        ledgers = {line["ledgerId"] for line in lines}
        assert expense.gl_code == (ledgers.pop() if len(ledgers) == 1 else None)
        assert expense.raw["id"] == expense.id
        assert set(expense.raw) == set(detail)
        assert expense.parse_warnings == ()
    # The sandbox's quirks were all exercised: amounts as strings and as numbers, MCC
    # present and absent, documents, several line items.
    assert kinds == {str, Decimal}
    assert with_mcc
    assert with_document
    assert several_lines


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_details_are_read_concurrently_and_handed_out_in_list_order(
    sb: Sandbox, concurrency: int, driver: str
) -> None:
    with connect(sb, VENDOR, driver=driver, concurrency=concurrency) as c:
        pages = [[e.id for e in page.expenses] for page in c.list_approved(page_size=7).pages()]
    assert [i for page in pages for i in page] == approved(sb)
    assert all(len(page) == 7 for page in pages[:-1])
    assert len(requests_to(sb, DETAIL)) == len(approved(sb))


def test_summaries_only_with_details_false(summaries: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses = list(summaries.list_approved(page_size=50))
    assert [e.id for e in expenses] == approved(sb)
    assert requests_to(sb, DETAIL) == []
    for expense in expenses:
        detail = truth(sb, expense.id)
        assert expense.gross == money(detail["amount"], detail["currency"])
        assert expense.status is ExpenseStatus.APPROVED
        assert expense.transaction_date is None
        assert expense.line_items == ()
        assert set(expense.raw) == set(SUMMARY_FIELDS)


def test_since_is_ignored_and_says_so(
    summaries: ef.ExpenseClient, sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    since = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with caplog.at_level(logging.INFO, logger="expense_facade"):
        ids = [e.id for e in summaries.list_approved(since=since)]
    assert ids == approved(sb)
    assert all("startDate" not in query(r) for r in requests_to(sb, LIST))
    assert any("since" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


# ---- get expense ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("APPROVED", ExpenseStatus.APPROVED),
        ("PENDING", ExpenseStatus.PENDING_APPROVAL),
        ("DRAFTED", ExpenseStatus.DRAFT),
        ("OUT_OF_POLICY", ExpenseStatus.PENDING_APPROVAL),
    ],
)
def test_get_expense_normalises_each_state_and_keeps_the_raw_word(
    client: ef.ExpenseClient, sb: Sandbox, state: str, status: ExpenseStatus
) -> None:
    expense_id = next(sim(sb).ids_in_state(state))
    expense = client.get_expense(expense_id)
    assert (expense.id, expense.status, expense.raw_status) == (expense_id, status, state)
    detail = truth(sb, expense_id)
    assert expense.gross == money(detail["amount"], detail["currency"])
    assert [r.route for r in sb.requests] == [DETAIL]
    assert sb.requests[0].url.endswith(f"/pazy/v1.0/expense/{expense_id}")  # singular path


def test_the_list_spelling_of_pending_is_normalised_too(
    summaries: ef.ExpenseClient, sb: Sandbox
) -> None:
    pending = next(sim(sb).ids_in_state("PENDING"))
    row = summary(sb, pending, state="APPROVAL_PENDING")
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=list_body([row])))
    (expense,) = list(summaries.list_approved())
    assert (expense.status, expense.raw_status) == (
        ExpenseStatus.PENDING_APPROVAL,
        "APPROVAL_PENDING",
    )


def test_unknown_expense_is_not_found_with_the_vendor_code(client: ef.ExpenseClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_expense("exp_does_not_exist")
    assert (caught.value.status, caught.value.code) == (404, "EXPENSE_NOT_FOUND")
    assert caught.value.message == "Expense not found"


def test_ids_are_quoted_into_the_path(client: ef.ExpenseClient, sb: Sandbox) -> None:
    with pytest.raises(NotFoundError):
        client.get_expense("a/b?c")
    assert sb.requests[0].url.endswith("/expense/a%2Fb%3Fc")
    with pytest.raises(ValidationError):
        client.get_expense(" ")


def test_a_detail_that_is_not_an_expense_is_a_malformed_response(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.status(200, body=b'{"ok": true, "data": {"x": 1}}'))
    with pytest.raises(MalformedResponseError) as caught:
        client.get_expense(approved(sb)[0])
    assert caught.value.status == 200
    assert "no id" in caught.value.message


# ---- record-level faults (the sandbox's record mutations) -------------------------------


def test_unknown_state_is_unknown_with_the_raw_word(client: ef.ExpenseClient, sb: Sandbox) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.mutate_records(unknown_enum=True))
    expense = client.get_expense(approved(sb)[0])
    assert (expense.status, expense.raw_status) == (ExpenseStatus.UNKNOWN, UNKNOWN_ENUM)
    assert expense.raw["syncState"] == UNKNOWN_ENUM
    assert expense.gross is not None


def test_unknown_state_in_the_list_is_unknown_too(summaries: ef.ExpenseClient, sb: Sandbox) -> None:
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(unknown_enum=True, extra_fields=True))
    expenses = list(summaries.list_approved())
    assert [e.id for e in expenses] == approved(sb)
    assert all(e.status is ExpenseStatus.UNKNOWN for e in expenses)
    assert all(e.raw_status == UNKNOWN_ENUM and "sandboxExtraField" in e.raw for e in expenses)


def test_extra_fields_are_ignored_and_kept_raw(client: ef.ExpenseClient, sb: Sandbox) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.mutate_records(extra_fields=True))
    expense_id = approved(sb)[0]
    expense = client.get_expense(expense_id)
    assert expense.raw["sandboxExtraField"]["addedBy"] == "sandbox"
    assert expense.parse_warnings == ()
    assert expense.gross == money(truth(sb, expense_id)["amount"], expense.currency or "")


@pytest.mark.parametrize("mutation", ["missing_optional", "null_values"])
def test_missing_or_null_fields_give_none(
    client: ef.ExpenseClient, sb: Sandbox, mutation: str
) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.mutate_records(**{mutation: True}))
    expense_id = approved(sb)[0]
    expense = client.get_expense(expense_id)
    assert expense.id == expense_id
    assert (expense.status, expense.raw_status) == (ExpenseStatus.UNKNOWN, None)
    assert (expense.gross, expense.net, expense.tax, expense.currency) == (None,) * 4
    assert (expense.employee, expense.merchant, expense.transaction_date) == (None,) * 3
    assert expense.line_items == ()
    assert expense.parse_warnings == ()


def test_amounts_as_strings_are_parsed_exactly(client: ef.ExpenseClient, sb: Sandbox) -> None:
    sb.faults.add(VENDOR, DETAIL, Fault.mutate_records(amount_as_string=True), times=None)
    for expense in client.list_approved():
        detail = truth(sb, expense.id)
        assert isinstance(expense.raw["amount"], str)
        assert expense.gross == money(detail["amount"], detail["currency"])
        assert expense.raw["amountPaid"] == str(detail["amountPaid"])


def test_a_malformed_date_in_one_record_is_a_warning_and_the_listing_goes_on(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    third = approved(sb)[2]
    sb.faults.add(VENDOR, f"GET /expense/{third}", Fault.mutate_records(malformed_date=True))
    listing = client.list_approved()
    expenses = list(listing)
    assert [e.id for e in expenses] == approved(sb)
    assert listing.malformed == []
    broken = expenses[2]
    assert broken.raw["expenseDate"] == broken.raw["approvedDate"] == MALFORMED_DATE
    assert broken.transaction_date is None
    assert broken.approved_at is None
    assert [w.split(":")[0] for w in broken.parse_warnings] == ["transaction_date", "approved_at"]
    assert broken.gross is not None
    assert broken.employee is not None
    others = expenses[:2] + expenses[3:]
    assert all(e.transaction_date is not None and e.parse_warnings == () for e in others)


def test_a_record_without_id_is_reported_and_the_page_goes_on(
    summaries: ef.ExpenseClient, sb: Sandbox
) -> None:
    first, second = approved(sb)[:2]
    no_id = {k: v for k, v in summary(sb, first).items() if k != "id"}
    body = list_body([no_id, 42, summary(sb, second)])
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=body), times=2)
    listing = summaries.list_approved()
    assert [e.id for e in listing] == [second]
    assert [m.raw for m in listing.malformed] == [no_id, 42]
    assert all(m.vendor == VENDOR and m.reason for m in listing.malformed)
    with pytest.raises(MalformedRecordError):
        list(summaries.list_approved(strict=True))


def test_a_record_without_id_is_reported_when_details_are_read(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    first, second = approved(sb)[:2]
    no_id = {k: v for k, v in summary(sb, first).items() if k != "id"}
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=list_body([no_id, summary(sb, second)])))
    listing = client.list_approved()
    assert [e.id for e in listing] == [second]
    assert [m.raw for m in listing.malformed] == [no_id]
    assert len(requests_to(sb, DETAIL)) == 1  # no detail asked for a record without id


def test_a_listed_expense_gone_before_its_detail_keeps_its_summary(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    ids = approved(sb)
    gone = ids[3]
    sb.faults.add(VENDOR, f"GET /expense/{gone}", Fault.status(404, message="Expense not found"))
    expenses = {e.id: e for e in client.list_approved()}
    assert list(expenses) == ids
    assert expenses[gone].gross == money(truth(sb, gone)["amount"], truth(sb, gone)["currency"])
    assert expenses[gone].line_items == ()
    assert len(expenses[gone].parse_warnings) == 1
    assert "not found" in expenses[gone].parse_warnings[0]


def test_odd_nested_values_are_warnings_not_failures(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expense_id = approved(sb)[0]
    detail = {k: str(v) if isinstance(v, Decimal) else v for k, v in truth(sb, expense_id).items()}
    detail.update(merchant="Big Shop", lineItems=[7, *detail["lineItems"]], currency="₹")
    body = json.dumps({"ok": True, "data": detail}, default=str).encode()
    sb.faults.add(VENDOR, DETAIL, Fault.status(200, body=body))
    expense = client.get_expense(expense_id)
    assert expense.merchant is None
    assert expense.currency is None
    assert expense.gross is not None
    assert expense.gross.currency is None
    assert len(expense.line_items) == len(detail["lineItems"]) - 1
    assert [w.split(":")[0] for w in expense.parse_warnings] == [
        "currency", "line_items[0]", "merchant"
    ]  # fmt: skip


def test_a_detail_expense_is_an_expense(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expense = client.get_expense(approved(sb)[0])
    assert isinstance(expense, Expense)
    assert expense.account == "sandbox.invalid"
