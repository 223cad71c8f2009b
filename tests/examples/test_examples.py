"""Every example program (one per vendor and operation the vendor supports) runs in-process
against the sandbox and prints the lines it promises (regular expressions, per program)."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import expense_facade as ef
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MONEY = r"\d+(\.\d+)? [A-Z]{3}"

PRINTS: dict[str, list[str]] = {
    "capture_list_approved.py": [
        rf"^page 1: 50 expenses; first {GUID}: \d+(\.\d+)? [A-Z]{{3}} by .+ \(GL \d+\)$",
        r"^400 approved expenses waiting for export; 0 unreadable$",
    ],
    "capture_mark_exported.py": [
        rf"^{GUID}: exported$",
        r"^00000000-0000-4000-8000-000000000000: not marked: not in the export queue",
        r"^marked 5 of 6; 1 failed$",
        r"^395 of 400 still waiting for export$",
    ],
    "brex_list_approved.py": [r"^\d+ approved Brex expenses on \d+ pages$"],
    "brex_get_expense.py": [r"^Brex expense expense_\w+: approved \(Brex says APPROVED\)$"],
    "brex_upload_receipt.py": [
        r"^Uploaded taxi\.pdf \(\d+ bytes, application/pdf\) as receipt "
        r"receipt_\w+ onto expense expense_\w+$"
    ],
    "brex_download_receipt.py": [
        r"^receipt_\w+: \d+ bytes (application/pdf|image/png), sha256 [0-9a-f]{12}$"
    ],
    "revolut_download_receipt.py": [
        r"^[0-9a-f-]{36}: \d+ bytes (application/pdf|image/png), sha256 [0-9a-f]{12}$"
    ],
    "revolut_list_approved.py": [r"^[1-9]\d* approved Revolut expenses, \d+ pages, 0 unreadable$"],
    "revolut_get_expense.py": [
        r"^Revolut expense [0-9a-f-]{36}: approved \(Revolut says approved\), "
        r"\d+(\.\d+)? [A-Z]{3}$"
    ],
    "prospend_list_approved.py": [r"^\d+ approved expenses in \d+ pages, 0 malformed$"],
    "prospend_get_expense.py": [
        r"^expense \d+:\d+: \d+(\.\d+)? AUD \(tax \d+(\.\d+)? AUD\), approved$"
    ],
    "prospend_post_card_transaction.py": [
        r"^txn_example_0001: posted as \d+\ntxn_example_0001: duplicate \(already there\)$"
    ],
    "pazy_list_approved.py": [
        rf"^exp_\w+ \d{{4}}-\d\d-\d\d {MONEY} by .+: .+ \(\d+ line item\(s\)\)$",
        r"^\d{3} approved expenses, 0 unreadable$",
        rf"^totals: {MONEY}(, {MONEY})*$",
    ],
    "records_as_data.py": [
        r"^expense_\w+: -?\d+(\.\d+)? [A-Z]{3}, \d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d$"
    ],
    "pazy_get_expense.py": [
        r"^exp_\w+: approved \(Pazy says APPROVED\)$",
        rf"^gross {MONEY}, net {MONEY}, tax {MONEY}$",
        rf"^  .+: {MONEY} incl\. {MONEY} GST \d+%$",
    ],
}


def run(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


@pytest.mark.parametrize("vendor", ef.available_vendors())
def test_there_is_one_example_per_operation_the_vendor_supports(vendor: str) -> None:
    names = {p.name for p in EXAMPLES.glob(f"{vendor}_*.py")}
    assert names == {f"{vendor}_{op.value}.py" for op in ef.capabilities(vendor)}
    assert names <= set(PRINTS)


@pytest.mark.parametrize(("name", "expected"), sorted(PRINTS.items()))
def test_the_example_runs_and_prints_meaningful_lines(
    name: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(name, capsys)
    for pattern in expected:
        assert re.search(pattern, out, flags=re.MULTILINE), (pattern, out)


def test_the_prospend_listing_shows_records_with_composite_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = run("prospend_list_approved.py", capsys).splitlines()
    assert len(lines) == 6
    assert all(
        re.match(r"^\s*\d+:\d+  -?\d+(\.\d+)? AUD  Finalised  \S", line) for line in lines[:5]
    )
    count = int(lines[-1].split()[0])
    assert count > 5
