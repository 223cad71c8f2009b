"""Each Brex example program runs (in-process, against the built-in sandbox) and prints
what it promises."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "brex_list_approved.py": r"^\d+ approved Brex expenses on \d+ pages$",
    "brex_get_expense.py": r"^Brex expense expense_\w+: approved \(Brex says APPROVED\)$",
    "brex_upload_receipt.py": r"^Uploaded taxi\.pdf \(\d+ bytes, application/pdf\) as receipt "
    r"receipt_\w+ onto expense expense_\w+$",
}


def test_every_brex_example_is_covered() -> None:
    assert {p.name for p in EXAMPLES.glob("brex_*.py")} == set(CASES)


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_brex_example_runs_and_prints_a_meaningful_line(
    name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    out = capsys.readouterr().out
    assert re.search(expected, out, flags=re.MULTILINE), out
