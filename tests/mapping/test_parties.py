"""Shared parties (mapping.parties): the same instance for the same values, equal field by
field to the record built directly, and bounded (docs/field_mapping.md, "Shared parties")."""

from __future__ import annotations

import attrs
from expense_facade.mapping import parties
from expense_facade.records import Employee, Merchant
from hypothesis import given
from hypothesis import strategies as st

names = st.one_of(st.none(), st.text(min_size=1, max_size=8))


@given(names, names, names)
def test_a_shared_employee_is_the_employee_of_those_values(
    ident: str | None, name: str | None, email: str | None
) -> None:
    shared = parties.employee(ident, name, email)
    assert type(shared) is Employee
    assert attrs.astuple(shared) == attrs.astuple(Employee(id=ident, name=name, email=email))
    assert parties.employee(ident, name, email) is shared


@given(names, names)
def test_a_shared_merchant_is_the_merchant_of_those_values(
    name: str | None, mcc: str | None
) -> None:
    shared = parties.merchant(name, mcc)
    assert type(shared) is Merchant
    assert attrs.astuple(shared) == attrs.astuple(Merchant(name=name, mcc=mcc))
    assert parties.merchant(name, mcc) is shared


def test_the_caches_are_bounded() -> None:
    for n in range(parties._SHARED_MAX + 10):
        parties.merchant(f"shop {n}", None)
    assert parties.merchant.cache_info().currsize <= parties._SHARED_MAX
