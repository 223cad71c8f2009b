"""The Revolut adapter through the public API, against the in-process sandbox's ground truth."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Final, cast
from urllib.parse import parse_qs, urlsplit

import expense_facade as ef
import httpx
import pytest
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Fault, LoggedRequest, Sandbox
from expense_facade.sandbox.faults import UNKNOWN_ENUM
from expense_facade.sandbox.vendors.revolut import RevolutSim
from support.sandbox import (
    as_decoded,
    client_fixture,
    connect,
    connecting,
    make,
    sandbox_fixture,
)

VENDOR: Final = "revolut"
LIST_ROUTE = "GET /expenses"
MS = dt.timedelta(milliseconds=1)


sb = sandbox_fixture(VENDOR, seed=5, size=400)
client = client_fixture(VENDOR)


def sim(sb: Sandbox) -> RevolutSim:
    return cast(RevolutSim, sb.vendor(VENDOR))


def query(entry: LoggedRequest) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(entry.url).query).items()}


def list_requests(sb: Sandbox) -> list[LoggedRequest]:
    return [r for r in sb.requests if r.route == LIST_ROUTE]


def raw_exact(sb: Sandbox, path: str, **params: Any) -> Any:
    """The vendor's JSON with every number as an exact Decimal (the ground truth for money)."""
    token = sb.credentials(VENDOR)["token"]
    with httpx.Client(
        transport=sb.transport(),
        base_url=sb.base_url(VENDOR),
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        response = http.get(path, params=params)
    response.raise_for_status()
    return json.loads(response.content, parse_float=Decimal)


def date_of(sb: Sandbox, expense_id: str) -> dt.datetime:
    index = cast(int, sim(sb).index_of(expense_id))
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + sim(sb).expense_date_ms(index) * MS


def body_fault(items: list[dict[str, Any]]) -> Fault:
    return Fault.status(200, body=json.dumps(items).encode())


# ---- capabilities ----------------------------------------------------------------------------


def test_capabilities_are_list_detail_and_download(client: ef.ExpenseClient) -> None:
    assert client.capabilities == {
        ef.Operation.LIST_APPROVED,
        ef.Operation.GET_EXPENSE,
        ef.Operation.DOWNLOAD_RECEIPT,
    }


# ---- list_approved ---------------------------------------------------------------------------


def test_list_approved_is_exactly_the_approved_ground_truth(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    listing = client.list_approved()
    ids = [e.id for e in listing]
    assert ids == list(sim(sb).approved_ids())
    assert listing.malformed == []
    sent = query(list_requests(sb)[0])
    assert (sent["state"], sent["count"]) == ("approved", "500")
    assert "to" not in sent
    assert "from" not in sent


@pytest.mark.parametrize("page_size", [7, 50, 500])
def test_long_tie_runs_are_paged_past_without_loss_or_duplicates(
    page_size: int, driver: str
) -> None:
    sb = make(VENDOR, seed=2, size=1500)
    revolut = sim(sb)
    tied = [
        i
        for i in range(revolut.long_tie_start, revolut.long_tie_end)
        if revolut.kind(i)[1] == "approved"
    ]
    with connect(sb, VENDOR, driver=driver) as client:
        ids = [e.id for e in client.list_approved(page_size=page_size)]
    assert ids == list(revolut.approved_ids())
    assert len(ids) == len(set(ids))
    if page_size < len(tied):
        # A page made only of ties happened and was read as one whole-millisecond window.
        windows = [query(r) for r in list_requests(sb) if "from" in query(r)]
        tie_ms = revolut.expense_date_ms(revolut.long_tie_start)
        assert any(
            q["count"] == "500"
            and dt.datetime.fromisoformat(q["to"]) - dt.datetime.fromisoformat(q["from"]) == MS
            and dt.datetime.fromisoformat(q["from"]).timestamp() * 1000 == tie_ms
            for q in windows
        )


def test_since_is_ignored_so_late_approvals_are_never_dropped(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    truth = list(sim(sb).approved_ids())
    since = date_of(sb, truth[len(truth) // 2])
    ids = [e.id for e in client.list_approved(since=since)]
    assert ids == truth
    assert "from" not in query(list_requests(sb)[0])


def test_amounts_are_exact_decimals_without_binary_noise(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    exact = {item["id"]: item for item in raw_exact(sb, "/expenses", state="approved", count=500)}
    expenses = list(client.list_approved())
    assert {e.id for e in expenses} == set(exact)
    for expense in expenses:
        spent = exact[expense.id]["spent_amount"]
        assert expense.gross == ef.Money(spent["amount"], spent["currency"])
        assert expense.currency == spent["currency"]
        assert [line.amount for line in expense.line_items] == [
            ef.Money(s["amount"]["amount"], s["amount"]["currency"])
            for s in exact[expense.id]["splits"]
        ]
        assert expense.gross is not None
        assert len(str(expense.gross.amount).partition(".")[2]) <= 2  # no 0.1+0.2 noise


def test_splits_become_line_items_with_category_and_tax_rate(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    expenses = list(client.list_approved())
    full = [s for e in expenses for s in e.line_items if "tax_rate" in s.raw]
    bare = [s for e in expenses for s in e.line_items if set(s.raw) == {"amount"}]
    assert full
    for line in full:
        assert line.category == line.raw["category"]["name"]
        assert line.gl_code == line.raw["category"]["code"]
        assert line.tax_code == line.raw["tax_rate"]["name"]
        assert line.tax_rate == Decimal(line.raw["tax_rate"]["percentage"])
    single = [e for e in expenses if len(e.line_items) == 1 and e.line_items[0].category]
    assert single
    assert all(e.category == e.line_items[0].category for e in single)
    assert all(e.gl_code == e.line_items[0].gl_code for e in single)
    for line in bare:  # real responses have splits with only an amount
        assert line.amount is not None
        assert (line.category, line.tax_rate) == (None, None)


def test_get_expense_maps_every_common_field(sb: Sandbox, client: ef.ExpenseClient) -> None:
    revolut = sim(sb)
    expense_id = next(
        i
        for i in revolut.approved_ids()
        if {"labels", "merchant", "description"} <= set(revolut.expense(i))
    )
    truth: dict[str, Any] = dict(revolut.expense(expense_id))  # read as untyped JSON
    expense = client.get_expense(expense_id)
    assert (expense.id, expense.status, expense.raw_status) == (
        expense_id,
        ef.ExpenseStatus.APPROVED,
        "approved",
    )
    assert expense.transaction_date == dt.datetime.fromisoformat(truth["expense_date"])
    assert expense.submitted_at == dt.datetime.fromisoformat(truth["submitted_at"])
    assert expense.approved_at == dt.datetime.fromisoformat(truth["completed_at"])
    assert expense.employee == ef.Employee(name=truth["payer"])
    assert expense.merchant == ef.Merchant(name=truth["merchant"])
    assert expense.description == truth["description"]
    assert [r.id for r in expense.receipts] == truth["receipt_ids"]
    labels = {k: v[0] for k, v in truth["labels"].items()}
    assert expense.cost_centre == labels.get("Cost centre")
    assert expense.project == labels.get("Project")
    assert expense.location == labels.get("Location")
    assert expense.updated_at is None  # Revolut has no update time
    assert expense.account == client.account
    assert expense.parse_warnings == ()


def test_an_external_expense_has_no_transaction_id_and_still_parses(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    revolut = sim(sb)
    external = next(
        i for i in revolut.approved_ids() if revolut.expense(i)["transaction_type"] == "external"
    )
    expense = client.get_expense(external)
    assert "transaction_id" not in expense.raw
    assert expense.parse_warnings == ()
    assert expense.gross is not None


def test_label_groups_fill_fields_only_when_their_name_says_so(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    item: dict[str, Any] = dict(sim(sb).expense(next(iter(sim(sb).approved_ids()))))
    item["labels"] = {
        "cost_center": ["CC-9"],
        "Department": ["Sales"],
        "PROJECT": ["Apollo"],
        "Team": ["Blue"],
    }
    sb.faults.add(VENDOR, LIST_ROUTE, body_fault([item]))
    [expense] = client.list_approved()
    assert (expense.cost_centre, expense.department, expense.project, expense.location) == (
        "CC-9",
        "Sales",
        "Apollo",
        None,
    )
    assert expense.raw["labels"]["Team"] == ["Blue"]


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("missing_info", ef.ExpenseStatus.DRAFT),
        ("awaiting_review", ef.ExpenseStatus.PENDING_APPROVAL),
        ("approved", ef.ExpenseStatus.APPROVED),
        ("pending_reimbursement", ef.ExpenseStatus.APPROVED),
        ("rejected", ef.ExpenseStatus.REJECTED),
        ("refund_requested", ef.ExpenseStatus.REJECTED),
        ("refunded", ef.ExpenseStatus.VOID),
        ("reverted", ef.ExpenseStatus.VOID),
    ],
)
def test_states_are_normalised_and_the_raw_word_kept(
    sb: Sandbox, client: ef.ExpenseClient, state: str, status: ef.ExpenseStatus
) -> None:
    expense_id = next(iter(sim(sb).approved_ids()))
    sim(sb).set_state(expense_id, state)
    expense = client.get_expense(expense_id)
    assert (expense.status, expense.raw_status) == (status, state)
    assert (expense.approved_at is not None) == (status is ef.ExpenseStatus.APPROVED)


def test_unknown_enum_extra_fields_and_amount_as_string_are_parsed(
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
    expenses = list(listing)
    assert listing.malformed == []
    assert [e.id for e in expenses] == list(clean)
    for expense in expenses:
        assert (expense.status, expense.raw_status) == (ef.ExpenseStatus.UNKNOWN, UNKNOWN_ENUM)
        assert isinstance(expense.raw["spent_amount"]["amount"], str)
        assert expense.gross == clean[expense.id].gross
        assert expense.raw["sandboxExtraField"]["addedBy"] == "sandbox"


@pytest.mark.parametrize("mutation", ["missing_optional", "null_values"])
def test_missing_or_null_fields_leave_the_fields_empty(
    sb: Sandbox, client: ef.ExpenseClient, mutation: str
) -> None:
    truth = list(sim(sb).approved_ids())
    sb.faults.add(VENDOR, LIST_ROUTE, Fault.mutate_records(**{mutation: True}), times=None)
    listing = client.list_approved()
    expenses = list(listing)
    assert [e.id for e in expenses] == truth
    assert listing.malformed == []
    for expense in expenses:
        assert (expense.gross, expense.transaction_date, expense.employee) == (None, None, None)
        assert expense.line_items == ()
        assert expense.status is ef.ExpenseStatus.UNKNOWN


def test_the_malformed_date_quirk_empties_that_field_and_the_listing_goes_on(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    bad_id = sim(sb).use_malformed_date()
    listing = client.list_approved(page_size=20)
    expenses = {e.id: e for e in listing}
    assert list(expenses) == list(sim(sb).approved_ids())
    assert listing.malformed == []
    bad = expenses[bad_id]
    assert bad.transaction_date is None
    assert [w for w in bad.parse_warnings if w.startswith("expense_date:")]
    assert bad.raw["expense_date"].count("-") == 2
    assert bad.gross is not None
    assert all(not e.parse_warnings for i, e in expenses.items() if i != bad_id)


def test_a_record_without_id_is_reported_and_the_page_goes_on(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    good: dict[str, Any] = dict(sim(sb).expense(next(iter(sim(sb).approved_ids()))))
    broken = {k: v for k, v in good.items() if k != "id"}
    sb.faults.add(VENDOR, LIST_ROUTE, body_fault([broken, good]))
    listing = client.list_approved()
    assert [e.id for e in listing] == [good["id"]]
    [malformed] = listing.malformed
    assert (malformed.vendor, malformed.record_id) == (VENDOR, None)
    assert malformed.raw == as_decoded(broken)


# ---- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (403, ef.PermissionDeniedError, "9002"),
        (404, ef.NotFoundError, "3006"),
        (422, ef.BadRequestError, "3470"),
    ],
)
def test_revolut_error_codes_are_typed_errors_with_the_code(
    sb: Sandbox, client: ef.ExpenseClient, status: int, error: type[ef.APIError], code: str
) -> None:
    sb.faults.add(VENDOR, LIST_ROUTE, Fault.status(status, message="Revolut says no"))
    with pytest.raises(error) as caught:
        list(client.list_approved())
    assert (caught.value.status, caught.value.code) == (status, code)
    assert caught.value.message == "Revolut says no"
    assert caught.value.attempts == 1


def test_an_unknown_expense_is_not_found_with_code_3006(client: ef.ExpenseClient) -> None:
    with pytest.raises(ef.NotFoundError) as caught:
        client.get_expense("00000000-0000-4000-8000-000000000000")
    assert (caught.value.status, caught.value.code) == (404, "3006")


# ---- authentication --------------------------------------------------------------------------


def test_a_static_wrong_token_fails_at_once(sb: Sandbox, driver: str) -> None:
    secret = "oa_wrong_CANARY_0123456789"
    with connect(sb, VENDOR, driver=driver, token=secret) as c:
        with pytest.raises(ef.AuthenticationError) as caught:
            c.get_expense(next(iter(sim(sb).approved_ids())))
        assert secret not in repr(c)
    assert (caught.value.status, caught.value.code) == (401, "9001")
    assert secret not in str(caught.value)
    assert len(sb.requests) == 1


def test_a_token_provider_is_asked_before_every_request(sb: Sandbox, driver: str) -> None:
    good = sb.credentials(VENDOR)["token"]
    calls: list[str] = []

    def provider() -> str:
        calls.append("asked")
        return good

    with connect(sb, VENDOR, driver=driver, token=provider) as c:
        ids = list(sim(sb).approved_ids())[:3]
        assert [c.get_expense(i).id for i in ids] == ids
    assert len(calls) == 3


def test_a_401_asks_the_provider_once_more_and_its_new_token_works(
    sb: Sandbox, driver: str
) -> None:
    tokens = iter(["expired_CANARY_token_1", sb.credentials(VENDOR)["token"]])
    calls: list[str] = []

    def provider() -> str:
        calls.append("asked")
        return next(tokens)

    with connect(sb, VENDOR, driver=driver, token=provider) as c:
        expense_id = next(iter(sim(sb).approved_ids()))
        assert c.get_expense(expense_id).id == expense_id
    assert len(calls) == 2
    assert [r.status for r in sb.requests] == [401, 200]


def test_a_provider_that_keeps_failing_gives_up_after_exactly_one_refresh(
    sb: Sandbox, driver: str
) -> None:
    calls: list[str] = []

    def provider() -> str:
        calls.append("asked")
        return f"stale_CANARY_token_{len(calls)}"

    with (
        connect(sb, VENDOR, driver=driver, token=provider) as c,
        pytest.raises(ef.AuthenticationError) as caught,
    ):
        list(c.list_approved())
    assert len(calls) == 2
    assert [r.status for r in sb.requests] == [401, 401]
    assert "stale_CANARY_token" not in str(caught.value)


@pytest.mark.parametrize("token", [42, "   ", b"bytes"])
def test_a_token_that_is_neither_text_nor_callable_is_a_configuration_error(
    sb: Sandbox, token: object, driver: str
) -> None:
    with pytest.raises(ef.ConfigurationError):
        connecting(driver)(VENDOR, sandbox=sb, token=token)


def test_a_provider_returning_nothing_is_a_configuration_error(sb: Sandbox, driver: str) -> None:
    expense_id = next(iter(sim(sb).approved_ids()))
    with (
        connect(sb, VENDOR, driver=driver, token=lambda: "") as c,
        pytest.raises(ef.ConfigurationError),
    ):
        c.get_expense(expense_id)
    assert sb.requests == []


# ---- pacing ----------------------------------------------------------------------------------


def test_requests_are_paced_to_60_per_minute_by_default(sb: Sandbox, driver: str) -> None:
    clock = cast(FakeClock, sb.clock)  # the client waits on the sandbox's clock
    sb.enable_rate_limits(VENDOR, limit=(1, 1.0))  # the sandbox refuses anything faster
    ids = list(sim(sb).approved_ids())[:4]
    with connect(
        sb,
        VENDOR,
        driver=driver,
        base_url=sb.base_url(VENDOR),
        # as a remote server would be: pacing is on
        transport=sb.async_transport() if driver == "async" else sb.transport(),
    ) as c:
        assert [c.get_expense(i).id for i in ids] == ids
    assert clock.sleeps == pytest.approx([1.0, 1.0, 1.0])
    assert sb.rate_limited[VENDOR] == 0
