"""Every vendor's errors carry the request id its answer was sent with, in ``str(exc)``
too: the sandbox sends one on every answer (in the header the vendor documents, else
``X-Request-Id``), and the facade reads it from there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import expense_facade as ef
import pytest
from expense_facade._http.redaction import is_secret_name
from expense_facade.clock import FakeClock
from expense_facade.operations import Operation
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.app import Exchange
from support.sandbox import connect, drivers_fixture, runs_once

_driver = drivers_fixture(globals())  # every test on both clients (issue 25)

VENDORS = ef.available_vendors()

# A get_expense id in each vendor's own id format that the sandbox does not hold.
MISSING_ID = {
    "brex": "expense_doesnotexist00",
    "revolut": "00000000-0000-4000-8000-000000000000",
    "prospend": "999999:999999",
    "pazy": "00000000-0000-4000-8000-000000000000",
}


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=4, size=12, clock=FakeClock())


@pytest.fixture
def answers(sb: Sandbox) -> Iterator[list[Exchange]]:
    seen: list[Exchange] = []
    sb.add_observer(seen.append)
    yield seen
    sb.remove_observer(seen.append)


def _last_request_id(sb: Sandbox, vendor: str, answers: list[Exchange]) -> str:
    header = sb.vendor(vendor).request_id_header
    request_id = answers[-1].response.headers[header]
    assert request_id
    return request_id


def _assert_quoted(exc: ef.APIError, request_id: str) -> None:
    assert exc.request_id == request_id
    assert f"(request id {request_id})" in str(exc)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_sandbox_sends_a_request_id_on_every_answer(
    vendor: str, sb: Sandbox, answers: list[Exchange]
) -> None:
    with connect(sb, vendor) as client:
        list(client.list_approved())
    ids = [a.response.headers[sb.vendor(vendor).request_id_header] for a in answers if a.api]
    assert ids
    assert len(set(ids)) == len(ids)  # one per answer


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_authentication_error_quotes_the_request_id(
    vendor: str, sb: Sandbox, answers: list[Exchange]
) -> None:
    wrong: dict[str, Any] = {
        name: "wrong-credential-value" for name in sb.credentials(vendor) if is_secret_name(name)
    }
    with (
        connect(sb, vendor, **wrong) as client,
        pytest.raises(ef.AuthenticationError) as info,
    ):
        list(client.list_approved())
    _assert_quoted(info.value, _last_request_id(sb, vendor, answers))
    assert "wrong-credential-value" not in str(info.value)


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_server_error_quotes_the_last_answers_request_id(
    vendor: str, sb: Sandbox, answers: list[Exchange]
) -> None:
    sb.faults.add(vendor, None, Fault.status(503), times=None)
    with (
        connect(sb, vendor, max_retries=1) as client,
        pytest.raises(ef.ServerError) as info,
    ):
        list(client.list_approved())
    assert info.value.attempts == 2
    _assert_quoted(info.value, _last_request_id(sb, vendor, answers))


@pytest.mark.parametrize("vendor", sorted(MISSING_ID))
def test_not_found_quotes_the_request_id(vendor: str, sb: Sandbox, answers: list[Exchange]) -> None:
    assert Operation.GET_EXPENSE in ef.capabilities(vendor)
    with (
        connect(sb, vendor) as client,
        pytest.raises(ef.NotFoundError) as info,
    ):
        client.get_expense(MISSING_ID[vendor])
    _assert_quoted(info.value, _last_request_id(sb, vendor, answers))


@runs_once("about this module's table, not a client")
def test_every_vendor_with_a_detail_call_is_covered() -> None:
    assert set(MISSING_ID) == {v for v in VENDORS if Operation.GET_EXPENSE in ef.capabilities(v)}


def test_a_failure_in_a_200_body_quotes_the_request_id(
    sb: Sandbox, answers: list[Exchange]
) -> None:
    body = b'{"success": false, "message": "Export is paused", "data": [], "totalCount": 0}'
    sb.faults.add("capture", None, Fault.status(200, body=body))
    with connect(sb, "capture") as client, pytest.raises(ef.BadRequestError) as info:
        list(client.list_approved())
    assert "Export is paused" in str(info.value)
    _assert_quoted(info.value, _last_request_id(sb, "capture", answers))


def test_no_request_id_no_mention() -> None:
    exc = ef.NotFoundError("gone", vendor="brex", status=404)
    assert "request id" not in str(exc)
