"""The Brex simulator over HTTP (in-process transport), checked against specs/brex."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.data import exponent
from expense_facade.sandbox.vendors.brex import BrexSim
from support.sandbox import client, clock_of, make, sandbox_fixture

sb = sandbox_fixture("brex", size=400)


def sim(sb: Sandbox) -> BrexSim:
    return cast(BrexSim, sb.vendor("brex"))


def pages(c: httpx.Client, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    while True:
        query = dict(params) | ({"cursor": cursor} if cursor else {})
        response = c.get("/v1/expenses", params=query)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        yield page
        cursor = page["next_cursor"]
        if not cursor:
            return


def test_status_filter_pages_through_exactly_the_approved_ground_truth(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        seen = [
            x["id"] for p in pages(c, {"status[]": "APPROVED", "limit": 37}) for x in p["items"]
        ]
    assert seen == list(sim(sb).approved_ids())
    assert len(seen) > 100


def test_repeated_array_keys_are_an_or_filter(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        params = {"status[]": ["APPROVED", "SETTLED"], "limit": 100}
        items = [x for p in pages(c, params) for x in p["items"]]
    assert {x["status"] for x in items} == {"APPROVED", "SETTLED"}
    assert [x["id"] for x in items] == list(sim(sb).ids_with_status("APPROVED", "SETTLED"))


@pytest.mark.parametrize("limit", ["101", "1000", "0", "abc"])
def test_limit_outside_1_to_100_is_400(sb: Sandbox, limit: str) -> None:
    with client(sb, "brex") as c:
        response = c.get("/v1/expenses", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["message"]


def test_a_bad_cursor_is_400(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        assert c.get("/v1/expenses", params={"cursor": "nonsense!"}).status_code == 400


def test_updated_at_window_is_inclusive_and_incremental(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        everything = [x for p in pages(c, {"limit": 100}) for x in p["items"]]
        pivot = everything[150]["updated_at"]
        end = everything[300]["updated_at"]
        window = [
            x
            for p in pages(c, {"updated_at_start": pivot, "updated_at_end": end, "limit": 100})
            for x in p["items"]
        ]
    assert [x["id"] for x in window] == [x["id"] for x in everything[150:301]]


def test_purchased_at_window(sb: Sandbox) -> None:
    start, end = "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z"
    with client(sb, "brex") as c:
        params = {"purchased_at_start": start, "purchased_at_end": end, "limit": 100}
        items = [x for p in pages(c, params) for x in p["items"]]
    assert items
    assert all(start <= x["purchased_at"] <= end for x in items)


def test_money_is_minor_units_with_per_currency_exponent_and_some_null_currency() -> None:
    sb = make("brex", size=1500)
    with client(sb, "brex") as c:
        items = [x for p in pages(c, {"limit": 100}) for x in p["items"]]
    currencies = {x["original_amount"]["currency"] for x in items if "original_amount" in x}
    assert {None, "USD", "JPY", "KWD"} <= currencies
    for x in items:
        if "original_amount" in x:
            assert isinstance(x["original_amount"]["amount"], int)
    # A JPY amount of N minor units is N yen; KWD has three decimals.
    assert exponent("JPY") == 0
    assert exponent("KWD") == 3
    sparse = [x for x in items if set(x) == {"id", "updated_at", "status"}]
    assert sparse  # only id and updated_at are guaranteed


def test_expand_adds_nested_objects(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        plain = c.get("/v1/expenses", params={"limit": 5}).json()["items"]
        rich = c.get("/v1/expenses", params={
            "limit": 5, "expand[]": ["merchant", "user", "location"],
        }).json()["items"]  # fmt: skip
    assert all("merchant" not in x for x in plain)
    full = [x for x in rich if "merchant_id" in x]
    assert full
    assert all(x["merchant"]["mcc"] is None or len(x["merchant"]["mcc"]) == 4 for x in full)
    assert all(x["user"]["id"] == x["user_id"] for x in full)


def test_get_expense_and_404(sb: Sandbox) -> None:
    expense_id = next(sim(sb).approved_ids())
    with client(sb, "brex") as c:
        one = c.get(f"/v1/expenses/{expense_id}")
        missing = c.get("/v1/expenses/expense_doesnotexist")
    assert one.status_code == 200
    assert one.json()["id"] == expense_id
    assert missing.status_code == 404


def test_memo_update_changes_memo_and_updated_at(sb: Sandbox) -> None:
    card_id = next(
        x["id"]
        for i in range(sb.vendor("brex").size)
        if (x := sim(sb).expense(i)).get("expense_type") == "CARD"
    )
    before = sim(sb).get(card_id)
    assert before is not None
    clock_of(sb).advance(10)
    with client(sb, "brex") as c:
        response = c.put(f"/v1/expenses/card/{card_id}", json={"memo": "Team lunch"})
        since = c.get("/v1/expenses", params={"updated_at_start": "2026-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert response.json()["memo"] == "Team lunch"
    assert sim(sb).memo(card_id) == "Team lunch"
    after = sim(sb).get(card_id)
    assert after is not None
    assert after["updated_at"] > before["updated_at"]
    assert after["original_amount"] == before["original_amount"]  # nothing else moved
    assert [x["id"] for x in since.json()["items"]] == [card_id]


def upload_flow(sb: Sandbox, expense_id: str) -> str:
    with client(sb, "brex") as c:
        response = c.post(
            f"/v1/expenses/card/{expense_id}/receipt_upload", json={"receipt_name": "lunch.pdf"}
        )
    assert response.status_code == 200
    uri: str = response.json()["uri"]
    return uri


def test_receipt_upload_accepts_one_put_and_records_what_arrived(sb: Sandbox) -> None:
    expense_id = next(sim(sb).approved_ids())
    uri = upload_flow(sb, expense_id)
    assert uri.startswith("https://sandbox.invalid/s3/brex-receipts/")
    assert "X-Amz-Signature=" in uri
    assert "X-Amz-Expires=1800" in uri
    payload = b"%PDF-1.7 receipt"
    with httpx.Client(transport=sb.transport()) as s3:
        put = s3.put(uri, content=payload, headers={"Content-Type": "application/pdf"})
        again = s3.put(uri, content=payload)  # a retried PUT of the same bytes is harmless
        other = s3.put(uri, content=b"other bytes")
    assert put.status_code == 200
    assert put.headers["etag"]
    assert again.status_code == 200
    assert other.status_code == 403
    [receipt] = sim(sb).receipts
    assert receipt.expense_id == expense_id
    assert receipt.filename == "lunch.pdf"
    assert receipt.size == len(payload)
    assert receipt.content_type == "application/pdf"
    assert receipt.sha256 == hashlib.sha256(payload).hexdigest()
    assert sim(sb).receipt_ids(expense_id) == [receipt.id]
    with client(sb, "brex") as c:
        shown = c.get(f"/v1/expenses/{expense_id}", params={"expand[]": "receipts"}).json()
    assert [r["id"] for r in shown["receipts"]] == [receipt.id]


def test_receipt_match_has_no_expense(sb: Sandbox) -> None:
    with client(sb, "brex") as c:
        response = c.post("/v1/expenses/card/receipt_match", json={"receipt_name": "a.png"})
    with httpx.Client(transport=sb.transport()) as s3:
        assert s3.put(response.json()["uri"], content=b"png").status_code == 200
    assert sim(sb).receipts[0].expense_id is None


def test_upload_url_expires_after_30_minutes_on_the_sandbox_clock(sb: Sandbox) -> None:
    uri = upload_flow(sb, next(sim(sb).approved_ids()))
    clock_of(sb).advance(dt.timedelta(minutes=30, seconds=1).total_seconds())
    with httpx.Client(transport=sb.transport()) as s3:
        response = s3.put(uri, content=b"late")
    assert response.status_code == 403
    assert b"expired" in response.content
    assert sim(sb).receipts == []


def test_upload_rejects_authorization_chunked_bodies_and_bad_signatures(sb: Sandbox) -> None:
    uri = upload_flow(sb, next(sim(sb).approved_ids()))
    with httpx.Client(transport=sb.transport()) as s3:
        with_auth = s3.put(uri, content=b"x", headers={"Authorization": "Bearer t"})
        chunked = s3.put(uri, content=iter([b"a", b"b"]))
        forged = s3.put(uri.replace("X-Amz-Signature=", "X-Amz-Signature=0"), content=b"x")
    assert with_auth.status_code == 400
    assert chunked.status_code == 411
    assert forged.status_code == 403
    assert sim(sb).receipts == []


def test_upload_over_50_mb_is_refused(sb: Sandbox) -> None:
    uri = upload_flow(sb, next(sim(sb).approved_ids()))
    with httpx.Client(transport=sb.transport()) as s3:
        response = s3.put(uri, content=b"\0" * (50 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert b"EntityTooLarge" in response.content


def test_receipt_requests_need_a_name_and_an_existing_expense(sb: Sandbox) -> None:
    expense_id = next(sim(sb).approved_ids())
    with client(sb, "brex") as c:
        no_name = c.post(f"/v1/expenses/card/{expense_id}/receipt_upload", json={})
        unknown = c.post("/v1/expenses/card/expense_zzz/receipt_upload",
                         json={"receipt_name": "a.pdf"})  # fmt: skip
    assert no_name.status_code == 400
    assert unknown.status_code == 404


def test_idempotency_key_replays_the_first_answer(sb: Sandbox) -> None:
    expense_id = next(sim(sb).approved_ids())
    path = f"/v1/expenses/card/{expense_id}/receipt_upload"
    with client(sb, "brex") as c:
        first = c.post(path, json={"receipt_name": "a.pdf"}, headers={"Idempotency-Key": "k1"})
        second = c.post(path, json={"receipt_name": "a.pdf"}, headers={"Idempotency-Key": "k1"})
    assert first.json() == second.json()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "bearer"])
def test_missing_or_wrong_token_is_401(sb: Sandbox, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    with client(sb, "brex", auth=False) as c:
        response = c.get("/v1/expenses", headers=headers)
    assert response.status_code == 401
