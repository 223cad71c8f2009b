"""What a repair is, and the context it runs in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A repair edits the document in place and returns one short message per change.
RepairFunction = Callable[[dict[str, Any]], list[str]]


@dataclass(frozen=True)
class Repair:
    """A named, individually skippable fix applied to any OpenAPI document."""

    name: str
    summary: str
    apply: RepairFunction


def is_openapi_31(document: dict[str, Any]) -> bool:
    """True for OpenAPI 3.1 documents (``nullable`` is gone there; ``type`` may be a list)."""
    return str(document.get("openapi", "")).startswith("3.1")


def make_nullable(schema: dict[str, Any], document: dict[str, Any]) -> None:
    """Mark ``schema`` as accepting null, in the way the document's OpenAPI version spells it."""
    if not is_openapi_31(document):
        schema["nullable"] = True
        return
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        kind.append("null")
