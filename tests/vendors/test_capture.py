"""The Capture adapter through the public API, against the in-process sandbox's ground truth.

Fault-matrix rows (retries, timeouts, error statuses, partial batches) are in
tests/reliability/test_capture_faults.py; this module covers the operations, the record
mapping and the record-level rows (unknown enum, extra/missing/null fields, amounts as
strings, a malformed date, a record without an id).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final, cast

import attrs
import expense_facade as ef
import pytest
from expense_facade.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    MalformedRecordError,
    PaginationError,
    ValidationError,
)
from expense_facade.operations import Operation
from expense_facade.records import Expense, ExpenseStatus, Money
from expense_facade.sandbox import Fault, Sandbox, wire
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from expense_facade.sandbox.vendors.capture import CaptureSim
from support.sandbox import (
    RecordingTransport,
    client_fixture,
    connect,
    connecting,
    in_process,
    recorder_fixture,
    sandbox_fixture,
)

VENDOR: Final = "capture"
EXPORT = "GET /api/Expenses/Export"
UPDATE = "POST /api/Expenses/ExportStatusUpdate"

sb = sandbox_fixture(VENDOR, seed=11, size=200)
recorder = recorder_fixture()
client = client_fixture(VENDOR, recorded=True)


def posted(recorder: RecordingTransport) -> list[list[dict[str, Any]]]:
    """The ``exportStatuses`` of every status update sent, in order."""
    return [json.loads(r.content)["exportStatuses"] for r in recorder.sent("POST")]


def sim(sb: Sandbox) -> CaptureSim:
    return cast(CaptureSim, sb.vendor(VENDOR))


def truth(sb: Sandbox, expense_id: str) -> Mapping[str, Any]:
    """The sandbox's own row for ``expense_id`` (amounts as exact Decimals)."""
    index = sim(sb).index_of(expense_id)
    assert index is not None
    return sim(sb).row(index)


def calls(sb: Sandbox, route: str) -> int:
    return sum(1 for r in sb.requests if r.route == route)


def export_body(rows: list[Any], total: int | None = None) -> bytes:
    """An Export answer with ``rows`` (JSON numbers written as the sandbox writes them:
    Decimals as their exact digits)."""
    body = {"success": True, "message": None, "data": rows,
            "totalCount": len(rows) if total is None else total}  # fmt: skip
    return wire.dumps(body)


def queue_rows(sb: Sandbox) -> list[dict[str, Any]]:
    """The queue as raw JSON-ready rows (amounts as exact Decimals, as decoded)."""
    return [dict(truth(sb, expense_id)) for expense_id in sim(sb).queue_ids()]


# ---- capabilities and unsupported operations --------------------------------------------


def test_capabilities_are_list_approved_and_mark_exported(client: ef.ExpenseClient) -> None:
    expected = frozenset({Operation.LIST_APPROVED, Operation.MARK_EXPORTED})
    assert client.capabilities == expected
    assert ef.capabilities(VENDOR) == expected
    assert client.vendor == VENDOR


# ---- connecting ----------------------------------------------------------------------------


def test_connect_needs_an_api_key_and_sends_it_as_x_api_key(sb: Sandbox, driver: str) -> None:
    with pytest.raises(ConfigurationError, match="api_key"):
        connecting(driver)(VENDOR, base_url=sb.base_url(VENDOR), transport=in_process(sb, driver))
    assert sb.requests == []
    with connecting(driver)(VENDOR, sandbox=sb) as c:
        next(iter(c.list_approved()))
    assert sb.requests[-1].headers["x-api-key"] == "[REDACTED]"  # sent, and redacted in logs
    assert "authorization" not in sb.requests[-1].headers


def test_wrong_api_key_is_an_authentication_error_without_the_key(sb: Sandbox, driver: str) -> None:
    wrong = "capture-wrong-key-0123456789"
    with (
        connect(sb, VENDOR, driver=driver, api_key=wrong) as c,
        pytest.raises(AuthenticationError) as caught,
    ):
        list(c.list_approved())
    assert caught.value.status == 401
    assert caught.value.message == "Invalid API key."
    assert wrong not in str(caught.value)
    assert wrong not in repr(caught.value)
    assert calls(sb, EXPORT) == 1  # a 401 is not retried


def test_the_export_call_gets_the_slow_read_timeout(
    client: ef.ExpenseClient, recorder: RecordingTransport
) -> None:
    next(iter(client.list_approved()))
    timeout = recorder.requests[0].extensions["timeout"]
    assert timeout["read"] == 120.0
    assert timeout["connect"] == 10.0


# ---- list approved -------------------------------------------------------------------------


def test_list_approved_returns_exactly_the_queue_each_once(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    listing = client.list_approved(page_size=30)
    assert sb.requests == []  # lazy: nothing fetched before iteration
    pages = list(listing.pages())
    ids = [e.id for page in pages for e in page.expenses]
    assert ids == list(sim(sb).queue_ids())
    assert len(ids) == len(set(ids)) == sim(sb).queue_size() == 160  # 80% of 200
    assert [len(p.expenses) for p in pages] == [30, 30, 30, 30, 30, 10]
    assert listing.malformed == []
    assert calls(sb, EXPORT) == 1  # the queue is read once and handed out in pages
    assert not set(ids) & set(sim(sb).pending_ids())


def test_default_page_size_is_100_and_larger_pages_are_refused(client: ef.ExpenseClient) -> None:
    assert [len(p.expenses) for p in client.list_approved().pages()] == [100, 60]
    for bad in (0, 101, -1):
        with pytest.raises(ValidationError):
            client.list_approved(page_size=bad)


def test_every_row_maps_to_the_common_fields_exactly(client: ef.ExpenseClient, sb: Sandbox) -> None:
    currencies = set()
    for expense in client.list_approved():
        row = truth(sb, expense.id)
        currency = row["isoCode"]
        currencies.add(currency)
        assert expense.vendor == VENDOR
        assert expense.status is ExpenseStatus.APPROVED
        assert expense.raw_status is None
        # Exact Decimals equal to the sandbox's own amounts (no float on the way).
        assert expense.gross == Money(row["grossAmount"], currency)
        assert expense.net == Money(row["netAmount"], currency)
        assert expense.tax == Money(row["taxAmount"], currency)
        assert isinstance(expense.gross.amount, Decimal)
        assert expense.currency == currency
        assert expense.exchange_rate == row["exchangeRate"]
        assert expense.transaction_date == dt.datetime.fromisoformat(row["claimDate"])
        assert expense.transaction_date is not None
        assert expense.transaction_date.tzinfo
        assert expense.employee == ef.Employee(id=row["employeeId"], name=row["personName"])
        assert expense.category == row["categoryName"]
        assert expense.gl_code == row["nominalAccount"]
        assert expense.tax_code == row["taxCode"]
        assert expense.department == row["department"]
        assert expense.location == row["location"]
        assert expense.project == row["project"]
        assert expense.cost_centre == row["costcentre"]
        assert expense.description == row["description"]
        assert expense.account == "sandbox.invalid"
        assert expense.parse_warnings == ()
        assert expense.raw["transactionType"] == row["transactionType"]
        assert expense.raw["distance"] == row["distance"]  # raw only, exact (issue 12)
    assert {"JPY", "KWD"} <= currencies  # exponents 0 and 3 were exercised


def test_doubles_become_the_decimals_the_vendor_wrote(sb: Sandbox, driver: str) -> None:
    # Written as JSON numbers that have no exact binary double: 0.1, 0.005236, 15 digits.
    row = {**queue_rows(sb)[0], "grossAmount": "@G", "netAmount": "@N", "exchangeRate": "@R"}
    raw = wire.dumps({"success": True, "data": [row], "totalCount": 1}).decode()
    for mark, number in (("@G", "1234567890123.45"), ("@N", "0.1"), ("@R", "0.005236")):
        raw = raw.replace(f'"{mark}"', number)
    sb.faults.add(VENDOR, EXPORT, Fault.status(200, body=raw.encode()))
    with connect(sb, VENDOR, driver=driver) as c:
        (expense,) = list(c.list_approved())
    assert expense.gross is not None
    assert expense.net is not None
    assert str(expense.gross.amount) == "1234567890123.45"
    assert str(expense.net.amount) == "0.1"
    assert str(expense.exchange_rate) == "0.005236"


def test_since_is_ignored_and_says_so(
    client: ef.ExpenseClient, sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    since = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)  # later than every claimDate
    with caplog.at_level(logging.INFO, logger="expense_facade"):
        ids = [e.id for e in client.list_approved(since=since)]
    assert ids == list(sim(sb).queue_ids())
    assert any("since" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)
    with pytest.raises(ValidationError):
        client.list_approved(since=dt.datetime(2030, 1, 1))  # naive: refused


def test_an_empty_queue_lists_nothing(sb: Sandbox, driver: str) -> None:
    sb.faults.add(VENDOR, EXPORT, Fault.status(200, body=b'{"success":true,"data":null}'))
    with connect(sb, VENDOR, driver=driver) as c:
        listing = c.list_approved()
        assert list(listing.pages()) == []


def test_body_with_success_false_is_a_typed_error(sb: Sandbox, driver: str) -> None:
    body = b'{"success": false, "message": "Export is temporarily disabled.", "data": null}'
    sb.faults.add(VENDOR, EXPORT, Fault.status(200, body=body))
    with connect(sb, VENDOR, driver=driver) as c, pytest.raises(BadRequestError) as caught:
        list(c.list_approved())
    assert caught.value.status == 200
    assert caught.value.message == "Export is temporarily disabled."


# ---- a queue answered in parts (totalCount larger than the rows returned) ----------------


def test_a_partial_answer_is_read_again_and_only_new_rows_are_listed(
    sb: Sandbox, driver: str
) -> None:
    rows = queue_rows(sb)
    sb.faults.add(VENDOR, EXPORT, Fault.status(200, body=export_body(rows[:25], len(rows))))
    with connect(sb, VENDOR, driver=driver) as c:
        ids = [e.id for e in c.list_approved(page_size=10)]
    assert ids == list(sim(sb).queue_ids())  # the second read is the whole queue
    assert len(ids) == len(set(ids))
    assert calls(sb, EXPORT) == 2


def test_a_partial_answer_that_never_advances_stops_with_an_error(sb: Sandbox, driver: str) -> None:
    rows = queue_rows(sb)
    sb.faults.add(
        VENDOR, EXPORT, Fault.status(200, body=export_body(rows[:25], len(rows))), times=None
    )
    listed: list[str] = []
    with connect(sb, VENDOR, driver=driver) as c:
        listing = iter(c.list_approved(page_size=10))
        listed.extend(next(listing).id for _ in range(25))
        with pytest.raises(PaginationError) as caught:
            next(listing)
    assert listed == [r["id"] for r in rows[:25]]  # everything readable was handed out
    assert "25 of 160" in str(caught.value)
    assert calls(sb, EXPORT) == 2


# ---- record-level faults (the sandbox's record mutations) -------------------------------


def mutated_listing(
    client: ef.ExpenseClient, sb: Sandbox, **mutations: Any
) -> tuple[list[Expense], ef.Listing]:
    """The whole listing of ``client`` (either driver) with the sandbox mutating its rows."""
    sb.faults.add(VENDOR, EXPORT, Fault.mutate_records(**mutations))
    listing = client.list_approved()
    return list(listing), listing


def test_unknown_enum_value_is_kept_raw(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses, listing = mutated_listing(client, sb, unknown_enum=True)
    assert len(expenses) == 160
    assert listing.malformed == []
    for expense in expenses:
        assert expense.raw["paymentType"] == UNKNOWN_ENUM
        assert expense.status is ExpenseStatus.APPROVED
        assert expense.parse_warnings == ()


def test_extra_fields_are_ignored_and_kept_raw(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses, _ = mutated_listing(client, sb, extra_fields=True)
    assert len(expenses) == 160
    assert all("sandboxExtraField" in e.raw and e.parse_warnings == () for e in expenses)
    assert expenses[0].gross == Money(truth(sb, expenses[0].id)["grossAmount"],
                                      truth(sb, expenses[0].id)["isoCode"])  # fmt: skip


def test_missing_optional_fields_give_none(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses, listing = mutated_listing(client, sb, missing_optional=True)
    assert [e.id for e in expenses] == list(sim(sb).queue_ids())
    assert listing.malformed == []
    for expense in expenses:
        assert set(expense.raw) == {"id"}
        assert (expense.gross, expense.net, expense.tax, expense.currency) == (None,) * 4
        assert (expense.transaction_date, expense.employee, expense.description) == (None,) * 3
        assert expense.status is ExpenseStatus.APPROVED
        assert expense.parse_warnings == ()


def test_nulls_give_none(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses, listing = mutated_listing(client, sb, null_values=True)
    assert len(expenses) == 160
    assert listing.malformed == []
    for expense in expenses:
        assert expense.raw["grossAmount"] is None
        assert expense.gross is None
        assert expense.exchange_rate is None
        assert expense.employee is None
        assert expense.category is None
        assert expense.parse_warnings == ()


def test_amounts_as_strings_are_parsed_exactly(client: ef.ExpenseClient, sb: Sandbox) -> None:
    expenses, _ = mutated_listing(client, sb, amount_as_string=True)
    for expense in expenses:
        row = truth(sb, expense.id)
        assert isinstance(expense.raw["grossAmount"], str)
        assert expense.gross == Money(row["grossAmount"], row["isoCode"])
        assert expense.net == Money(row["netAmount"], row["isoCode"])
        assert expense.exchange_rate == row["exchangeRate"]


def test_a_malformed_date_in_one_row_is_a_warning_and_the_listing_goes_on(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    expenses, listing = mutated_listing(client, sb, malformed_date=True, limit=1)
    assert [e.id for e in expenses] == list(sim(sb).queue_ids())
    assert listing.malformed == []
    first, rest = expenses[0], expenses[1:]
    assert first.raw["claimDate"] == MALFORMED_DATE
    assert first.transaction_date is None
    assert len(first.parse_warnings) == 1
    assert first.parse_warnings[0].startswith("transaction_date:")
    assert first.gross is not None  # the rest of the record is intact
    assert all(e.transaction_date is not None and e.parse_warnings == () for e in rest)


def test_a_row_without_id_is_reported_and_the_page_goes_on(sb: Sandbox, driver: str) -> None:
    rows = queue_rows(sb)[:5]
    broken = {k: v for k, v in rows[2].items() if k != "id"}
    sb.faults.add(
        VENDOR,
        EXPORT,
        Fault.status(200, body=export_body([*rows[:2], broken, "not a row", *rows[3:]])),
        times=2,
    )
    with connect(sb, VENDOR, driver=driver) as c:
        listing = c.list_approved()
        ids = [e.id for e in listing]
        assert ids == [rows[0]["id"], rows[1]["id"], rows[3]["id"], rows[4]["id"]]
        assert len(listing.malformed) == 2
        assert listing.malformed[0].raw == broken
        assert listing.malformed[0].record_id is None
        assert listing.malformed[1].raw == "not a row"
        with pytest.raises(MalformedRecordError):
            list(c.list_approved(strict=True))


def test_an_unreadable_currency_is_a_warning(sb: Sandbox, driver: str) -> None:
    row = {**queue_rows(sb)[0], "isoCode": "POUNDS"}
    sb.faults.add(VENDOR, EXPORT, Fault.status(200, body=export_body([row])))
    with connect(sb, VENDOR, driver=driver) as c:
        (expense,) = list(c.list_approved())
    assert expense.currency is None
    assert expense.gross is not None
    assert expense.gross.currency is None
    assert expense.parse_warnings == ("currency: not an ISO 4217 currency code: 'POUNDS'",)


# ---- mark exported -------------------------------------------------------------------------


def test_mark_exported_echoes_each_rows_transaction_type(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    chosen = list(client.list_approved())[:5]
    result = client.mark_exported(chosen)
    assert result.ok
    assert [o.expense_id for o in result.outcomes] == [e.id for e in chosen]
    (sent,) = posted(recorder)  # one batched request
    assert [s["id"] for s in sent] == [e.id for e in chosen]
    assert [s["transactionType"] for s in sent] == [
        truth(sb, e.id)["transactionType"] for e in chosen
    ]
    assert all(s["success"] is True for s in sent)
    assert sim(sb).exported_ids() == {e.id for e in chosen}
    assert sim(sb).queue_size() == 155


def test_mark_exported_by_bare_id_looks_the_rows_up_in_the_queue(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    ids = list(sim(sb).queue_ids())[:3]
    result = client.mark_exported(ids)
    assert result.ok
    assert [o.expense_id for o in result.outcomes] == ids
    assert [r.method for r in recorder.requests] == ["GET", "POST"]
    (sent,) = posted(recorder)
    assert [s["transactionType"] for s in sent] == [truth(sb, i)["transactionType"] for i in ids]
    assert sim(sb).exported_ids() == set(ids)
    assert client.mark_exported(ids[0]).ok is False  # now gone from the queue


def test_ids_not_in_the_queue_fail_per_item_and_are_not_sent(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    queued = list(sim(sb).queue_ids())
    client.mark_exported([queued[0]])
    pending = next(sim(sb).pending_ids())
    unknown = "00000000-0000-4000-8000-000000000000"
    result = client.mark_exported([queued[0], pending, unknown, queued[1]])
    assert [(o.expense_id, o.succeeded) for o in result.outcomes] == [
        (queued[0], False),
        (pending, False),
        (unknown, False),
        (queued[1], True),
    ]
    assert all("not in the export queue" in (o.message or "") for o in result.failed)
    assert [s["id"] for s in posted(recorder)[-1]] == [queued[1]]
    recorder.clear()
    only_missing = client.mark_exported([pending, unknown])
    assert not only_missing.succeeded
    assert len(only_missing.failed) == 2
    assert [r.method for r in recorder.requests] == ["GET"]  # nothing to send


def test_a_record_without_a_transaction_type_is_looked_up(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    expenses, _ = mutated_listing(client, sb, null_values=True, limit=2)
    result = client.mark_exported(expenses[:3])
    assert result.ok
    assert sim(sb).exported_ids() == {e.id for e in expenses[:3]}


def test_a_stale_transaction_type_is_refused_for_that_item_only(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    first, second = list(client.list_approved())[:2]
    wrong = attrs.evolve(first, raw={**first.raw, "transactionType": 99})
    result = client.mark_exported([wrong, second])
    assert [o.succeeded for o in result.outcomes] == [False, True]
    assert result.failed[0].message == "transactionType does not match the expense."
    assert sim(sb).exported_ids() == {second.id}


def test_repeated_ids_are_sent_once_and_an_empty_call_sends_nothing(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    first = next(iter(client.list_approved()))
    recorder.clear()
    assert client.mark_exported([]).outcomes == ()
    assert recorder.requests == []
    result = client.mark_exported([first, first.id, first])
    assert [o.expense_id for o in result.outcomes] == [first.id]
    assert [len(batch) for batch in posted(recorder)] == [1]
    assert [r.method for r in recorder.requests] == ["POST"]  # the record had its type


def test_more_than_100_ids_go_in_batches_of_100(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    expenses = list(client.list_approved())
    result = client.mark_exported(expenses[:150])
    assert result.ok
    assert len(result.outcomes) == 150
    assert [len(batch) for batch in posted(recorder)] == [100, 50]
    assert sim(sb).exported_ids() == {e.id for e in expenses[:150]}


def test_marking_page_by_page_while_listing_skips_no_row(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    expected = list(sim(sb).queue_ids())
    listed: list[str] = []
    for page in client.list_approved(page_size=25).pages():
        listed.extend(e.id for e in page.expenses)
        assert client.mark_exported(page.expenses).ok  # the queue shrinks under the listing
    assert listed == expected
    assert sim(sb).exported_ids() == set(expected)
    assert list(sim(sb).queue_ids()) == []


def test_mark_exported_refuses_other_vendors_records(client: ef.ExpenseClient) -> None:
    other = Expense(vendor="brex", id="x", status=ExpenseStatus.APPROVED, raw_status=None)
    with pytest.raises(ValidationError):
        client.mark_exported([other])
    with pytest.raises(ValidationError):
        client.mark_exported(["  "])
