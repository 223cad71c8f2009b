"""Keep only the listed operations and every component they reference.

Published vendor files describe hundreds of endpoints a client does not need; generating
them all is slow and every extra schema is one more chance for a generator warning. This
step keeps the listed operations, then follows ``$ref`` transitively (through schemas,
parameters, responses, request bodies, headers, examples, links, callbacks, discriminator
mappings) and keeps the security schemes the kept operations use.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .errors import PrepareError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class OperationKey:
    """One operation as written in prepare.yaml: ``"GET /v1/expenses"``."""

    method: str
    path: str

    @classmethod
    def parse(cls, text: str) -> OperationKey:
        """Parse ``"METHOD /path"``; raise :class:`PrepareError` if it has another shape."""
        parts = text.split()
        if len(parts) != 2 or parts[0].lower() not in HTTP_METHODS or not parts[1].startswith("/"):
            raise PrepareError(f"keep: {text!r} is not of the form 'METHOD /path'")
        return cls(parts[0].lower(), parts[1])

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def list_operations(document: dict[str, Any]) -> list[OperationKey]:
    """Every operation of ``document``, in document order."""
    found: list[OperationKey] = []
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            found.extend(OperationKey(method, path) for method in HTTP_METHODS if method in item)
    return found


def keep_operations(document: dict[str, Any], keep: list[str]) -> dict[str, Any]:
    """Prune ``document`` in place to the ``keep`` operations and what they use; return it.

    Raises :class:`PrepareError` naming each kept operation that does not exist, with the
    closest existing operations as hints.
    """
    wanted = [OperationKey.parse(text) for text in keep]
    existing = set(list_operations(document))
    missing = [key for key in wanted if key not in existing]
    if missing:
        names = [str(key) for key in existing]
        lines = []
        for key in missing:
            close = difflib.get_close_matches(str(key), names, n=3, cutoff=0.6)
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            lines.append(f"  {key}{hint}")
        raise PrepareError("keep: operations not found in the source:\n" + "\n".join(lines))

    wanted_set = set(wanted)
    paths: dict[str, Any] = {}
    for path, item in (document.get("paths") or {}).items():
        methods = [m for m in HTTP_METHODS if OperationKey(m, path) in wanted_set]
        if not methods:
            continue
        paths[path] = {
            key: value
            for key, value in item.items()
            if key not in HTTP_METHODS or OperationKey(key, path) in wanted_set
        }
    document["paths"] = paths
    # Webhooks are callbacks the vendor makes; a client never calls them.
    document.pop("webhooks", None)
    _prune_components(document)
    _prune_tags(document)
    return document


def _prune_components(document: dict[str, Any]) -> None:
    components = document.get("components")
    if not isinstance(components, dict):
        return
    needed: set[tuple[str, str]] = set()
    pending: list[Any] = [document["paths"]]
    while pending:
        node = pending.pop()
        for ref in _iter_refs(node):
            target = _component_of(ref)
            if target is None or target in needed:
                continue
            kind, name = target
            section = components.get(kind)
            if isinstance(section, dict) and name in section:
                needed.add(target)
                pending.append(section[name])

    schemes_used = _security_scheme_names(document)
    for kind, section in list(components.items()):
        if kind.startswith("x-") or not isinstance(section, dict):
            continue
        if kind == "securitySchemes":
            kept = {name: value for name, value in section.items() if name in schemes_used}
        else:
            kept = {name: value for name, value in section.items() if (kind, name) in needed}
        if kept:
            components[kind] = kept
        else:
            del components[kind]


def _iter_refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref
            discriminator = current.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
                yield from (v for v in discriminator["mapping"].values() if isinstance(v, str))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _component_of(ref: str) -> tuple[str, str] | None:
    """``#/components/schemas/A~1B/properties/x`` → ``("schemas", "A/B")``."""
    if not ref.startswith("#/components/"):
        return None
    parts = ref[2:].split("/")
    if len(parts) < 3:
        return None
    name = unquote(parts[2]).replace("~1", "/").replace("~0", "~")
    return parts[1], name


def _security_scheme_names(document: dict[str, Any]) -> set[str]:
    requirements: list[Any] = list(document.get("security") or [])
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                requirements.extend(operation.get("security") or [])
    return {name for req in requirements if isinstance(req, dict) for name in req}


def _prune_tags(document: dict[str, Any]) -> None:
    tags = document.get("tags")
    if not isinstance(tags, list):
        return
    used = {
        tag
        for item in document["paths"].values()
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
        for tag in item[method].get("tags") or []
    }
    document["tags"] = [tag for tag in tags if isinstance(tag, dict) and tag.get("name") in used]
    if not document["tags"]:
        del document["tags"]
