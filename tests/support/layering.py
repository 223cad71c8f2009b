"""The import layering of docs/development.md ("Layering") as a checker over source
text: every ``import``/``from ... import`` statement (at module level, inside functions,
under ``if TYPE_CHECKING:``) and every ``importlib.import_module``/``__import__`` call with
a constant module name. Names built at run time (the registry's table of adapter paths)
are not imports and are not seen here."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

PACKAGE = "expense_facade"
GENERATED = "expense_clients"
SANDBOX = f"{PACKAGE}.sandbox"
# What sandbox/ may use of the rest of the facade: the clock, the rate-limit bucket, the
# redaction of its request log (the same placeholder and secret headers), and the vendor
# registry (which simulators exist: one list for the whole tree).
SANDBOX_MAY_USE = (
    f"{PACKAGE}.clock",
    f"{PACKAGE}._http.pacing",
    f"{PACKAGE}._http.redaction",
    f"{PACKAGE}.registry",
)
MAPPING = f"{PACKAGE}.mapping"
HTTP = f"{PACKAGE}._http"
CLI = f"{PACKAGE}.cli"
# Modules allowed to import their own vendor's generated package, by the vendor's key.
ADAPTER_HOMES = (f"{PACKAGE}.vendors", f"{PACKAGE}.sandbox.vendors")
IMPORT_FUNCTIONS = frozenset({"import_module", "__import__"})


@attrs.frozen
class Import:
    """``module`` imports ``target`` (a dotted name) at ``line``."""

    module: str
    target: str
    line: int


@attrs.frozen
class Source:
    """A module's dotted name, whether it is a package ``__init__``, and its text."""

    name: str
    is_package: bool
    text: str


def sources(root: Path, package: str = PACKAGE) -> Iterator[Source]:
    """Every module of the package rooted at ``root`` (the folder holding ``__init__.py``)."""
    for path in sorted(root.rglob("*.py")):
        yield source_at(path.relative_to(root).as_posix(), path.read_text("utf-8"), package)


def source_at(relative: str, text: str, package: str = PACKAGE) -> Source:
    """The module at ``relative`` (a path like ``sandbox/app.py``) of ``package``."""
    parts = relative.removesuffix(".py").split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return Source(".".join([package, *parts]), is_package, text)


def within(name: str, prefix: str) -> bool:
    """``name`` is ``prefix`` or one of its submodules (or names)."""
    return name == prefix or name.startswith(prefix + ".")


def imports_of(source: Source) -> Iterator[Import]:
    """What ``source`` imports, relative imports resolved to absolute names. For
    ``from M import a`` the target is ``M.a`` (a submodule or a name of M: the rules hold
    either way)."""
    tree = ast.parse(source.text, filename=source.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source.name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, node.module, node.level)
            for alias in node.names:
                target = base if alias.name == "*" else f"{base}.{alias.name}"
                yield Import(source.name, target, node.lineno)
        elif isinstance(node, ast.Call) and _called_name(node.func) in IMPORT_FUNCTIONS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield Import(source.name, first.value, node.lineno)


def violation(item: Import) -> str | None:
    """Why ``item`` breaks a layering rule, or None when it is allowed."""
    module, target = item.module, item.target
    where = f"{module} (line {item.line}) imports {target}"
    if within(target, GENERATED):
        own = _vendor_of(module)
        if own is None:
            return f"{where}: only vendors/<v>.py and sandbox/vendors/<v>.py import {GENERATED}"
        if not within(target, f"{GENERATED}.{own}"):
            return f"{where}: the {own} modules import only {GENERATED}.{own}"
    if within(module, SANDBOX) and not _sandbox_may_import(target):
        return f"{where}: sandbox/ uses only {' and '.join(SANDBOX_MAY_USE)} of the facade"
    if within(module, MAPPING) and within(target, HTTP):
        return f"{where}: mapping/ never imports _http/"
    if within(target, CLI) and not within(module, CLI):
        return f"{where}: nothing outside cli/ imports cli/"
    return None


def violations(modules: Iterable[Source]) -> list[str]:
    """Every layering violation in ``modules``, one line each."""
    found = (violation(item) for source in modules for item in imports_of(source))
    return [problem for problem in found if problem is not None]


def _absolute(source: Source, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parts = source.name.split(".")
    # A package's own module is its __init__: ``from . import x`` stays inside it.
    keep = len(parts) - level + (1 if source.is_package else 0)
    if keep < 1:
        raise ValueError(f"{source.name}: relative import beyond the top-level package")
    base = ".".join(parts[:keep])
    return f"{base}.{module}" if module else base


def _sandbox_may_import(target: str) -> bool:
    if not within(target, PACKAGE) or within(target, SANDBOX):
        return True
    return any(within(target, allowed) for allowed in SANDBOX_MAY_USE)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _vendor_of(module: str) -> str | None:
    """The vendor key when ``module`` is ``vendors/<v>.py`` or ``sandbox/vendors/<v>.py``."""
    for home in ADAPTER_HOMES:
        rest = module.removeprefix(home + ".")
        if rest != module and "." not in rest:
            return rest
    return None
