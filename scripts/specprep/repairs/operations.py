"""Repairs of operations: media types, responses and path parameters.

openapi-python-client only understands JSON (and ``+json``), ``text/*``, form, multipart
and ``application/octet-stream`` bodies; for anything else it warns and leaves the body or
response out. Receipts are the usual case (``image/png``, ``application/pdf``): those are
bytes to the client, so they are described as ``application/octet-stream``.
"""

from __future__ import annotations

import re
from typing import Any

from ..keep import HTTP_METHODS
from .walk import escape

_SUPPORTED_REQUEST = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
)
_OCTET = "application/octet-stream"
_PATH_PARAMETER = re.compile(r"{([^{}]+)}")


def _base_type(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _supported(media_type: str, *, request: bool) -> bool:
    base = _base_type(media_type)
    if base == _OCTET or base.endswith("+json") or base == "application/json":
        return True
    if request:
        return base in _SUPPORTED_REQUEST
    return base.startswith("text/")


def _iter_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((path, method, operation))
    return found


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` chains (responses and request bodies may be references)."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = document
        for token in node["$ref"].lstrip("#/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or token not in target:
                return node
            target = target[token]
        node = target
    return node


def _fix_content(content: Any, where: str, *, request: bool) -> list[str]:
    if not isinstance(content, dict) or not content:
        return []
    unsupported = [name for name in content if not _supported(name, request=request)]
    if not unsupported:
        return []
    if len(unsupported) < len(content):
        for name in unsupported:
            del content[name]
        return [f"{where}: dropped media type(s) {', '.join(unsupported)}"]
    first = content[unsupported[0]]
    content.clear()
    schema = {"type": "string", "format": "binary"}
    content[_OCTET] = {**first, "schema": schema} if isinstance(first, dict) else {"schema": schema}
    return [f"{where}: media type(s) {', '.join(unsupported)} described as {_OCTET}"]


def repair_media_types(document: dict[str, Any]) -> list[str]:
    """Describe unsupported request/response media types as bytes, or drop extra ones.

    When a body or response also offers a supported type, the unsupported ones are dropped
    (the generator picks one anyway); when it offers none, it becomes
    ``application/octet-stream`` with a binary schema.
    """
    messages = []
    done: set[int] = set()  # shared components are fixed once
    for path, method, operation in _iter_operations(document):
        where = f"{method.upper()} {path}"
        body = _resolve(document, operation.get("requestBody"))
        if isinstance(body, dict) and id(body) not in done:
            done.add(id(body))
            messages += _fix_content(body.get("content"), f"{where} request body", request=True)
        for code, response in (operation.get("responses") or {}).items():
            resolved = _resolve(document, response)
            if isinstance(resolved, dict) and id(resolved) not in done:
                done.add(id(resolved))
                messages += _fix_content(
                    resolved.get("content"), f"{where} response {code}", request=False
                )
    return messages


def repair_response_descriptions(document: dict[str, Any]) -> list[str]:
    """Give responses without the required ``description`` an empty one."""
    messages = []
    for path, method, operation in _iter_operations(document):
        for code, response in (operation.get("responses") or {}).items():
            if _lacks_description(response):
                response["description"] = ""
                messages.append(f"{method.upper()} {path} response {code}: added description")
    responses = (document.get("components") or {}).get("responses") or {}
    for name, response in responses.items():
        if _lacks_description(response):
            response["description"] = ""
            messages.append(f"#/components/responses/{escape(name)}: added description")
    return messages


def _lacks_description(response: Any) -> bool:
    return isinstance(response, dict) and "$ref" not in response and "description" not in response


def repair_path_parameters(document: dict[str, Any]) -> list[str]:
    """Make path parameters match the path template.

    A ``{name}`` in the path without a declared parameter gets a required string
    parameter; a declared path parameter not in the template is dropped; path parameters
    are marked required (the generator rejects optional ones).
    """
    messages = []
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        names = _PATH_PARAMETER.findall(path)
        shared = _path_parameter_names(document, item.get("parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            where = f"{method.upper()} {path}"
            declared = shared | _path_parameter_names(document, operation.get("parameters"))
            parameters = operation.get("parameters")
            if isinstance(parameters, list):
                kept = []
                for parameter in parameters:
                    resolved = _resolve(document, parameter)
                    if isinstance(resolved, dict) and resolved.get("in") == "path":
                        if resolved.get("name") not in names:
                            messages.append(
                                f"{where}: dropped path parameter {resolved.get('name')!r}"
                                " not in the path"
                            )
                            continue
                        if resolved.get("required") is not True:
                            resolved["required"] = True
                            messages.append(
                                f"{where}: path parameter {resolved.get('name')!r} made required"
                            )
                    kept.append(parameter)
                operation["parameters"] = kept
            for name in names:
                if name not in declared:
                    operation.setdefault("parameters", []).append(
                        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    )
                    messages.append(f"{where}: declared missing path parameter {name!r}")
    return messages


def _path_parameter_names(document: dict[str, Any], parameters: Any) -> set[str]:
    names = set()
    for parameter in parameters if isinstance(parameters, list) else []:
        resolved = _resolve(document, parameter)
        if isinstance(resolved, dict) and resolved.get("in") == "path":
            names.add(str(resolved.get("name")))
    return names
