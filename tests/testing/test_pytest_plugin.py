"""The pytest plugin of the ``testing`` extra (docs/sandbox.md, "pytest fixtures"): its
entry point registers the fixtures, and the example suite the page shows, in a project of
its own with no conftest and no code beside its tests, passes against them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from support.sandbox import connecting

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
SHOWN_FILE = re.compile(
    r"^<!-- file: (?P<name>[\w.]+) -->\n```python\n(?P<code>.*?)^```$", re.DOTALL | re.MULTILINE
)
FIXTURES = ("expense_sandbox", "expense_faults", "expense_sandbox_server", "expense_sandbox_env")


def test_the_entry_point_names_the_plugin_module() -> None:
    [plugin] = [e for e in entry_points(group="pytest11") if e.name == "expense_facade"]
    module = plugin.load()
    assert module.__name__ == "expense_facade.testing.pytest_plugin"
    assert all(callable(getattr(module, name)) for name in FIXTURES)


def test_this_suite_has_the_fixtures_without_importing_them(
    request: pytest.FixtureRequest,
) -> None:
    for name in FIXTURES:
        assert request._fixturemanager.getfixturedefs(name, request.node)  # registered


@pytest.mark.slow
def test_the_documented_example_project_passes_with_nothing_but_the_fixtures(
    tmp_path: Path,
) -> None:
    files = {m["name"]: m["code"] for m in SHOWN_FILE.finditer(DOCS.read_text("utf-8"))}
    assert list(files) == ["test_integration.py"]
    project = tmp_path / "integration"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # its own rootdir
    for name, code in files.items():
        (project / name).write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers"],
        cwd=project,
        env={k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "4 passed" in result.stdout
    assert sorted(p.name for p in project.iterdir()) == ["pytest.ini", "test_integration.py"]


def test_the_served_fixture_and_its_environment(
    expense_sandbox_env: dict[str, str], expense_sandbox_server: object, driver: str
) -> None:
    assert os.environ["EXPENSE_FACADE_BREX_BASE_URL"].startswith("http://127.0.0.1:")
    assert (
        expense_sandbox_env["EXPENSE_FACADE_BREX_BASE_URL"]
        == os.environ["EXPENSE_FACADE_BREX_BASE_URL"]
    )
    with connecting(driver)("capture") as client:  # both read the environment
        assert list(client.list_approved())
