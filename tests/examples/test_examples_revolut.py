"""Each Revolut example program runs (in-process, against the built-in sandbox) and prints
what it promises."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "revolut_list_approved.py": r"^[1-9]\d* approved Revolut expenses, "
    r"\d+ pages, 0 unreadable$",
    "revolut_get_expense.py": r"^Revolut expense [0-9a-f-]{36}: approved \(Revolut says approved\)"
    r", \d+(\.\d+)? [A-Z]{3}$",
}


def test_every_revolut_example_is_covered() -> None:
    assert {p.name for p in EXAMPLES.glob("revolut_*.py")} == set(CASES)


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_revolut_example_runs_and_prints_a_meaningful_line(
    name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    out = capsys.readouterr().out
    assert re.search(expected, out, flags=re.MULTILINE), out
