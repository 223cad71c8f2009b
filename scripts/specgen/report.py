"""What changed in a vendor's API between two prepared specs: the regeneration report.

The previous prepared spec is the one the committed client was generated from, kept
beside it (``generated/expense_clients/<vendor>/openapi.json``, drift-checked like the
rest), so the report says what changed since the last generation whatever git holds.
Compared: operations (added, removed), and per component schema (and per inline object,
named by its path: ``Expense.splits[]``) the properties added, removed or retyped, changes
of required-ness and nullability, and enum values added or removed (documented values of
an opened enum, ``x-known-values``, count as its values). docs/specs.md shows it.

:func:`mark_breaking` then says what breaks *here*: a change is breaking for this project
when it touches a field the vendor's adapter reads or its simulator must build (a removed,
retyped or newly optional field either quotes; a newly required field the simulator must
send; an enum value removed that either quotes; an operation removed whose generated
function either calls), with the lines that do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from specprep.keep import HTTP_METHODS

_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Change:
    """One change, under a heading (``operations``, or ``schema Expense``); ``text`` marks
    names as `code`. ``reads`` and ``builds`` are what the adapter or the simulator would
    have to quote for the change to break them (a field name, an enum value, a generated
    function); ``breaking`` lists the lines that do (``path:line``), set by
    :func:`mark_breaking`."""

    heading: str
    text: str
    reads: str | None = None  # breaks a line of the adapter or simulator that quotes it
    builds: str | None = None  # breaks the simulator, which must now send it
    breaking: tuple[str, ...] = ()

    def suffix(self, *, markdown: bool = False) -> str:
        """`` [breaking here: path:line, ...]`` for a breaking change, else empty."""
        if not self.breaking:
            return ""
        text = f"[breaking here: {', '.join(self.breaking)}]"
        return f" **{text}**" if markdown else f" {text}"


@dataclass(frozen=True)
class VendorReport:
    """The changes of one vendor (``previous`` None: a vendor generated for the first time)."""

    vendor: str
    changes: tuple[Change, ...]
    new: bool = False

    def lines(self) -> list[str]:
        """Plain text, for the terminal."""
        if self.new:
            return [f"{self.vendor}: first generation ({len(self.changes)} operation(s))"]
        lines = [f"{self.vendor}: what changed in the API since the last generation"]
        heading = None
        for change in self.changes:
            if change.heading != heading:
                heading = change.heading
                lines.append(f"  {heading.replace('`', '')}:")
            lines.append(f"    {change.text.replace('`', '')}{change.suffix()}")
        return lines

    def markdown(self) -> list[str]:
        """Markdown, for a pull request."""
        lines = [f"## {self.vendor}", ""]
        if self.new:
            return [*lines, "First generation: every operation is new.", ""]
        heading = None
        for change in self.changes:
            if change.heading != heading:
                if heading is not None:
                    lines.append("")
                heading = change.heading
                lines += [f"### {heading}", ""]
            lines.append(f"- {change.text}{change.suffix(markdown=True)}")
        return [*lines, ""]

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break the adapter or the simulator of this project."""
        return tuple(c for c in self.changes if c.breaking)


def compare(vendor: str, previous: dict[str, Any] | None, current: dict[str, Any]) -> VendorReport:
    """The report of ``vendor`` from ``previous`` (None: no earlier generation) to ``current``."""
    if previous is None:
        return VendorReport(vendor, tuple(_operation_changes({}, current)), new=True)
    changes = list(_operation_changes(previous, current))
    old, new = _schemas(previous), _schemas(current)
    for name in sorted(set(old) | set(new)):
        heading = f"schema `{name}`"
        if name not in old:
            changes.append(Change(heading, "added"))
        elif name not in new:
            changes.append(Change(heading, "removed"))
        else:
            changes += [
                Change(heading, text, reads, builds)
                for text, reads, builds in _schema_changes(old[name], new[name])
            ]
    return VendorReport(vendor, tuple(changes))


def render_markdown(reports: list[VendorReport]) -> str:
    """The whole report as one Markdown document."""
    lines = ["# API changes since the last generation", ""]
    changed = [r for r in reports if r.changes or r.new]
    if not changed:
        return "\n".join([*lines, "No vendor's API changed.", ""])
    for report in changed:
        lines += report.markdown()
    return "\n".join(lines)


# -- operations ----------------------------------------------------------------------------------


def _operations(document: dict[str, Any]) -> dict[str, str]:
    """``"GET /path"`` -> operationId (or ``""``)."""
    found = {}
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    found[f"{method.upper()} {path}"] = str(operation.get("operationId") or "")
    return found


def _operation_changes(previous: dict[str, Any], current: dict[str, Any]) -> Iterator[Change]:
    old, new = _operations(previous), _operations(current)
    for key in new:
        if key not in old:
            yield Change("operations", f"added `{key}`" + (f" (`{new[key]}`)" if new[key] else ""))
    for key in old:
        if key not in new:
            function = _snake(old[key]) if old[key] else None
            yield Change(
                "operations",
                f"removed `{key}`" + (f" (`{old[key]}`)" if old[key] else ""),
                reads=function,
            )


# -- schemas -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Property:
    type: str
    required: bool
    nullable: bool
    values: tuple[str, ...] | None  # enum values, documented or strict


def _schemas(document: dict[str, Any]) -> dict[str, dict[str, _Property]]:
    """Every object schema's properties (inline objects under their dotted path)."""
    found: dict[str, dict[str, _Property]] = {}
    components = (document.get("components") or {}).get("schemas") or {}
    for name, schema in components.items():
        _collect(document, str(name), schema, found, set())
    return found


def _collect(
    document: dict[str, Any],
    name: str,
    schema: Any,
    found: dict[str, dict[str, _Property]],
    merging: set[int],
) -> None:
    properties, required = _merged(document, schema, merging)
    if not properties and not _enum_values(schema):
        return
    table = found.setdefault(name, {})
    if not properties:  # an enum component: its values are its one "property"
        table[""] = _Property(_type(document, schema), False, False, _enum_values(schema))
        return
    for key, sub in properties.items():
        table[key] = _Property(
            _type(document, sub), key in required, _nullable(sub), _enum_values(sub)
        )
        _inline(document, f"{name}.{key}", sub, found, merging)


def _inline(
    document: dict[str, Any],
    name: str,
    schema: Any,
    found: dict[str, dict[str, _Property]],
    merging: set[int],
) -> None:
    """Inline objects (not references) below a property, reported as schemas of their own."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if schema.get("type") == "array" or "items" in schema:
        _inline(document, f"{name}[]", schema.get("items"), found, merging)
    elif schema.get("properties") or schema.get("allOf"):
        _collect(document, name, schema, found, merging)


def _merged(
    document: dict[str, Any], schema: Any, merging: set[int]
) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of ``schema`` with its ``allOf`` members merged."""
    if not isinstance(schema, dict) or id(schema) in merging:
        return {}, set()
    merging.add(id(schema))
    try:
        properties: dict[str, Any] = {}
        required: set[str] = set()
        for member in schema.get("allOf") or ():
            sub_properties, sub_required = _merged(document, _deref(document, member), merging)
            properties.update(sub_properties)
            required |= sub_required
        properties.update(schema.get("properties") or {})
        required |= {r for r in schema.get("required") or () if isinstance(r, str)}
        return properties, required
    finally:
        merging.discard(id(schema))


def _deref(document: dict[str, Any], node: Any) -> Any:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = document
    for token in ref[2:].split("/"):
        target = (
            target.get(token.replace("~1", "/").replace("~0", "~"))
            if isinstance(target, dict)
            else None
        )
    return target


def _type(document: dict[str, Any], schema: Any) -> str:
    """A short description of a schema's type: ``string``, ``array of Money``, ``A | B``."""
    if not isinstance(schema, dict) or not schema:
        return "any"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref[len(_PREFIX) :] if ref.startswith(_PREFIX) else ref
    members = [
        m for m in schema.get("allOf") or () if isinstance(m, dict) and set(m) != {"nullable"}
    ]
    if len(members) == 1 and not schema.get("properties"):
        return _type(document, members[0])
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            return " | ".join(_type(document, m) for m in schema[keyword])
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds or () if k != "null"]
    if not kinds:
        return "object" if schema.get("properties") or members else "any"
    if kinds == ["array"]:
        return f"array of {_type(document, schema.get('items'))}"
    text = " | ".join(kinds)
    form = schema.get("format") or schema.get("x-format")
    return f"{text} ({form})" if form else text


def _nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    return schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def _enum_values(schema: Any) -> tuple[str, ...] | None:
    if not isinstance(schema, dict):
        return None
    values = schema.get("enum", schema.get("x-known-values"))
    if not isinstance(values, list):
        return None
    return tuple(str(v) for v in values if v is not None)


def _schema_changes(
    old: dict[str, _Property], new: dict[str, _Property]
) -> Iterator[tuple[str, str | None, str | None]]:
    """``(text, reads, builds)`` per change: what an adapter or simulator line must quote
    to be broken by it, and what the simulator must now build."""
    for key in new:
        if key not in old:
            required = new[key].required
            text = f"added `{key}` ({new[key].type}{', required' if required else ''})"
            yield text, None, key if required else None
    for key in old:
        if key not in new:
            yield f"removed `{key}` ({old[key].type})", key or None, None
    for key in new:
        if key not in old:
            continue
        before, after = old[key], new[key]
        label = f"`{key}`" if key else "values"
        if before.type != after.type:
            yield f"retyped {label}: {before.type} -> {after.type}", key or None, None
        if before.required != after.required:
            if after.required:
                yield f"{label} is now required", None, key or None
            else:
                yield f"{label} is now optional", key or None, None
        elif before.nullable != after.nullable:
            now = "nullable" if after.nullable else "not nullable"
            yield f"{label} is now {now}", (key or None) if after.nullable else None, None
        if before.values != after.values:
            added = [v for v in after.values or () if v not in (before.values or ())]
            removed = [v for v in before.values or () if v not in (after.values or ())]
            parts = [f"added {', '.join(f'`{v}`' for v in added)}"] if added else []
            parts += [f"removed {', '.join(f'`{v}`' for v in removed)}"] if removed else []
            if parts:
                text = f"enum {label}: {'; '.join(parts)}"
                yield text, "|".join(removed) if removed else None, None


# -- what breaks here ---------------------------------------------------------------------------


def _snake(operation_id: str) -> str:
    """The generated function's name of an operationId (``getExpenses`` -> ``get_expenses``)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id).lower()


def quoting_lines(source: str, words: str) -> list[int]:
    """Lines of ``source`` (outside comments) holding one of ``words`` (``|``-separated)
    quoted as a key, or, for a generated function, as a name."""
    wanted = [w for w in words.split("|") if w]
    patterns = [
        re.compile(rf"[\"']{re.escape(w)}[\"']|\b{re.escape(w)}\(|\b{re.escape(w)}\b\.")
        for w in wanted
    ]
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        if any(p.search(code) for p in patterns):
            found.append(number)
    return found


def mark_breaking(
    report: VendorReport, adapter: Mapping[str, str], simulator: Mapping[str, str]
) -> VendorReport:
    """``report`` with each change that breaks this project marked, naming its lines.

    ``adapter`` and ``simulator``: ``{path: source}`` of the vendor's adapter and simulator
    modules. A change that touches a quoted field (or enum value, or generated function)
    breaks the lines quoting it in either; a field the simulator must now build breaks the
    simulator (its lines quoting the field, else its first line: nothing builds it yet).
    """
    marked = []
    for change in report.changes:
        where: list[str] = []
        if change.reads is not None:
            for path, source in (*adapter.items(), *simulator.items()):
                where += [f"{path}:{n}" for n in quoting_lines(source, change.reads)]
        if change.builds is not None:
            for path, source in simulator.items():
                lines = quoting_lines(source, change.builds)
                where += [f"{path}:{n}" for n in lines] or [f"{path} (must build it)"]
        marked.append(replace(change, breaking=tuple(dict.fromkeys(where))))
    return replace(report, changes=tuple(marked))
