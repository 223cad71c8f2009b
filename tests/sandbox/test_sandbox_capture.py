"""The Capture simulator over HTTP (in-process transport), checked against specs/capture."""

from __future__ import annotations

import decimal
import json
from typing import Any, cast

import pytest
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.data import exponent
from expense_facade.sandbox.vendors.capture import CaptureSim
from support.sandbox import client, sandbox_fixture

SEED_FIELDS = [
    "id",
    "transactionType",
    "paymentType",
    "employeeId",
    "supplierCode",
    "personName",
    "categoryName",
    "nominalAccount",
    "department",
    "location",
    "project",
    "costcentre",
    "claimDate",
    "reference",
    "description",
    "isoCode",
    "exchangeRate",
    "netAmount",
    "taxCode",
    "taxAmount",
    "grossAmount",
    "details",
    "distance",
    "carbonAmount",
]
UPDATE = "/api/Expenses/ExportStatusUpdate"


sb = sandbox_fixture("capture", size=60)


def sim(sb: Sandbox) -> CaptureSim:
    return cast(CaptureSim, sb.vendor("capture"))


def queue(sb: Sandbox) -> dict[str, Any]:
    with client(sb, "capture") as c:
        response = c.get("/api/Expenses/Export")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def status(row: dict[str, Any], ok: bool = True, message: str = "") -> dict[str, Any]:
    return {"id": row["id"], "success": ok, "message": message,
            "transactionType": row["transactionType"]}  # fmt: skip


def test_export_returns_the_approved_queue_with_every_seed_field(sb: Sandbox) -> None:
    body = queue(sb)
    assert body["success"] is True
    assert body["totalCount"] == len(body["data"]) == sim(sb).queue_size() == 48  # 80% of 60
    assert [row["id"] for row in body["data"]] == list(sim(sb).queue_ids())
    for row in body["data"]:
        assert list(row) == SEED_FIELDS
        assert isinstance(row["transactionType"], int)
    # Pending rows never show.
    assert not set(sim(sb).pending_ids()) & {row["id"] for row in body["data"]}


def test_amounts_are_exact_decimals_with_the_currency_exponent(sb: Sandbox) -> None:
    with client(sb, "capture") as c:
        raw = c.get("/api/Expenses/Export").content
    rows = json.loads(raw, parse_float=decimal.Decimal)["data"]
    currencies = set()
    for row in rows:
        currencies.add(row["isoCode"])
        for key in ("grossAmount", "taxAmount", "netAmount"):
            value = decimal.Decimal(row[key])
            assert value.as_tuple().exponent == -exponent(row["isoCode"]), (key, row)
        assert row["netAmount"] + row["taxAmount"] == row["grossAmount"]
    assert {"GBP", "JPY"} <= currencies
    assert any(r["transactionType"] == 1 and r["distance"] > 0 for r in rows)  # mileage


def test_success_true_removes_rows_and_false_keeps_them_with_a_message(sb: Sandbox) -> None:
    rows = queue(sb)["data"]
    with client(sb, "capture") as c:
        response = c.post(UPDATE, json={"exportStatuses": [
            status(rows[0]), status(rows[1]), status(rows[2], ok=False, message="GL locked"),
        ]})  # fmt: skip
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert [r["success"] for r in body["data"]] == [True, True, True]
    after = [row["id"] for row in queue(sb)["data"]]
    assert rows[0]["id"] not in after
    assert rows[1]["id"] not in after
    assert rows[2]["id"] in after
    assert sim(sb).exported_ids() == {rows[0]["id"], rows[1]["id"]}
    assert sim(sb).export_status_messages() == {rows[2]["id"]: "GL locked"}
    assert queue(sb)["totalCount"] == 46


def test_a_repeated_success_is_idempotent(sb: Sandbox) -> None:
    row = queue(sb)["data"][0]
    with client(sb, "capture") as c:
        first = c.post(UPDATE, json={"exportStatuses": [status(row)]}).json()
        second = c.post(UPDATE, json={"exportStatuses": [status(row)]}).json()
    assert first["success"] is second["success"] is True
    assert sim(sb).exported_ids() == {row["id"]}


def test_partial_failure_reports_each_item_and_applies_only_the_good_ones(sb: Sandbox) -> None:
    rows = queue(sb)["data"]
    pending = next(sim(sb).pending_ids())
    wrong_type = status(rows[1]) | {"transactionType": rows[1]["transactionType"] + 7}
    items = [
        status(rows[0]),
        {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "success": True, "transactionType": 0},
        wrong_type,
        {"id": pending, "success": True, "transactionType": 0},
        {"id": rows[3]["id"], "transactionType": rows[3]["transactionType"]},  # no success
    ]
    with client(sb, "capture") as c:
        body = c.post(UPDATE, json={"exportStatuses": items}).json()
    assert body["success"] is False
    assert [r["success"] for r in body["data"]] == [True, False, False, False, False]
    assert [r["id"] for r in body["data"]] == [i["id"] for i in items]
    assert "not found" in body["data"][1]["message"]
    assert "transactionType" in body["data"][2]["message"]
    assert sim(sb).exported_ids() == {rows[0]["id"]}


@pytest.mark.parametrize(
    "raw", [b"not json", b"[]", b'{"exportStatuses": 3}', b"{}", b""], ids=repr
)
def test_a_malformed_body_answers_200_with_success_false(sb: Sandbox, raw: bytes) -> None:
    with client(sb, "capture") as c:
        response = c.post(UPDATE, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert response.json()["message"]
    assert sim(sb).exported_ids() == set()


@pytest.mark.parametrize("key", [None, "", "wrong"])
def test_missing_or_wrong_api_key_is_401(sb: Sandbox, key: str | None) -> None:
    headers = {} if key is None else {"X-API-Key": key}
    with client(sb, "capture", auth=False) as c:
        response = c.get("/api/Expenses/Export", headers=headers)
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_unknown_route_is_404(sb: Sandbox) -> None:
    with client(sb, "capture", check=False) as c:
        assert c.get("/api/Expenses/Nope").status_code == 404
        assert c.delete("/api/Expenses/Export").status_code == 405
