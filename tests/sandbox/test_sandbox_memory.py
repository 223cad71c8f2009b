"""A million-expense sandbox holds no per-record state: building it and reading a first and
a far page allocate a few hundred kilobytes, not one object per record.
(scripts/sandbox_memory.py pages through the whole million and reports peak RSS.)"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

from expense_facade.sandbox import Sandbox
from support.sandbox import client, make

MILLION = 1_000_000
BUDGET_BYTES = 4 * 1024 * 1024  # one page of JSON plus the sandbox itself, with room to spare


def traced(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_million_brex_expenses_first_and_far_page() -> None:
    state: dict[str, Any] = {}

    def run() -> None:
        sb = make("brex", seed=1, size=MILLION)
        with client(sb, "brex", check=False) as c:
            first = c.get("/v1/expenses", params={"limit": 100}).json()
            far = c.get(
                "/v1/expenses", params={"limit": 100, "updated_at_start": "2025-11-26T00:00:00Z"}
            )
            state["first"], state["far"] = first, far.json()  # fmt: skip
        state["sim"] = sb.vendor("brex")

    peak = traced(run)
    assert len(state["first"]["items"]) == 100
    far_items = state["far"]["items"]
    assert far_items
    sim = state["sim"]
    assert sim.index_of(far_items[-1]["id"]) > 990_000
    assert peak < BUDGET_BYTES, peak
    # Nothing per record was kept: the overlays are empty until something is mutated.
    assert vars(sim)["_memo"] == {}
    assert vars(sim)["_touched"] == {}


def test_a_million_pazy_expenses_far_cursor_and_detail() -> None:
    state: dict[str, Any] = {}

    def run() -> None:
        sb = make("pazy", seed=1, size=MILLION)
        sim: Any = sb.vendor("pazy")
        with client(sb, "pazy", check=False) as c:
            state["far"] = c.get("/expenses", params={"cursor": "999990", "limit": 100}).json()
            state["last"] = c.get(f"/expense/{sim.expense_id(MILLION - 1)}").json()

    peak = traced(run)
    assert len(state["far"]["data"]["expenses"]) == 10
    assert state["far"]["data"]["context"]["hasMore"] is False
    assert state["last"]["data"]["identifier"] == f"EXP-{MILLION:06d}"
    assert peak < BUDGET_BYTES, peak


def test_a_million_capture_rows_cost_nothing_until_read() -> None:
    sb: Sandbox | None = None

    def run() -> None:
        nonlocal sb
        sb = make("capture", seed=1, size=MILLION)

    peak = traced(run)
    assert sb is not None
    sim: Any = sb.vendor("capture")
    assert sim.queue_size() == 800_000
    assert sim.row(MILLION - 1)["reference"] == f"EXP-{MILLION - 1 + 100000:07d}"
    assert peak < BUDGET_BYTES, peak
