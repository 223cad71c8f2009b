"""Typed wire shapes from a prepared spec: ``generated/expense_clients/<vendor>/shapes.py``.

For every object schema (component, or inline in a response, property, item or branch)
two types are written, both of the decoded JSON exactly as the spec describes it:

* ``Name``: a ``TypedDict`` (``total=False``, the spec's required properties
  ``Required``), through which a simulator builds an answer: an unknown key, a missing
  required key or a value of the wrong type is a type error;
* ``NameView``: a ``Protocol`` whose ``get`` accepts only the spec's property names (one
  ``Literal`` overload per property, returning its type or ``None``) and whose ``[]``
  accepts only the required ones, through which an adapter reads: a renamed, removed or
  retyped property is a type error at every line that reads it.

Non-object schemas become aliases (``Name`` and ``NameView``); every 2xx JSON response
body gets ``<OperationId>Response<status>`` (and its ``View``). Nothing converts or
checks anything at run time: a view is the decoded ``dict`` itself. Why this form:
docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from specprep.keep import HTTP_METHODS
from specprep.repairs.walk import escape

from .errors import UnsupportedConstruct

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JSON_MEDIA = re.compile(r"application/(?:[\w.+-]+\+)?json")
#: What a JSON number is in Python: ``int``/``float`` from ``json.loads`` (mypy takes an
#: ``int`` where ``float`` is expected), ``Decimal`` where a decoder or a simulator uses it.
NUMBER = "float | Decimal"
_PRIMITIVES = {"string": "str", "integer": "int", "number": NUMBER, "boolean": "bool"}
_ANNOTATIONS_ONLY = frozenset(
    {"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"}
)


def class_name(text: str) -> str:
    """``"expense-list.v2"`` -> ``"ExpenseListV2"``: a PascalCase identifier."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    name = "".join(p[:1].upper() + p[1:] for p in parts) or "Schema"
    return name if not name[0].isdigit() else f"Schema{name}"


@dataclass
class _Shape:
    """One named type being written: an object (TypedDict + view) or an alias."""

    name: str
    pointer: str
    properties: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # (key, build type, view type, required); for an alias: build and view expressions.
    alias: tuple[str, str] | None = None


class ShapeWriter:
    """Walks a prepared document and renders its shapes module."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
        self.shapes: dict[str, _Shape] = {}
        self._by_pointer: dict[str, str] = {}
        self._merging: list[str] = []
        for component in self.components:
            self._reserve(class_name(component), f"#/components/schemas/{escape(component)}")

    # -- names ------------------------------------------------------------------------------

    def _reserve(self, wanted: str, pointer: str) -> str:
        """A name for the shape at ``pointer`` whose ``View`` twin collides with nothing."""
        taken = set(self._by_pointer.values())
        taken |= {f"{n}View" for n in taken}
        name, number = wanted, 2
        while name in taken or f"{name}View" in taken:
            name, number = f"{wanted}{number}", number + 1
        self._by_pointer[pointer] = name
        return name

    # -- walking ----------------------------------------------------------------------------

    def render(self) -> str:
        """The whole module's source (unformatted; the pipeline runs ruff on it)."""
        for component, schema in self.components.items():
            pointer = f"#/components/schemas/{escape(component)}"
            self._named(schema, pointer, self._by_pointer[pointer])
        for op_name, status, schema, pointer in self._responses():
            name = self._reserve(class_name(f"{op_name}Response{status}"), pointer)
            build, view = self._types(schema, pointer, name)
            if name not in self.shapes:  # an inline object took the name itself
                self.shapes[name] = _Shape(name, pointer, alias=(build, view))
        return _module(sorted(self.shapes.values(), key=lambda s: s.name))

    def _responses(self) -> Iterator[tuple[str, str, Any, str]]:
        for path, item in (self.document.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                op_name = class_name(str(operation.get("operationId") or f"{method} {path}"))
                base = f"#/paths/{escape(path)}/{method}/responses"
                for status, response in (operation.get("responses") or {}).items():
                    if not str(status).startswith("2"):
                        continue
                    response, where = self._deref(response, f"{base}/{escape(str(status))}")
                    for media, content in (response.get("content") or {}).items():
                        if _JSON_MEDIA.fullmatch(media) and isinstance(content, dict):
                            if "schema" in content:
                                pointer = f"{where}/content/{escape(media)}/schema"
                                yield op_name, str(status), content["schema"], pointer
                            break

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise UnsupportedConstruct(f"$ref {ref!r} (not a local reference)", pointer)
            seen.add(ref)
            pointer, node = ref, self.document
            for token in ref[2:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or token not in node:
                    raise UnsupportedConstruct(f"$ref {ref!r} points nowhere", pointer)
                node = node[token]
        return node, pointer

    def _named(self, schema: Any, pointer: str, name: str) -> None:
        if name in self.shapes:
            return
        if _is_object(schema):
            shape = _Shape(name, pointer)
            self.shapes[name] = shape  # before the properties: they may point back here
            properties, required = self._object_parts(schema, pointer)
            for key, (sub, sub_pointer) in properties.items():
                build, view = self._types(sub, sub_pointer, f"{name}{class_name(key)}")
                shape.properties.append((key, build, view, key in required))
        else:
            # Registered first: a union may point back at itself through its members.
            self.shapes[name] = shape = _Shape(name, pointer, alias=("Any", "Any"))
            shape.alias = self._types(schema, pointer, name)

    def _object_parts(
        self, schema: dict[str, Any], pointer: str
    ) -> tuple[dict[str, tuple[Any, str]], set[str]]:
        """Properties (with their pointers) and required names, ``allOf`` members merged."""
        if pointer in self._merging:
            raise UnsupportedConstruct("allOf that includes itself", pointer)
        self._merging.append(pointer)
        try:
            properties: dict[str, tuple[Any, str]] = {}
            required: set[str] = set()
            for index, member in enumerate(schema.get("allOf") or ()):
                member, where = self._deref(member, f"{pointer}/allOf/{index}")
                if isinstance(member, dict):
                    sub_properties, sub_required = self._object_parts(member, where)
                    properties.update(sub_properties)
                    required |= sub_required
            for key, sub in (schema.get("properties") or {}).items():
                properties[key] = (sub, f"{pointer}/properties/{escape(key)}")
            required |= {r for r in schema.get("required") or () if isinstance(r, str)}
            return properties, required
        finally:
            self._merging.pop()

    def _types(self, schema: Any, pointer: str, context: str) -> tuple[str, str]:
        """``(build type, view type)`` of ``schema``; inline objects are named ``context``."""
        if schema is True or schema == {}:
            return "Any", "Any"
        if not isinstance(schema, dict):
            raise UnsupportedConstruct(f"a schema that is {type(schema).__name__}", pointer)
        nullable = schema.get("nullable") is True
        if "$ref" in schema:
            target, where = self._deref(schema, pointer)
            name = self._by_pointer.get(where)
            if name is None:  # a reference to a schema outside components/schemas
                return self._types(target, where, context)
            self._named(target, where, name)
            return _nullable(name, nullable), _nullable(f"{name}View", nullable)
        if _is_object(schema):
            name = self._by_pointer.get(pointer) or self._reserve(context, pointer)
            self._named(schema, pointer, name)
            return _nullable(name, nullable), _nullable(f"{name}View", nullable)
        members = [m for m in schema.get("allOf") or () if not _annotations_only(m)]
        if members and len(members) == 1 and not schema.get("properties"):
            build, view = self._types(members[0], f"{pointer}/allOf/0", context)
            return _nullable(build, nullable), _nullable(view, nullable)
        for keyword_ in ("oneOf", "anyOf"):
            if schema.get(keyword_):
                builds, views = [], []
                for index, member in enumerate(schema[keyword_]):
                    build, view = self._types(
                        member, f"{pointer}/{keyword_}/{index}", f"{context}Type{index}"
                    )
                    builds.append(build)
                    views.append(view)
                return _union([*builds, "None"] if nullable else builds), _union(
                    [*views, "None"] if nullable else views
                )
        kinds = schema.get("type")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or ())
        if "null" in kinds:
            nullable, kinds = True, [k for k in kinds if k != "null"]
        if not kinds:
            return "Any", "Any"
        builds, views = [], []
        for kind in kinds:
            if kind == "array":
                items = schema.get("items", {})
                build, view = self._types(items, f"{pointer}/items", f"{context}Item")
                builds.append(f"list[{build}]")
                views.append(f"list[{view}]")
            elif kind == "object":  # a map without named properties
                extra = schema.get("additionalProperties", True)
                build, view = (
                    self._types(extra, f"{pointer}/additionalProperties", f"{context}Value")
                    if isinstance(extra, dict)
                    else ("Any", "Any")
                )
                builds.append(f"dict[str, {build}]")
                views.append(f"dict[str, {view}]")
            elif kind in _PRIMITIVES:
                builds.append(_PRIMITIVES[kind])
                views.append(_PRIMITIVES[kind])
            else:
                raise UnsupportedConstruct(f"type {kind!r}", pointer)
        if nullable:
            builds.append("None")
            views.append("None")
        return _union(builds), _union(views)


def _is_object(schema: Any) -> bool:
    """An object with named properties (directly or through allOf): a shape of its own."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if schema.get("oneOf") or schema.get("anyOf"):
        return False  # a union: its members (which include its own part) are the shapes
    if schema.get("properties"):
        return True
    members = [m for m in schema.get("allOf") or () if not _annotations_only(m)]
    return len(members) > 1 or (
        len(members) == 1 and isinstance(members[0], dict) and bool(members[0].get("properties"))
    )


def _annotations_only(schema: Any) -> bool:
    return isinstance(schema, dict) and set(schema) <= _ANNOTATIONS_ONLY | {"nullable"}


def _nullable(expression: str, nullable: bool) -> str:
    return _union([expression, "None"]) if nullable else expression


def _union(members: list[str]) -> str:
    flat: list[str] = []
    for member in members:
        for part in _split_union(member):
            if part not in flat:
                flat.append(part)
    if "Any" in flat:
        return "Any"
    if "None" in flat:  # None last, as people write it
        flat = [*(m for m in flat if m != "None"), "None"]
    return " | ".join(flat)


def _split_union(expression: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(expression):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(expression[start:index].strip())
            start = index + 1
    parts.append(expression[start:].strip())
    return parts


# -- rendering ---------------------------------------------------------------------------------


_HEADER = '''"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations
'''
_TYPING = ("Any", "Literal", "Protocol", "Required", "TypeAlias", "TypedDict", "overload")


def _module(shapes: list[_Shape]) -> str:
    body: list[str] = []
    for shape in shapes:
        body += _render(shape)
    text = "\n".join(body)
    # Import only what the body uses: the module passes the linter as it is.
    used = [name for name in _TYPING if re.search(rf"\b{name}\b", text)]
    imports = ["from decimal import Decimal"] if re.search(r"\bDecimal\b", text) else []
    if used:
        imports.append(f"from typing import {', '.join(used)}")
    names = "".join(f'    "{n}",\n' for s in shapes for n in (s.name, f"{s.name}View"))
    return f"{_HEADER}\n" + "\n".join(imports) + f"\n\n__all__ = [\n{names}]\n{text}\n"


def _render(shape: _Shape) -> list[str]:
    where = f"# {shape.pointer}"
    if shape.alias is not None:
        build, view = shape.alias
        return [
            "",
            where,
            f'{shape.name}: TypeAlias = "{build}"',
            f'{shape.name}View: TypeAlias = "{view}"',
        ]
    lines = ["", where]
    if all(_IDENTIFIER.fullmatch(k) and not keyword.iskeyword(k) for k, *_ in shape.properties):
        lines.append(f"class {shape.name}(TypedDict, total=False):")
        lines += [
            f"    {key}: {f'Required[{build}]' if required else build}"
            for key, build, _, required in shape.properties
        ] or ["    pass"]
    else:
        fields = ", ".join(
            f'{json.dumps(key)}: "{f"Required[{build}]" if required else build}"'
            for key, build, _, required in shape.properties
        )
        lines.append(f'{shape.name} = TypedDict("{shape.name}", {{{fields}}}, total=False)')
    lines += ["", "", f"class {shape.name}View(Protocol):"]
    body = _methods("get", [(k, _union([v, "None"])) for k, _, v, _ in shape.properties])
    body += _methods("__getitem__", [(k, v) for k, _, v, required in shape.properties if required])
    lines += body or ["    pass"]
    lines.append("")
    return lines


def _methods(name: str, signatures: list[tuple[str, str]]) -> list[str]:
    decorator = ["    @overload"] if len(signatures) > 1 else []
    lines: list[str] = []
    for key, result in signatures:
        literal = json.dumps(key)  # a JSON string is a Python literal, in ruff's quotes
        lines += [*decorator, f"    def {name}(self, key: Literal[{literal}], /) -> {result}: ..."]
    return lines


def render_shapes(document: dict[str, Any]) -> str:
    """The shapes module of a prepared ``document`` (raises :class:`UnsupportedConstruct`)."""
    return ShapeWriter(document).render()
