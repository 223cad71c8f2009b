"""The delivery example hands every approved expense to its HTTP endpoint once, and a
second run delivers nothing new (the ledger records what the endpoint acknowledged)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from expense_facade.sandbox import Sandbox

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "deliver_to_http.py"


def test_delivers_each_approved_expense_once_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # its ledger.sqlite3 is made here
    approved = len(list(Sandbox().vendor("brex").approved_ids()))  # connect(sandbox=True)
    runpy.run_path(str(PROGRAM), run_name="__main__")
    assert capsys.readouterr().out == (
        f"delivered {approved}, then 0 on the second run\n"
        f"the endpoint holds {approved} records, one per key\n"
    )
    assert (tmp_path / "ledger.sqlite3").is_file()
