"""Faults and rate limits, in-process (no sockets, no real waiting)."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import Any

import httpx
import pytest
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from support.sandbox import auth_headers, client, clock_of, make, sandbox_fixture

LIST = "/v1/expenses"


sb = sandbox_fixture("brex", "capture", "pazy", size=30)


def brex(sb: Sandbox) -> httpx.Client:
    return client(sb, "brex", check=False)


def test_status_fault_with_retry_after_seconds_then_expires(sb: Sandbox) -> None:
    rule = sb.faults.add("brex", "GET /v1/expenses", Fault.status(503, retry_after="2"), times=2)
    with brex(sb) as c:
        statuses = [c.get(LIST).status_code for _ in range(3)]
        first = sb.requests[0]
    assert statuses == [503, 503, 200]
    assert rule.fired == 2
    assert sb.faults.rules == []
    assert first.injected is True
    assert first.fault == "status"
    assert [e.injected for e in sb.requests] == [True, True, False]


def test_status_fault_speaks_the_vendor_dialect_and_sets_retry_after(sb: Sandbox) -> None:
    when = dt.datetime(2026, 1, 1, 0, 1, tzinfo=dt.UTC)
    sb.faults.add("pazy", None, Fault.status(429, retry_after_date=when))
    sb.faults.add("capture", None, Fault.status(500, message="boom"))
    with client(sb, "pazy", check=False) as c:
        pazy = c.get("/expenses")
    with client(sb, "capture", check=False) as c:
        capture = c.get("/api/Expenses/Export")
    assert pazy.status_code == 429
    assert email.utils.parsedate_to_datetime(pazy.headers["retry-after"]) == when
    assert pazy.json()["ok"] is False
    assert capture.json() == {"success": False, "message": "boom"}


def test_route_matching_by_pattern_by_concrete_path_and_after(sb: Sandbox) -> None:
    expense_id = sb.vendor("brex").approved_ids().__next__()
    sb.faults.add("brex", "GET /v1/expenses/{expense_id}", Fault.status(502))
    sb.faults.add("brex", f"GET /v1/expenses/{expense_id}", Fault.status(504))
    sb.faults.add("brex", "GET /v1/expenses", Fault.status(500), after=1)
    with brex(sb) as c:
        assert c.get(f"{LIST}/{expense_id}").status_code == 502
        assert c.get(f"{LIST}/{expense_id}").status_code == 504
        assert c.get(f"{LIST}/{expense_id}").status_code == 200
        assert c.get(LIST).status_code == 200  # let through by after=1
        assert c.get(LIST).status_code == 500
        assert c.get(LIST).status_code == 200


def test_persistent_fault_until_cleared(sb: Sandbox) -> None:
    sb.faults.add("brex", None, Fault.status(503), times=None)
    with brex(sb) as c:
        assert [c.get(LIST).status_code for _ in range(4)] == [503] * 4
        sb.faults.clear()
        assert c.get(LIST).status_code == 200


def test_faults_are_per_vendor(sb: Sandbox) -> None:
    sb.faults.add("pazy", None, Fault.status(503), times=None)
    with brex(sb) as c:
        assert c.get(LIST).status_code == 200
    sb.faults.clear("pazy")
    assert sb.faults.rules == []


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.reset(), httpx.ConnectError),
        (Fault.hang(), httpx.ReadTimeout),
        (Fault.connect_timeout(), httpx.ConnectTimeout),
    ],
)
def test_connection_faults_raise_the_httpx_error(
    sb: Sandbox, fault: Fault, error: type[Exception]
) -> None:
    sb.faults.add("brex", "GET /v1/expenses", fault)
    with brex(sb) as c:
        with pytest.raises(error):
            c.get(LIST)
        assert c.get(LIST).status_code == 200
    assert sb.requests[0].status is None
    assert clock_of(sb).sleeps == []  # nothing really waited


def test_a_processed_hang_applies_the_write_but_loses_the_answer(sb: Sandbox) -> None:
    row = next(iter(sb.vendor("capture").approved_ids()))
    sb.faults.add("capture", "POST /api/Expenses/ExportStatusUpdate",
                  Fault.hang(processed=True))  # fmt: skip
    body = {"exportStatuses": [{"id": row, "success": True, "transactionType": 0}]}
    capture: Any = sb.vendor("capture")
    body["exportStatuses"][0]["transactionType"] = capture.row(capture.index_of(row))[
        "transactionType"
    ]
    with client(sb, "capture", check=False) as c, pytest.raises(httpx.ReadTimeout):
        c.post("/api/Expenses/ExportStatusUpdate", json=body)
    assert capture.exported_ids() == {row}


def test_upload_bucket_faults_and_a_safe_retry_of_the_same_put(sb: Sandbox) -> None:
    expense_id = next(iter(sb.vendor("brex").approved_ids()))
    with brex(sb) as c:
        made = c.post(f"{LIST}/card/{expense_id}/receipt_upload", json={"receipt_name": "a.pdf"})
    uri = made.json()["uri"]
    sb.faults.add("brex", "PUT /s3/brex-receipts", Fault.reset(processed=True))
    with httpx.Client(transport=sb.transport()) as s3:
        with pytest.raises(httpx.ConnectError):
            s3.put(uri, content=b"%PDF")
        assert s3.put(uri, content=b"%PDF").status_code == 200
    receipts: Any = sb.vendor("brex")
    assert len(receipts.receipts) == 1
    assert sb.requests[-2].route == "PUT /s3/brex-receipts"


def test_latency_sleeps_on_the_sandbox_clock(sb: Sandbox) -> None:
    sb.faults.add("brex", None, Fault.latency(0.25))
    with brex(sb) as c:
        assert c.get(LIST).status_code == 200
    assert clock_of(sb).sleeps == [0.25]


def test_truncate_and_html_make_unparseable_bodies(sb: Sandbox) -> None:
    sb.faults.add("brex", None, Fault.truncate())
    sb.faults.add("brex", None, Fault.html(502))
    with brex(sb) as c:
        cut = c.get(LIST)
        html = c.get(LIST)
    assert cut.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    assert html.status_code == 502
    assert html.headers["content-type"].startswith("text/html")
    assert html.text.startswith("<!DOCTYPE html>")


def test_mutate_records_alters_records_and_keeps_the_rest(sb: Sandbox) -> None:
    with brex(sb) as c:
        clean = c.get(LIST).json()["items"]
        sb.faults.add("brex", None, Fault.mutate_records(unknown_enum=True, extra_fields=True,
                                                         amount_as_string=True,
                                                         malformed_date=True))  # fmt: skip
        dirty = c.get(LIST).json()["items"]
    assert [x["id"] for x in dirty] == [x["id"] for x in clean]
    full = [x for x in dirty if "original_amount" in x]
    assert all(x["status"] == UNKNOWN_ENUM for x in dirty)
    assert all("sandboxExtraField" in x for x in dirty)
    assert all(isinstance(x["original_amount"]["amount"], str) for x in full)
    assert all(x["purchased_at"] == MALFORMED_DATE for x in full)
    assert sb.requests[-1].injected is True


def test_mutate_missing_and_null_keep_protected_fields_and_respect_limit(sb: Sandbox) -> None:
    sb.faults.add("brex", None, Fault.mutate_records(missing_optional=True, limit=1))
    sb.faults.add("pazy", None, Fault.mutate_records(null_values=True))
    with brex(sb) as c:
        items = c.get(LIST).json()["items"]
    with client(sb, "pazy", check=False) as c:
        expenses = c.get("/expenses").json()["data"]["expenses"]
    assert set(items[0]) == {"id", "updated_at"}
    assert len(items[1]) > 2
    assert all(x["id"] for x in expenses)
    assert all(x["state"] is None for x in expenses)


def test_mutate_records_needs_a_mutation() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Fault.mutate_records()


def test_rate_limit_off_by_default_then_the_published_limit_with_refill() -> None:
    sb = make("brex", size=5)
    headers = auth_headers(sb, "brex")
    with httpx.Client(transport=sb.transport(), base_url=sb.base_url("brex"),
                      headers=headers) as c:  # fmt: skip
        # Unrouted paths are cheap to answer, and still count against the limit.
        assert all(c.get("/v1/nope").status_code == 404 for _ in range(1001))
        sb.enable_rate_limits("brex")
        codes = [c.get("/v1/nope").status_code for _ in range(1001)]
        assert codes[:1000] == [404] * 1000
        assert codes[1000] == 429
        limited = c.get("/v1/nope")
        assert limited.status_code == 429
        assert "retry-after" not in limited.headers  # brex documents no header
        clock_of(sb).advance(60 / 1000)
        assert c.get("/v1/nope").status_code == 404
        assert c.get("/v1/nope").status_code == 429
    assert sb.rate_limited["brex"] == 3
    sb.disable_rate_limits()
    with httpx.Client(transport=sb.transport(), base_url=sb.base_url("brex"),
                      headers=headers) as c:  # fmt: skip
        assert c.get("/v1/nope").status_code == 404


def test_rate_limit_with_explicit_limit_sends_retry_after_where_the_vendor_does() -> None:
    sb = make("pazy", size=5)
    sb.enable_rate_limits("pazy", limit=(2, 10.0))
    with client(sb, "pazy", check=False) as c:
        codes = [c.get("/expenses").status_code for _ in range(3)]
        limited = c.get("/expenses")
    assert codes == [200, 200, 429]
    assert limited.headers["retry-after"] == "5"
    assert limited.json()["ok"] is False
    assert sb.rate_limited["pazy"] == 2


def test_rate_limit_needs_a_limit_for_vendors_without_one() -> None:
    sb = make("pazy", size=5)
    with pytest.raises(ValueError, match="publishes no rate limit"):
        sb.enable_rate_limits("pazy")
