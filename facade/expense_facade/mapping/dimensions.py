"""Which common ``Expense`` field a vendor's free-form dimension belongs to.

Several vendors let each business name its own tagging dimensions (Revolut label groups,
Brex custom fields). The facade maps a dimension to ``department``, ``cost_centre``,
``project`` or ``location`` only when its *name* says so, by one rule shared by the
adapters: the name is compared case-insensitively after turning every run of
non-alphanumeric characters into one space, against the spellings in
``DIMENSION_NAMES``. Anything else is left unmapped (it stays in ``Expense.raw``):
guessing from a dimension's values would put a wrong value in an accounting export.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Literal

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
