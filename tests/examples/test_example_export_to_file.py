"""The export-from-Python program writes every approved expense once, and a second run
exports nothing new (the ledger's doing)."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import pytest
from expense_facade.sandbox import Sandbox

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "export_to_file.py"


def test_exports_each_approved_expense_once_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    approved = list(Sandbox().vendor("brex").approved_ids())  # what connect(sandbox=True) serves
    runpy.run_path(str(PROGRAM), run_name="__main__")
    assert capsys.readouterr().out == f"exported {len(approved)}, skipped 0 already exported\n"
    runpy.run_path(str(PROGRAM), run_name="__main__")
    # Brex filters on its update time: the second run lists only what changed since the
    # first (with an overlap), and what it lists is already exported.
    assert re.fullmatch(r"exported 0, skipped \d+ already exported\n", capsys.readouterr().out)
    lines = (tmp_path / "approved.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == approved
    assert (tmp_path / "ledger.sqlite3").is_file()
