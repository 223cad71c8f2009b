"""The value every line of an expense agrees on (an expense-level code read from its
lines); the rule is in docs/field_mapping.md, "Values every line agrees on".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from expense_facade.records import LineItem

T = TypeVar("T")


def agreed_value(values: Iterable[T | None]) -> T | None:
    """The one value every line has; ``None`` when there are no lines, when two lines
    differ, or when any line has none (a line without a value breaks agreement: the
    expense-level value would not hold for that line)."""
    first: T | None = None
    for n, value in enumerate(values):  # a plain loop: most expenses have one line
        if value is None:
            return None
        if n == 0:
            first = value
        elif value != first:
            return None
    return first


def agreed_codes(lines: Sequence[LineItem]) -> tuple[str | None, str | None, str | None]:
    """The ``(category, gl_code, tax_code)`` every line of ``lines`` agrees on (each by
    ``agreed_value``)."""
    if len(lines) == 1:  # most expenses: the line's own values, with no loop
        only = lines[0]
        return only.category, only.gl_code, only.tax_code
    return (
        agreed_value([line.category for line in lines]),
        agreed_value([line.gl_code for line in lines]),
        agreed_value([line.tax_code for line in lines]),
    )
