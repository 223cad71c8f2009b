"""Repairs of schema keywords holding values of the wrong kind.

Published files carry things like ``minimum: "now + 1 day"``, a ``discriminator`` without
``propertyName`` or ``required: ["true"]`` inside a property: the generator's document
model rejects the whole file, or drops the model, for one such keyword.
"""

from __future__ import annotations

import math
from typing import Any

from .walk import iter_schemas

_INTEGER_KEYWORDS = (
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
_NUMBER_KEYWORDS = ("minimum", "maximum", "multipleOf")
_EXCLUSIVE_KEYWORDS = ("exclusiveMinimum", "exclusiveMaximum")
_KNOWN_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def _as_number(value: Any) -> float | int | None:
    """``value`` as a finite number, accepting numeric strings; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and "." not in value else number
    return None


def repair_numeric_keywords(document: dict[str, Any]) -> list[str]:
    """Drop numeric keywords that hold non-numbers; turn numeric strings into numbers.

    Length/count keywords must be non-negative integers and ``multipleOf`` positive;
    ``exclusiveMinimum``/``exclusiveMaximum`` may also be booleans (OpenAPI 3.0 style).
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        for keyword in (*_INTEGER_KEYWORDS, *_NUMBER_KEYWORDS, *_EXCLUSIVE_KEYWORDS):
            if keyword not in schema:
                continue
            value = schema[keyword]
            if keyword in _EXCLUSIVE_KEYWORDS and isinstance(value, bool):
                continue
            number = _as_number(value)
            if keyword in _INTEGER_KEYWORDS and number is not None:
                number = int(number) if float(number).is_integer() and number >= 0 else None
            if keyword == "multipleOf" and number is not None and number <= 0:
                number = None
            if number is None:
                del schema[keyword]
                messages.append(f"{pointer}: dropped {keyword}={value!r}")
            elif number != value or type(number) is not type(value):
                schema[keyword] = number
                messages.append(f"{pointer}: {keyword} {value!r} -> {number!r}")
    return messages


def repair_discriminators(document: dict[str, Any]) -> list[str]:
    """Drop a ``discriminator`` without a string ``propertyName`` (or that is not an object)."""
    messages = []
    for pointer, schema in iter_schemas(document):
        discriminator = schema.get("discriminator")
        if discriminator is None:
            continue
        if not isinstance(discriminator, dict) or not isinstance(
            discriminator.get("propertyName"), str
        ):
            del schema["discriminator"]
            messages.append(f"{pointer}: dropped discriminator without propertyName")
    return messages


def repair_required(document: dict[str, Any]) -> list[str]:
    """Make ``required`` a non-empty list of names of the object's own properties.

    ``required: true`` (Swagger habit, inside a property) and ``required: ["true"]`` on a
    schema without such a property are dropped rather than turned into a requirement on
    the parent: a response field wrongly marked required would make parsing stricter.
    Schemas that compose others (allOf/anyOf/oneOf) or declare no properties may legally
    require names defined elsewhere, so only non-strings are removed there.
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        if "required" not in schema:
            continue
        value = schema["required"]
        if not isinstance(value, list):
            del schema["required"]
            messages.append(f"{pointer}: dropped required={value!r} (not a list)")
            continue
        properties = schema.get("properties")
        composes = any(key in schema for key in ("allOf", "anyOf", "oneOf"))
        kind = schema.get("type")
        is_object = (
            kind in ("object", None)
            or (isinstance(kind, list) and "object" in kind)
            or isinstance(properties, dict)
        )
        kept: list[str] = []
        for name in value:
            if not isinstance(name, str) or name in kept or not is_object:
                continue
            if isinstance(properties, dict) and not composes and name not in properties:
                continue
            kept.append(name)
        if kept == value:
            continue
        dropped = [name for name in value if name not in kept]
        if kept:
            schema["required"] = kept
        else:
            del schema["required"]
        messages.append(f"{pointer}: dropped required entries {dropped!r}")
    return messages


def repair_schema_types(document: dict[str, Any]) -> list[str]:
    """Drop unknown ``type`` values (Swagger's ``file``) and give arrays without items ``{}``."""
    messages = []
    for pointer, schema in iter_schemas(document):
        kind = schema.get("type")
        if isinstance(kind, str) and kind not in _KNOWN_TYPES:
            if kind == "file":
                schema["type"] = "string"
                schema.setdefault("format", "binary")
                messages.append(f"{pointer}: type 'file' -> string/binary")
            else:
                del schema["type"]
                messages.append(f"{pointer}: dropped unknown type {kind!r}")
        elif isinstance(kind, list) and any(k not in _KNOWN_TYPES for k in kind):
            schema["type"] = [k for k in kind if k in _KNOWN_TYPES]
            if not schema["type"]:
                del schema["type"]
            messages.append(f"{pointer}: dropped unknown types from {kind!r}")
        if schema.get("type") == "array" and "items" not in schema and "prefixItems" not in schema:
            schema["items"] = {}
            messages.append(f"{pointer}: array without items given items: {{}}")
    return messages


def repair_defaults(document: dict[str, Any]) -> list[str]:
    """Drop a ``default`` the generator cannot convert to the schema's type.

    For example ``type: integer, default: "none"`` or ``type: boolean, default: "yes"``:
    the generator fails the whole property on it, and a client never needs the default
    of a response field.
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        if "default" not in schema or schema["default"] is None:
            continue
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_default_fits(schema["default"], k) for k in kinds):
            messages.append(f"{pointer}: dropped default {schema['default']!r} (type {kind})")
            del schema["default"]
    return messages


def _default_fits(value: Any, kind: Any) -> bool:
    if kind in ("integer", "number"):
        number = _as_number(value)
        return number is not None and (kind == "number" or float(number).is_integer())
    if kind == "boolean":
        return isinstance(value, bool) or (
            isinstance(value, str) and value.lower() in ("true", "false")
        )
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "null":
        return value is None
    # Strings and untyped schemas accept anything the generator can print as a literal.
    return not isinstance(value, dict | list) or kind is None
