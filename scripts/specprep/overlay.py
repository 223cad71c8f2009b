"""Apply OpenAPI Overlay 1.0 documents.

An overlay is ``{overlay: 1.0.0, info: {title, version}, actions: [{target, update | remove}]}``.
Each action selects nodes with a JSONPath ``target`` (see :mod:`specprep.jsonpath`):

- ``remove: true`` removes every selected node from its parent;
- ``update`` is merged into every selected node: into an object, keys are merged
  recursively (objects merge, arrays are appended to, anything else is replaced); into an
  array, the update is appended (a list update appends each of its items).

Actions apply in order, each to the result of the previous one.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import PrepareError
from .jsonpath import Node, query

SUPPORTED_VERSIONS = ("1.0.0", "1.0")


def apply_overlay(document: Any, overlay: dict[str, Any], *, source: str = "overlay") -> list[str]:
    """Apply ``overlay`` to ``document`` in place; return one message per action.

    Raises :class:`PrepareError` for a malformed overlay. An action whose target selects
    nothing is not an error (the Overlay specification allows it), but its message says
    so, since it usually means the source file changed under the overlay.
    """
    version = str(overlay.get("overlay", ""))
    if version not in SUPPORTED_VERSIONS:
        raise PrepareError(f"{source}: 'overlay' must be 1.0.0, got {version or 'nothing'!r}")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise PrepareError(f"{source}: 'actions' must be a non-empty list")
    messages = []
    for number, action in enumerate(actions, start=1):
        where = f"{source} action {number}"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise PrepareError(f"{where}: an action needs a string 'target'")
        target = action["target"]
        remove = action.get("remove", False)
        if not isinstance(remove, bool):
            raise PrepareError(f"{where}: 'remove' must be true or false")
        if not remove and "update" not in action:
            raise PrepareError(f"{where}: an action needs 'update' or 'remove: true'")
        nodes = query(document, target)
        if remove:
            _remove(nodes, where)
            verb = "removed"
        else:
            for node in nodes:
                _update(node, action["update"], where)
            verb = "updated"
        if nodes:
            messages.append(f"{where}: {verb} {len(nodes)} node(s) at {target}")
        else:
            messages.append(f"{where}: target {target} matched nothing")
    return messages


def _remove(nodes: list[Node], where: str) -> None:
    if any(node.parent is None for node in nodes):
        raise PrepareError(f"{where}: cannot remove the document root")
    # Remove list items from the highest index down so earlier removals do not shift later ones.
    list_items = sorted(
        (node for node in nodes if isinstance(node.parent, list)),
        key=lambda node: (id(node.parent), node.key),
        reverse=True,
    )
    for node in list_items:
        assert isinstance(node.parent, list)
        assert isinstance(node.key, int)
        del node.parent[node.key]
    for node in nodes:
        if isinstance(node.parent, dict):
            assert isinstance(node.key, str)
            node.parent.pop(node.key, None)


def _update(node: Node, update: Any, where: str) -> None:
    target = node.value
    if isinstance(target, dict):
        if not isinstance(update, dict):
            raise PrepareError(f"{where}: an object target needs an object 'update'")
        merge(target, update)
    elif isinstance(target, list):
        items = update if isinstance(update, list) else [update]
        target.extend(copy.deepcopy(items))
    else:
        raise PrepareError(
            f"{where}: the target must select objects or arrays (got {type(target).__name__});"
            " update the parent object instead"
        )


def merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Merge ``update`` into ``target`` recursively (objects merge, arrays append)."""
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)
