"""``SeenIds`` (the compact id set behind ``dedupe_pages`` and ``timestamp_pages``) answers
exactly like a ``set``, through growth and for odd ids."""

from __future__ import annotations

from collections.abc import Hashable

from expense_facade.mapping.paging import SeenIds, dedupe_pages
from hypothesis import given
from hypothesis import strategies as st

ids = st.one_of(st.text(max_size=12), st.integers(), st.sampled_from(["a", "a\n", "\n", ""]))


@given(st.lists(ids, max_size=300))
def test_behaves_like_a_set(values: list[Hashable]) -> None:
    seen = SeenIds()
    model: set[Hashable] = set()
    for value in values:
        assert seen.add(value) == (value not in model)
        model.add(value)
        assert value in seen
    assert len(seen) == len(model)


def test_exact_through_growth() -> None:
    seen = SeenIds()
    first = [f"expense_{n:07d}" for n in range(0, 60_000, 2)]
    assert all(seen.add(i) for i in first)  # more than the buckets hold before doubling
    assert not any(seen.add(i) for i in first)
    assert not any(f"expense_{n:07d}" in seen for n in range(1, 60_000, 2))
    assert "expense_000000" not in seen  # a prefix of a stored id is not a member
    assert "xpense_0000000" not in seen  # nor a suffix
    assert len(seen) == 30_000


def test_non_ascii_and_prefix_ids_are_kept_apart() -> None:
    seen = SeenIds()
    for ident in ("é", "e", "ée", "123", "12", "3462:1234567", "3462:123456"):
        assert seen.add(ident)
    assert not seen.add("ée")
    assert seen.add(123)  # an int id is not the string "123"


def test_dedupe_pages_still_drops_repeats_and_keeps_idless_items() -> None:
    pages: list[list[dict[str, object]]] = [
        [{"id": "1"}, {"id": 2}, {"x": 1}],
        [{"id": "2"}, {"id": "1"}, {"x": 1}],  # raw_id reads the number 2 as "2"
    ]
    out = [[item.get("id") for item in page] for page in dedupe_pages(pages)]
    assert out == [["1", 2, None], [None]]
