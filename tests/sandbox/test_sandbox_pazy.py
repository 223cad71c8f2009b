"""The Pazy simulator over HTTP (in-process transport), checked against specs/pazy."""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.vendors.pazy import PazySim
from expense_facade.sandbox.wire import dumps
from support.sandbox import client, sandbox_fixture

sb = sandbox_fixture("pazy", size=300)


def sim(sb: Sandbox) -> PazySim:
    return cast(PazySim, sb.vendor("pazy"))


def pages(c: httpx.Client, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cursor: Any = None
    while True:
        query = dict(params) | ({"cursor": str(cursor)} if cursor is not None else {})
        response = c.get("/expenses", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ok"] is True
        yield body["data"]
        context = body["data"]["context"]
        if not context["hasMore"]:
            return
        cursor = context["nextCursor"]
        assert isinstance(cursor, int)  # a number, although the parameter is a string


def test_state_filter_pages_through_exactly_the_approved_ground_truth(sb: Sandbox) -> None:
    with client(sb, "pazy") as c:
        seen = [x["id"] for p in pages(c, {"state": "APPROVED", "limit": 100})
                for x in p["expenses"]]  # fmt: skip
    assert seen == list(sim(sb).approved_ids())
    assert len(seen) > 100


def test_default_limit_is_30(sb: Sandbox) -> None:
    with client(sb, "pazy") as c:
        body = c.get("/expenses").json()
    assert len(body["data"]["expenses"]) == 30
    assert body["data"]["context"] == {"hasMore": True, "nextCursor": 30}


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"state": "DONE"},
     {"startDate": "2025-01-01"}, {"minAmount": "lots"}, {"cursor": "abc"}],
    ids=repr,
)  # fmt: skip
def test_invalid_parameters_are_validation_errors(sb: Sandbox, params: dict[str, str]) -> None:
    with client(sb, "pazy") as c:
        response = c.get("/expenses", params=params)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": {
        "code": "VALIDATION_ERROR", "message": response.json()["error"]["message"]}}  # fmt: skip


def test_the_list_spells_pending_differently_from_the_detail(sb: Sandbox) -> None:
    with client(sb, "pazy") as c:
        listed = next(pages(c, {"state": "PENDING", "limit": 5}))["expenses"]
        assert listed
        assert {x["state"] for x in listed} == {"APPROVAL_PENDING"}
        detail = c.get(f"/expense/{listed[0]['id']}").json()["data"]
    assert detail["state"] == "PENDING"


def test_amounts_come_as_numbers_or_strings(sb: Sandbox) -> None:
    with client(sb, "pazy") as c:
        items = [x for p in pages(c, {"limit": 100}) for x in p["expenses"]]
    kinds = {type(x["totalAmount"]) for x in items}
    assert kinds == {str, float} or kinds == {str, float, int}
    assert all(decimal.Decimal(str(x["totalAmount"])) >= 0 for x in items)


def test_detail_has_line_items_taxes_merchant_and_optional_parts(sb: Sandbox) -> None:
    details = [sim(sb).get(sim(sb).expense_id(i)) for i in range(120)]
    assert all(d is not None for d in details)
    full: list[dict[str, Any]] = [dict(d) for d in details if d is not None]  # untyped JSON
    assert any("mcc" not in d["merchant"] for d in full)
    assert any("mcc" in d["merchant"] for d in full)
    assert any("processingStatus" in d for d in full)
    assert any(d["cardInfo"] == {} for d in full)
    assert any(d["cardInfo"] for d in full)
    for d in full:
        assert d["itemCount"] == len(d["lineItems"])
        net = sum(decimal.Decimal(str(li["amountBreakdown"]["netPayable"]))
                  for li in d["lineItems"])  # fmt: skip
        assert decimal.Decimal(str(d["amount"])) == net
        for li in d["lineItems"]:
            b = li["amountBreakdown"]
            tax = decimal.Decimal(str(li["trxTax"]["amount"]))
            assert b["subTotal"] + tax == b["grossTotal"]


def test_get_expense_over_http_and_its_errors(sb: Sandbox) -> None:
    expense_id = sim(sb).expense_id(3)
    with client(sb, "pazy") as c:
        ok = c.get(f"/expense/{expense_id}")
        missing = c.get("/expense/exp_nothere")
    with client(sb, "pazy", check=False) as c:  # "/expense/" is not a spec path
        no_id = c.get("/expense/")
    body = json.loads(ok.content, parse_float=decimal.Decimal)
    assert body["ok"] is True
    assert body["data"]["id"] == expense_id
    assert body["data"] == json.loads(dumps(sim(sb).get(expense_id)), parse_float=decimal.Decimal)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "EXPENSE_NOT_FOUND"
    assert no_id.status_code == 400
    assert no_id.json()["error"]["code"] == "MISSING_REQUIRED_FIELD"


def test_date_and_amount_filters(sb: Sandbox) -> None:
    with client(sb, "pazy") as c:
        params = {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-04-01T00:00:00Z",
                  "minAmount": "100", "limit": 100}  # fmt: skip
        items = [x for p in pages(c, params) for x in p["expenses"]]
    assert items
    assert all(decimal.Decimal(str(x["totalAmount"])) >= 100 for x in items)
    for x in items:
        found = sim(sb).get(x["id"])
        assert found is not None
        detail: dict[str, Any] = dict(found)
        assert "2025-03-01" <= detail["dateCreated"] < "2025-04-01T00:00:01"


@pytest.mark.parametrize(
    ("header", "code"),
    [(None, "MISSING_CREDENTIALS"), ("Api-Key wrong", "INVALID_API_KEY"),
     ("Bearer x", "INVALID_API_KEY")],
)  # fmt: skip
def test_missing_or_wrong_key_is_401(sb: Sandbox, header: str | None, code: str) -> None:
    headers = {} if header is None else {"Authorization": header}
    with client(sb, "pazy", auth=False) as c:
        response = c.get("/expenses", headers=headers)
    assert response.status_code == 401
    assert response.json()["ok"] is False
    assert response.json()["error"]["code"] == code
