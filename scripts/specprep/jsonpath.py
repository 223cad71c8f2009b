"""The subset of JSONPath that OpenAPI Overlay 1.0 documents need.

Supported syntax:

- ``$`` the root;
- ``.name`` and ``.*`` (child by name, all children);
- ``['name']`` / ``["name"]`` (path keys contain ``/`` and ``{}``), ``[0]``, ``[*]``;
- ``..name``, ``..*``, ``..['name']`` (recursive descent);
- filters ``[?(@.key == 'value')]`` or ``[?@.key == 'value']`` with ``==``/``!=`` against a
  string, number, ``true``/``false``/``null``, a bare existence test ``[?(@.key)]``, and
  ``&&`` / ``||`` between comparisons (``&&`` binds tighter).

A query returns :class:`Node` objects that remember their parent and key, so an overlay can
remove or update the selected values in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from .errors import PrepareError

Key: TypeAlias = str | int


@dataclass(frozen=True)
class Node:
    """A value selected by a query, with the container and key it lives under.

    ``parent`` is None for the root.
    """

    value: Any
    parent: dict[str, Any] | list[Any] | None
    key: Key | None


@dataclass(frozen=True)
class _Child:
    name: Key | None  # None means wildcard


@dataclass(frozen=True)
class _Descend:
    selector: _Child | _Filter


@dataclass(frozen=True)
class _Filter:
    predicate: Callable[[Any], bool]


_Segment: TypeAlias = _Child | _Descend | _Filter

_NAME = re.compile(r"[A-Za-z0-9_$\-]+")
_MISSING = object()


class JSONPathError(PrepareError):
    """A JSONPath expression outside the supported subset, or malformed."""


def compile_path(expression: str) -> list[_Segment]:
    """Parse ``expression`` into segments; raise :class:`JSONPathError` if unsupported."""
    parser = _Parser(expression)
    return parser.parse()


def query(document: Any, expression: str) -> list[Node]:
    """Return the nodes of ``document`` selected by ``expression``, in document order.

    Each node appears once even when several branches of a recursive descent reach it.
    """
    nodes = [Node(document, None, None)]
    for segment in compile_path(expression):
        nodes = _dedupe(_apply(segment, nodes))
    return nodes


def _dedupe(nodes: list[Node]) -> list[Node]:
    seen: set[tuple[int, Key | None]] = set()
    result = []
    for node in nodes:
        ident = (id(node.parent), node.key)
        if ident not in seen:
            seen.add(ident)
            result.append(node)
    return result


def _children(node: Node) -> Iterator[Node]:
    value = node.value
    if isinstance(value, dict):
        for key, child in value.items():
            yield Node(child, value, key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield Node(child, value, index)


def _descendants_and_self(node: Node) -> Iterator[Node]:
    yield node
    for child in _children(node):
        yield from _descendants_and_self(child)


def _select(selector: _Child | _Filter, node: Node) -> Iterator[Node]:
    if isinstance(selector, _Filter):
        for child in _children(node):
            if selector.predicate(child.value):
                yield child
        return
    if selector.name is None:
        yield from _children(node)
        return
    value = node.value
    name = selector.name
    if _has(value, name):
        # Negative indexes count from the end; the node keeps the real index for removal.
        key = name % len(value) if isinstance(name, int) else name
        yield Node(value[key], value, key)


def _has(value: Any, key: Key) -> bool:
    """True if ``value`` is an object with member ``key`` or an array with index ``key``."""
    if isinstance(value, dict):
        return isinstance(key, str) and key in value
    if isinstance(value, list):
        return isinstance(key, int) and -len(value) <= key < len(value)
    return False


def _apply(segment: _Segment, nodes: list[Node]) -> list[Node]:
    result: list[Node] = []
    for node in nodes:
        if isinstance(segment, _Descend):
            for inner in _descendants_and_self(node):
                result.extend(_select(segment.selector, inner))
        else:
            result.extend(_select(segment, node))
    return result


class _Parser:
    """A small recursive-descent parser over the expression string."""

    def __init__(self, expression: str) -> None:
        self.text = expression.strip()
        self.pos = 0

    def fail(self, message: str) -> JSONPathError:
        return JSONPathError(
            f"JSONPath {self.text!r}: {message} at position {self.pos} (supported: $, .name, "
            "['name'], [n], [*], ..name, [?(@.key == 'value')])"
        )

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def parse(self) -> list[_Segment]:
        if self.peek() != "$":
            raise self.fail("must start with '$'")
        self.pos += 1
        segments: list[_Segment] = []
        while self.pos < len(self.text):
            if self.peek(2) == "..":
                self.pos += 2
                if self.peek() == "[":
                    segments.append(_Descend(self.bracket()))
                else:
                    segments.append(_Descend(self.dotted_name()))
            elif self.peek() == ".":
                self.pos += 1
                segments.append(self.dotted_name())
            elif self.peek() == "[":
                segments.append(self.bracket())
            else:
                raise self.fail("unexpected character")
        return segments

    def dotted_name(self) -> _Child:
        if self.peek() == "*":
            self.pos += 1
            return _Child(None)
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.fail("expected a name")
        self.pos = match.end()
        return _Child(match.group())

    def bracket(self) -> _Child | _Filter:
        self.pos += 1  # '['
        self.skip_space()
        selector: _Child | _Filter
        char = self.peek()
        if char == "*":
            self.pos += 1
            selector = _Child(None)
        elif char and char in "'\"":
            selector = _Child(self.string())
        elif char == "?":
            self.pos += 1
            selector = _Filter(self.filter_expression())
        else:
            match = re.compile(r"-?\d+").match(self.text, self.pos)
            if not match:
                raise self.fail("expected a quoted name, an index, '*' or a filter")
            self.pos = match.end()
            selector = _Child(int(match.group()))
        self.skip_space()
        if self.peek() != "]":
            raise self.fail("expected ']'")
        self.pos += 1
        return selector

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                return "".join(chars)
            chars.append(char)
            self.pos += 1
        raise self.fail("unterminated string")

    def filter_expression(self) -> Callable[[Any], bool]:
        self.skip_space()
        parenthesised = self.peek() == "("
        if parenthesised:
            self.pos += 1
        predicate = self.disjunction()
        self.skip_space()
        if parenthesised:
            if self.peek() != ")":
                raise self.fail("expected ')'")
            self.pos += 1
        return predicate

    def at_operator(self, operator: str) -> bool:
        """Consume ``operator`` (after optional spaces) if it comes next."""
        self.skip_space()
        if self.peek(len(operator)) != operator:
            return False
        self.pos += len(operator)
        return True

    def disjunction(self) -> Callable[[Any], bool]:
        terms = [self.conjunction()]
        while self.at_operator("||"):
            terms.append(self.conjunction())
        if len(terms) == 1:
            return terms[0]
        return lambda value: any(term(value) for term in terms)

    def conjunction(self) -> Callable[[Any], bool]:
        terms = [self.comparison()]
        while self.at_operator("&&"):
            terms.append(self.comparison())
        if len(terms) == 1:
            return terms[0]
        return lambda value: all(term(value) for term in terms)

    def comparison(self) -> Callable[[Any], bool]:
        self.skip_space()
        if self.peek() != "@":
            raise self.fail("a filter must compare '@' paths")
        self.pos += 1
        keys = self.relative_keys()
        self.skip_space()
        operator = self.peek(2)
        if operator not in ("==", "!="):
            return lambda value: _lookup(value, keys) is not _MISSING
        self.pos += 2
        self.skip_space()
        literal = self.literal()
        if operator == "==":
            return lambda value: _equal(_lookup(value, keys), literal)
        return lambda value: not _equal(_lookup(value, keys), literal)

    def relative_keys(self) -> list[Key]:
        keys: list[Key] = []
        while True:
            if self.peek() == "." and self.peek(2) != "..":
                self.pos += 1
                child = self.dotted_name()
            elif self.peek() == "[":
                selector = self.bracket()
                if not isinstance(selector, _Child):
                    raise self.fail("nested filters are not supported")
                child = selector
            else:
                return keys
            if child.name is None:
                raise self.fail("wildcards are not supported inside filters")
            keys.append(child.name)

    def literal(self) -> object:
        char = self.peek()
        if char and char in "'\"":
            return self.string()
        match = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null").match(
            self.text, self.pos
        )
        if not match:
            raise self.fail("expected a literal")
        self.pos = match.end()
        token = match.group()
        constants: dict[str, object] = {"true": True, "false": False, "null": None}
        if token in constants:
            return constants[token]
        return float(token) if any(c in token for c in ".eE") else int(token)


def _lookup(value: Any, keys: list[Key]) -> Any:
    for key in keys:
        if not _has(value, key):
            return _MISSING
        value = value[key]
    return value


def _equal(found: Any, literal: object) -> bool:
    # Booleans are ints in Python; JSON keeps them apart, so 1 must not equal true.
    if found is _MISSING or isinstance(found, bool) != isinstance(literal, bool):
        return False
    return bool(found == literal)
