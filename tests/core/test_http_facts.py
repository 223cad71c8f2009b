"""HTTP facts an integrator quotes (docs/library.md, "Per-call options" and "Errors"): the
caller's own headers through ``with_options(extra_headers=)``, errors keeping the answer's
status, headers and request id, a listing's request ids, and request ids in retry
warnings; secrets never shown in any of them. Every test runs on the sync and the async
client (issue 25)."""

from __future__ import annotations

import logging

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.app import Exchange
from support.sandbox import connect, drivers_fixture, make

TRACE = {"X-Trace-Id": "trace-42"}
_driver = drivers_fixture(globals())


def request_ids(sb: Sandbox, route: str | None = None) -> list[str]:
    """Every request id the sandbox answers with from now on (to ``route`` only, if
    given), in order."""
    seen: list[str] = []

    def observe(exchange: Exchange) -> None:
        headers = {k.lower(): v for k, v in exchange.response.headers.items()}
        sim = sb.vendor(exchange.vendor) if exchange.vendor else None
        if sim is not None and exchange.api and route in (None, exchange.route):
            seen.append(headers[sim.request_id_header.lower()])

    sb.add_observer(observe)
    return seen


def test_extra_headers_go_with_every_request_of_the_derived_client_only() -> None:
    sb = make("brex", size=20)
    with connect(sb, "brex") as client:
        traced = client.with_options(extra_headers=TRACE)
        both = traced.with_options(extra_headers={"X-Team": "ap"}, max_retries=0)
        expense = next(iter(traced.list_approved(page_size=2)))
        both.get_expense(expense.id)
        client.get_expense(expense.id)
    sent = [dict(r.headers) for r in sb.requests]
    lowered = [{k.lower(): v for k, v in h.items()} for h in sent]
    assert [h.get("x-trace-id") for h in lowered] == ["trace-42", "trace-42", None]
    assert [h.get("x-team") for h in lowered] == [None, "ap", None]
    assert all(h["authorization"] != "Bearer" for h in lowered)  # the credential still goes


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"Authorization": "Bearer mine"}, "credential header"),
        ({"x-api-key": "k"}, "credential header"),
        ({"X-Ok": 5}, "must be strings"),
        ({"X-Bad\n": "v"}, "X-Bad"),
        (["X-A"], "mapping"),
    ],
)
def test_extra_headers_that_cannot_be_sent_are_refused(headers: object, said: str) -> None:
    with (
        connect(make("brex", size=5), "brex") as client,
        pytest.raises(ef.ConfigurationError, match=said) as caught,
    ):
        client.with_options(extra_headers=headers)  # type: ignore[arg-type]
    assert "mine" not in str(caught.value)


@pytest.mark.parametrize("vendor", ["brex", "revolut", "pazy"])
def test_an_error_keeps_the_status_headers_and_request_id(vendor: str) -> None:
    sb = make(vendor, size=5)
    ids = request_ids(sb)
    with connect(sb, vendor) as client, pytest.raises(ef.NotFoundError) as caught:
        client.get_expense("no-such-expense")
    error = caught.value
    assert error.status == 404
    assert error.request_id == ids[-1]
    header = sb.vendor(vendor).request_id_header.lower()
    assert {k.lower(): v for k, v in error.headers.items()}[header] == ids[-1]
    assert f"(request id {ids[-1]})" in str(error)
    token = next(iter(sb.credentials(vendor).values()))
    assert token not in repr(error.headers) + str(error) + (error.body or "")


@pytest.mark.parametrize("vendor", ef.available_vendors())
def test_a_listing_exposes_the_request_ids_of_what_it_read(vendor: str) -> None:
    sb = make(vendor, size=40)
    ids = request_ids(sb)
    with connect(sb, vendor, concurrency=4) as client:
        listing = client.list_approved(page_size=5)
        assert listing.request_ids == []
        records = list(listing)
    assert records
    assert listing.request_ids
    assert sorted(listing.request_ids) == sorted(ids)  # fan-out threads' requests too
    assert len(set(listing.request_ids)) == len(listing.request_ids)


def test_a_listing_read_ahead_records_its_pages_and_not_other_calls() -> None:
    sb = make("brex", size=30)
    pages_ids = request_ids(sb, "GET /v1/expenses")
    detail_ids = request_ids(sb, "GET /v1/expenses/{expense_id}")
    with connect(sb, "brex") as client:
        listing = client.list_approved(page_size=10, read_ahead=2)
        pages = listing.pages()
        first = next(pages)
        client.get_expense(first.expenses[0].id)  # not the listing's
        list(pages)
    assert listing.request_ids == pages_ids
    assert len(pages_ids) == listing.pages_read
    assert detail_ids
    assert not set(detail_ids) & set(listing.request_ids)


def test_a_failed_listing_keeps_the_request_id_of_the_refusal() -> None:
    sb = make("brex", size=30)
    sb.faults.add("brex", "GET /v1/expenses", Fault.status(500), times=None, after=1)
    ids = request_ids(sb)
    with connect(sb, "brex", max_retries=0) as client:
        listing = client.list_approved(page_size=10)
        with pytest.raises(ef.ServerError) as caught:
            list(listing)
    assert listing.request_ids == ids
    assert caught.value.request_id == ids[-1]


def test_a_retry_warning_carries_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    sb = make("brex", size=10)
    sb.faults.add("brex", "GET /v1/expenses", Fault.status(503, retry_after="1"), times=1)
    ids = request_ids(sb)
    with caplog.at_level(logging.WARNING, logger="expense_facade"), connect(sb, "brex") as client:
        listing = client.list_approved()
        list(listing)
    [warning] = [r.getMessage() for r in caplog.records if "retry 1/" in r.getMessage()]
    assert f"request id {ids[0]}" in warning
    assert listing.request_ids == ids[1:]  # the answer read, not the refused attempt
    token = sb.credentials("brex")["token"]
    assert token not in caplog.text
