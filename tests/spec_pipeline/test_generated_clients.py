"""The committed generated packages import, and are what the specs generate."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from support.spec_pipeline import GENERATED, REGENERATE, REPO, VENDORS


@pytest.mark.parametrize("vendor", VENDORS)
def test_vendor_package_imports(vendor: str) -> None:
    package = importlib.import_module(f"expense_clients.{vendor}")
    models = importlib.import_module(f"expense_clients.{vendor}.models")
    assert package.Client is not None
    assert models.__all__


def test_namespace_package_files() -> None:
    root = GENERATED / "expense_clients"
    assert (root / "py.typed").exists()
    assert all((root / vendor / "py.typed").exists() for vendor in VENDORS)
    assert (root / "__init__.py").read_text().startswith('"""')


def test_generated_code_holds_no_absolute_paths() -> None:
    offenders = [
        path
        for path in (GENERATED / "expense_clients").rglob("*.py")
        if str(REPO) in path.read_text() or "/tmp/" in path.read_text()
    ]
    assert offenders == []


def test_regenerate_check_passes_on_the_committed_tree() -> None:
    completed = subprocess.run(
        [sys.executable, str(REGENERATE), "--check"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "up to date" in completed.stdout
