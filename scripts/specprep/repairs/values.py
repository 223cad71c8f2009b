"""Repairs that make generated models lenient about the values they parse.

- ``allOf: [{$ref: X}, {nullable: true}]`` (a nullable reference, as some generators of
  published files write it) makes openapi-python-client drop the whole enclosing model
  ("Cannot take allOf a non-object"); it becomes ``allOf: [{$ref: X}], nullable: true``
  (3.0) or ``anyOf: [{$ref: X}, {type: 'null'}]`` (3.1), which the generator maps to
  ``X | None``.
- Optional properties accept null: vendors send ``null`` for absent optional values whether
  or not the spec says ``nullable``, and a null where the generated code expects a nested
  model or a list raises for the whole response.
- Enums are opened: generated enum classes raise on a value the spec does not list, and
  vendors add values. The documented values move to ``x-known-values``; the adapter maps
  them to its normalised statuses and keeps unknown ones as data.
- ``format: date-time``, ``date`` and ``uuid`` move to ``x-format``: the generated
  ``from_dict`` would parse them eagerly, so one malformed value would fail a whole
  response. The facade parses those fields itself, leniently, field by field.
"""

from __future__ import annotations

from typing import Any

from .base import is_openapi_31, make_nullable
from .walk import iter_schemas

LENIENT_FORMATS = ("date-time", "date", "uuid")
# Keywords that only annotate: a part of an allOf made of these adds nothing to the shape.
_ANNOTATION_KEYS = frozenset(
    {"description", "title", "example", "examples", "default", "readOnly", "writeOnly",
     "deprecated", "externalDocs", "xml", "nullable", "type"}
)  # fmt: skip


def _is_annotation_part(part: Any) -> bool:
    """True for an allOf part made of annotations only (``{nullable: true}``, ...)."""
    if not isinstance(part, dict) or "$ref" in part or not part:
        return False
    if part.get("type", "null") != "null" or part.get("nullable", True) is not True:
        return False
    return all(key in _ANNOTATION_KEYS or key.startswith("x-") for key in part)


def repair_nullable_allof(document: dict[str, Any]) -> list[str]:
    """Collapse ``allOf: [{$ref}, {nullable: true}]`` so the generator keeps the model.

    Any allOf of one reference plus annotation-only parts (``{description: ...}``, as
    published files also write) is collapsed the same way: the generator merges allOf
    parts as objects and drops the model when the reference is a string or enum.
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        parts = schema.get("allOf")
        if not isinstance(parts, list) or len(parts) < 2:
            continue
        refs = [part for part in parts if isinstance(part, dict) and "$ref" in part]
        annotations = [part for part in parts if _is_annotation_part(part)]
        if len(refs) != 1 or len(refs) + len(annotations) != len(parts):
            continue
        nullable = any(
            part.get("nullable") is True or part.get("type") == "null" for part in annotations
        )
        for part in annotations:
            for key, value in part.items():
                if key not in ("nullable", "type"):
                    schema.setdefault(key, value)
        if nullable and is_openapi_31(document):
            del schema["allOf"]
            schema["anyOf"] = [refs[0], {"type": "null"}]
        else:
            schema["allOf"] = [refs[0]]
            if nullable:
                schema["nullable"] = True
        kind = "nullable allOf" if nullable else "allOf with annotation-only parts"
        messages.append(f"{pointer}: {kind} around {refs[0]['$ref']} collapsed")
    return messages


def _is_nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if schema.get("nullable") is True or kind == "null":
        return True
    if isinstance(kind, list) and "null" in kind:
        return True
    options = schema.get("anyOf") or schema.get("oneOf") or []
    return any(isinstance(option, dict) and option.get("type") == "null" for option in options)


_ANNOTATIONS = ("description", "title", "readOnly", "writeOnly", "deprecated")


def _nullable_variant(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """``schema`` made to accept null, keeping its meaning otherwise."""
    annotations = {key: schema[key] for key in _ANNOTATIONS if key in schema}
    if "$ref" in schema:
        # Siblings of $ref are ignored in 3.0, so the reference is wrapped.
        reference = {"$ref": schema["$ref"]}
        if is_openapi_31(document):
            return {**annotations, "anyOf": [reference, {"type": "null"}]}
        return {**annotations, "allOf": [reference], "nullable": True}
    if is_openapi_31(document) and not isinstance(schema.get("type"), str | list):
        inner = {key: value for key, value in schema.items() if key not in _ANNOTATIONS}
        return {**annotations, "anyOf": [inner, {"type": "null"}]}
    result = dict(schema)
    make_nullable(result, document)
    return result


def repair_nullable_optionals(document: dict[str, Any]) -> list[str]:
    """Make every optional property (not in its object's ``required``) accept null.

    Untyped properties (``{}``) already accept anything and are left alone.
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        required = schema.get("required")
        required_names = set(required) if isinstance(required, list) else set()
        changed = []
        for name, prop in properties.items():
            if name in required_names or not isinstance(prop, dict) or _is_nullable(prop):
                continue
            if not any(key in prop for key in ("$ref", "type", "allOf", "anyOf", "oneOf")):
                continue
            properties[name] = _nullable_variant(prop, document)
            changed.append(name)
        if changed:
            messages.append(f"{pointer}: optional {', '.join(changed)} made nullable")
    return messages


def _type_of_values(values: list[Any]) -> str | None:
    if all(isinstance(v, str) for v in values):
        return "string"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    return None


def repair_open_enums(document: dict[str, Any]) -> list[str]:
    """Turn every ``enum`` into its plain type, keeping the values under ``x-known-values``.

    A ``null`` among the values makes the schema nullable instead. References to an enum
    component keep working: the component becomes a plain string (or integer) schema.
    """
    messages = []
    for pointer, schema in iter_schemas(document):
        if "enum" not in schema:
            continue
        values = schema.pop("enum")
        if not isinstance(values, list):
            messages.append(f"{pointer}: dropped malformed enum {values!r}")
            continue
        known = [value for value in values if value is not None]
        if "type" not in schema:
            inferred = _type_of_values(known)
            if inferred is not None:
                schema["type"] = inferred
        if len(known) != len(values):
            make_nullable(schema, document)
        if known:
            existing = schema.get("x-known-values")
            if isinstance(existing, list):
                known = existing + [value for value in known if value not in existing]
            schema["x-known-values"] = known
        messages.append(f"{pointer}: enum of {len(known)} value(s) opened")
    return messages


def repair_lenient_formats(document: dict[str, Any]) -> list[str]:
    """Move ``format: date-time|date|uuid`` to ``x-format`` so values stay strings."""
    messages = []
    for pointer, schema in iter_schemas(document):
        value = schema.get("format")
        if value in LENIENT_FORMATS:
            schema["x-format"] = schema.pop("format")
            messages.append(f"{pointer}: format {value} -> x-format")
    return messages
