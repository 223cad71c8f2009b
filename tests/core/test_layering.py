"""The package keeps the import layering of ../shared/DESIGN.md ("Layering rules"); the
checker (support.layering) reports each kind of forbidden import, wherever it is written."""

from __future__ import annotations

from pathlib import Path

import expense_facade
import pytest
from support.layering import Import, Source, imports_of, source_at, sources, violations

ROOT = Path(expense_facade.__file__).resolve().parent


def test_the_package_keeps_the_layering() -> None:
    modules = list(sources(ROOT))
    names = {m.name for m in modules}
    # The walk sees every layer the rules speak of (a moved folder would empty a rule).
    for layer in ("vendors.brex", "sandbox.vendors.brex", "sandbox.app", "mapping.fields"):
        assert f"expense_facade.{layer}" in names
    assert any(i.target.startswith("expense_clients.") for m in modules for i in imports_of(m))
    assert violations(modules) == []


ALLOWED = {
    "vendors/brex.py": "from expense_clients.brex.api.expenses import list_expenses\n",
    "sandbox/vendors/pazy.py": "import expense_clients.pazy.models\n",
    "sandbox/app.py": (
        "from expense_facade.clock import Clock\n"
        "from expense_facade._http.pacing import TokenBucket\n"
        "from expense_facade._http import pacing\n"
        "from . import faults\n"
    ),
    "mapping/money.py": "from expense_facade.records import Money\nfrom ..errors import X\n",
    "cli/main.py": "from expense_facade.cli import parser\nfrom .parser import build\n",
    "cli/__init__.py": "from . import main\n",
}


def test_allowed_imports_are_not_reported() -> None:
    assert violations(source_at(path, text) for path, text in ALLOWED.items()) == []


FORBIDDEN = [
    ("client.py", "import expense_clients.brex\n", "only vendors/<v>.py"),
    ("mapping/fields.py", "from expense_clients.pazy.models import Expense\n", "only vendors"),
    ("vendors/__init__.py", "import expense_clients\n", "only vendors"),
    ("vendors/brex.py", "from expense_clients.revolut import client\n", "brex modules import"),
    ("vendors/brex.py", "import expense_clients\n", "brex modules import only"),
    ("sandbox/vendors/pazy.py", "from expense_clients import brex\n", "pazy modules import"),
    ("sandbox/vendors/sub/x.py", "import expense_clients.x\n", "only vendors"),
    ("sandbox/app.py", "from expense_facade.errors import APIError\n", "sandbox/ uses only"),
    ("sandbox/data.py", "from expense_facade._http.retry import RetryPolicy\n", "sandbox/"),
    ("sandbox/data.py", "from expense_facade import _http\n", "sandbox/ uses only"),
    ("sandbox/data.py", "import expense_facade\n", "sandbox/ uses only"),
    ("sandbox/vendors/brex.py", "from ...records import Money\n", "sandbox/ uses only"),
    ("sandbox/faults.py", "from ..mapping import money\n", "sandbox/ uses only"),
    ("mapping/paging.py", "from expense_facade._http.session import HttpSession\n", "mapping/"),
    ("mapping/__init__.py", "from .._http import retry\n", "mapping/ never imports _http/"),
    ("mapping/fields.py", "import expense_facade._http.redaction as r\n", "mapping/ never"),
    ("client.py", "from expense_facade.cli.main import main\n", "nothing outside cli/"),
    ("export/pipeline.py", "from ..cli import main\n", "nothing outside cli/"),
    ("__init__.py", "from .cli.main import main\n", "nothing outside cli/"),
    ("clock.py", "import importlib\nimportlib.import_module('expense_facade.cli')\n", "cli/"),
    ("clock.py", "__import__('expense_clients.brex')\n", "only vendors/<v>.py"),
]


@pytest.mark.parametrize(("path", "text", "reason"), FORBIDDEN)
def test_a_forbidden_import_is_reported(path: str, text: str, reason: str) -> None:
    [problem] = violations([source_at(path, text)])
    assert reason in problem
    assert source_at(path, text).name in problem


@pytest.mark.parametrize(
    "wrap",
    [
        "def load() -> None:\n    {imp}\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {imp}\n",
        "class A:\n    def m(self) -> None:\n        try:\n            {imp}\n"
        "        except ImportError:\n            pass\n",
    ],
    ids=["in-a-function", "type-checking", "nested"],
)
def test_imports_inside_functions_and_type_checking_blocks_are_seen(wrap: str) -> None:
    text = wrap.format(imp="from expense_facade._http.session import HttpSession")
    [problem] = violations([source_at("mapping/fields.py", text)])
    assert "mapping/ never imports _http/" in problem


def test_a_forbidden_import_added_to_a_copy_of_the_package_fails_the_check(
    tmp_path: Path,
) -> None:
    for path in ROOT.rglob("*.py"):
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text("utf-8"), "utf-8")
    assert violations(sources(tmp_path)) == []
    target = tmp_path / "sandbox" / "data.py"
    target.write_text(
        target.read_text("utf-8") + "\n\ndef late() -> None:\n    from ..errors import APIError\n",
        "utf-8",
    )
    [problem] = violations(sources(tmp_path))
    assert problem.startswith("expense_facade.sandbox.data (line ")
    assert "imports expense_facade.errors.APIError" in problem


def test_relative_imports_resolve_from_the_module_or_the_package() -> None:
    in_module = Source("expense_facade.sandbox.vendors.brex", False, "from ... import clock\n")
    in_package = Source("expense_facade.sandbox", True, "from .app import Sandbox\n")
    assert [i.target for i in imports_of(in_module)] == ["expense_facade.clock"]
    assert list(imports_of(in_package)) == [
        Import("expense_facade.sandbox", "expense_facade.sandbox.app.Sandbox", 1)
    ]
