"""The Revolut simulator, exercised over real HTTP (in-process transport, and loopback once).

Every response these tests receive from a client made by ``client()`` is also checked
(by ``support.sandbox``) against specs/revolut/openapi.yaml.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any, cast

import pytest
from expense_facade.sandbox.app import Sandbox
from expense_facade.sandbox.vendors.revolut import (
    MAX_COUNT,
    STATES,
    TRANSACTION_TYPES,
    RevolutSim,
)
from support import sandbox as support

ONE_MS = dt.timedelta(milliseconds=1)


# Raw HTTP against the revolut simulator; every answer is checked against its spec.
make_sandbox = partial(support.make, "revolut", size=500, seed=7)
client = partial(support.client, vendor="revolut")
sb = support.sandbox_fixture("revolut", seed=7, size=500)


def sim_of(sb: Sandbox) -> RevolutSim:
    return cast(RevolutSim, sb.vendor("revolut"))


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_list_is_a_bare_array_newest_first_with_default_count(sb: Sandbox) -> None:
    with client(sb) as c:
        response = c.get("/expenses")
    assert response.status_code == 200
    items = response.json()
    assert isinstance(items, list)
    assert len(items) == 100
    dates = [parse(x["expense_date"]) for x in items]
    assert dates == sorted(dates, reverse=True)


def test_one_page_holds_every_state_and_transaction_type_in_revolut_shapes(sb: Sandbox) -> None:
    with client(sb) as c:
        response = c.get("/expenses", params={"count": MAX_COUNT})
    items = response.json()
    assert len(items) == 500  # the whole sandbox
    assert {x["state"] for x in items} == set(STATES)
    assert {x["transaction_type"] for x in items} == set(TRANSACTION_TYPES)
    for x in items:
        assert ("transaction_id" in x) is (x["transaction_type"] != "external")
        assert isinstance(x["spent_amount"]["amount"], float)
        for split in x["splits"]:
            assert isinstance(split["amount"]["amount"], float)
        for group in x.get("labels", {}).values():
            assert isinstance(group, list)
            assert len(group) == 1
    # Optional fields are left out, never null; amounts are numbers, never strings.
    assert all(node is not None for node in walk(items))
    assert b'"amount":"' not in response.content
    assert any(split == {"amount": split["amount"]} for x in items for split in x["splits"])
    assert any("description" not in x for x in items)
    assert any(x["receipt_ids"] for x in items)
    # Doubles as Revolut writes them: no trailing zero padding.
    assert re.search(rb'"amount":\d+\.\d[1-9]?,', response.content)
    assert not re.search(rb'"amount":\d+\.\d0,', response.content)


@pytest.mark.parametrize("count", ["0", "501", "-3", "ten"])
def test_count_out_of_range_is_a_400_with_code_and_message(sb: Sandbox, count: str) -> None:
    with client(sb) as c:
        response = c.get("/expenses", params={"count": count})
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["code"], int)
    assert "count" in body["message"]


def test_count_bounds_are_inclusive(sb: Sandbox) -> None:
    with client(sb) as c:
        assert len(c.get("/expenses", params={"count": 1}).json()) == 1
        assert len(c.get("/expenses", params={"count": 500}).json()) == 500


def test_from_is_inclusive_and_to_is_exclusive_on_a_run_of_ties(sb: Sandbox) -> None:
    sim = sim_of(sb)
    start, length = next(run for run in sim.tie_runs() if run[1] < 20)
    tied = parse(sim.record(start)["expense_date"])
    with client(sb) as c:
        exact = c.get("/expenses", params={"from": iso(tied), "to": iso(tied + ONE_MS)}).json()
        before = c.get("/expenses", params={"to": iso(tied), "count": 500}).json()
        since = c.get("/expenses", params={"from": iso(tied), "count": 500}).json()
    assert [x["id"] for x in exact] == [sim.expense_id(i) for i in range(start, start + length)]
    assert all(parse(x["expense_date"]) < tied for x in before)
    assert len(before) == 500 - start - length
    assert all(parse(x["expense_date"]) >= tied for x in since)
    assert len(since) == start + length


def test_a_run_of_ties_longer_than_the_largest_page(sb: Sandbox) -> None:
    sb = make_sandbox(size=3000)
    sim = sim_of(sb)
    start, length = max(sim.tie_runs(), key=lambda run: run[1])
    assert length > MAX_COUNT
    tied = parse(sim.record(start)["expense_date"])
    window = {"from": iso(tied), "to": iso(tied + ONE_MS)}
    with client(sb) as c:
        page = c.get("/expenses", params={**window, "count": MAX_COUNT}).json()
        # The documented next-page rule (to = last expense_date) skips the rest of the run.
        after = c.get("/expenses", params={"to": page[-1]["expense_date"], "count": 1}).json()
        by_state = [
            x for state in STATES
            for x in c.get("/expenses", params={**window, "state": state, "count": 500}).json()
        ]  # fmt: skip
    assert len(page) == MAX_COUNT
    assert {x["expense_date"] for x in page} == {sim.record(start)["expense_date"]}
    assert parse(after[0]["expense_date"]) < tied
    assert sorted(x["id"] for x in by_state) == sorted(
        sim.expense_id(i) for i in range(start, start + length)
    )


def test_state_and_transaction_type_filters_match_the_ground_truth(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        for state in STATES:
            got = [
                x["id"] for x in c.get("/expenses", params={"state": state, "count": 500}).json()
            ]
            want = [sim.expense_id(i) for i in range(500) if sim.kind(i)[1] == state]
            assert got == want
        got_both = c.get(
            "/expenses",
            params={"state": "approved", "transaction_type": "card_payment", "count": 500},
        ).json()
    assert got_both
    assert all(
        (x["state"], x["transaction_type"]) == ("approved", "card_payment") for x in got_both
    )


@pytest.mark.parametrize(("name", "value"), [("state", "paid"), ("transaction_type", "cash")])
def test_unknown_filter_values_are_rejected(sb: Sandbox, name: str, value: str) -> None:
    with client(sb) as c:
        response = c.get("/expenses", params={name: value})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message"}


def test_approved_ids_is_what_state_approved_lists(sb: Sandbox) -> None:
    with client(sb) as c:
        listed = [x["id"] for x in c.get("/expenses", params={"state": "approved",
                                                               "count": 500}).json()]  # fmt: skip
    assert listed == list(sim_of(sb).approved_ids())
    assert len(listed) > 50


def test_detail_equals_the_list_item_and_unknown_ids_are_3006(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        items = c.get("/expenses", params={"count": 20}).json()
        for item in items:
            assert c.get(f"/expenses/{item['id']}").json() == item
            assert sim.expense(item["id"]) == item
        other_seed = sim_of(make_sandbox(seed=8)).expense_id(3)
        for missing in (other_seed, "not-a-uuid", sim.expense_id(500)):
            response = c.get(f"/expenses/{missing}")
            assert response.status_code == 404
            assert response.json()["code"] == 3006


def test_receipt_content_is_the_file_with_its_content_type(sb: Sandbox) -> None:
    sim = sim_of(sb)
    with client(sb) as c:
        items = c.get("/expenses", params={"count": 500}).json()
        with_receipts = [x for x in items if x["receipt_ids"]]
        seen_types = set()
        for item in with_receipts[:30]:
            for receipt_id in item["receipt_ids"]:
                response = c.get(f"/expenses/{item['id']}/receipts/{receipt_id}/content")
                assert response.status_code == 200
                kind = response.headers["content-type"]
                seen_types.add(kind)
                magic = b"%PDF-" if kind == "application/pdf" else b"\x89PNG\r\n\x1a\n"
                assert response.content.startswith(magic)
        assert seen_types == {"application/pdf", "image/png"}
        first, second = with_receipts[0], with_receipts[1]
        stolen = c.get(f"/expenses/{first['id']}/receipts/{second['receipt_ids'][0]}/content")
        unknown = c.get(f"/expenses/{first['id']}/receipts/nope/content")
    assert stolen.status_code == unknown.status_code == 404
    assert stolen.json()["code"] == 3006
    assert sim.expense(first["id"]) == first


@pytest.mark.parametrize("auth", [False, "wrong-token"])
def test_missing_or_wrong_token_is_revolut_401(sb: Sandbox, auth: bool | str) -> None:
    with client(sb, auth=auth) as c:
        response = c.get("/expenses")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message"}
    assert isinstance(body["code"], int)
    assert sb.credentials("revolut")["token"] not in response.text


def test_malformed_date_quirk_marks_one_record(sb: Sandbox) -> None:
    sim = sim_of(sb)
    expense_id = sim.use_malformed_date()
    with client(sb) as c:
        detail = c.get(f"/expenses/{expense_id}").json()
        listed = c.get("/expenses", params={"count": 500}).json()
    bad = [x for x in listed if x["id"] == expense_id]
    assert bad == [detail]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{1}T\d{2}:\d{2}:\d{2}\.\d{3}Z", detail["expense_date"])
    with pytest.raises(ValueError, match="Invalid isoformat"):
        dt.datetime.fromisoformat(detail["expense_date"])
    assert all(parse(x["expense_date"]) for x in listed if x["id"] != expense_id)


def test_set_state_changes_what_the_list_answers(sb: Sandbox) -> None:
    sim = sim_of(sb)
    target = next(iter(sim.approved_ids()))
    sim.set_state(target, "reverted")
    with client(sb) as c:
        approved = [x["id"] for x in c.get("/expenses", params={"state": "approved",
                                                                 "count": 500}).json()]  # fmt: skip
        assert c.get(f"/expenses/{target}").json()["state"] == "reverted"
    assert target not in approved


def test_a_moved_expense_date_moves_the_record_in_the_list(sb: Sandbox) -> None:
    sim = sim_of(sb)
    old = sim.expense_id(300)
    neighbour = sim.record(10)["expense_date"]
    sim.move_expense_date(old, parse(neighbour))  # ties with record 10
    newest = parse(sim.record(0)["expense_date"]) + dt.timedelta(hours=1)
    other = sim.expense_id(200)
    sim.move_expense_date(other, newest)
    with client(sb) as c:
        everything = c.get("/expenses", params={"count": 500}).json()
        first = c.get("/expenses", params={"count": 1}).json()
        window = c.get("/expenses", params={"from": neighbour, "to": iso(newest)}).json()
        detail = c.get(f"/expenses/{old}").json()
    ids = [x["id"] for x in everything]
    assert len(ids) == len(set(ids)) == 500
    assert first[0]["id"] == other
    at = ids.index(old)
    # Among equal dates the moved record comes last (index order), then older records.
    assert at > ids.index(sim.expense_id(10))
    assert everything[at - 1]["expense_date"] == neighbour
    assert parse(everything[at + 1]["expense_date"]) < parse(neighbour)
    assert detail["expense_date"] == neighbour
    assert old in [x["id"] for x in window]
    assert other not in [x["id"] for x in window]  # `to` is exclusive
    dates = [parse(x["expense_date"]) for x in everything]
    assert dates == sorted(dates, reverse=True)


def test_rate_limit_answers_429_in_revolut_shape() -> None:
    sb = make_sandbox(size=20)
    sb.enable_rate_limits("revolut")
    with client(sb) as c:
        statuses = [c.get("/expenses", params={"count": 1}).status_code for _ in range(61)]
        last = c.get("/expenses", params={"count": 1})
    assert statuses[:60] == [200] * 60
    assert last.status_code == 429
    assert isinstance(last.json()["code"], int)


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    def snapshot(seed: int) -> list[bytes]:
        sb = make_sandbox(seed=seed)
        with client(sb) as c:
            page = c.get("/expenses", params={"count": 500})
            first = page.json()[0]
            detail = c.get(f"/expenses/{first['id']}")
            receipt = next(x for x in page.json() if x["receipt_ids"])
            content = c.get(
                f"/expenses/{receipt['id']}/receipts/{receipt['receipt_ids'][0]}/content"
            )
        return [page.content, detail.content, content.content]

    assert snapshot(11) == snapshot(11)
    assert snapshot(11)[0] != snapshot(12)[0]


def test_a_million_expenses_construct_lazily_and_a_far_page_can_be_read() -> None:
    sb = make_sandbox(size=1_000_000)
    sim = sim_of(sb)
    far = parse(sim.record(900_000)["expense_date"])
    with client(sb) as c:
        page = c.get("/expenses", params={"to": iso(far), "count": 500}).json()
        last = c.get(f"/expenses/{sim.expense_id(999_999)}").json()
    assert len(page) == 500
    assert all(parse(x["expense_date"]) < far for x in page)
    dates = [parse(x["expense_date"]) for x in page]
    assert dates == sorted(dates, reverse=True)
    assert last["id"] == sim.expense_id(999_999)
    _, length = next(sim.tie_runs(sim.long_tie_start, sim.long_tie_start + 1))
    assert length > MAX_COUNT


def test_over_loopback_http() -> None:
    sb = make_sandbox(size=50)
    with sb.serve(port=0) as server, support.served_client(server, sb, "revolut") as c:
        page = c.get("/expenses", params={"count": 50})
        item = next(x for x in page.json() if x["receipt_ids"])
        content = c.get(f"/expenses/{item['id']}/receipts/{item['receipt_ids'][0]}/content")
        denied = c.get("/expenses", headers={"Authorization": "Bearer nope"})
    assert page.status_code == 200
    assert len(page.json()) == 50
    assert json.loads(page.content) == page.json()
    assert content.status_code == 200
    assert content.content[:4] in (b"%PDF", b"\x89PNG"[:4])
    assert denied.status_code == 401
    assert isinstance(denied.json()["code"], int)
