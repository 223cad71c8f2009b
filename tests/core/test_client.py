"""The base client contract (through a fake adapter), Listing, connect and the registry.
The operation tests and connect's checks run on the sync and the async client (issue 25,
``client_driver``); those about the registry, exports and imports run once."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from decimal import Decimal
from typing import Any

import expense_facade as ef
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    BadRequestError,
    ConfigurationError,
    MalformedRecordError,
    MalformedResponseError,
    PaginationError,
    UnsupportedOperation,
    ValidationError,
)
from expense_facade.registry import normalise_vendor
from support.sandbox import connect as connect_sandbox
from support.sandbox import connecting, drivers_fixture, runs_once, viewed
from support.scripted_http import (
    BASE,
    SECRET,
    FakeClient,
    Script,
    reply,
    serve_brex_with_fake_client,
)


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the ``brex`` registry entry at the fake adapter in support.scripted_http."""
    serve_brex_with_fake_client(monkeypatch)


def item(ident: str, amount: Any = 1250, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "status": "APPROVED", "amount": amount, "currency": "EUR", **extra}


def page(items: list[Any], next_cursor: str | None) -> Any:
    return reply(200, json={"ok": True, "data": {"items": items, "next": next_cursor}})


def connect(script: Script, *, driver: str = "sync", **kwargs: Any) -> ef.ExpenseClient:
    options: dict[str, Any] = {
        "token": SECRET,
        "transport": script.transport(),
        "clock": FakeClock(),
        "retry_policy": RetryPolicy(jitter_source=lambda: 0.0),
        **kwargs,
    }
    if driver == "async":
        return viewed(ef.aconnect("brex", **options))
    return ef.connect("brex", **options)


_driver = drivers_fixture(globals(), "connect")
NOT_A_CLIENT = runs_once("about the registry, the package's exports or its imports")


@pytest.mark.usefixtures("fake_registry")
def test_listing_is_lazy_and_reports_malformed_records(caplog: pytest.LogCaptureFixture) -> None:
    script = Script(
        page(
            [item("1"), {"id": "2", "status": "APPROVED"}, item("3", updated="2025-10-6T08:34Z")],
            "c2",
        ),
        page([item("4"), {"no": "id"}], None),
    )
    with connect(script) as client:
        listing = client.list_approved()
        assert script.requests == []  # nothing fetched before iteration
        pages = list(listing.pages())
    assert [p.number for p in pages] == [1, 2]
    assert [e.id for e in pages[0].expenses] == ["1", "3"]
    assert [m.record_id for m in pages[0].malformed] == ["2"]
    assert pages[0].expenses[0].gross == ef.Money(Decimal("12.50"), "EUR")
    assert pages[0].expenses[1].updated_at is None  # malformed date: field empty, warned
    assert pages[0].expenses[1].parse_warnings
    assert [m.record_id for m in listing.malformed] == ["2", None]
    assert (listing.pages_read, listing.records_read) == (2, 3)
    assert "skipped malformed record 2" in caplog.text
    assert SECRET not in caplog.text
    assert script.requests[0].url.params["limit"] == "50"  # max page size by default
    assert script.requests[1].url.params["cursor"] == "c2"


@pytest.mark.usefixtures("fake_registry")
def test_records_are_mapped_one_at_a_time_as_they_are_handed_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record is built when the caller takes it, not a page at a time before the first
    (so a record the caller drops is freed young: docs/benchmarks.md); a page asked for
    whole is mapped whole."""
    mapped: list[str] = []
    parse = FakeClient._parse

    def counted(self: FakeClient, raw: Any) -> ef.Expense:
        mapped.append(raw["id"])
        return parse(self, raw)

    monkeypatch.setattr(FakeClient, "_parse", counted)
    first = [item("1"), {"id": "2"}, item("3"), item("4")]
    script = Script(page(first, "c2"), page([], None), page(first, None))
    with connect(script) as client:
        listing = client.list_approved()
        records = iter(listing)
        assert next(records).id == "1"
        assert (mapped, listing.records_read, listing.pages_read) == (["1"], 1, 1)
        assert next(records).id == "3"
        assert mapped == ["1", "2", "3"]
        assert [m.record_id for m in listing.malformed] == ["2"]
        assert [e.id for e in records] == ["4"]
        assert (listing.records_read, listing.pages_read) == (3, 2)
        mapped.clear()
        pages = client.list_approved().pages()
        assert [e.id for e in next(pages).expenses] == ["1", "3", "4"]
        assert mapped == ["1", "2", "3", "4"]


@pytest.mark.usefixtures("fake_registry")
def test_listing_iterates_records_once() -> None:
    script = Script(page([item("1"), item("2")], None))
    with connect(script) as client:
        listing = client.list_approved(page_size=10)
        assert [e.id for e in listing] == ["1", "2"]
        with pytest.raises(RuntimeError):
            list(listing)


@pytest.mark.usefixtures("fake_registry")
def test_strict_listing_raises_on_a_malformed_record() -> None:
    script = Script(page([item("1"), {"id": "2"}], None))
    with connect(script) as client, pytest.raises(MalformedRecordError) as info:
        list(client.list_approved(strict=True))
    assert info.value.record_id == "2"


@pytest.mark.usefixtures("fake_registry")
def test_a_repeating_cursor_surfaces_as_pagination_error() -> None:
    script = Script(page([item("1")], "same"), page([item("2")], "same"))
    with connect(script) as client, pytest.raises(PaginationError):
        list(client.list_approved())


@pytest.mark.usefixtures("fake_registry")
def test_envelope_failure_and_wrong_shape_are_typed() -> None:
    failure = reply(200, json={"ok": False, "error": {"code": "NOPE", "message": "refused"}})
    with connect(Script(failure)) as client, pytest.raises(BadRequestError) as info:
        client.get_expense("1")
    assert (info.value.status, info.value.code, info.value.message) == (200, "NOPE", "refused")
    with connect(Script(reply(200, json=[1, 2]))) as client, pytest.raises(MalformedResponseError):
        client.get_expense("1")
    html = reply(200, text="<html>oops</html>", headers={"content-type": "text/html"})
    with connect(Script(html)) as client, pytest.raises(MalformedResponseError) as bad:
        client.get_expense("1")
    assert bad.value.status == 200
    assert "oops" in str(bad.value)


@pytest.mark.usefixtures("fake_registry")
def test_unsupported_operations_and_validation() -> None:
    script = Script(reply(200, json={}))
    with connect(script) as client:
        assert client.capabilities == {ef.Operation.LIST_APPROVED, ef.Operation.GET_EXPENSE}
        with pytest.raises(UnsupportedOperation) as info:
            client.mark_exported(["1"])
        assert (info.value.vendor, info.value.operation) == ("brex", ef.Operation.MARK_EXPORTED)
        with pytest.raises(UnsupportedOperation):
            client.upload_receipt(b"x")
        with pytest.raises(ValidationError):
            client.list_approved(since=dt.datetime(2025, 1, 1))
        with pytest.raises(ValidationError):
            client.list_approved(page_size=51)
        with pytest.raises(ValidationError):
            client.get_expense("  ")
    assert script.requests == []


@pytest.mark.usefixtures("fake_registry")
def test_client_repr_and_account_hold_no_secret() -> None:
    with connect(Script(reply(200))) as client:
        assert client.account == "api.vendor.test"
        assert SECRET not in repr(client)
        assert "brex" in repr(client)
        assert client.base_url == BASE


@pytest.mark.usefixtures("fake_registry")
def test_connect_validates_credentials_and_urls(client_driver: str) -> None:
    open_client = connecting(client_driver)  # aconnect refuses the same, with the same errors
    with pytest.raises(ConfigurationError, match="'token'"):
        open_client("brex")
    with pytest.raises(ConfigurationError, match="'token'"):
        open_client("brex", token="  ")
    with pytest.raises(ConfigurationError, match="tokn"):
        open_client("brex", tokn=SECRET)
    with pytest.raises(ConfigurationError, match="https"):
        open_client("brex", token=SECRET, base_url="http://api.brex.com")
    with pytest.raises(ConfigurationError, match="max_retries"):
        open_client("brex", token=SECRET, max_retries=-1)
    with pytest.raises(ConfigurationError, match="timeout"):
        open_client("brex", token=SECRET, timeout=0)
    with open_client("brex", token=SECRET, base_url="http://127.0.0.1:9/v1") as client:
        # Issue 13: an account's identity never holds a loopback sandbox's port (it changes
        # from run to run); a real host's port is part of its coordinates.
        assert client.account == "127.0.0.1"
    with open_client("brex", token=SECRET, base_url="https://api.brex.test:8443") as client:
        assert client.account == "api.brex.test:8443"
    with pytest.raises(ConfigurationError) as info:
        open_client("brex", token=SECRET, base_url="http://api.brex.com")
    assert SECRET not in str(info.value)


def test_connect_paces_to_the_adapters_declared_rate_limit(client_driver: str) -> None:
    with connecting(client_driver)("brex", token=SECRET) as paced:
        bucket = paced._http.rate_limiter
        assert bucket is not None
        assert bucket.rate == pytest.approx(1000 / 60)
    with connecting(client_driver)("brex", token=SECRET, rate_limit=False) as unpaced:
        assert unpaced._http.rate_limiter is None


def test_unknown_vendor_lists_the_known_ones(client_driver: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        connecting(client_driver)("expensify", token="x")
    for vendor in ("capture", "brex", "revolut", "prospend", "pazy"):
        assert vendor in str(info.value)
    assert ef.available_vendors() == ("capture", "brex", "revolut", "prospend", "pazy")


@NOT_A_CLIENT
@pytest.mark.usefixtures("fake_registry")
def test_capabilities_without_connecting() -> None:
    assert ef.capabilities("brex") == FakeClient.capabilities


@NOT_A_CLIENT
def test_importing_the_package_imports_no_generated_client_and_no_sandbox() -> None:
    code = (
        "import sys, expense_facade\n"
        "bad = [m for m in sys.modules if m.startswith('expense_clients')"
        " or m.startswith('expense_facade.sandbox') or m.startswith('expense_facade.vendors.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@NOT_A_CLIENT
def test_the_sync_client_loads_no_asyncio_until_the_async_client_is_used() -> None:
    # asyncio costs about as much again as httpx to import: the sync client's first use
    # (docs/benchmarks.md) must not pay for the async shell.
    code = (
        "import sys\n"
        "from expense_facade import Expense, ExpenseClient, connect\n"
        "import expense_facade.vendors.revolut, expense_facade._http.uploads\n"
        "assert 'asyncio' not in sys.modules\n"
        "from expense_facade import aconnect\n"
        "import expense_facade.async_client\n"
        "assert 'asyncio' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@NOT_A_CLIENT
def test_public_exports() -> None:
    for name in (
        "connect",
        "available_vendors",
        "records",
        "errors",
        "Operation",
        "Listing",
        "Page",
        "__version__",
        "ExpenseClient",
        "PaginationError",
    ):
        assert name in ef.__all__
        assert hasattr(ef, name)
    logging.getLogger(__name__).debug("exports ok")


def test_connect_wires_a_sandbox_instance(client_driver: str) -> None:
    from expense_facade.errors import AuthenticationError
    from expense_facade.sandbox import Sandbox

    clock = FakeClock()
    sandbox = Sandbox(seed=3, size=5, clock=clock, vendors=("brex",))
    with connecting(client_driver)("brex", sandbox=sandbox) as client:
        assert client.base_url == sandbox.base_url("brex")
        assert client._http.rate_limiter is None  # no pacing against the in-process simulator
        assert client._http.clock is clock
        assert next(iter(client.list_approved())).id  # sent the sandbox's own token
    with (
        connecting(client_driver)("brex", sandbox=sandbox, token="override-token") as client,
        pytest.raises(AuthenticationError),
    ):
        next(iter(client.list_approved()))  # the token given wins over the sandbox's
    assert sandbox.requests[-1].status == 401


def test_since_as_text_is_read_as_the_command_reads_it(client_driver: str) -> None:
    """``list_approved(since="2025-01-01T00:00:00Z")`` (what ``export --since`` takes)."""
    from expense_facade.sandbox import Sandbox

    sb = Sandbox(seed=4, size=60, clock=FakeClock(), vendors=("brex",))
    with connect_sandbox(sb, "brex", driver=client_driver) as client:
        when = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
        expected = [e.id for e in client.list_approved(since=when)]
        assert 0 < len(expected) < len(list(sb.vendor("brex").approved_ids()))
        for text in ("2025-06-01T00:00:00Z", "2025-06-01", "2025-06-01T02:00:00+02:00"):
            assert [e.id for e in client.list_approved(since=text)] == expected


@pytest.mark.parametrize("vendor", ef.available_vendors())
def test_a_closed_client_raises_the_librarys_error(vendor: str, client_driver: str) -> None:
    with connecting(client_driver)(normalise_vendor(vendor), sandbox=True) as client:
        derived = client.with_options(max_retries=0)
    for closed in (client, derived):
        with pytest.raises(ef.ClientClosedError, match=f"{vendor}: the client is closed"):
            list(closed.list_approved())
    assert issubclass(ef.ClientClosedError, ef.ExpenseFacadeError)
