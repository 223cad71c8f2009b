"""Request bodies written as exact JSON: a ``Decimal`` amount goes out as the number it
is, never through a float (docs/adapter_guide.md, "Writing amounts").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def exact_json(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON with each ``Decimal`` written exactly
    (``Decimal("12.50")`` -> ``12.50``).

    The stdlib cannot write a Decimal as a number, and a float would not be exact. A float
    in ``value`` is refused (``TypeError``): it would mean an amount already lost its
    exactness; a non-finite Decimal is a ``ValueError``."""
    return _text(value).encode("utf-8")


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("floats are not written: pass amounts as Decimal")
    if isinstance(value, Mapping):
        members = (f"{json.dumps(str(k))}:{_text(v)}" for k, v in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return json.dumps(value)
