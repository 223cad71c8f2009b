"""Revolut's published file drops in unchanged: nothing else needs an edit.

A published-style ``business.yaml`` (support/revolut_published.py, built from the facts in
VENDORS.md: no token endpoint, the required fields real answers carry, plain-object
labels, uuid formats, other Business APIs beside expenses) replaces
``specs/revolut/openapi.yaml`` in a copy of the tree. In that copy, with no other edit:
regeneration succeeds, ``mypy`` (what ``make typecheck`` runs) is clean, and every Revolut
test (adapter, simulator, refresh, faults, examples) passes against the regenerated
client, with the simulator's answers checked against the dropped-in file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.revolut_published import OTHER_RESOURCES, build
from support.spec_pipeline import REPO

pytestmark = pytest.mark.slow  # a copy of the tree, a regeneration, mypy and a test run

#: What the copy needs to regenerate, type-check and run the Revolut tests.
TREE = ("facade", "generated", "specs", "scripts", "tests", "examples", "docs")
TREE_FILES = ("pyproject.toml", "conftest.py")
REVOLUT_TESTS = (
    "tests/vendors/test_revolut.py",
    "tests/vendors/test_revolut_refresh.py",
    "tests/sandbox/test_revolut_sim.py",
    "tests/reliability/test_revolut_faults.py",
    "tests/cli/test_cli_revolut_refresh.py",
    "tests/examples/test_examples.py",
)
IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.egg-info")


def _copy_tree(target: Path) -> None:
    for name in TREE:
        shutil.copytree(REPO / name, target / name, ignore=IGNORED)
    for name in TREE_FILES:
        shutil.copyfile(REPO / name, target / name)
    if (REPO / ".mypy_cache").is_dir():  # only speeds mypy up: it re-checks what changed
        shutil.copytree(REPO / ".mypy_cache", target / ".mypy_cache")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # The copy's own packages come first on the path (before this checkout's editable
    # install), so the tests import the copy's adapter and regenerated client.
    path = os.pathsep.join(str(cwd / p) for p in ("facade", "generated"))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tree with the published-style file dropped in, regenerated."""
    root = tmp_path_factory.mktemp("drop-in")
    _copy_tree(root)
    spec = root / "specs" / "revolut" / "openapi.yaml"
    spec.write_text(yaml.safe_dump(build(), sort_keys=False), encoding="utf-8")
    regenerated = _run([sys.executable, "scripts/regenerate.py", "--vendor", "revolut"], root)
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    return root


def test_the_dropped_in_file_is_the_published_one(tree: Path) -> None:
    document = yaml.safe_load((tree / "specs" / "revolut" / "openapi.yaml").read_text())
    assert "/auth/token" not in document["paths"]
    assert {f"/{r}" for r in OTHER_RESOURCES} <= set(document["paths"])
    expense = document["components"]["schemas"]["Expense"]
    assert {"splits", "receipt_ids", "spent_amount"} <= set(expense["required"])
    assert expense["properties"]["labels"] == {"type": "object"}


def test_the_client_keeps_only_what_the_facade_calls(tree: Path) -> None:
    package = tree / "generated" / "expense_clients" / "revolut"
    assert {p.name for p in (package / "api").iterdir() if p.is_dir()} == {"auth", "expenses"}
    shapes = (package / "shapes.py").read_text(encoding="utf-8")
    assert "class AccessTokenView(Protocol)" in shapes  # the token endpoint's overlay
    assert 'ExpenseLabelsView: TypeAlias = "dict[str, list[str] | str]"' in shapes  # named labels


def test_typecheck_is_clean(tree: Path) -> None:
    completed = _run([sys.executable, "-m", "mypy"], tree)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_copy_imports_its_own_code(tree: Path) -> None:
    probe = (
        "import expense_facade as f, expense_clients.revolut as r; print(f.__file__, r.__file__)"
    )
    completed = _run([sys.executable, "-c", probe], tree)
    assert completed.returncode == 0, completed.stderr
    assert all(Path(p).is_relative_to(tree) for p in completed.stdout.split())


def test_every_revolut_test_passes(tree: Path) -> None:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *REVOLUT_TESTS]
    completed = _run([*command, "-k", "revolut or Revolut"], tree)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
