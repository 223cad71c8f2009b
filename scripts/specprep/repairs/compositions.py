"""Schemas that include themselves through ``allOf``/``oneOf``/``anyOf``.

Published files describe polymorphism as a union whose variants include the union again:
``PaymentInstrument: {properties: {type}, oneOf: [Card, Wallet], discriminator}`` with
``Card: {allOf: [PaymentInstrument, {properties: {last4}}]}``. Expanding that never ends:
openapi-spec-validator dies with a RecursionError and a generator cannot merge the allOf.
A reference through ``properties`` or ``items`` (a tree of nodes) is fine; only a cycle made
of composition keywords alone is a problem.

The repair splits such a union: its own part (everything but ``oneOf``/``anyOf``/
``discriminator``) becomes ``<Name>Base``, and the variants' ``allOf`` point at that base
instead of back at the union. The variants and the union describe the same values as before.
A composition cycle of another form is reported by :func:`find_composition_cycle`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .walk import escape

_COMPOSITIONS = ("allOf", "oneOf", "anyOf")
_UNIONS = ("oneOf", "anyOf")
_PREFIX = "#/components/schemas/"
# What the base keeps only as annotation; a base made of nothing else adds nothing.
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated"})


def _components(document: dict[str, Any]) -> dict[str, Any]:
    schemas = (document.get("components") or {}).get("schemas")
    return schemas if isinstance(schemas, dict) else {}


def _composed_refs(schema: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """``(pointer of the $ref, target)`` reached from ``schema`` through compositions only."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        yield pointer, ref
        return
    for keyword in _COMPOSITIONS:
        members = schema.get(keyword)
        if isinstance(members, list):
            for index, member in enumerate(members):
                yield from _composed_refs(member, f"{pointer}/{keyword}/{index}")


def repair_recursive_compositions(document: dict[str, Any]) -> list[str]:
    """Point union variants that include their union (through ``allOf``) at its base."""
    schemas = _components(document)
    messages: list[str] = []
    for name in list(schemas):
        union = schemas[name]
        if not isinstance(union, dict) or not any(union.get(k) for k in _UNIONS):
            continue
        target = f"{_PREFIX}{escape(name)}"
        base: str | None = None
        for keyword in _UNIONS:
            for index, member in enumerate(union.get(keyword) or ()):
                variant, where = _resolve(document, member, f"{target}/{keyword}/{index}")
                parts = variant.get("allOf") if isinstance(variant, dict) else None
                if not isinstance(parts, list):
                    continue
                for position, part in enumerate(list(parts)):
                    if not (isinstance(part, dict) and part.get("$ref") == target):
                        continue
                    if base is None:
                        base = _split_base(schemas, name, union)
                    if base == "":
                        parts.remove(part)
                    else:
                        part["$ref"] = base
                    messages.append(
                        f"{where}/allOf/{position}: includes its union {target}; "
                        + (f"now {base}" if base else "dropped (the union adds nothing)")
                    )
    return messages


def _resolve(document: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """``node``, or the component its ``$ref`` names (one step, components only)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith(_PREFIX):
        name = ref[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
        return _components(document).get(name), ref
    return node, pointer


def _split_base(schemas: dict[str, Any], name: str, union: dict[str, Any]) -> str:
    """Add ``<name>Base`` (the union without its alternatives); its reference, or ``""``
    when that part holds nothing but annotations."""
    base = {k: copy.deepcopy(v) for k, v in union.items() if k not in (*_UNIONS, "discriminator")}
    if set(base) <= _ANNOTATIONS:
        return ""
    base_name, number = f"{name}Base", 2
    while base_name in schemas:
        base_name, number = f"{name}Base{number}", number + 1
    schemas[base_name] = base
    return f"{_PREFIX}{escape(base_name)}"


def find_composition_cycle(document: dict[str, Any]) -> list[str] | None:
    """A cycle of components through ``allOf``/``oneOf``/``anyOf`` alone, as the pointers of
    the references that close it (the first found, in document order), or None."""
    schemas = _components(document)
    edges: dict[str, list[tuple[str, str]]] = {}
    for name, schema in schemas.items():
        pointer = f"{_PREFIX}{escape(name)}"
        edges[pointer] = list(_composed_refs(schema, pointer))
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        for where, target in edges.get(node, ()):
            path.append(where)
            if state.get(target) == 1:
                inside = (target, f"{target}/")
                return path[next(i for i, p in enumerate(path) if p.startswith(inside)) :]
            if target in edges and state.get(target) is None:
                found = visit(target)
                if found is not None:
                    return found
            path.pop()
        state[node] = 2
        return None

    for node in edges:
        if state.get(node) is None:
            found = visit(node)
            if found is not None:
                return found
    return None
