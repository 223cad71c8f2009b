"""Bounds on a TOML config file, checked by a cheap scan before ``tomllib`` parses it.

``tomllib`` takes minutes over a few hundred kilobytes of dotted keys, recurses once per
level of nested arrays and tables, and converts integers of any length; a config file
needs none of that. The scan reads the text once, skipping strings and comments, and
stops at the first bound passed (docs/limits.md, "Config file").
"""

from __future__ import annotations

import itertools
import re

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few hundred bytes; anything past this is not one."""
MAX_ITEMS = 20_000
"""Keys, table headers, parts of dotted keys and items of arrays, together (thousands of
accounts fit: an account is a header and two or three keys). ``tomllib`` takes about a
second per 20,000 on a loaded machine."""
MAX_KEY_PARTS = 16
"""Parts of one dotted key or table header (``[brex.acme]`` has two)."""
MAX_DEPTH = 32
"""Nesting of arrays and inline tables (a table header's brackets count too)."""
MAX_DIGITS = 64
"""Digits of one number (an id fits; Python refuses past 4,300 anyway)."""

_STRINGS_AND_COMMENTS = re.compile(
    r'''"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""'''  # multi-line basic string
    r"|'''[\s\S]*?'''"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
)
_LONG_KEY = re.compile(r"[.](?:[^\n=,\[\]{}.]*[.]){" + str(MAX_KEY_PARTS - 1) + "}")
"""``MAX_KEY_PARTS`` dots with no end of a key between them (a line break, ``=``, a comma
or a bracket)."""
_LONG_NUMBER = re.compile(r"(?:[0-9]_*){" + str(MAX_DIGITS + 1) + "}")
_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}


def config_problem(text: str) -> str | None:
    """What bound ``text`` passes (one phrase naming it), or None. Every step is one pass
    of a regular expression or a built-in over the text (a 1 MiB file is scanned in tens
    of milliseconds); strings and comments are blanked out first."""
    structure = _STRINGS_AND_COMMENTS.sub("s", text)
    if _LONG_NUMBER.search(structure):
        return f"holds a number of more than {MAX_DIGITS} digits"
    brackets = _NOT_BRACKETS.sub("", structure)
    if brackets and max(itertools.accumulate(map(_NESTING.__getitem__, brackets))) > MAX_DEPTH:
        return f"nests arrays or tables more than {MAX_DEPTH} deep"
    if _LONG_KEY.search(structure):
        return f"holds a dotted key of more than {MAX_KEY_PARTS} parts"
    items = sum(map(structure.count, "=,.")) + len(_HEADER.findall(structure))
    if items > MAX_ITEMS:
        return f"holds more than {MAX_ITEMS:,} keys, dotted parts and array items"
    return None


__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_ITEMS",
    "MAX_KEY_PARTS",
    "config_problem",
]
