"""One adapter logic serves the sync and the async client (issue 25): each vendor module
defines each operation once, as steps; nothing in it is async or blocking-only."""

from __future__ import annotations

import ast
from pathlib import Path

import expense_facade.vendors as vendors_package
import pytest
from expense_facade.client import OPERATION_HOOKS, blocking_only
from expense_facade.registry import BUILTIN, adapter_class

VENDOR_DIR = Path(vendors_package.__file__).resolve().parent
MODULES = sorted(p for p in VENDOR_DIR.glob("*.py") if p.name != "__init__.py")


def _defined(tree: ast.Module) -> list[tuple[str, int]]:
    """Every function and method name defined in the module, with its line."""
    return [
        (node.name, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def operation_twice(source: str) -> list[str]:
    """The operations a module defines more than once (any two of its hook names, or one
    name twice, or an ``async def`` of any name: a second, async path)."""
    tree = ast.parse(source)
    defined = _defined(tree)
    problems = [
        f"async def {node.name} (line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.AsyncFunctionDef)
    ]
    for operation, names in OPERATION_HOOKS.items():
        found = [(name, line) for name, line in defined if name in names]
        if len(found) > 1:
            problems.append(f"{operation}: " + ", ".join(f"{n} (line {ln})" for n, ln in found))
    return problems


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_each_operation_is_defined_once(path: Path) -> None:
    assert operation_twice(path.read_text(encoding="utf-8")) == []


def test_the_check_fails_on_a_second_path() -> None:
    twice = (
        "class A:\n"
        "    def _get_expense_steps(self, i): yield\n"
        "    def _get_expense(self, i): return 1\n"
    )
    assert operation_twice(twice) == [
        "get_expense: _get_expense_steps (line 2), _get_expense (line 3)"
    ]
    asynchronous = "class A:\n    async def _aget_expense(self, i): return 1\n"
    assert operation_twice(asynchronous) == ["async def _aget_expense (line 2)"]


@pytest.mark.parametrize("vendor", sorted(BUILTIN))
def test_every_capability_is_written_as_steps(vendor: str) -> None:
    cls = adapter_class(vendor)
    for operation in cls.capabilities:
        steps_hook, blocking_hook = OPERATION_HOOKS[operation]
        owner = next(c for c in cls.__mro__ if steps_hook in c.__dict__)
        assert owner.__module__.startswith("expense_facade.vendors."), (
            f"{vendor}: {operation} has no steps ({steps_hook})"
        )
        blocking_owner = next(c for c in cls.__mro__ if blocking_hook in c.__dict__)
        assert blocking_owner.__module__ == "expense_facade.client", (
            f"{vendor}: {blocking_hook} overridden: a second, blocking-only path"
        )
    assert blocking_only(cls) == ()  # so aconnect serves every capability
