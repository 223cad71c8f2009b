"""RELIABILITY.md's fault matrix: the rows every vendor shares, for every operation of every
vendor, through the public API with faults injected in the in-process sandbox.

Rows here: connect error and connect timeout (then success, and persisting); read timeouts
(then success, persisting, and ``max_retries``); 429 with Retry-After in seconds, as an
HTTP date and far too long; 500/502/503/504 then success, and 503 persisting; 400, 401,
403, 404 and 422 never retried, typed, without the credential; an HTML page and a
truncated JSON body. Each operation checks its result against the sandbox's ground truth
(nothing lost, nothing done twice); a failed operation leaves nothing written. Sleeps are
on the sandbox's fake clock with a retry policy without jitter, so every wait is exact.
The rows only one vendor has are in test_<vendor>_faults.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, cast

import attrs
import expense_facade as ef
import pytest
from expense_facade._http.redaction import REDACTED
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors import pazy, prospend, revolut
from expense_facade.sandbox.vendors.brex import BrexSim
from expense_facade.sandbox.vendors.capture import CaptureSim
from expense_facade.sandbox.vendors.pazy import PazySim
from expense_facade.sandbox.vendors.prospend import ProspendSim
from support.records import card_transaction
from support.sandbox import BACKOFF, connect, drivers_fixture, hits, make, sleeps

_driver = drivers_fixture(globals())  # every test on both clients (issue 25)

# An operation prepared against a client (before any fault is set): doing it runs the
# call and checks its result against the sandbox's ground truth.
Action = Callable[[], object]
Prepare = Callable[[ef.ExpenseClient, Sandbox], Action]


@attrs.frozen
class Target:
    """One operation of a vendor, and the route a fault is attached to. ``after``: requests
    on the route that pass before the fault fires (a fault in the middle of a listing)."""

    vendor: str
    name: str
    route: str
    prepare: Prepare
    body_start: str  # how the vendor's answer on ``route`` begins (a regular expression)
    after: int = 0
    created: bool = False  # the route answers 201 (a truncated answer keeps its status)

    @property
    def id(self) -> str:
        return f"{self.vendor}-{self.name}"


@attrs.frozen
class Vendor:
    """What the rows need to know of a vendor: its sandbox, the credential it must never
    show, the error code its body carries per status, and what its writes stored."""

    key: str
    seed: int
    size: int
    secret: str
    code: Callable[[int], str | None]
    written: Callable[[Sandbox], Collection[object]]

    def sandbox(self) -> Sandbox:
        return make(self.key, seed=self.seed, size=self.size)


def _no_code(status: int) -> str | None:
    return None  # an error body with a message only


def _nothing(sb: Sandbox) -> Collection[object]:
    return ()  # a vendor without writes


VENDORS = {
    v.key: v
    for v in (
        Vendor(
            "capture",
            13,
            200,
            "api_key",
            _no_code,
            lambda sb: cast(CaptureSim, sb.vendor("capture")).exported_ids(),
        ),
        Vendor(
            "brex", 11, 150, "token", _no_code, lambda sb: cast(BrexSim, sb.vendor("brex")).receipts
        ),
        Vendor(
            "revolut",
            13,
            300,
            "token",
            lambda status: str(revolut.ERROR_CODES.get(status, status)),
            _nothing,
        ),
        Vendor(
            "prospend",
            1,
            60,
            "token",
            lambda status: prospend.ERROR_CODES.get(status, "ERROR"),
            lambda sb: cast(ProspendSim, sb.vendor("prospend")).transactions,
        ),
        Vendor(
            "pazy",
            17,
            60,
            "api_key",
            lambda status: pazy.ERROR_CODES.get(status, "INTERNAL_ERROR"),
            _nothing,
        ),
    )
}


# ---- the operations, each checked against the ground truth ------------------------------


def listing(page_size: int | None = None) -> Prepare:
    """``list_approved``: each approved expense once, in the vendor's order, none malformed."""

    def prepare(client: ef.ExpenseClient, sb: Sandbox) -> Action:
        truth = [str(i) for i in sb.vendor(client.vendor).approved_ids()]

        def act() -> object:
            found = client.list_approved(page_size=page_size)
            assert [e.id for e in found] == truth
            assert found.malformed == []
            return found

        return act

    return prepare


def detail(pick: Callable[[Sandbox], str], check: Callable[[ef.Expense, Sandbox], None]) -> Prepare:
    """``get_expense`` of the expense ``pick`` chooses, checked by ``check``."""

    def prepare(client: ef.ExpenseClient, sb: Sandbox) -> Action:
        wanted = pick(sb)

        def act() -> object:
            expense = client.get_expense(wanted)
            assert expense.id == wanted
            check(expense, sb)
            return expense

        return act

    return prepare


def first_approved(sb: Sandbox) -> str:
    return str(next(iter(sb.vendor(sb.vendors[0]).approved_ids())))


def has_gross(expense: ef.Expense, sb: Sandbox) -> None:
    assert expense.gross is not None


def pazy_gross(expense: ef.Expense, sb: Sandbox) -> None:
    truth = cast(PazySim, sb.vendor("pazy")).get(expense.id)
    assert truth is not None
    assert expense.gross == ef.Money(Decimal(str(truth["amount"])), truth["currency"])


def split_expense(sb: Sandbox) -> str:
    sim = cast(ProspendSim, sb.vendor("prospend"))
    return next(i for i in sim.approved_ids() if sim.expense(i)["isSplit"])


def split_lines(expense: ef.Expense, sb: Sandbox) -> None:
    assert len(expense.line_items) >= 2


def mark_exported(client: ef.ExpenseClient, sb: Sandbox) -> Action:
    """Capture's ``mark_exported`` of five queued rows: each confirmed, only they marked."""
    chosen = list(client.list_approved())[:5]

    def act() -> object:
        result = client.mark_exported(chosen)
        assert result.ok
        assert [o.expense_id for o in result.outcomes] == [e.id for e in chosen]
        assert cast(CaptureSim, sb.vendor("capture")).exported_ids() == {e.id for e in chosen}
        return result

    return act


PDF = b"%PDF-1.4 a receipt"


def upload_receipt(client: ef.ExpenseClient, sb: Sandbox) -> Action:
    """Brex's ``upload_receipt`` to an expense: one receipt stored, on that expense."""
    expense_id = first_approved(sb)
    brex = cast(BrexSim, sb.vendor("brex"))

    def act() -> object:
        result = client.upload_receipt(PDF, expense_id=expense_id, filename="r.pdf")
        assert [r.id for r in brex.receipts] == [result.receipt_id]
        assert brex.receipt_ids(expense_id) == [result.receipt_id]
        return result

    return act


TXN = "txn-fault-0001"


def post_card_transaction(client: ef.ExpenseClient, sb: Sandbox) -> Action:
    """ProSpend's ``post_card_transaction``: the transaction stored exactly once."""
    transaction = card_transaction(transaction_id=TXN)

    def act() -> object:
        result = client.post_card_transaction(transaction)
        assert result.transaction_id == TXN
        stored = cast(ProspendSim, sb.vendor("prospend")).transactions
        assert [t["transactionId"] for t in stored] == [TXN]
        return result

    return act


# How each answer begins (a regular expression): a truncated answer keeps its first half.
CAPTURE = r'\{"success":true,'
PAZY = r'\{"ok":true,"data":\{'
BREX_PAGE = r'\{"next_cursor":"[^"]*","items":\['
OBJECT = r'\{"id":"'  # a single record
PAGE = r'\{"page":\[\{"id":"'  # a ProSpend page

PS = "/{version}/company/{companyId}"
CLAIM = PS + "/claim/{claimId}"
EXPENSE = CLAIM + "/expense/{expenseId}"
SPLIT = detail(split_expense, split_lines)
FIRST = detail(first_approved, has_gross)
TARGETS = [
    Target("capture", "list", "GET /api/Expenses/Export", listing(50), CAPTURE),
    Target("capture", "mark", "POST /api/Expenses/ExportStatusUpdate", mark_exported, CAPTURE),
    Target("brex", "list", "GET /v1/expenses", listing(30), BREX_PAGE, after=1),
    Target("brex", "get", "GET /v1/expenses/{expense_id}", FIRST, OBJECT),
    Target("brex", "upload", "POST /v1/expenses/card/{expense_id}/receipt_upload",
           upload_receipt, OBJECT),
    Target("revolut", "list", "GET /expenses", listing(60), r'\[\{"id":"', after=1),
    Target("revolut", "get", "GET /expenses/{expense_id}", FIRST, OBJECT),
    Target("prospend", "list-claims", f"GET {PS}/claim", listing(), PAGE),
    Target("prospend", "list-expenses", f"GET {CLAIM}/expense", listing(), PAGE),
    Target("prospend", "list-splits", f"GET {EXPENSE}/split", listing(), PAGE),
    Target("prospend", "get-expense", f"GET {EXPENSE}", SPLIT, OBJECT),
    Target("prospend", "get-claim", f"GET {CLAIM}", SPLIT, OBJECT),
    Target("prospend", "get-splits", f"GET {EXPENSE}/split", SPLIT, PAGE),
    Target("prospend", "post", f"POST {PS}/transaction", post_card_transaction, OBJECT,
           created=True),
    Target("pazy", "list", "GET /expenses", listing(10), PAZY, after=1),
    Target("pazy", "get", "GET /expense/{expenseId}", detail(first_approved, pazy_gross), PAZY),
]  # fmt: skip
ALL = [pytest.param(t, id=t.id) for t in TARGETS]


@attrs.define
class Run:
    """A target's operation, prepared against a fresh sandbox and client."""

    target: Target
    sb: Sandbox
    client: ef.ExpenseClient
    act: Action

    @property
    def vendor(self) -> Vendor:
        return VENDORS[self.target.vendor]

    def fault(self, fault: Fault, times: int | None = 1) -> None:
        """Attach ``fault`` to the target's route, ``times`` times (None: every time)."""
        self.sb.faults.add(
            self.target.vendor, self.target.route, fault, times=times, after=self.target.after
        )

    def hits(self, *, injected: bool | None = None) -> int:
        return hits(self.sb, self.target.route, injected=injected)

    def nothing_written(self) -> bool:
        return len(self.vendor.written(self.sb)) == 0


@pytest.fixture
def run(request: pytest.FixtureRequest) -> Any:
    """``run(target, **connect_options)``: a :class:`Run` on a fresh sandbox; the request
    log and the clock's sleeps start empty."""
    clients: list[ef.ExpenseClient] = []

    def start(target: Target, **options: Any) -> Run:
        sb = VENDORS[target.vendor].sandbox()
        client = connect(sb, target.vendor, **options)
        clients.append(client)
        act = target.prepare(client, sb)
        sb.clear_requests()
        assert sleeps(sb) == []
        return Run(target, sb, client, act)

    yield start
    for client in clients:
        client.close()


@functools.cache
def clean_hits(target: Target) -> int:
    """Requests on the target's route when nothing fails (what a faulty run adds to)."""
    sb = VENDORS[target.vendor].sandbox()
    with connect(sb, target.vendor) as client:
        act = target.prepare(client, sb)
        sb.clear_requests()
        act()
    return hits(sb, target.route)


def expected_status(target: Target) -> int:
    return 201 if target.created else 200


# ---- connect error / connect timeout -----------------------------------------------------


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("fault", [Fault.reset, Fault.connect_timeout])
def test_connect_failures_are_retried_with_backoff_and_nothing_is_lost(
    run: Callable[..., Run], target: Target, fault: Callable[[], Fault]
) -> None:
    r = run(target)
    r.fault(fault(), times=2)
    result = r.act()
    assert r.hits(injected=True) == 2
    assert r.hits() == clean_hits(target) + 2
    assert sleeps(r.sb) == BACKOFF[:2]
    if isinstance(result, ef.CardTransactionResult):
        assert (result.duplicate, result.attempts) == (False, 3)


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize(
    ("fault", "error"),
    [(Fault.reset, ef.APIConnectionError), (Fault.connect_timeout, ef.APITimeoutError)],
    ids=["reset", "connect-timeout"],
)
def test_connect_failures_that_persist_are_a_typed_connection_error(
    run: Callable[..., Run],
    target: Target,
    fault: Callable[[], Fault],
    error: type[ef.APIConnectionError],
) -> None:
    r = run(target)
    r.fault(fault(), times=None)
    with pytest.raises(error) as caught:
        r.act()
    assert type(caught.value) is error
    assert isinstance(caught.value, ef.APIConnectionError)
    assert caught.value.attempts == 4
    assert r.hits() == target.after + 4
    assert sleeps(r.sb) == BACKOFF
    assert r.nothing_written()


# ---- read timeouts -----------------------------------------------------------------------


@pytest.mark.parametrize("target", ALL)
def test_read_timeouts_are_retried_and_nothing_is_lost(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.hang(), times=3)
    result = r.act()
    assert r.hits(injected=True) == 3
    assert r.hits() == clean_hits(target) + 3
    assert sleeps(r.sb) == BACKOFF
    if isinstance(result, ef.CardTransactionResult):
        assert (result.duplicate, result.attempts) == (False, 4)


@pytest.mark.parametrize("target", ALL)
def test_read_timeouts_up_to_the_limit_are_a_timeout_error(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.hang(), times=None)
    with pytest.raises(ef.APITimeoutError) as caught:
        r.act()
    assert caught.value.attempts == 4
    assert r.hits() == target.after + 4
    assert sleeps(r.sb) == BACKOFF
    assert r.nothing_written()


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("max_retries", [0, 1])
def test_max_retries_sets_the_attempt_count(
    run: Callable[..., Run], target: Target, max_retries: int
) -> None:
    r = run(target, max_retries=max_retries)
    r.fault(Fault.hang(), times=None)
    with pytest.raises(ef.APITimeoutError) as caught:
        r.act()
    assert caught.value.attempts == max_retries + 1
    assert r.hits() == target.after + max_retries + 1
    assert sleeps(r.sb) == BACKOFF[:max_retries]


# ---- 429 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ALL)
def test_429_with_retry_after_in_seconds_waits_that_long(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.status(429, retry_after="7"))
    r.act()
    assert sleeps(r.sb) == [7.0]
    assert r.hits() == clean_hits(target) + 1


@pytest.mark.parametrize("target", ALL)
def test_429_with_retry_after_as_an_http_date_waits_until_then(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.status(429, retry_after_date=r.sb.clock.now() + dt.timedelta(seconds=30)))
    r.act()
    assert sleeps(r.sb) == [30.0]
    assert r.hits() == clean_hits(target) + 1


@pytest.mark.parametrize("target", ALL)
def test_429_asking_far_too_long_gives_up_at_once_saying_how_long(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.status(429, retry_after="86400"), times=None)
    with pytest.raises(ef.RateLimitError) as caught:
        r.act()
    err = caught.value
    assert (err.retry_after, err.attempts, err.code) == (86400.0, 1, r.vendor.code(429))
    assert "86400" in str(err)
    assert r.hits() == target.after + 1
    assert sleeps(r.sb) == []
    assert r.nothing_written()


# ---- 5xx ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_then_success_lose_nothing(
    run: Callable[..., Run], target: Target, status: int
) -> None:
    r = run(target)
    r.fault(Fault.status(status), times=3)
    result = r.act()
    assert sum(1 for q in r.sb.requests if q.route == target.route and q.status == status) == 3
    assert r.hits() == clean_hits(target) + 3
    assert sleeps(r.sb) == BACKOFF
    if isinstance(result, ef.CardTransactionResult):
        assert (result.duplicate, result.attempts) == (False, 4)


@pytest.mark.parametrize("target", ALL)
def test_server_errors_that_persist_are_a_server_error(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.status(503), times=None)
    with pytest.raises(ef.ServerError) as caught:
        r.act()
    err = caught.value
    assert (err.status, err.code, err.attempts) == (503, r.vendor.code(503), 4)
    assert r.hits() == target.after + 4
    assert sleeps(r.sb) == BACKOFF
    assert r.nothing_written()


# ---- 4xx: never retried, typed, without the credential -----------------------------------


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ef.BadRequestError),
        (401, ef.AuthenticationError),
        (403, ef.PermissionDeniedError),
        (404, ef.NotFoundError),
        (422, ef.BadRequestError),
    ],
)
def test_client_errors_are_typed_never_retried_and_never_show_the_credential(
    run: Callable[..., Run], target: Target, status: int, error: type[ef.APIError]
) -> None:
    r = run(target)
    secret = r.sb.credentials(target.vendor)[r.vendor.secret]
    # A vendor echoing the credential in its message.
    message = f"Refused by the test, your key was {secret}"
    headers = {"X-Request-Id": "rq-7"}
    r.fault(Fault.status(status, message=message, headers=headers), times=None)
    with pytest.raises(error) as caught:
        r.act()
    err = caught.value
    assert type(err) is error
    assert (err.vendor, err.status, err.code, err.request_id, err.attempts) == (
        target.vendor,
        status,
        r.vendor.code(status),
        "rq-7",
        1,
    )
    assert err.message == f"Refused by the test, your key was {REDACTED}"
    for text in (str(err), repr(err), err.body or "", json.dumps(dict(err.headers))):
        assert secret not in text
    assert r.hits() == target.after + 1
    assert sleeps(r.sb) == []
    assert r.nothing_written()


# ---- HTML and truncated JSON -------------------------------------------------------------


@pytest.mark.parametrize("target", ALL)
def test_an_html_page_is_a_malformed_response_with_an_excerpt(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.html(status=200), times=None)
    with pytest.raises(ef.MalformedResponseError) as caught:
        r.act()
    err = caught.value
    assert (err.status, err.attempts) == (200, 1)  # a body that does not parse is not retried
    assert err.body is not None
    assert err.body.startswith("<!DOCTYPE")
    assert "Bad Gateway" in err.body
    assert "Bad Gateway" in err.message
    assert err.body[:20] in str(err)  # the excerpt is in the message
    assert r.hits() == target.after + 1


@pytest.mark.parametrize("target", ALL)
def test_an_html_error_page_from_a_proxy_is_a_server_error_with_its_excerpt(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.html(status=502), times=None)
    with pytest.raises(ef.ServerError) as caught:
        r.act()
    assert (caught.value.status, caught.value.attempts) == (502, 4)
    assert "Bad Gateway" in (caught.value.body or "")
    assert r.nothing_written()


@pytest.mark.parametrize("target", ALL)
def test_truncated_json_is_a_malformed_response_with_an_excerpt(
    run: Callable[..., Run], target: Target
) -> None:
    r = run(target)
    r.fault(Fault.truncate())
    with pytest.raises(ef.MalformedResponseError) as caught:
        r.act()
    err = caught.value
    assert (err.status, err.attempts) == (expected_status(target), 1)
    assert err.body
    assert re.match(target.body_start, err.body), err.body[:40]
    assert err.body[:20] in str(err)
    assert r.hits() == target.after + 1
