"""Each Pazy example program runs (in-process, against the built-in sandbox) and prints
what it promises; there is one per operation Pazy supports."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import expense_facade as ef
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MONEY = r"\d+(\.\d+)? [A-Z]{3}"

CASES = {
    "pazy_list_approved.py": [
        rf"^exp_\w+ \d{{4}}-\d\d-\d\d {MONEY} by .+: .+ \(\d+ line item\(s\)\)$",
        r"^\d{3} approved expenses, 0 unreadable$",
        rf"^totals: {MONEY}(, {MONEY})*$",
    ],
    "pazy_get_expense.py": [
        r"^exp_\w+: approved \(Pazy says APPROVED\)$",
        rf"^gross {MONEY}, net {MONEY}, tax {MONEY}$",
        rf"^  .+: {MONEY} incl\. {MONEY} GST \d+%$",
    ],
}


def test_there_is_one_pazy_example_per_supported_operation() -> None:
    names = {p.name for p in EXAMPLES.glob("pazy_*.py")}
    assert names == set(CASES)
    assert names == {f"pazy_{op.value}.py" for op in ef.capabilities("pazy")}


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_pazy_example_runs_and_prints_meaningful_lines(
    name: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    out = capsys.readouterr().out
    for pattern in expected:
        assert re.search(pattern, out, flags=re.MULTILINE), (pattern, out)
