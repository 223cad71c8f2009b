"""Check HTTP responses against the vendor's own OpenAPI description (specs/<vendor>).

The one spec-conformance checker of the test suite. It is used

* per response by the sandbox tests (``support.sandbox.conformance_error`` wraps it),
* for every response the sandbox sends during the whole session (``tests/conftest.py``),
* by the property-based run (``tests/sandbox/test_sandbox_properties.py``).

Rules, in the order they are applied:

1. The operation is found by method and path (relative to the vendor's server URL, e.g.
   ``/v1/expenses/expense_x`` for brex). Literal segments win over templated ones
   (``/card/receipt_match`` before ``/card/{expense_id}``), as OpenAPI requires; a path
   parameter may be empty (``/expense/``: the detail call with a missing id). A path no
   operation serves may only be answered 401, 404, 405 or 429 (configurable).
2. The status must be described: exactly (``"404"``), by range (``"4XX"``) or by
   ``default``. Response ``$ref`` s (``#/components/responses/...``) are followed.
3. The response ``Content-Type`` must be one of the described media types (media ranges
   such as ``image/*`` match). A status described without content must come without a
   body.
The spec is ``specs/<vendor>``'s source file with the deviations its ``prepare.yaml``
declares applied (required properties real answers omit; scripts/specprep/deviations.py)
and its overlays (what the project describes beside a published file: Revolut's token
endpoint, named sub-schemas), and nothing else of the preparation: open enums and lenient
formats would hide a simulator's mistakes.

4. A JSON body is parsed and validated against the media type's schema with OAS 3.0
   semantics (``nullable``, ``format``, read-only ``required``) by
   ``openapi_schema_validator.OAS30ReadValidator``; schema ``$ref`` s resolve inside the
   spec document. Non-JSON media (receipt files) are checked by type only, and must not
   be empty.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
from expense_facade.registry import available_vendors, vendors
from openapi_schema_validator import OAS30ReadValidator

SPECS = Path(__file__).resolve().parents[2] / "specs"
SCRIPTS = SPECS.parent / "scripts"  # where the preparation package (specprep) lives
VENDORS: tuple[str, ...] = available_vendors()
"""Every registered vendor (a plug-in's too: its registry line names its spec folder)."""
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
# What any API may answer on a path it does not serve (not described per operation):
# unauthenticated, not found, method not allowed, and a rate limit counted before routing.
UNROUTED_STATUSES = frozenset({401, 404, 405, 429})
MAX_REASON = 400


@attrs.frozen
class Route:
    """One operation of a spec, with its path template compiled to a regular expression."""

    method: str
    template: str
    pattern: re.Pattern[str]
    operation: Mapping[str, Any]

    @property
    def key(self) -> str:
        """``"GET /v1/expenses/{expense_id}"``: the name the sandbox's routes also use."""
        return f"{self.method} {self.template}"

    @property
    def operation_id(self) -> str:
        """The spec's ``operationId`` (the route key when there is none)."""
        return str(self.operation.get("operationId", self.key))


@attrs.frozen
class Violation:
    """A response that does not match the spec."""

    vendor: str
    method: str
    path: str
    status: int
    reason: str
    where: str = ""  # e.g. the test that caused the response

    def __str__(self) -> str:
        origin = f" (during {self.where})" if self.where else ""
        return f"{self.vendor} {self.method} {self.path} -> {self.status}: {self.reason}{origin}"


def _segments_key(template: str) -> tuple[int, tuple[int, ...]]:
    # Fewer parameters first; then, segment by segment, a literal before a parameter.
    segments = template.strip("/").split("/")
    return template.count("{"), tuple(1 if "{" in s else 0 for s in segments)


def _compile(template: str) -> re.Pattern[str]:
    # A parameter may be empty: ``/expense/`` is the detail call with a missing id (which
    # the vendor answers as that operation, e.g. Pazy's 400 MISSING_REQUIRED_FIELD).
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]*", re.escape(template)))


def media_type(content_type: str | None) -> str:
    """``"application/json; charset=utf-8"`` → ``"application/json"``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_media(media: str) -> bool:
    """True for ``application/json`` and ``application/<something>+json``."""
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _media_matches(described: str, actual: str) -> bool:
    described = described.lower()
    if described in ("*/*", actual):
        return True
    if described.endswith("/*"):
        return actual.startswith(described[:-1])
    return False


class VendorSpec:
    """A vendor's spec, ready to validate responses for paths relative to its server URL."""

    def __init__(self, vendor: str, document: Mapping[str, Any] | None = None) -> None:
        self.vendor = vendor
        if document is None:
            document = declared_document(vendor)
        self.document: Mapping[str, Any] = document
        self._validators: dict[int, tuple[Mapping[str, Any], Any]] = {}
        self._lock = threading.Lock()
        routes = [
            Route(method.upper(), template, _compile(template), op)
            for template, item in (document.get("paths") or {}).items()
            for method, op in item.items()
            if method in HTTP_METHODS
        ]
        self.routes: list[Route] = sorted(routes, key=lambda r: _segments_key(r.template))

    # -- lookup -------------------------------------------------------------------------------

    def route(self, method: str, path: str) -> Route | None:
        """The operation serving ``method path`` (path relative to the server URL)."""
        for route in self.routes:
            if route.method == method.upper() and route.pattern.fullmatch(path):
                return route
        return None

    def deref(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """``node`` with local ``$ref`` s followed (``#/components/...``)."""
        seen: set[str] = set()
        while "$ref" in node:
            ref: str = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"{self.vendor}: cannot resolve $ref {ref!r}")
            seen.add(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def response_for(self, route: Route, status: int) -> Mapping[str, Any] | None:
        """The response object describing ``status`` (exact, then ``NXX``, then
        ``default``), references followed; None when the status is not described."""
        responses: Mapping[str, Any] = route.operation.get("responses") or {}
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                return self.deref(responses[key])
        return None

    def parameters(self, route: Route) -> list[Mapping[str, Any]]:
        """The operation's parameters (path-item level ones included), dereferenced."""
        item: Mapping[str, Any] = self.document["paths"][route.template]
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(route.operation.get("parameters") or [])]:
            param = self.deref(raw)
            merged[(param["name"], param["in"])] = param
        return list(merged.values())

    def request_schema(self, route: Route) -> Mapping[str, Any] | None:
        """The JSON request-body schema of the operation, or None."""
        body = route.operation.get("requestBody")
        if body is None:
            return None
        content = self.deref(body).get("content") or {}
        for media, value in content.items():
            if is_json_media(media.lower()):
                schema: Mapping[str, Any] | None = value.get("schema")
                return schema
        return None

    # -- checking -----------------------------------------------------------------------------

    def check(
        self,
        method: str,
        path: str,
        status: int,
        content_type: str | None,
        body: bytes,
        *,
        unrouted: frozenset[int] = UNROUTED_STATUSES,
    ) -> str | None:
        """Why the response breaks the spec, or None when it conforms.

        ``path`` is relative to the server URL. ``unrouted``: the statuses accepted on a
        path no operation serves (pass ``frozenset()`` to demand a described operation).
        """
        route = self.route(method, path)
        if route is None:
            if status in unrouted:
                return None
            return f"no operation for {method.upper()} {path}"
        response = self.response_for(route, status)
        if response is None:
            return f"status {status} is not described for {route.key}"
        content: Mapping[str, Any] = response.get("content") or {}
        if not content:
            return None if not body else f"{route.key} {status} is described without a body"
        actual = media_type(content_type)
        described = [m for m in content if _media_matches(m, actual)]
        if not described:
            return f"content type {content_type!r} is not one of {sorted(content)}"
        media = described[0]
        if not is_json_media(actual):
            return None if body else f"empty {actual} body"
        try:
            instance = json.loads(body)
        except ValueError as exc:
            return f"body is not JSON: {exc}"
        schema = content[media].get("schema")
        if schema is None:
            return None
        errors = self.validate(schema, instance)
        if errors:
            return f"{len(errors)} schema error(s); first: {errors[0]}"[:MAX_REASON]
        return None

    def validate(self, schema: Mapping[str, Any], instance: Any) -> list[str]:
        """Every schema error of ``instance`` (``"/json/pointer: message"``), first by
        position; ``schema`` is part of this spec (its ``$ref`` s resolve in it)."""
        validator = self._validator(schema)
        errors = sorted(
            validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))
        )
        return [
            "/" + "/".join(str(p) for p in error.absolute_path) + f": {error.message[:200]}"
            for error in errors
        ]

    def _validator(self, schema: Mapping[str, Any]) -> Any:
        # One validator per schema object (kept with it, so an id is never reused).
        with self._lock:
            cached = self._validators.get(id(schema))
            if cached is not None and cached[0] is schema:
                return cached[1]
            # The spec's components ride along at the root, so "#/components/..." resolve
            # (an unknown keyword there is ignored by the validator).
            root = {**schema, "components": self.document.get("components") or {}}
            validator = OAS30ReadValidator(root, format_checker=OAS30ReadValidator.FORMAT_CHECKER)
            self._validators[id(schema)] = (schema, validator)
            return validator


def spec_folder(vendor: str) -> Path:
    """Where ``vendor``'s spec and prepare.yaml live: the folder its registry line names
    (a vendor added by another package), else this repository's specs/<vendor>."""
    return vendors()[vendor].specs or SPECS / vendor


def declared_document(vendor: str, specs: Path | None = None) -> dict[str, Any]:
    """``specs/<vendor>``'s source file with its declared deviations and its overlays
    applied, nothing else (no keep, no repairs)."""
    if str(SCRIPTS) not in sys.path:  # also when loaded as a plugin outside this suite
        sys.path.append(str(SCRIPTS))
    from specprep import apply_deviations, apply_overlay, load_config
    from specprep.documents import load_mapping

    folder = spec_folder(vendor) if specs is None else specs / vendor
    config = load_config(folder / "prepare.yaml")
    document = load_mapping(config.source, "OpenAPI document")
    apply_deviations(document, config.deviations)
    for overlay in config.overlays:
        apply_overlay(document, load_mapping(overlay, "overlay"), source=overlay.name)
    return document


@functools.cache
def spec(vendor: str) -> VendorSpec:
    """The parsed spec of ``vendor`` (cached: parsing YAML is slow)."""
    return VendorSpec(vendor)


def server_path(vendor: str, path: str) -> str:
    """Strip the path part of the vendor's first server URL from a request path
    (``/api/1.0/expenses`` → ``/expenses`` for revolut)."""
    servers: Sequence[Mapping[str, Any]] = spec(vendor).document.get("servers") or [{"url": ""}]
    prefix = urlsplit(servers[0]["url"]).path.rstrip("/")
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


def check_response(
    vendor: str,
    method: str,
    path: str,
    status: int,
    content_type: str | None,
    body: bytes,
    *,
    unrouted: frozenset[int] = UNROUTED_STATUSES,
) -> str | None:
    """``spec(vendor).check(...)``: why the response breaks specs/<vendor>, or None."""
    return spec(vendor).check(method, path, status, content_type, body, unrouted=unrouted)
