"""Vendor JSON decoded exactly: the one ``loads`` every response body goes through.

* Numbers go from the bytes to ``Decimal`` with no float on the way (``parse_float``), so
  ``12.345678901234567890123`` stays every digit; integers stay ``int``. ``NaN`` and
  ``Infinity`` (not JSON, but sent) become the ``Decimal`` of that name: the money
  parsers then warn about them instead of the body being refused.
* Invalid UTF-8 inside a string, or a lone surrogate (``"\\udc00"``, a legal JSON escape
  that no UTF-8 text can hold), costs that string, not the body: it becomes an
  ``InvalidText`` (the text with U+FFFD for each bad character, the string as sent kept
  in ``.sent``), and ``fields.text``/``fields.identifier`` refuse it, so the record holding
  it is reported and the rest of the page goes on.
* An integer longer than ``MAX_NUMBER_CHARS`` costs that value, not the body: it becomes
  an ``OutOfBoundsNumber`` (its text, exact); a field parser reading it warns.
* JSON nested deeper than the parser goes raises ``TooDeep`` (never ``RecursionError``).

See docs/limits.md.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any


class InvalidText(str):
    """A JSON string that is not valid Unicode text: its text with U+FFFD for each bad
    byte or lone surrogate. ``sent`` is the string as decoded, each byte that was not
    UTF-8 as the surrogate ``U+DC80 + byte`` (Python's ``surrogateescape``), a lone
    surrogate escape as itself; ``raw`` is those bytes as the vendor sent them (a lone
    surrogate as its ``surrogatepass`` bytes)."""

    raw: bytes
    sent: str

    def __new__(cls, escaped: str) -> InvalidText:
        try:
            raw = escaped.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate escape, not an escaped byte
            raw = escaped.encode("utf-8", "surrogatepass")
            shown = _SURROGATE.sub("\ufffd", escaped)
        else:
            shown = raw.decode("utf-8", "replace")
        self = super().__new__(cls, shown)
        self.raw = raw
        self.sent = escaped
        return self


class OutOfBoundsNumber(str):
    """A JSON integer longer than ``MAX_NUMBER_CHARS`` characters: its text, exact, as a
    ``str`` (as an ``int`` it would cost time quadratic in its length, and Python's own
    limit on integer digits refuses it, which used to fail the whole body)."""


MAX_NUMBER_CHARS = 4300
"""The longest JSON integer kept as a number (docs/limits.md, "Numbers"): Python's default
limit on the digits of an integer read from text (``sys.int_info``)."""


class TooDeep(ValueError):
    """The JSON nests deeper than the parser's limit."""


# An escaped byte that is not UTF-8 (surrogateescape makes U+DC80..U+DCFF of it) or a lone
# surrogate (a pair of escapes decodes to one character, so any surrogate left is alone).
_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODED_SURROGATE = re.compile(b"\xed[\xa0-\xbf]")  # U+D800..U+DFFF in UTF-8 bytes


def _integer(text: str) -> int | OutOfBoundsNumber:
    if len(text) > MAX_NUMBER_CHARS:
        return OutOfBoundsNumber(text)
    try:
        return int(text)
    except ValueError:  # a process that lowered sys.set_int_max_str_digits
        return OutOfBoundsNumber(text)


# One decoder for every body (json.loads with options would build one per call). Integers
# are read by the parser's own fast path; only a body it refuses for an integer too long
# for Python goes through the bounded reader. A decimal of any length is read exactly in
# linear time, so it is not cut here (the amount parsers bound what they read).
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=Decimal)
_BOUNDED = json.JSONDecoder(parse_float=Decimal, parse_int=_integer, parse_constant=Decimal)


def loads(content: bytes) -> Any:
    """``content`` parsed as JSON (see the module docstring); ``ValueError`` (or
    ``TooDeep``) when it is not JSON."""
    encoding = json.detect_encoding(content)
    try:
        # What json.loads does with bytes: the encoding detected (UTF-8 with or without
        # a BOM, UTF-16, UTF-32), lone surrogates passed on (and marked below).
        text = content.decode(encoding, "surrogatepass")
    except UnicodeDecodeError:
        # Invalid UTF-8 somewhere: parse with the bad bytes escaped, then mark them.
        text = content.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
        return _mark_invalid(_decode(text))
    value = _decode(text)
    # A lone surrogate comes from an escape (seen only once decoded) or from its UTF-8
    # bytes passed on as they are; the bytes are searched, not the text (several times
    # faster on a non-ASCII body), and most bodies are spared the walk. The escapes are
    # looked for only in a body with a backslash at all: one byte is found by memchr,
    # where a three-byte pattern in running text costs 0.4 ms per 380 KB (a microsecond
    # per Revolut record).
    if (
        (b"\\" in content and (b"\\ud" in content or b"\\uD" in content))
        or not encoding.startswith("utf-8")
        or (b"\xed" in content and _ENCODED_SURROGATE.search(content) is not None)
    ):
        return _mark_invalid(value)
    return value


def _decode(text: str) -> Any:
    try:
        try:
            return _DECODER.decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer longer than Python reads: bounded per value
            return _BOUNDED.decode(text)
    except RecursionError:
        raise TooDeep("the JSON is nested deeper than the parser goes") from None


def _checked(text: str) -> str:
    return InvalidText(text) if _SURROGATE.search(text) else text


def _mark_invalid(value: Any) -> Any:
    """``value`` with every string holding an escaped bad byte or a lone surrogate made an
    ``InvalidText`` (iteratively: the body may be nested as deep as the parser allowed)."""
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
