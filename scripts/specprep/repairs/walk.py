"""Find every Schema Object in an OpenAPI document.

Schemas live under ``components/schemas``, under every ``schema`` key (parameters, media
types, headers) and inside other schemas (properties, items, allOf/anyOf/oneOf, not,
additionalProperties, prefixItems, patternProperties, $defs). Example values and ``x-``
extensions are data, never schemas, so they are not entered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Keywords whose value is one schema.
_SINGLE = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
# Keywords whose value is a list of schemas.
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Keywords whose value maps names to schemas.
_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Keys of non-schema objects that hold data, not description ("default" is not one of
# them: outside schemas it is the default response).
_DATA_KEYS = ("example", "examples")


def escape(token: str) -> str:
    """Escape one JSON Pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def iter_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(json_pointer, schema)`` for every schema, parents before their children.

    The walk is over a snapshot taken as it goes, so a repair may edit the schema it was
    handed (and its children, which are visited afterwards) while iterating.
    """
    yield from _walk_document(document, "#")


def iter_subschemas(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(relative_pointer, child)`` for the direct subschemas of ``schema``."""
    for key in _SINGLE:
        child = schema.get(key)
        if isinstance(child, dict):
            yield key, child
    for key in _LISTS:
        children = schema.get(key)
        if isinstance(children, list):
            for index, child in enumerate(children):
                if isinstance(child, dict):
                    yield f"{key}/{index}", child
    for key in _MAPS:
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                if isinstance(child, dict):
                    yield f"{key}/{escape(name)}", child


def _walk_schema(schema: dict[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield pointer, schema
    for relative, child in list(iter_subschemas(schema)):
        yield from _walk_schema(child, f"{pointer}/{relative}")


def _walk_document(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_document(item, f"{pointer}/{index}")
        return
    if not isinstance(node, dict):
        return
    for key, value in list(node.items()):
        if key.startswith("x-") or key in _DATA_KEYS:
            continue
        child_pointer = f"{pointer}/{escape(key)}"
        if key == "schema" and isinstance(value, dict):
            yield from _walk_schema(value, child_pointer)
        elif key == "schemas" and pointer == "#/components" and isinstance(value, dict):
            for name, schema in list(value.items()):
                if isinstance(schema, dict):
                    yield from _walk_schema(schema, f"{child_pointer}/{escape(name)}")
        else:
            yield from _walk_document(value, child_pointer)
