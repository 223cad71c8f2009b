"""Which common ``Expense`` field a vendor's free-form dimension (Revolut label groups,
Brex and ProSpend custom fields) fills, by its name: ``dimension_for`` and the one loop
the adapters share, ``dimensions_from``. The rule is in docs/field_mapping.md,
"Dimension names".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Literal

from expense_facade.mapping.fields import text

Dimension = Literal["department", "cost_centre", "project", "location"]

DIMENSION_NAMES: Mapping[str, Dimension] = {
    "department": "department",
    "departments": "department",
    "dept": "department",
    "cost centre": "cost_centre",
    "cost centres": "cost_centre",
    "cost center": "cost_centre",
    "cost centers": "cost_centre",
    "costcentre": "cost_centre",
    "costcenter": "cost_centre",
    "cost centre code": "cost_centre",
    "cost center code": "cost_centre",
    "project": "project",
    "projects": "project",
    "project code": "project",
    "location": "location",
    "locations": "location",
    "office": "location",
}
"""Normalised dimension names (see ``normalise_dimension_name``) -> the common field."""

NO_DIMENSIONS: Mapping[Dimension, str] = {}
"""What a record without dimensions reads (one shared empty mapping, never written: the
adapters ask it of every record)."""

_SEPARATORS = re.compile(r"[^0-9a-z]+")


def normalise_dimension_name(name: str) -> str:
    """``"Cost_Centre "`` -> ``"cost centre"``: case-folded, separators as single spaces."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


def dimension_for(name: object) -> Dimension | None:
    """The common field a dimension called ``name`` fills, or ``None`` if its name does not
    say (``"Cost centre"``, ``"cost_center"`` -> ``"cost_centre"``; ``"Team"`` -> None)."""
    if not isinstance(name, str):
        return None
    return _dimension_of(name)


@functools.lru_cache(maxsize=1024)
def _dimension_of(name: str) -> Dimension | None:
    # Cached: a business has a handful of dimension names, asked about on every record.
    return DIMENSION_NAMES.get(normalise_dimension_name(name))


def dimensions_from(
    named_values: Iterable[tuple[object, str | None]],
) -> dict[Dimension, str]:
    """The common fields filled by ``(dimension name, value)`` pairs, in order: a pair
    fills its field when ``dimension_for`` maps the name and the value reads as text
    (``text``); the first pair for a field wins. Other pairs are left unmapped."""
    found: dict[Dimension, str] = {}
    for name, value in named_values:
        # (A str name straight to the cache: the usual case, without dimension_for's check.)
        dimension = _dimension_of(name) if type(name) is str else dimension_for(name)
        if dimension is None or dimension in found:
            continue
        chosen = text(value)
        if chosen is not None:
            found[dimension] = chosen
    return found
