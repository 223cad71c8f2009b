"""``client.with_options(...)``: other per-request options on the same connection; and
what ``connect(rate_limit=...)`` means for each value it takes. Every test runs on the sync
client and on ``aconnect``'s (issue 25: the same parameters and ``with_options``)."""

from __future__ import annotations

import logging
import sys
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.clock import FakeClock
from expense_facade.errors import ConfigurationError, ServerError
from expense_facade.sandbox import Fault, Sandbox
from support.sandbox import RecordingTransport, connecting, drivers_fixture


def open_client(*args: Any, driver: str = "sync", **options: Any) -> ef.ExpenseClient:
    """``connect`` (or ``aconnect`` seen through a sync view) with these arguments as given."""
    return connecting(driver)(*args, **options)


_driver = drivers_fixture(globals(), "open_client")


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(seed=2, size=30, clock=FakeClock(), vendors=("brex",))


def test_the_derived_client_shares_the_connection_and_its_own_options_apply(
    sandbox: Sandbox,
) -> None:
    transport = RecordingTransport.of(sandbox)
    with open_client(
        "brex", sandbox=sandbox, transport=transport, base_url=sandbox.base_url("brex")
    ) as client:
        quick = client.with_options(timeout=2.5, max_retries=0)
        assert type(quick) is type(client)
        assert quick._http.client is client._http.client  # one httpx client, one pool
        assert (quick.vendor, quick.account) == (client.vendor, client.account)
        expense = next(iter(client.list_approved(page_size=1)))
        assert quick.get_expense(expense.id).id == expense.id
        assert client.get_expense(expense.id).id == expense.id
    read_timeouts = [r.extensions["timeout"]["read"] for r in transport.requests]
    assert read_timeouts == [60.0, 2.5, 60.0]


def test_max_retries_of_the_derived_client_only(sandbox: Sandbox) -> None:
    sandbox.faults.add("brex", "GET /v1/expenses", Fault.status(503), times=None)
    with open_client("brex", sandbox=sandbox) as client:
        with pytest.raises(ServerError) as once:
            list(client.with_options(max_retries=0).list_approved())
        assert once.value.attempts == 1
        with pytest.raises(ServerError) as default:
            list(client.list_approved())
        assert default.value.attempts == 4  # connect's default: 3 retries
        with pytest.raises(ServerError) as two:
            list(client.with_options(max_retries=2).list_approved())
        assert two.value.attempts == 3


def test_closing_the_derived_client_leaves_the_connection_open(sandbox: Sandbox) -> None:
    client = open_client("brex", sandbox=sandbox)
    with client.with_options(timeout=5) as derived:
        assert len(list(derived.list_approved())) == len(
            list(sandbox.vendor("brex").approved_ids())
        )
    assert not client._http.client.is_closed
    assert list(client.list_approved())
    derived = client.with_options(max_retries=1)
    client.close()
    assert derived._http.client.is_closed  # the owner closed the shared pool


def test_with_options_validates_like_connect(sandbox: Sandbox) -> None:
    with open_client("brex", sandbox=sandbox) as client:
        with pytest.raises(ConfigurationError, match="max_retries"):
            client.with_options(max_retries=-1)
        with pytest.raises(ConfigurationError, match="timeout"):
            client.with_options(timeout=0)
        same = client.with_options()
        assert same._settings.timeout == client._settings.timeout
        assert same._settings.retry_policy == client._settings.retry_policy


def test_with_options_keeps_a_vendors_own_settings() -> None:
    sb = Sandbox(seed=2, size=10, clock=FakeClock(), vendors=("prospend",))
    with open_client("prospend", sandbox=sb, ready_status="Approved") as client:
        derived = client.with_options(timeout=30)
        assert derived._settings.credentials["ready_status"] == "Approved"
        assert (
            derived._settings.credentials["company_id"] == sb.credentials("prospend")["company_id"]
        )


# -- rate_limit ---------------------------------------------------------------------------


def test_rate_limit_true_is_the_default_and_paces_to_the_documented_limit() -> None:
    with open_client("revolut", token="t0ken-value") as default:
        bucket = default._http.rate_limiter
        assert bucket is not None
        assert bucket.rate == pytest.approx(1.0)  # Revolut: 60 per minute
    with open_client("revolut", token="t0ken-value", rate_limit=True) as explicit:
        assert explicit._http.rate_limiter is not None
        assert explicit._http.rate_limiter.rate == pytest.approx(1.0)
    with open_client("pazy", api_key="k3y-value", rate_limit=True) as undocumented:
        assert undocumented._http.rate_limiter is None  # Pazy documents no limit


def test_rate_limit_true_does_not_pace_the_in_process_sandbox() -> None:
    with open_client("revolut", sandbox=True, rate_limit=True) as client:
        assert client._http.rate_limiter is None


def test_a_loopback_server_is_not_paced_unless_asked_and_it_is_said_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module (its name is shadowed by the function the package exports).
    monkeypatch.setattr(sys.modules["expense_facade.connect"], "_SAID_NOT_PACED", set())
    clock = FakeClock()
    sb = Sandbox(seed=2, size=40, clock=FakeClock(), vendors=("revolut",))
    token = sb.credentials("revolut")["token"]
    caplog.set_level(logging.INFO, logger="expense_facade")
    with sb.serve(port=0) as server:
        url = server.base_url("revolut")
        for _ in range(2):
            with open_client("revolut", base_url=url, token=token, clock=clock) as client:
                assert client._http.rate_limiter is None
                assert len(list(client.list_approved(page_size=5))) > 5
        with open_client(
            "revolut", base_url=url, token=token, clock=clock, rate_limit=ef.RateLimit(60, 60)
        ) as asked:
            assert asked._http.rate_limiter is not None
    assert clock.sleeps == []  # nine pages, no wait
    said = [r.getMessage() for r in caplog.records if "not paced" in r.getMessage()]
    assert len(said) == 1
    assert "loopback" in said[0]
    assert token not in caplog.text


def test_rate_limit_false_never_paces() -> None:
    with open_client("revolut", token="t0ken-value", rate_limit=False) as client:
        assert client._http.rate_limiter is None


def test_a_rate_limit_of_your_own_paces_even_the_in_process_sandbox() -> None:
    clock = FakeClock()
    sb = Sandbox(seed=2, size=10, clock=clock, vendors=("pazy",))
    with open_client("pazy", sandbox=sb, rate_limit=ef.RateLimit(2, 1.0), details=False) as c:
        assert c._http.rate_limiter is not None
        assert c._http.rate_limiter.rate == pytest.approx(2.0)
        for _ in range(3):
            list(c.list_approved())
    assert clock.sleeps
    assert all(s == pytest.approx(0.5) for s in clock.sleeps)
    shared = ef.TokenBucket(rate=5.0, capacity=1.0, clock=clock)
    with (
        open_client("pazy", sandbox=sb, rate_limit=shared) as one,
        open_client("pazy", sandbox=sb, rate_limit=shared) as two,
    ):
        assert one._http.rate_limiter is two._http.rate_limiter is shared


@pytest.mark.parametrize("value", [None, "yes", 60])
def test_rate_limit_none_and_other_values_are_refused(value: object) -> None:
    with pytest.raises(ConfigurationError, match="rate_limit") as info:
        open_client("brex", token="t0ken-value", rate_limit=value)
    assert "True" in str(info.value)
    assert "False" in str(info.value)
