"""The Brex adapter through the public API, against the in-process sandbox's ground truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault, LoggedRequest, Sandbox
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from expense_facade.sandbox.vendors.brex import BrexSim
from support.sandbox import client_fixture, connect, sandbox_fixture

VENDOR: Final = "brex"
# ISO 4217 exponents of the currencies the sandbox uses that are not 2 (written out here,
# not taken from the library, so the test checks the conversion instead of repeating it).
EXPONENTS = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}
LIST_ROUTE = "GET /v1/expenses"


sb = sandbox_fixture(VENDOR, seed=3, size=400)
client = client_fixture(VENDOR)


def sim(sb: Sandbox) -> BrexSim:
    return cast(BrexSim, sb.vendor(VENDOR))


def query(entry: LoggedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(entry.url).query, keep_blank_values=True)


def list_requests(sb: Sandbox) -> list[LoggedRequest]:
    return [r for r in sb.requests if r.route == LIST_ROUTE]


def expected_money(raw: dict[str, Any]) -> ef.Money:
    currency = raw["currency"]
    return ef.Money(Decimal(int(raw["amount"])).scaleb(-EXPONENTS.get(currency, 2)), currency)


# ---- capabilities ----------------------------------------------------------------------------


def test_capabilities_are_list_detail_upload_and_download(client: ef.ExpenseClient) -> None:
    assert client.capabilities == {
        ef.Operation.LIST_APPROVED,
        ef.Operation.GET_EXPENSE,
        ef.Operation.UPLOAD_RECEIPT,
        ef.Operation.DOWNLOAD_RECEIPT,
    }
    assert ef.capabilities(VENDOR) == client.capabilities


# ---- list_approved ---------------------------------------------------------------------------


def test_list_approved_is_exactly_the_approved_ground_truth_in_order(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    listing = client.list_approved(page_size=30)
    ids = [expense.id for expense in listing]
    assert ids == list(sim(sb).approved_ids())
    assert len(ids) == len(set(ids)) > 100
    assert listing.malformed == []
    assert all(e.status is ef.ExpenseStatus.APPROVED for e in client.list_approved())
    requests = list_requests(sb)
    assert listing.pages_read >= 6
    first = query(requests[0])
    assert first["status[]"] == ["APPROVED"]
    assert first["limit"] == ["30"]
    assert set(first["expand[]"]) >= {"merchant", "user", "department", "location"}
    assert "cursor" not in first
    assert all("cursor" in query(r) for r in requests[1 : listing.pages_read])


def test_list_approved_uses_the_maximum_page_size_by_default(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    ids = [e.id for e in client.list_approved()]
    assert ids == list(sim(sb).approved_ids())
    assert {q for r in list_requests(sb) for q in query(r)["limit"]} == {"100"}
    with pytest.raises(ef.ValidationError):
        client.list_approved(page_size=101)


def test_list_approved_is_lazy(sb: Sandbox, client: ef.ExpenseClient) -> None:
    listing = client.list_approved()
    assert sb.requests == []
    next(iter(listing))
    assert len(sb.requests) == 1


def test_since_filters_on_updated_at_inclusively(sb: Sandbox, client: ef.ExpenseClient) -> None:
    truth = list(sim(sb).approved_ids())
    pivot = truth[len(truth) // 2]
    since = sim(sb).updated_at(cast(int, sim(sb).index_of(pivot)))
    ids = [e.id for e in client.list_approved(since=since)]
    assert ids[0] == pivot  # inclusive
    assert ids == truth[len(truth) // 2 :]
    sent = query(list_requests(sb)[0])["updated_at_start"][0]
    assert dt.datetime.fromisoformat(sent) == since


def test_every_amount_is_exact_minor_units_with_the_currency_exponent(
    client: ef.ExpenseClient,
) -> None:
    expenses = list(client.list_approved())
    seen = set()
    for expense in expenses:
        raw = expense.raw.get("original_amount")
        if raw is None:
            assert expense.gross is None
            continue
        assert expense.gross == expected_money(raw)
        assert expense.currency == raw["currency"]
        seen.add(raw["currency"])
    assert {"USD", "JPY", "KWD", None} <= seen  # the sample covers exponents 0, 2, 3 and null
    kwd = next(e for e in expenses if e.currency == "KWD")
    assert kwd.gross is not None
    assert kwd.gross.amount.as_tuple().exponent == -3


def test_a_null_currency_is_money_without_currency_and_a_warning(
    client: ef.ExpenseClient,
) -> None:
    nulls = [
        e
        for e in client.list_approved()
        if isinstance(e.raw.get("original_amount"), dict)
        and e.raw["original_amount"]["currency"] is None
    ]
    assert nulls
    for expense in nulls:
        assert expense.gross is not None
        assert expense.gross.currency is None
        assert expense.gross.amount == Decimal(expense.raw["original_amount"]["amount"]) / 100
        assert expense.currency is None
        assert any("currency is null" in w for w in expense.parse_warnings)


def test_sparse_records_with_only_id_and_updated_at_are_expenses(
    client: ef.ExpenseClient,
) -> None:
    sparse = [e for e in client.list_approved() if set(e.raw) == {"id", "updated_at", "status"}]
    assert sparse
    for expense in sparse:
        assert expense.updated_at is not None
        assert (expense.gross, expense.merchant, expense.employee) == (None, None, None)
        assert expense.parse_warnings == ()


# ---- get_expense -----------------------------------------------------------------------------


def test_get_expense_maps_every_common_field_from_the_expanded_record(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    expense_id = next(
        i for i in sim(sb).approved_ids() if "merchant_id" in cast(dict[str, Any], sim(sb).get(i))
    )
    truth = cast(dict[str, Any], sim(sb).get(expense_id))
    expense = client.get_expense(expense_id)
    assert expense.id == expense_id
    assert (expense.status, expense.raw_status) == (ef.ExpenseStatus.APPROVED, "APPROVED")
    assert expense.gross == expected_money(truth["original_amount"])
    assert expense.updated_at == dt.datetime.fromisoformat(truth["updated_at"])
    assert expense.transaction_date == dt.datetime.fromisoformat(truth["purchased_at"])
    assert expense.employee == ef.Employee(
        id=truth["user"]["id"],
        name=f"{truth['user']['first_name']} {truth['user']['last_name']}",
    )
    assert expense.merchant == ef.Merchant(
        name=truth["merchant"]["raw_descriptor"], mcc=truth["merchant"]["mcc"]
    )
    assert expense.category == truth["category"]
    assert expense.department == truth["department"]["name"]
    assert expense.location == truth["location"]["name"]
    assert expense.cost_centre == truth["custom_fields"][0]["value"]["data"]
    assert expense.description == truth["memo"]
    assert expense.account == client.account
    assert expense.raw["id"] == expense_id
    assert expense.parse_warnings == ()
    sent = query(sb.requests[-1])
    assert set(sent["expand[]"]) >= {"merchant", "user", "department", "location", "receipts"}


def test_get_expense_lists_receipts_uploaded_onto_it(sb: Sandbox, client: ef.ExpenseClient) -> None:
    expense_id = next(iter(sim(sb).approved_ids()))
    before = [r.id for r in client.get_expense(expense_id).receipts]  # the generated ones
    upload = client.upload_receipt(b"%PDF-1.4 one", expense_id=expense_id, filename="a.pdf")
    expense = client.get_expense(expense_id)
    assert [r.id for r in expense.receipts] == [*before, upload.receipt_id]
    assert sim(sb).receipt_ids(expense_id) == [upload.receipt_id]


def test_unknown_expense_is_not_found(client: ef.ExpenseClient) -> None:
    with pytest.raises(ef.NotFoundError) as caught:
        client.get_expense("expense_doesnotexist0000")
    assert caught.value.status == 404
    assert caught.value.attempts == 1


def test_a_wrong_token_is_an_authentication_error_without_the_token(
    sb: Sandbox, driver: str
) -> None:
    secret = "bxt_wrong_CANARY_123456"
    with (
        connect(sb, VENDOR, driver=driver, token=secret) as c,
        pytest.raises(ef.AuthenticationError) as caught,
    ):
        c.get_expense(next(iter(sim(sb).approved_ids())))
    assert caught.value.status == 401
    assert secret not in str(caught.value)
    assert secret not in repr(c)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("DRAFT", ef.ExpenseStatus.DRAFT),
        ("SUBMITTED", ef.ExpenseStatus.PENDING_APPROVAL),
        ("OUT_OF_POLICY", ef.ExpenseStatus.PENDING_APPROVAL),
        ("APPROVED", ef.ExpenseStatus.APPROVED),
        ("SETTLED", ef.ExpenseStatus.PAID),
        ("VOID", ef.ExpenseStatus.VOID),
        ("CANCELED", ef.ExpenseStatus.VOID),
        ("SPLIT", ef.ExpenseStatus.VOID),
        ("REPAYMENT_DUE", ef.ExpenseStatus.UNKNOWN),
    ],
)
def test_statuses_are_normalised_and_the_raw_word_kept(
    sb: Sandbox, client: ef.ExpenseClient, raw: str, status: ef.ExpenseStatus
) -> None:
    expense_id = next(iter(sim(sb).approved_ids()))
    sim(sb).set_status(expense_id, raw)
    expense = client.get_expense(expense_id)
    assert (expense.status, expense.raw_status) == (status, raw)


# ---- odd records -----------------------------------------------------------------------------


def test_unknown_enums_extra_fields_and_amounts_as_strings_are_parsed(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    clean = {e.id: e for e in client.list_approved()}
    sb.faults.add(
        VENDOR,
        LIST_ROUTE,
        Fault.mutate_records(unknown_enum=True, extra_fields=True, amount_as_string=True),
        times=None,
    )
    listing = client.list_approved()
    mutated = list(listing)
    assert listing.malformed == []
    assert [e.id for e in mutated] == list(clean)
    for expense in mutated:
        assert (expense.status, expense.raw_status) == (ef.ExpenseStatus.UNKNOWN, UNKNOWN_ENUM)
        assert expense.category in (None, UNKNOWN_ENUM)
        assert expense.raw["sandboxExtraField"]["addedBy"] == "sandbox"
        assert expense.gross == clean[expense.id].gross  # "1250" reads as 1250 minor units
        if isinstance(expense.raw.get("original_amount"), dict):
            assert isinstance(expense.raw["original_amount"]["amount"], str)


def test_missing_and_null_optional_fields_leave_the_fields_empty(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    truth = list(sim(sb).approved_ids())
    for mutation in ({"missing_optional": True}, {"null_values": True}):
        sb.faults.add(VENDOR, LIST_ROUTE, Fault.mutate_records(**mutation), times=None)
        listing = client.list_approved()
        expenses = list(listing)
        sb.faults.clear()
        assert [e.id for e in expenses] == truth
        assert listing.malformed == []
        for expense in expenses:
            assert expense.updated_at is not None  # guaranteed by Brex, kept by the fault
            assert (expense.gross, expense.merchant, expense.employee) == (None, None, None)
            assert expense.status is ef.ExpenseStatus.UNKNOWN
            assert expense.parse_warnings == ()


def test_a_malformed_date_empties_that_field_only(sb: Sandbox, client: ef.ExpenseClient) -> None:
    truth = list(sim(sb).approved_ids())
    sb.faults.add(VENDOR, LIST_ROUTE, Fault.mutate_records(malformed_date=True, limit=1))
    listing = client.list_approved()
    expenses = list(listing)
    assert [e.id for e in expenses] == truth
    broken = [e for e in expenses if e.raw.get("purchased_at") == MALFORMED_DATE]
    assert len(broken) == 1
    assert broken[0].transaction_date is None
    assert any(w.startswith("purchased_at:") for w in broken[0].parse_warnings)
    assert broken[0].gross is not None
    assert broken[0].updated_at is not None


def test_a_record_without_id_is_reported_and_the_page_goes_on(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    good = cast(dict[str, Any], sim(sb).get(next(iter(sim(sb).approved_ids()))))
    body = {"next_cursor": None, "items": [{"updated_at": good["updated_at"]}, good]}
    sb.faults.add(VENDOR, LIST_ROUTE, Fault.status(200, body=json.dumps(body).encode()))
    listing = client.list_approved()
    assert [e.id for e in listing] == [good["id"]]
    assert len(listing.malformed) == 1
    assert listing.malformed[0].record_id is None
    assert "id" in listing.malformed[0].reason
    assert listing.malformed[0].raw == {"updated_at": good["updated_at"]}


def test_strict_listing_raises_on_the_first_unreadable_record(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    body = {"next_cursor": None, "items": [{"updated_at": "2025-01-01T00:00:00Z"}]}
    sb.faults.add(VENDOR, LIST_ROUTE, Fault.status(200, body=json.dumps(body).encode()))
    with pytest.raises(ef.MalformedRecordError):
        list(client.list_approved(strict=True))


def test_a_record_repeated_on_a_later_page_is_yielded_once(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    truth = list(sim(sb).approved_ids())
    first_page = [cast(dict[str, Any], sim(sb).get(i)) for i in truth[:2]]
    second_page = [first_page[1], cast(dict[str, Any], sim(sb).get(truth[2]))]
    bodies = [
        {"next_cursor": "c2", "items": first_page},
        {"next_cursor": None, "items": second_page},
    ]
    for body in bodies:  # rules fire in order, each once
        sb.faults.add(VENDOR, LIST_ROUTE, Fault.status(200, body=json.dumps(body).encode()))
    assert [e.id for e in client.list_approved()] == truth[:3]


# ---- upload_receipt --------------------------------------------------------------------------


def test_upload_onto_an_expense_puts_the_bytes_through_a_presigned_url(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    expense_id = next(iter(sim(sb).approved_ids()))
    content = b"%PDF-1.4 receipt bytes"
    result = client.upload_receipt(content, expense_id=expense_id, filename="taxi.pdf")
    assert result == ef.ReceiptUpload(
        receipt_id=result.receipt_id,
        flow=ef.ReceiptFlow.ATTACH,
        expense_id=expense_id,
        filename="taxi.pdf",
        content_type="application/pdf",
        size=len(content),
        url_refreshes=0,
    )
    [received] = sim(sb).receipts
    assert (received.id, received.expense_id, received.filename) == (
        result.receipt_id,
        expense_id,
        "taxi.pdf",
    )
    assert received.sha256 == hashlib.sha256(content).hexdigest()
    assert received.content_type == "application/pdf"
    post, put = sb.requests
    assert post.method == "POST"
    assert post.url.endswith(f"/card/{expense_id}/receipt_upload")
    assert post.headers.get("idempotency-key")
    assert put.method == "PUT"
    assert "authorization" not in put.headers
    assert put.headers["content-length"] == str(len(content))
    assert "transfer-encoding" not in put.headers


def test_upload_without_an_expense_hands_the_receipt_to_brex_matching(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    result = client.upload_receipt(b"\x89PNG fake", filename="lunch.png")
    assert (result.flow, result.expense_id) == (ef.ReceiptFlow.MATCH, None)
    assert result.content_type == "image/png"
    [received] = sim(sb).receipts
    assert (received.id, received.expense_id) == (result.receipt_id, None)
    assert sb.requests[0].url.endswith("/v1/expenses/card/receipt_match")


def test_upload_takes_a_path_or_a_binary_file_and_an_explicit_content_type(
    sb: Sandbox, client: ef.ExpenseClient, tmp_path: Path
) -> None:
    path = tmp_path / "hotel.jpg"
    path.write_bytes(b"\xff\xd8\xff jpeg")
    from_path = client.upload_receipt(path)
    from_file = client.upload_receipt(
        io.BytesIO(b"plain"), filename="note", content_type="text/plain"
    )
    assert (from_path.filename, from_path.content_type, from_path.size) == (
        "hotel.jpg",
        "image/jpeg",
        8,
    )
    assert (from_file.filename, from_file.content_type) == ("note", "text/plain")
    assert [r.content_type for r in sim(sb).receipts] == ["image/jpeg", "text/plain"]


def test_a_file_over_50_mb_is_refused_before_any_request(
    sb: Sandbox, client: ef.ExpenseClient, tmp_path: Path
) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:  # sparse: no 50 MB written to disk or memory
        handle.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(ef.ValidationError) as caught:
        client.upload_receipt(big, expense_id=next(iter(sim(sb).approved_ids())))
    assert caught.value.field == "file"
    assert sb.requests == []
    exactly = tmp_path / "max.pdf"
    exactly.write_bytes(b"x" * 1024)
    assert client.upload_receipt(exactly).size == 1024


def test_upload_onto_an_unknown_expense_is_not_found(sb: Sandbox, client: ef.ExpenseClient) -> None:
    with pytest.raises(ef.NotFoundError):
        client.upload_receipt(b"data", expense_id="expense_doesnotexist0000", filename="a.pdf")
    assert sim(sb).receipts == []
    assert [r.method for r in sb.requests] == ["POST"]
