"""The sandbox's weighted pick: one hashed integer chooses an entry by weight."""

from __future__ import annotations

from collections import Counter

from expense_facade.sandbox import data

TABLE = (("a", 1), ("b", 2), ("c", 7))


def test_each_value_modulo_the_total_weight_lands_on_its_entry() -> None:
    picks = [data.weighted(value, TABLE) for value in range(10)]
    assert picks == ["a", "b", "b", "c", "c", "c", "c", "c", "c", "c"]
    assert data.weighted(10 + 3, TABLE) == data.weighted(3, TABLE)


def test_hashed_values_follow_the_weights() -> None:
    counts = Counter(data.weighted(data.mix(1, "x", i), TABLE) for i in range(10_000))
    assert 800 < counts["a"] < 1_200
    assert 1_700 < counts["b"] < 2_300
    assert 6_500 < counts["c"] < 7_500
