"""Vendor JSON decoded exactly: the one ``loads`` every response body goes through.

* Numbers go from the bytes to ``Decimal`` with no float on the way (``parse_float``), so
  ``12.345678901234567890123`` stays every digit; integers stay ``int``. ``NaN`` and
  ``Infinity`` (not JSON, but sent) become the ``Decimal`` of that name: the money
  parsers then warn about them instead of the body being refused.
* Invalid UTF-8 inside a string costs that string, not the body: it becomes an
  ``InvalidText`` (the text with U+FFFD for each bad byte, the bytes kept in ``.raw``),
  and ``fields.text`` refuses it, so the record holding it is reported and the rest of
  the page goes on.
* JSON nested deeper than the parser goes raises ``TooDeep`` (never ``RecursionError``).

See docs/limits.md.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any


class InvalidText(str):
    """A JSON string that was not valid UTF-8: its text with U+FFFD for each bad byte;
    ``raw`` holds the bytes as the vendor sent them."""

    raw: bytes

    def __new__(cls, escaped: str) -> InvalidText:
        raw = escaped.encode("utf-8", "surrogateescape")
        self = super().__new__(cls, raw.decode("utf-8", "replace"))
        self.raw = raw
        return self


class TooDeep(ValueError):
    """The JSON nests deeper than the parser's limit."""


_BAD_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte >= 0x80
# One decoder for every body (json.loads with options would build one per call).
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=Decimal)


def loads(content: bytes) -> Any:
    """``content`` parsed as JSON (see the module docstring); ``ValueError`` (or
    ``TooDeep``) when it is not JSON."""
    try:
        # What json.loads does with bytes: the encoding detected (UTF-8 with or without
        # a BOM, UTF-16, UTF-32), lone surrogates passed on.
        return _DECODER.decode(content.decode(json.detect_encoding(content), "surrogatepass"))
    except UnicodeDecodeError:
        pass  # invalid UTF-8 somewhere: parse again with the bad bytes escaped
    except RecursionError:
        raise TooDeep("the JSON is nested deeper than the parser goes") from None
    text = content.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise TooDeep("the JSON is nested deeper than the parser goes") from None
    return _mark_invalid(value)


def _checked(text: str) -> str:
    return InvalidText(text) if _BAD_BYTE.search(text) else text


def _mark_invalid(value: Any) -> Any:
    """``value`` with every string holding an escaped bad byte made an ``InvalidText``
    (iteratively: the body may be nested as deep as the parser allowed)."""
    if isinstance(value, str):
        return _checked(value)
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    item = _checked(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
                fixed = _checked(key)
                if fixed is not key:
                    del node[key]
                node[fixed] = item
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = _checked(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return value
