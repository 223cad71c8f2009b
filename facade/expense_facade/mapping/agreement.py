"""The value every line of an expense agrees on (an expense-level code read from its
lines); the rule is in docs/field_mapping.md, "Values every line agrees on".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

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
