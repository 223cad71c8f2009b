"""RELIABILITY.md's fault matrix, the rows only Brex has (the rows every vendor shares are
in test_faults_common.py): the receipt upload's pre-signed PUT and its idempotency key, a
429 without Retry-After, odd records, a repeating cursor, records changing between pages,
and an expired upload URL. Faults are injected in the in-process sandbox; sleeps are on its
fake clock with a retry policy without jitter, so every wait is asserted exactly."""

from __future__ import annotations

import json
from typing import Any, cast

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.faults import MALFORMED_DATE, UNKNOWN_ENUM
from expense_facade.sandbox.vendors.brex import BrexSim
from support.sandbox import client_fixture, hits, sandbox_fixture, sleeps

VENDOR = "brex"
LIST = "GET /v1/expenses"
DETAIL = "GET /v1/expenses/{expense_id}"
UPLOAD_URL = "POST /v1/expenses/card/{expense_id}/receipt_upload"
MATCH_URL = "POST /v1/expenses/card/receipt_match"
BUCKET = "PUT /s3/brex-receipts"
PDF = b"%PDF-1.4 a receipt"

sb = sandbox_fixture(VENDOR, seed=11, size=150)
client = client_fixture(VENDOR)


def sim(sb: Sandbox) -> BrexSim:
    return cast(BrexSim, sb.vendor(VENDOR))


def first_approved(sb: Sandbox) -> str:
    return next(iter(sim(sb).approved_ids()))


# ---- the receipt upload ----------------------------------------------------------------------


def test_a_connect_failure_on_the_presigned_put_is_retried(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.faults.add(VENDOR, BUCKET, Fault.connect_timeout(), times=2)
    result = client.upload_receipt(PDF, filename="r.pdf")
    assert [r.id for r in sim(sb).receipts] == [result.receipt_id]
    assert result.url_refreshes == 0
    assert sleeps(sb) == [0.5, 1.0]


def test_a_read_timeout_after_brex_made_the_upload_url_reuses_it_by_idempotency_key(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    # Brex processed the POST but the answer was lost: the retry carries the same
    # Idempotency-Key and gets the same upload slot back instead of a second one.
    sb.faults.add(VENDOR, MATCH_URL, Fault.hang(processed=True), times=1)
    result = client.upload_receipt(PDF, filename="r.pdf")
    posts = [r for r in sb.requests if r.method == "POST"]
    assert len(posts) == 2
    keys = {r.headers["idempotency-key"] for r in posts}
    assert len(keys) == 1
    [received] = sim(sb).receipts
    assert received.id == result.receipt_id


# ---- 429 without Retry-After -----------------------------------------------------------------


def test_brex_429_without_headers_backs_off_and_then_raises(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.enable_rate_limits(VENDOR, limit=(1, 60.0))  # one request a minute, no Retry-After
    expense_id = first_approved(sb)
    client.get_expense(expense_id)
    with pytest.raises(ef.RateLimitError) as caught:
        client.get_expense(expense_id)
    assert caught.value.retry_after is None
    assert caught.value.attempts == 4
    assert sleeps(sb) == [0.5, 1.0, 2.0]
    assert sb.rate_limited[VENDOR] == 4


# ---- malformed bodies ------------------------------------------------------------------------


def test_an_upload_answer_without_uri_is_a_malformed_response(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.faults.add(VENDOR, MATCH_URL, Fault.status(200, body=b'{"id": "receipt_x"}'))
    with pytest.raises(ef.MalformedResponseError):
        client.upload_receipt(PDF, filename="r.pdf")
    assert sim(sb).receipts == []


# ---- odd records -----------------------------------------------------------------------------


def test_odd_records_are_parsed_and_nothing_is_lost(sb: Sandbox, client: ef.ExpenseClient) -> None:
    # Page 1: unknown enums, an extra field, amounts as strings; page 2: optional fields
    # gone. The first three records of each page are altered.
    odd = {"unknown_enum": True, "extra_fields": True, "amount_as_string": True}
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(**odd, limit=3))
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(missing_optional=True, limit=3))
    sb.faults.add(VENDOR, DETAIL, Fault.mutate_records(null_values=True))
    listing = client.list_approved(page_size=25)
    pages = list(listing.pages())
    assert [e.id for p in pages for e in p.expenses] == list(sim(sb).approved_ids())
    assert listing.malformed == []
    altered = pages[0].expenses[:3]
    assert all("sandboxExtraField" in e.raw for e in altered)
    assert all(e.status is ef.ExpenseStatus.UNKNOWN for e in altered)
    assert all(e.raw_status == UNKNOWN_ENUM for e in altered)
    bare = pages[1].expenses[:3]
    assert all(set(e.raw) == {"id", "updated_at"} for e in bare)
    assert all(e.updated_at is not None and e.gross is None for e in bare)
    detail = client.get_expense(first_approved(sb))
    assert (detail.status, detail.raw_status, detail.gross) == (
        ef.ExpenseStatus.UNKNOWN,
        None,
        None,
    )


def test_a_malformed_date_leaves_that_field_empty_and_the_listing_goes_on(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.faults.add(VENDOR, LIST, Fault.mutate_records(malformed_date=True, limit=1), after=1)
    expenses = list(client.list_approved(page_size=25))
    assert [e.id for e in expenses] == list(sim(sb).approved_ids())
    [bad] = [e for e in expenses if e.raw.get("purchased_at") == MALFORMED_DATE]
    assert bad.transaction_date is None
    assert any(w.startswith("purchased_at:") for w in bad.parse_warnings)


# ---- paging ----------------------------------------------------------------------------------


def test_a_cursor_that_repeats_stops_with_a_clear_error(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    item = cast(dict[str, Any], sim(sb).get(first_approved(sb)))
    body = json.dumps({"next_cursor": "same", "items": [item]}).encode()
    sb.faults.add(VENDOR, LIST, Fault.status(200, body=body), times=None)
    listing = client.list_approved()
    seen: list[str] = []
    with pytest.raises(ef.PaginationError) as caught:
        seen.extend(e.id for e in listing)
    assert "repeats" in str(caught.value)
    assert seen == [item["id"]]
    assert hits(sb, LIST) == 2


def test_records_changed_between_pages_are_listed_once(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    brex = sim(sb)
    before = list(brex.approved_ids())
    later = before[-1]
    newly = next(iter(brex.ids_with_status("SUBMITTED")))
    seen: list[str] = []
    for page in client.list_approved(page_size=20).pages():
        if page.number == 1:
            # Between pages: one already listed record is edited (updated_at moves), one
            # not yet listed stops being approved, one is newly approved.
            brex.set_status(page.expenses[0].id, "APPROVED")
            brex.set_status(later, "SETTLED")
            brex.set_status(newly, "APPROVED")
        seen.extend(e.id for e in page.expenses)
    assert len(seen) == len(set(seen))
    assert later not in seen
    assert set(seen) <= set(brex.approved_ids())
    assert set(brex.approved_ids()) - set(seen) <= {newly}  # approved behind the cursor


# ---- pre-signed URL expiry -------------------------------------------------------------------


def test_an_expired_upload_url_is_renewed_once_and_the_upload_completes(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    expense_id = first_approved(sb)
    # The answer with the URL arrives 31 minutes late (sandbox clock): S3 then refuses it.
    sb.faults.add(VENDOR, UPLOAD_URL, Fault.latency(31 * 60))
    result = client.upload_receipt(PDF, expense_id=expense_id, filename="late.pdf")
    assert result.url_refreshes == 1
    assert [r.id for r in sim(sb).receipts] == [result.receipt_id]
    assert sim(sb).receipt_ids(expense_id) == [result.receipt_id]
    puts = [r.status for r in sb.requests if r.method == "PUT"]
    assert puts == [403, 200]
    posts = [r for r in sb.requests if r.method == "POST"]
    assert len({r.headers["idempotency-key"] for r in posts}) == 2  # a new key: a new URL


def test_an_upload_url_refused_again_after_the_refresh_is_a_permission_error(
    sb: Sandbox, client: ef.ExpenseClient
) -> None:
    sb.faults.add(VENDOR, BUCKET, Fault.status(403), times=None)
    with pytest.raises(ef.PermissionDeniedError) as caught:
        client.upload_receipt(PDF, filename="r.pdf")
    assert caught.value.status == 403
    assert [r.method for r in sb.requests] == ["POST", "PUT", "POST", "PUT"]
    assert sim(sb).receipts == []
    assert "X-Amz-Signature" not in str(caught.value)
