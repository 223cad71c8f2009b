"""``regenerate.py --check`` catches drift between specs and generated code.

Always on a temporary copy of specs/ and generated/: the real tree is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from support.spec_pipeline import GENERATED, REGENERATE, SPECS


def _check(specs: Path, generated: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(REGENERATE), "--check", "--specs", str(specs)]
    command += ["--output", str(generated), *extra]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_check_names_changed_missing_and_extra_files(tmp_path: Path) -> None:
    specs, generated = tmp_path / "specs", tmp_path / "generated"
    shutil.copytree(SPECS, specs)
    shutil.copytree(GENERATED, generated, ignore=shutil.ignore_patterns("__pycache__"))
    package = generated / "expense_clients" / "capture"

    # One field changed in the spec: a description that lands in a model docstring.
    spec_path = specs / "capture" / "openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["components"]["schemas"]["ExportExpense"]["properties"]["grossAmount"]["description"] = (
        "A description that was not there before."
    )
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    # And the generated tree damaged in both directions.
    (package / "errors.py").unlink()
    (package / "stray.py").write_text("")

    completed = _check(specs, generated, "--vendor", "capture")

    assert completed.returncode == 1, completed.stdout + completed.stderr
    lines = completed.stderr.splitlines()
    assert "  differs: expense_clients/capture/models/export_expense.py" in lines
    assert "  missing: expense_clients/capture/errors.py" in lines
    assert "  extra:   expense_clients/capture/stray.py" in lines
    # The prepared spec kept beside the client (the change report's baseline) moved too.
    assert "  differs: expense_clients/capture/openapi.json" in lines
    assert len([line for line in lines if line.startswith("  ")]) == 4
    assert "Run: python scripts/regenerate.py" in completed.stderr


def test_check_reports_a_spec_that_fails_to_prepare(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "capture", specs / "capture")
    prepare_path = specs / "capture" / "prepare.yaml"
    prepare_path.write_text(
        prepare_path.read_text().replace("GET /api/Expenses/Export", "GET /nope")
    )

    completed = _check(specs, tmp_path / "generated")

    assert completed.returncode == 2
    assert "capture" in completed.stdout
    assert "FAILED" in completed.stdout
    assert "GET /nope" in completed.stderr
