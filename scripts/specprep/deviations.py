"""Declared deviations: where a vendor's real answers differ from its published schema.

A published file can require properties that real answers leave out (Revolut requires
``labels``, ``splits[].category`` and ``splits[].tax_rate``; real answers omit them). A
``prepare.yaml`` declares each such deviation once:

```yaml
deviations:
  omitted-required:                       # schema (a JSON pointer) -> property names
    "#/components/schemas/ExpenseSplit": [category, tax_rate]
```

Preparation applies them to the source before anything else (the pointers name the file
as published), and the sandbox conformance check applies exactly these to the spec it
validates answers against, none of the other preparation steps (docs/specs.md). A
deviation the file already satisfies (the property is optional there) changes nothing; a
pointer that names no schema is an error, so a stale declaration cannot hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PrepareError

_KINDS = frozenset({"omitted-required"})


@dataclass(frozen=True)
class Deviations:
    """The deviations a prepare.yaml declares."""

    omitted_required: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.omitted_required)


def parse_deviations(value: Any, path: Path) -> Deviations:
    """The ``deviations`` value of ``path`` (a prepare.yaml); :class:`PrepareError` if bad."""
    if value is None:
        return Deviations()
    if not isinstance(value, dict) or not set(value) <= _KINDS:
        raise PrepareError(f"{path}: 'deviations' must be a mapping of {sorted(_KINDS)}")
    omitted = value.get("omitted-required") or {}
    if not isinstance(omitted, dict) or not all(
        isinstance(pointer, str)
        and pointer.startswith("#/")
        and isinstance(names, list)
        and names
        and all(isinstance(name, str) for name in names)
        for pointer, names in omitted.items()
    ):
        raise PrepareError(
            f"{path}: 'deviations.omitted-required' must map schema pointers ('#/...') to "
            "lists of property names"
        )
    return Deviations({pointer: tuple(names) for pointer, names in omitted.items()})


def apply_deviations(document: dict[str, Any], deviations: Deviations) -> list[str]:
    """Apply ``deviations`` to ``document`` in place; one message per change made."""
    messages = []
    for pointer, names in deviations.omitted_required.items():
        schema = resolve(document, pointer)
        required = schema.get("required")
        if not isinstance(required, list):
            continue
        dropped = [name for name in names if name in required]
        if not dropped:
            continue
        kept = [name for name in required if name not in dropped]
        if kept:
            schema["required"] = kept
        else:
            del schema["required"]  # OpenAPI 3.0 forbids an empty list
        messages.append(f"{pointer}: {dropped} not required (real answers omit them)")
    return messages


def resolve(document: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The schema object at ``pointer``; :class:`PrepareError` if there is none."""
    node: Any = document
    for token in pointer[2:].split("/") if pointer != "#/" else ():
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        raise PrepareError(f"deviation {pointer}: no schema there in the source file")
    return node
