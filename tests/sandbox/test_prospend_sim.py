"""The ProSpend simulator, exercised over real HTTP (in-process transport, and loopback once).

Every response these tests receive from a client made by ``client()`` is also checked
(by ``support.sandbox``) against specs/prospend/openapi.yaml.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterator
from functools import partial
from typing import Any, cast

import httpx
import pytest
from expense_facade.sandbox.app import Sandbox
from expense_facade.sandbox.vendors.prospend import MAX_LIMIT, STATUSES, UNSET, ProspendSim
from support import sandbox as support

BASE = "/beta/company/1"


# Raw HTTP against the prospend simulator; every answer is checked against its spec.
make_sandbox = partial(support.make, "prospend", size=500, seed=7)
client = partial(support.client, vendor="prospend")
sb = support.sandbox_fixture("prospend", seed=7, size=500)


def sim_of(sb: Sandbox) -> ProspendSim:
    return cast(ProspendSim, sb.vendor("prospend"))


def pages(c: httpx.Client, path: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a ProSpend list, following nextCursor."""
    cursor = None
    seen = set()
    while True:
        query = dict(params) if cursor is None else {**params, "cursor": cursor}
        response = c.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        yield from body["page"]
        cursor = body.get("nextCursor")
        if not cursor:
            return
        assert cursor not in seen
        seen.add(cursor)


def date_of(text: str | None) -> dt.datetime | None:
    return None if text is None or text == UNSET else dt.datetime.fromisoformat(text)


def dec(value: float | decimal.Decimal | None) -> decimal.Decimal:
    assert value is not None
    return decimal.Decimal(str(value))


def transaction(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "transactionId": "txn_1775706370771",
        "transactionDate": "2026-01-31",
        "postingDate": "2026-02-02",
        "merchantName": "Telstra",
        "mcc": "5943",
        "transactionAmount": 700.00,
        "currencyCode": "AUD",
        "cardHolderName": "Kylie Magenta",
        "cardId": "28676",
        "cardSuffix": "1111",
        "externalCardId": "123123",
        "transactionStatus": "COMPLETED",
        "cardProgramCode": "AR_AU",
        "cardProgramType": "AR",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_claims_page_through_every_claim_with_the_cursor(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        first = c.get(f"{BASE}/claim").json()
        claims = list(pages(c, f"{BASE}/claim", limit=7))
    assert len(first["page"]) == 10  # default limit
    assert first["nextCursor"]
    ids = [x["id"] for x in claims]
    assert len(ids) == len(set(ids)) == sim.claim_count == len(sim.claims)
    assert all(re.fullmatch(r"[0-9]+", x) for x in ids)
    assert claims[5] == sim.claims[5]
    assert {x["status"] for x in claims} == set(STATUSES)


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": MAX_LIMIT + 1}, {"limit": "ten"},
                                   {"cursor": "not-a-cursor"}, {"status": "Paid"},
                                   {"minUpdatedDate": "yesterday"}])  # fmt: skip
def test_bad_list_parameters_are_400_bad_request(sb: Sandbox, query: dict[str, Any]) -> None:
    with client(sb) as c:
        response = c.get(f"{BASE}/claim", params=query)
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_the_largest_limit_is_accepted(sb: Sandbox) -> None:
    with client(sb) as c:
        page = c.get(f"{BASE}/claim", params={"limit": MAX_LIMIT}).json()["page"]
    assert len(page) == len(sim_of(sb).claims)  # a 500-expense sandbox has fewer claims


@pytest.mark.parametrize("status", STATUSES)
def test_status_filter_matches_the_ground_truth(sb: Sandbox, status: str) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        got = [x["id"] for x in pages(c, f"{BASE}/claim", status=status, limit=MAX_LIMIT)]
    want = [x["id"] for x in sim.claims if x["status"] == status]
    assert got == want
    assert got


def test_unset_dates_are_the_epoch(sb: Sandbox) -> None:
    with client(sb) as c:
        drafts = list(pages(c, f"{BASE}/claim", status="NotSubmitted"))
        finals = list(pages(c, f"{BASE}/claim", status="Finalised"))
    assert all(x["approvedDate"] == x["finalisedDate"] == UNSET for x in drafts)
    assert all(x["approvers"] == [] for x in drafts)
    assert all(UNSET not in (x["approvedDate"], x["finalisedDate"]) for x in finals)
    assert any(x["fromDate"] == UNSET for x in finals)


@pytest.mark.parametrize("day_form", [True, False])
def test_finalised_and_min_updated_filters(sb: Sandbox, day_form: bool) -> None:
    sim = sim_of(sb)
    middle = date_of(sim.claims[len(sim.claims) // 2]["updatedDate"])
    assert middle is not None
    param = middle.strftime("%Y-%m-%d") if day_form else middle.strftime("%Y-%m-%dT%H:%M:%SZ")
    bound = dt.datetime.fromisoformat(param).replace(tzinfo=dt.UTC)
    with client(sb) as c:
        updated = list(pages(c, f"{BASE}/claim", minUpdatedDate=param, limit=50))
        finalised = list(pages(c, f"{BASE}/claim", finalisedDate=param, limit=50))

    def later(value: str | None) -> bool:
        when = date_of(value)
        return when is not None and when >= bound

    assert [x["id"] for x in updated] == [x["id"] for x in sim.claims if later(x["updatedDate"])]
    assert [x["id"] for x in finalised] == [
        x["id"] for x in sim.claims if later(x["finalisedDate"])
    ]
    assert 0 < len(finalised) < len(updated) < len(sim.claims)


def test_min_updated_date_finds_an_old_claim_changed_later() -> None:
    # Generated dates sit near a claim's creation, so the filter starts its scan late in
    # the list; a claim approved long after creation must still be found (with small pages
    # too, across the cursor).
    sb = make_sandbox()
    sim = sim_of(sb)
    old = [c for c in sim.claim_ids_with_status("PendingApproval")][:2]
    now = sb.clock.now()
    for claim_id in old:
        sim.set_claim_status(claim_id, "Finalised")
    param = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    with client(sb) as c:
        for limit in (1, 50):
            found = list(pages(c, f"{BASE}/claim", minUpdatedDate=param, limit=limit))
            assert [x["id"] for x in found] == old
            assert {x["status"] for x in found} == {"Finalised"}
    assert {sim.claim_ids_of(i)[0] for i in sim.approved_ids()} >= set(old)


def test_claim_totals_add_up_the_counted_expenses(sb: Sandbox) -> None:
    with client(sb) as c:
        for claim in c.get(f"{BASE}/claim", params={"limit": 30}).json()["page"]:
            expenses = list(pages(c, f"{BASE}/claim/{claim['id']}/expense", includePersonal="true"))
            (claim_total,) = claim["claimCurrencyTotals"]
            assert dec(claim_total["grossAmount"]) == sum(
                (dec(x["claimCurrencyTotal"]["grossAmount"]) for x in expenses), decimal.Decimal()
            )
            per_currency: dict[str, decimal.Decimal] = {}
            for x in expenses:
                total = x["transactionTotal"]
                per_currency[total["currencyCode"]] = per_currency.get(
                    total["currencyCode"], decimal.Decimal()
                ) + dec(total["grossAmount"])
            assert {t["currencyCode"]: dec(t["grossAmount"]) for t in
                    claim["transactionTotals"]} == per_currency  # fmt: skip
            for x in expenses:
                total = x["claimCurrencyTotal"]
                assert dec(total["netAmount"]) + dec(total["taxAmount"]) == dec(
                    total["grossAmount"]
                )


def test_expense_filters_personal_omitted_and_min_updated(sb: Sandbox) -> None:
    sim = sim_of(sb)
    counts = {"default": 0, "personal": 0, "omitted": 0, "all": 0}
    with client(sb) as c:
        for claim in sim.claims:
            path = f"{BASE}/claim/{claim['id']}/expense"
            default = list(pages(c, path))
            everything = list(pages(c, path, includePersonal="true", includeOmitted="true"))
            assert not any(x["isPersonal"] or x["isOmitted"] for x in default)
            assert [x for x in everything if not (x["isPersonal"] or x["isOmitted"])] == default
            counts["default"] += len(default)
            counts["all"] += len(everything)
            counts["personal"] += sum(x["isPersonal"] for x in everything)
            counts["omitted"] += sum(x["isOmitted"] for x in everything)
        assert counts["all"] == 500
        assert counts["personal"] > 0
        assert counts["omitted"] > 0
        assert counts["default"] < counts["all"]
        claim_id = sim.claims[40]["id"]
        path = f"{BASE}/claim/{claim_id}/expense"
        everything = list(pages(c, path, includePersonal="true", includeOmitted="true"))
        dated = sorted(d for x in everything if (d := date_of(x["updatedDate"])))
        bound = dated[len(dated) // 2]
        recent = list(pages(c, path, includePersonal="true", includeOmitted="true",
                            minUpdatedDate=bound.strftime("%Y-%m-%dT%H:%M:%SZ")))  # fmt: skip
        bad = c.get(path, params={"includePersonal": "maybe"})
    assert [x["id"] for x in recent] == [
        x["id"]
        for x in everything
        if x["updatedDate"] != UNSET and dt.datetime.fromisoformat(x["updatedDate"]) >= bound
    ]
    assert bad.status_code == 400


def test_expense_detail_and_splits(sb: Sandbox) -> None:
    sim = sim_of(sb)
    split_seen = False
    with client(sb) as c:
        for claim in sim.claims[:40]:
            for x in pages(c, f"{BASE}/claim/{claim['id']}/expense"):
                detail = c.get(f"{BASE}/claim/{claim['id']}/expense/{x['id']}").json()
                assert detail == x
                assert detail == sim.expense(f"{claim['id']}:{x['id']}")
                splits = list(pages(c, f"{BASE}/claim/{claim['id']}/expense/{x['id']}/split",
                                    limit=1))  # fmt: skip
                assert x["isSplit"] is bool(splits)
                assert [s["splitId"] for s in x["splitChildren"]] == [s["id"] for s in splits]
                if not splits:
                    continue
                split_seen = True
                for key in ("claimCurrencyTotal", "transactionTotal"):
                    for part in ("grossAmount", "taxAmount"):
                        assert sum((dec(s[key][part]) for s in splits), decimal.Decimal()) == dec(
                            x[key][part]
                        )
                assert all(s["splitParentId"] == x["id"] for s in splits)
                link = x["splitChildren"][0]["_link"]
                assert (
                    link
                    == f"/company/1/claim/{claim['id']}/expense/{x['id']}/split/"
                    + (splits[0]["id"])
                )
                one = c.get(f"{BASE}/claim/{claim['id']}/expense/{x['id']}/split/{splits[0]['id']}")
                assert one.json() == splits[0]
    assert split_seen


def test_not_found_answers(sb: Sandbox) -> None:
    sim = sim_of(sb)
    first, second = sim.claims[0]["id"], sim.claims[1]["id"]
    with client(sb) as c:
        foreign = c.get(f"{BASE}/claim/{second}/expense").json()["page"][0]["id"]
        answers = [
            c.get(f"{BASE}/claim/99999999"),
            c.get(f"{BASE}/claim/abc"),
            c.get(f"{BASE}/claim/{first}/expense/{foreign}"),
            c.get(f"{BASE}/claim/{first}/expense/1"),
            c.get(f"{BASE}/claim/{second}/expense/{foreign}/split/1"),
            c.get("/v2/company/1/claim"),
        ]
        forbidden = c.get("/beta/company/2/claim")
    for response in answers:
        assert response.status_code == 404
        assert response.json()["code"] == "RESOURCE_NOT_FOUND"
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "ACCESS_FORBIDDEN"


@pytest.mark.parametrize("auth", [False, "wrong-token"])
def test_missing_or_wrong_token_is_prospend_401(sb: Sandbox, auth: bool | str) -> None:
    with client(sb, auth=auth) as c:
        response = c.get(f"{BASE}/claim")
        post = c.post(f"{BASE}/transaction", json=transaction())
    assert response.status_code == post.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"
    assert sim_of(sb).transactions == []


def test_a_transaction_is_stored_once_per_card_program(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        created = c.post(f"{BASE}/transaction", json=transaction())
        again = c.post(f"{BASE}/transaction", json=transaction())
        other_program = c.post(
            f"{BASE}/transaction",
            json=transaction(cardProgramCode="VISA_AU", cardProgramType="Visa"),
        )
    assert created.status_code == 201
    body = created.json()
    assert re.fullmatch(r"[0-9]+", body["id"])
    assert body["transactionId"] == "txn_1775706370771"
    assert body["companyId"] == "1"
    assert body["createdDate"] == "2026-01-01"  # the sandbox clock's date
    assert body["foreignCurrencyCode"] is None
    assert again.status_code == 409
    assert again.json()["code"] == "RESOURCE_CONFLICT"
    assert other_program.status_code == 201
    assert other_program.json()["id"] != body["id"]
    stored = sim.transactions
    assert [(t["cardProgramCode"], t["transactionId"]) for t in stored] == [
        ("AR_AU", "txn_1775706370771"),
        ("VISA_AU", "txn_1775706370771"),
    ]
    assert stored[0]["transactionAmount"] == decimal.Decimal("700.0")


def test_foreign_amount_and_code_travel_together(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        both = c.post(
            f"{BASE}/transaction",
            json=transaction(
                transactionId="t-1", foreignCurrencyAmount=500.00, foreignCurrencyCode="USD"
            ),
        )
        only_amount = c.post(
            f"{BASE}/transaction",
            json=transaction(transactionId="t-2", foreignCurrencyAmount=500.00),
        )
        only_code = c.post(f"{BASE}/transaction", json=transaction(
            transactionId="t-3", foreignCurrencyCode="USD"))  # fmt: skip
    assert both.status_code == 201
    assert both.json()["foreignCurrencyCode"] == "USD"
    assert dec(both.json()["exchangeRate"]) == decimal.Decimal("1.4")
    for response in (only_amount, only_code):
        assert response.status_code == 400
        assert response.json()["code"] == "BAD_REQUEST"
        assert "together" in response.json()["message"]
    assert [t["transactionId"] for t in sim.transactions] == ["t-1"]


@pytest.mark.parametrize(
    "changes",
    [
        {"transactionId": ...},
        {"merchantName": None},
        {"transactionAmount": "700.00"},
        {"transactionDate": "31/01/2026"},
        {"currencyCode": "aud"},
        {"transactionStatus": "PENDING"},
        {"cardProgramCode": "NOPE"},
    ],
)
def test_invalid_transactions_are_400_and_not_stored(sb: Sandbox, changes: dict[str, Any]) -> None:
    with client(sb) as c:
        response = c.post(f"{BASE}/transaction", json=transaction(**changes))
        not_json = c.post(f"{BASE}/transaction", content=b"{not json",
                          headers={"Content-Type": "application/json"})  # fmt: skip
        wrong_company = c.post("/beta/company/9/transaction", json=transaction())
    assert response.status_code == not_json.status_code == 400
    assert response.json()["code"] == not_json.json()["code"] == "BAD_REQUEST"
    assert wrong_company.status_code == 403
    assert sim_of(sb).transactions == []


@pytest.mark.parametrize("ready", ["Finalised", "Approved"])
def test_approved_ids_are_the_composite_ids_the_api_lists(sb: Sandbox, ready: str) -> None:
    with client(sb) as c:
        listed = [
            f"{claim['id']}:{x['id']}"
            for claim in pages(c, f"{BASE}/claim", status=ready, limit=MAX_LIMIT)
            for x in pages(c, f"{BASE}/claim/{claim['id']}/expense", limit=MAX_LIMIT)
        ]
    assert listed == list(sim_of(sb).approved_ids(ready))
    assert listed
    with pytest.raises(ValueError, match="ready_status"):
        list(sim_of(sb).approved_ids("Rejected"))


def test_set_claim_status_moves_a_claim_into_the_approved_list(sb: Sandbox) -> None:
    sim = sim_of(sb)
    pending = next(x for x in sim.claims if x["status"] == "PendingApproval")
    sim.set_claim_status(pending["id"], "Finalised")
    with client(sb) as c:
        finals = [x["id"] for x in pages(c, f"{BASE}/claim", status="Finalised", limit=100)]
        detail = c.get(f"{BASE}/claim/{pending['id']}").json()
    assert pending["id"] in finals
    assert detail["updatedDate"] == "2026-01-01T00:00:00Z"
    assert detail["finalisedDate"] != UNSET
    assert any(i.startswith(pending["id"] + ":") for i in sim.approved_ids("Finalised"))


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    def snapshot(seed: int) -> list[bytes]:
        sb = make_sandbox(seed=seed)
        with client(sb) as c:
            claims = c.get(f"{BASE}/claim", params={"limit": 100})
            claim_id = claims.json()["page"][3]["id"]
            expenses = c.get(f"{BASE}/claim/{claim_id}/expense", params={"includePersonal": "true"})
        return [claims.content, expenses.content]

    assert snapshot(11) == snapshot(11)
    assert snapshot(11)[0] != snapshot(12)[0]


def test_a_million_expenses_construct_lazily_and_far_pages_can_be_read() -> None:
    sb = make_sandbox(size=1_000_000)
    sim = sim_of(sb)
    last_claim = sim.claims[-1]
    near_end = date_of(sim.claims[-200]["updatedDate"])
    assert near_end is not None
    with client(sb) as c:
        page = c.get(
            f"{BASE}/claim",
            params={"limit": MAX_LIMIT, "minUpdatedDate": near_end.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        expenses = c.get(f"{BASE}/claim/{last_claim['id']}/expense",
                         params={"includePersonal": "true", "includeOmitted": "true"})  # fmt: skip
    assert page.status_code == 200
    assert len(page.json()["page"]) == MAX_LIMIT
    for claim in page.json()["page"]:
        when = date_of(claim["updatedDate"])
        assert when is not None
        assert when >= near_end
    ids = [x["id"] for x in expenses.json()["page"]]
    assert ids
    assert ids[-1] == "1999999"  # the millionth expense sits in the last claim


def test_over_loopback_http() -> None:
    sb = make_sandbox(size=60)
    with sb.serve(port=0) as server, support.served_client(server, sb, "prospend") as c:
        claims = c.get(f"{BASE}/claim", params={"limit": 5})
        posted = c.post(f"{BASE}/transaction", json=transaction())
        duplicate = c.post(f"{BASE}/transaction", json=transaction())
        denied = c.get(f"{BASE}/claim", headers={"Authorization": "Bearer nope"})
    assert claims.status_code == 200
    assert len(claims.json()["page"]) == 5
    assert posted.status_code == 201
    assert duplicate.status_code == 409
    assert denied.status_code == 401
    assert denied.json()["code"] == "UNAUTHORIZED"
    assert len(sim_of(sb).transactions) == 1
