"""Hypothesis strategies for requests described by an OpenAPI 3.0 spec (tests only).

``values(spec, schema)`` draws JSON values that follow a schema (the subset our specs use:
``$ref``, ``allOf``/``oneOf``/``anyOf``, ``enum``, ``nullable``, string formats and
patterns, bounds, arrays, objects with required and optional properties). ``hints`` map a
property or parameter name to a strategy of real values (ids the sandbox knows), mixed in
so that generated requests reach records, not only 404s.

``mutated(value)`` breaks a valid value the way a careless client does: a required key
dropped, a value of the wrong type, a container where a scalar belongs. ``junk_text()`` is
text a query parameter or path segment should survive: empty, signs, exponents, unicode
digits, dates out of range.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from .conformance import VendorSpec

Hints = Mapping[str, st.SearchStrategy[Any]]

JUNK_TEXTS = (
    "",
    " ",
    "0",
    "-1",
    "+5",
    " 5",
    "1e3",
    "1_000",
    "0x10",
    "9" * 30,
    "²",
    "٣",
    "\uff11\uff12",  # fullwidth digits
    "null",
    "true",
    "NaN",
    "-0",
    "2025-13-45T99:99:99Z",
    "0001-01-01T00:00:00-23:59",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "2025-01-01",
    "2025-01-01T00:00:00",
    "%",
    "../..",
    "a/b",
    "\u0000",
    "🙂",
)
# Numbers that break arithmetic done carelessly (precision, overflow, exponent forms).
EXTREME_NUMBERS: tuple[Any, ...] = (
    0,
    -1,
    2**63,
    10**30,
    -(10**30),
    decimal.Decimal("1E-30"),
    decimal.Decimal("1E+400"),
    decimal.Decimal("123.456789012345678901234567890"),
    0.1,
)
JSON_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)


def junk_text() -> st.SearchStrategy[str]:
    """Text a parameter should be refused (or ignored) for, never crash on."""
    return st.one_of(st.sampled_from(JUNK_TEXTS), st.text(max_size=16))


def any_json() -> st.SearchStrategy[Any]:
    """Any JSON value (small)."""
    return st.recursive(
        JSON_SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


def _merge_all_of(spec: VendorSpec, schema: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        resolved = spec.deref(part)
        if "allOf" in resolved:
            resolved = _merge_all_of(spec, resolved)
        for key, value in resolved.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _string(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    fmt = schema.get("format")
    if fmt == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
    if fmt == "date-time":
        moments = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2035, 12, 31))
        return moments.map(lambda d: d.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z"))
    if fmt == "uuid":
        return st.uuids().map(str)
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) < 40)
    return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 24))


def _number(schema: Mapping[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    ints = st.integers(min_value=low, max_value=high)
    extremes = [
        n
        for n in EXTREME_NUMBERS
        if (not integer or isinstance(n, int))
        and (low is None or n >= low)
        and (high is None or n <= high)
    ]
    if integer:
        return st.one_of(ints, st.sampled_from(extremes)) if extremes else ints
    cents = st.decimals(
        min_value=low, max_value=high, places=2, allow_nan=False, allow_infinity=False
    ).filter(lambda d: abs(d) < decimal.Decimal(10) ** 12)
    return st.one_of(ints, cents, st.sampled_from(extremes)) if extremes else st.one_of(ints, cents)


def values(
    spec: VendorSpec, schema: Mapping[str, Any], hints: Hints | None = None, depth: int = 0
) -> st.SearchStrategy[Any]:
    """JSON values that follow ``schema`` (a schema of ``spec``)."""
    hints = hints or {}
    schema = spec.deref(schema)
    if "allOf" in schema:
        schema = _merge_all_of(spec, schema)
    base: st.SearchStrategy[Any]
    if "oneOf" in schema or "anyOf" in schema:
        parts = schema.get("oneOf") or schema.get("anyOf") or []
        base = st.one_of(*(values(spec, p, hints, depth + 1) for p in parts))
    elif "enum" in schema:
        base = st.sampled_from(schema["enum"])
    else:
        kind = schema.get("type")
        if kind == "string":
            base = _string(schema)
        elif kind in ("integer", "number"):
            base = _number(schema, kind == "integer")
        elif kind == "boolean":
            base = st.booleans()
        elif kind == "array":
            items = values(spec, schema.get("items", {}), hints, depth + 1)
            base = st.lists(items, min_size=schema.get("minItems", 0), max_size=3)
        elif kind == "object" or "properties" in schema:
            base = _object(spec, schema, hints, depth)
        else:
            base = any_json()
    if schema.get("nullable") is True:
        base = st.one_of(st.none(), base)
    return base


def _object(
    spec: VendorSpec, schema: Mapping[str, Any], hints: Hints, depth: int
) -> st.SearchStrategy[dict[str, Any]]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])

    def strategy(name: str, sub: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        own = values(spec, sub, hints, depth + 1)
        # Real values three times out of four: enough requests get past validation.
        return st.one_of(hints[name], hints[name], hints[name], own) if name in hints else own

    if depth > 4:  # deep optional members add nothing but time
        properties = {k: v for k, v in properties.items() if k in required}
    return st.fixed_dictionaries(
        {k: strategy(k, v) for k, v in properties.items() if k in required},
        optional={k: strategy(k, v) for k, v in properties.items() if k not in required},
    )


@st.composite
def _mutate(draw: st.DrawFn, value: Any) -> Any:
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        how = draw(st.sampled_from(["drop", "retype", "nest"]))
        broken = dict(value)
        if how == "drop":
            del broken[key]
        elif how == "retype":
            broken[key] = draw(any_json())
        else:
            broken[key] = draw(_mutate(value[key]))
        return broken
    if isinstance(value, list) and value:
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], draw(_mutate(value[index])), *value[index + 1 :]]
    return draw(any_json())


def mutated(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values of ``valid`` with one part broken (dropped, retyped, replaced)."""
    return valid.flatmap(_mutate)


def as_query_text(value: Any) -> str:
    """A JSON value as it travels in a query string (``true``, ``12.5``, text as is)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def example(spec: VendorSpec, schema: Mapping[str, Any], known: Mapping[str, Any]) -> Any:
    """One deterministic value for ``schema`` with every property present: ``known``
    values by property name first, else the simplest value of the type."""
    schema = spec.deref(schema)
    if "allOf" in schema:
        schema = _merge_all_of(spec, schema)
    if "oneOf" in schema or "anyOf" in schema:
        return example(spec, (schema.get("oneOf") or schema.get("anyOf") or [{}])[0], known)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        return {
            name: known[name] if name in known else example(spec, sub, known)
            for name, sub in properties.items()
        }
    if kind == "array":
        return [example(spec, schema.get("items", {}), known)]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return {"date": "2026-01-31", "date-time": "2026-01-31T12:00:00Z"}.get(
        schema.get("format", ""), "x"
    )


def member_paths(value: Any) -> list[tuple[Any, ...]]:
    """The path of every member of ``value``: each key of an object, the first item of
    an array, recursively (``("exportStatuses", 0, "id")``)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, member in value.items():
            found.append((key,))
            found += [(key, *rest) for rest in member_paths(member)]
    elif isinstance(value, list) and value:
        found.append((0,))
        found += [(0, *rest) for rest in member_paths(value[0])]
    return found


_DROP = object()


def replaced(value: Any, path: tuple[Any, ...], new: Any = _DROP) -> Any:
    """A copy of ``value`` with the member at ``path`` set to ``new`` (or removed)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if not rest and new is _DROP:
            del copy[head]
        else:
            copy[head] = replaced(value[head], rest, new)
        return copy
    items = list(value)
    if not rest and new is _DROP:
        del items[head]
    else:
        items[head] = replaced(items[head], rest, new)
    return items
