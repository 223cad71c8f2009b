"""Each ProSpend example program runs (in-process, on its own sandbox) and prints what it
promises."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = [
    (
        "prospend_list_approved.py",
        r"^\d+ approved expenses in \d+ pages, 0 malformed$",
    ),
    (
        "prospend_get_expense.py",
        r"^expense \d+:\d+: \d+(\.\d+)? AUD \(tax \d+(\.\d+)? AUD\), approved$",
    ),
    (
        "prospend_post_card_transaction.py",
        r"^txn_example_0001: posted as \d+\ntxn_example_0001: duplicate \(already there\)$",
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_example_runs_and_prints_a_meaningful_line(
    name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    out = capsys.readouterr().out
    assert re.search(expected, out, re.MULTILINE), out


def test_every_prospend_example_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("prospend_*.py")) == sorted(n for n, _ in CASES)


def test_listing_example_shows_records_with_composite_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLES / "prospend_list_approved.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert all(
        re.match(r"^\s*\d+:\d+  -?\d+(\.\d+)? AUD  Finalised  \S", line) for line in lines[:5]
    )
    count = int(lines[-1].split()[0])
    assert count > 5
