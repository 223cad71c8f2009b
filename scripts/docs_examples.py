"""Copy the example programs in examples/ into the docs pages that show them.

The programs are the single source: the test suite runs each of them against the sandbox,
and tests/docs/test_docs_examples.py checks that the docs show each one verbatim. A page
shows a program as a marker line followed by a Python code block::

    <!-- example: examples/brex_list_approved.py -->
    ```python
    ...the program, as it is...
    ```

Run this after changing an example: ``.venv/bin/python scripts/docs_examples.py``
(``--check`` exits 1 and names the stale pages instead of writing them).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

# A marker and the code block right after it (the block is what gets replaced).
_SHOWN = re.compile(
    r"^<!-- example: (?P<path>examples/[\w.-]+\.py) -->\n```python\n.*?^```$",
    re.DOTALL | re.MULTILINE,
)


def pages() -> list[Path]:
    """Every Markdown page under docs/."""
    return sorted(DOCS.rglob("*.md"))


def shown_in(text: str) -> list[str]:
    """The example paths (``examples/NAME.py``) a page shows, in order."""
    return [match["path"] for match in _SHOWN.finditer(text)]


def render(text: str) -> str:
    """``text`` with every marked code block replaced by the program it names."""

    def block(match: re.Match[str]) -> str:
        program = (ROOT / match["path"]).read_text().rstrip()
        return f"<!-- example: {match['path']} -->\n```python\n{program}\n```"

    return _SHOWN.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    """Rewrite the stale pages (or, with ``--check``, name them and exit 1)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args(argv)
    stale = []
    for page in pages():
        text = page.read_text()
        fresh = render(text)
        if fresh != text:
            stale.append(page)
            if not args.check:
                page.write_text(fresh)
    for page in stale:
        print(f"{'stale' if args.check else 'updated'}: {page.relative_to(ROOT)}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
