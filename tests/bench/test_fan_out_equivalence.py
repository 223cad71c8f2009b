"""The speed-ups the benchmarks measure change speed, not results: a listing fanned out
(``connect(concurrency=8)``) or read ahead (``read_ahead=1``) hands out exactly what the
one-at-a-time listing does, in the same order, against the sandbox's ground truth; the
async client's fan-out (tasks) and read-ahead hand out the sync sequential listing too."""

from __future__ import annotations

from typing import Any

import expense_facade as ef
import pytest
from expense_facade.registry import normalise_vendor
from support.sandbox import connecting, make


def listing(vendor: str, driver: str = "sync", **settings: Any) -> list[ef.Expense]:
    sandbox = make(vendor, seed=3, size=150)
    with connecting(driver)(normalise_vendor(vendor), sandbox=sandbox, **settings) as client:
        return list(client.list_approved())


@pytest.mark.parametrize("vendor", ["prospend", "pazy", "brex", "revolut"])
def test_fanned_out_and_read_ahead_listings_equal_the_sequential_one(
    vendor: str, driver: str
) -> None:
    sequential = listing(vendor)  # the sync client, one request at a time
    assert sequential  # the sandbox has approved expenses for every vendor
    for settings in ({"concurrency": 8}, {"read_ahead": 1}, {"concurrency": 8, "read_ahead": 2}):
        other = listing(vendor, driver, **settings)
        assert [e.id for e in other] == [e.id for e in sequential], settings
        assert other == sequential, settings  # every field, not only the ids


def test_prospend_fan_out_lists_exactly_the_approved_ids_once(driver: str) -> None:
    sandbox = make("prospend", seed=5, size=300)
    with connecting(driver)("prospend", sandbox=sandbox, concurrency=8) as client:
        ids = [e.id for e in client.list_approved()]
    assert len(ids) == len(set(ids))
    assert set(ids) == {str(i) for i in sandbox.vendor("prospend").approved_ids()}


def test_get_expenses_equals_get_expense_one_by_one(driver: str) -> None:
    sandbox = make("brex", seed=2, size=120)
    ids = [str(i) for i in sandbox.vendor("brex").approved_ids()][:30]
    with connecting(driver)("brex", sandbox=sandbox) as client:
        one_by_one = [client.get_expense(i) for i in ids]
        assert list(client.get_expenses(ids, concurrency=8)) == one_by_one
