"""``scripts/bench.py --quick`` runs end to end and prints the table's shape (so the
benchmark cannot rot). Only the shape is checked: rows present, figures that parse. No
timing is asserted, and whether a target is met is not either (tiny sizes on a shared
machine say nothing about performance)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # about 60 s: several child processes

EXPECTED_ROWS = (
    *(
        f"loopback client CPU: {v}"
        for v in ("capture", "brex", "revolut", "prospend", "pazy (list summaries)")
    ),
    "client cost: capture",
    "client cost: brex",
    "client cost: revolut",
    "client cost: prospend",
    "client cost: pazy (list summaries)",
    "client cost: pazy (with details)",
    "memory: export growth (revolut)",
    *(f"incremental: {v}" for v in ("capture", "brex", "revolut", "prospend", "pazy")),
    "rate-limited export (paced)",
    *(
        f"fan-out: {listing} ({driver})"
        for driver in ("sync", "async")
        for listing in ("prospend claims -> expenses", "pazy listing with details")
    ),
    "fan-out: get_expenses (brex details)",
    *(f"client CPU per expense, async vs sync ({v})" for v in ("brex", "pazy")),
    "import expense_facade vs import httpx",
    "first use (from expense_facade import ExpenseClient) vs import httpx",
    "regenerate clients",
)

HEADER = ["benchmark", "result", "target", "met", "figures", "inputs"]
NUMBER = r"[+-]?\d+(?:\.\d+)?"
RESULT_FORMS = {
    "loopback": rf"{NUMBER}x, {NUMBER} MB",
    "client cost": rf"{NUMBER}x",
    "memory": rf"{NUMBER} MB",
    "rate-limited": rf"{NUMBER}x ideal, \d+ x 429",
    "fan-out": rf"{NUMBER}x ideal",
    "client CPU per expense": rf"{NUMBER}x",
    "import": rf"{NUMBER}x",
    "first use": rf"{NUMBER}x",
    "regenerate": rf"{NUMBER} s",
    "incremental": r"\d+ / \d+ req",
}


@pytest.fixture(scope="module")
def table() -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,  # a guard against a hang only: a busy shared machine is slow
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in done.stdout.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    assert rows, done.stdout
    return rows


def test_the_table_has_its_header_and_every_benchmark(table: list[list[str]]) -> None:
    assert table[0] == HEADER
    assert [row[0] for row in table[1:]] == list(EXPECTED_ROWS)
    assert all(len(row) == len(HEADER) for row in table)


def test_every_result_is_a_figure_in_its_form(table: list[list[str]]) -> None:
    for name, result, target, met, figures, inputs in table[1:]:
        form = next(f for prefix, f in RESULT_FORMS.items() if name.startswith(prefix))
        assert re.fullmatch(form, result), (name, result)
        assert met in ("yes", "no"), (name, met)  # "error" would mean it could not run
        assert target
        assert inputs
        assert re.search(r"\d", figures), (name, figures)


def test_client_cost_rows_show_facade_generated_and_plain(table: list[list[str]]) -> None:
    for name, _, _, _, figures, inputs in table[1:]:
        if name.startswith("client cost"):
            for contender in ("facade", "generated-only", "plain"):
                assert re.search(rf"{contender} {NUMBER} µs", figures), (name, figures)
            assert "interleaved" in inputs


def test_loopback_rows_show_client_cpu_and_peak_rss_of_both(table: list[list[str]]) -> None:
    for name, _, _, _, figures, inputs in table[1:]:
        if name.startswith("loopback"):
            for contender in ("facade", "plain"):
                assert re.search(rf"{contender} {NUMBER} µs", figures), (name, figures)
                assert re.search(rf"{contender} {NUMBER} MB", figures), (name, figures)
            assert "interleaved" in inputs
