#!/usr/bin/env python3
"""Regenerate the vendor clients from the specs: prepare → validate → openapi-python-client.

For every ``specs/<vendor>/prepare.yaml`` (or the vendors named with ``--vendor``):

1. prepare the spec with :mod:`specprep` (keep, overlays, generic repairs);
2. validate the prepared document with openapi-spec-validator;
3. run ``openapi-python-client generate --meta none --fail-on-warning --overwrite`` on it
   into ``generated/expense_clients/<vendor>/``;
4. write the typed wire shapes of every response body beside it (``shapes.py``, by
   :mod:`specgen.shapes`; docs/adapter_guide.md says how adapters and simulators use them)
   and the prepared spec itself (``openapi.json``);
5. print what changed in each vendor's API since the last generation (the committed
   ``openapi.json`` against the new one, :mod:`specgen.report`), each change that breaks
   the vendor's adapter or simulator marked with those lines; ``--report PATH`` writes it
   as Markdown for a pull request (docs/specs.md).

Output is byte-for-byte repeatable: the generator's post-hooks run the ruff of this
interpreter's environment with ``--isolated`` (the repo's ruff settings must not leak into
generated code) and ``--no-cache`` (no cache folder in the output), and the generator runs
in a temporary folder so no absolute path can reach the output.

``--check`` regenerates into a temporary folder and compares with ``generated/``; it exits
1 naming every file that differs, is missing or is extra.

Usage::

    python scripts/regenerate.py                 # all vendors
    python scripts/regenerate.py --vendor brex   # one vendor (repeatable)
    python scripts/regenerate.py --check         # CI: fail on drift
    python scripts/regenerate.py -v              # also print every repair message
    python scripts/regenerate.py --report api-changes.md   # the change report as Markdown
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Run as a script, this file's folder is first on sys.path, so the sibling package imports.
from specgen import UnsupportedConstruct, render_shapes
from specgen.report import VendorReport, compare, mark_breaking, render_markdown
from specprep import Preparation, PrepareError, dump_json, prepare
from specprep.repairs.walk import escape

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "expense_clients"
PACKAGE_DOCSTRING = (
    '"""Clients generated from specs/<vendor> by scripts/regenerate.py (never edit by hand)."""\n'
)
#: The versions generated/ was produced with; others may format or template differently.
PINNED = {"openapi-python-client": "0.29.1", "ruff": "0.17.5"}
SHAPES = "shapes.py"
PREPARED = "openapi.json"
IGNORED = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"})


class RegenerationError(Exception):
    """One vendor could not be prepared, validated or generated."""


@dataclass
class VendorResult:
    """What happened to one vendor."""

    vendor: str
    seconds: float = 0.0
    preparation: Preparation | None = None
    models: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: operations kept, repairs applied, models generated, time."""
        if self.error is not None or self.preparation is None:
            return f"{self.vendor:9} FAILED"
        prep = self.preparation
        counts = ", ".join(
            f"{name} {len(messages)}" for name, messages in prep.repairs.items() if messages
        )
        overlays = (
            f", {len(prep.overlay_messages)} overlay action(s)" if prep.overlay_messages else ""
        )
        if prep.deviation_messages:
            overlays += f", {len(prep.deviation_messages)} declared deviation(s)"
        return (
            f"{self.vendor:9} {len(prep.operations)} operation(s), {self.models} model(s), "
            f"{prep.repair_count} repair(s) ({counts or 'none'}){overlays} [{self.seconds:.1f}s]"
        )


def ruff_hooks() -> list[str]:
    """Post-hooks that format with this environment's ruff and ignore every ruff config file."""
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        raise RegenerationError(f"ruff not found next to {sys.executable}; install the dev extras")
    return [
        f"{ruff} check --isolated --no-cache --fix-only --extend-select=I .",
        f"{ruff} format --isolated --no-cache .",
    ]


def version_warnings() -> list[str]:
    """Say so when the installed generator or formatter is not the pinned version."""
    installed = {
        "openapi-python-client": importlib.metadata.version("openapi-python-client"),
        "ruff": importlib.metadata.version("ruff"),
    }
    return [
        f"warning: {name} {installed[name]} installed, generated/ is made with {pinned};"
        " output may differ (pip install -e '.[dev]')"
        for name, pinned in PINNED.items()
        if installed[name] != pinned
    ]


def discover_vendors(specs: Path) -> list[str]:
    """Vendor folders of ``specs`` that hold a prepare.yaml, sorted."""
    return sorted(p.parent.name for p in specs.glob("*/prepare.yaml"))


def validate(document: dict[str, object], vendor: str) -> None:
    """Validate with openapi-spec-validator; raise :class:`RegenerationError` on the first error."""
    from openapi_spec_validator import validate as validate_spec  # slow: imported only when used
    from openapi_spec_validator.validation.exceptions import (
        OpenAPIValidationError,
    )

    try:
        validate_spec(document)
    except OpenAPIValidationError as exc:
        where = "".join(f"/{escape(str(part))}" for part in getattr(exc, "path", ()))
        raise RegenerationError(
            f"{vendor}: prepared spec is not valid OpenAPI at #{where}: {exc.message}"
        ) from exc


def generate_vendor(vendor: str, specs: Path, package_dir: Path) -> VendorResult:
    """Prepare, validate and generate one vendor into ``package_dir/<vendor>``."""
    result = VendorResult(vendor)
    started = time.perf_counter()
    try:
        preparation = prepare(specs / vendor / "prepare.yaml")
        result.preparation = preparation
        validate(preparation.document, vendor)
        _run_generator(vendor, preparation, package_dir / vendor)
        (package_dir / vendor / "py.typed").write_text("", encoding="utf-8")
        result.models = _count_models(package_dir / vendor)
    except (PrepareError, RegenerationError) as exc:
        result.error = str(exc)
    except UnsupportedConstruct as exc:
        result.error = f"{vendor}: cannot generate the wire shapes: {exc}"
    except RecursionError:
        result.error = (
            f"{vendor}: the spec nests or references itself deeper than the tools can follow"
        )
    except Exception as exc:  # one line per vendor, never a traceback (docs/specs.md)
        result.error = f"{vendor}: {type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - started
    return result


def _run_generator(vendor: str, preparation: Preparation, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=f"regen-{vendor}-") as work:
        work_dir = Path(work)
        spec_path = work_dir / "openapi.json"
        spec_path.write_text(dump_json(preparation.document), encoding="utf-8")
        config_path = work_dir / "config.yaml"
        config = {
            "project_name_override": f"expense-clients-{vendor}",
            "package_name_override": vendor,
            "post_hooks": ruff_hooks(),
        }
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        # Generate beside the inputs, then move: the generator only ever sees a relative
        # output path inside its working folder.
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            "openapi.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--fail-on-warning",
            "--overwrite",
            "--output-path",
            vendor,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        completed = subprocess.run(
            command, cwd=work_dir, env=env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            details = (completed.stderr or completed.stdout).strip()
            raise RegenerationError(f"{vendor}: openapi-python-client failed:\n{details}")
        _write_shapes(preparation, work_dir / vendor, env)
        (work_dir / vendor / PREPARED).write_text(spec_path.read_text(encoding="utf-8"))
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work_dir / vendor), str(output))


def _write_shapes(preparation: Preparation, package: Path, env: dict[str, str]) -> None:
    """``shapes.py``, the typed wire shapes, formatted as the generator's post-hooks format."""
    (package / SHAPES).write_text(render_shapes(preparation.document), encoding="utf-8")
    for hook in ruff_hooks():
        command = [*hook.split()[:-1], SHAPES]  # the hooks end with "." (the package)
        completed = subprocess.run(
            command, cwd=package, env=env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            details = (completed.stderr or completed.stdout).strip()
            raise RegenerationError(f"formatting {SHAPES} failed:\n{details}")


def _count_models(vendor_dir: Path) -> int:
    return sum(1 for p in (vendor_dir / "models").glob("*.py") if p.name != "__init__.py")


def write_package_files(package_dir: Path) -> None:
    """The ``expense_clients`` namespace package's own files."""
    package_dir.mkdir(parents=True, exist_ok=True)
    (package_dir / "__init__.py").write_text(PACKAGE_DOCSTRING, encoding="utf-8")
    (package_dir / "py.typed").write_text("", encoding="utf-8")


def generate_all(
    vendors: Sequence[str], specs: Path, package_dir: Path, jobs: int
) -> list[VendorResult]:
    """Generate ``vendors`` into ``package_dir`` (in parallel); results in ``vendors`` order."""
    write_package_files(package_dir)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda v: generate_vendor(v, specs, package_dir), vendors))


def _files(root: Path) -> set[Path]:
    if not root.exists():
        return set()
    return {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not IGNORED.intersection(path.relative_to(root).parts)
    }


def compare_trees(expected: Path, actual: Path, vendors: Sequence[str], full: bool) -> list[str]:
    """Differences between freshly generated ``expected`` and committed ``actual``.

    Only the selected vendors and the package files are compared; with ``full`` a vendor
    package in ``actual`` without a spec is reported as extra.
    """
    scopes = [Path(vendor) for vendor in vendors]
    wanted = {p for p in _files(expected) if p.parts[0] in vendors or len(p.parts) == 1}
    present = {
        p
        for p in _files(actual)
        if full or len(p.parts) == 1 or any(p.parts[0] == s.name for s in scopes)
    }
    problems = []
    for path in sorted(wanted - present):
        problems.append(f"missing: {PACKAGE}/{path.as_posix()}")
    for path in sorted(present - wanted):
        problems.append(f"extra:   {PACKAGE}/{path.as_posix()}")
    for path in sorted(wanted & present):
        if not filecmp.cmp(expected / path, actual / path, shallow=False):
            problems.append(f"differs: {PACKAGE}/{path.as_posix()}")
    return problems


def sync_tree(source: Path, target: Path, vendors: Sequence[str], full: bool) -> None:
    """Replace the selected vendor packages (and package files) of ``target`` with ``source``'s."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("__init__.py", "py.typed"):
        shutil.copyfile(source / name, target / name)
    for vendor in vendors:
        if (target / vendor).exists():
            shutil.rmtree(target / vendor)
        shutil.copytree(source / vendor, target / vendor)
    if full:
        for stale in target.iterdir():
            if stale.is_dir() and stale.name not in vendors and stale.name not in IGNORED:
                shutil.rmtree(stale)


def change_reports(results: Sequence[VendorResult], committed: Path) -> list[VendorReport]:
    """What changed per vendor between ``committed`` (the package folder of generated/) and
    the preparations just made; vendors that failed are left out."""
    reports = []
    for result in results:
        if result.preparation is None or result.error is not None:
            continue
        previous_path = committed / result.vendor / PREPARED
        previous = None
        if previous_path.exists():
            try:
                previous = json.loads(previous_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                previous = None  # unreadable: report as a first generation
        # The document as the generator saw it (JSON: what was written beside it).
        current = json.loads(dump_json(result.preparation.document))
        adapter, simulator = vendor_sources(result.vendor)
        reports.append(mark_breaking(compare(result.vendor, previous, current), adapter, simulator))
    return reports


def vendor_sources(vendor: str) -> tuple[dict[str, str], dict[str, str]]:
    """``({path: source}, {path: source})`` of the vendor's adapter and simulator modules,
    as the registry names them (empty for a spec no registered vendor has)."""
    import importlib.util

    from expense_facade.registry import vendors

    entry = vendors().get(vendor)
    if entry is None:
        return {}, {}
    found: list[dict[str, str]] = []
    for target in (entry.adapter, entry.simulator):
        spec = importlib.util.find_spec(target.partition(":")[0])
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is None or not origin.is_file():
            found.append({})
            continue
        shown = origin.relative_to(REPO) if origin.is_relative_to(REPO) else origin
        found.append({shown.as_posix(): origin.read_text(encoding="utf-8")})
    return found[0], found[1]


def print_reports(reports: Sequence[VendorReport], markdown: Path | None) -> None:
    """Print the changed vendors' reports; write them all as Markdown to ``markdown``."""
    changed = [r for r in reports if r.changes or r.new]
    if changed:
        print()
    for report in changed:
        print("\n".join(report.lines()))
    if markdown is not None:
        markdown.write_text(render_markdown(list(reports)), encoding="utf-8")
        print(f"change report written to {markdown}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--vendor", action="append", help="only this vendor (repeatable)")
    parser.add_argument(
        "--check", action="store_true", help="compare with generated/, write nothing"
    )
    parser.add_argument("--specs", type=Path, default=REPO / "specs", help="specs folder")
    parser.add_argument("--output", type=Path, default=REPO / "generated", help="generated folder")
    parser.add_argument("--jobs", type=int, default=min(5, os.cpu_count() or 1) + 1)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every repair")
    parser.add_argument(
        "--report", type=Path, metavar="PATH", help="write the API change report as Markdown"
    )
    args = parser.parse_args(argv)

    available = discover_vendors(args.specs)
    vendors = args.vendor or available
    unknown = sorted(set(vendors) - set(available))
    if unknown:
        parser.error(f"no specs/<vendor>/prepare.yaml for {unknown}; available: {available}")
    full = not args.vendor

    for warning in version_warnings():
        print(warning, file=sys.stderr)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="regenerate-") as staging:
        staged = Path(staging) / PACKAGE
        results = generate_all(vendors, args.specs, staged, args.jobs)
        for result in results:
            print(result.summary())
            if args.verbose and result.preparation is not None:
                for line in result.preparation.deviation_messages:
                    print(f"    deviation: {line}")
                for line in result.preparation.overlay_messages:
                    print(f"    overlay: {line}")
                for name, messages in result.preparation.repairs.items():
                    for message in messages:
                        print(f"    {name}: {message}")
        failed = [result for result in results if result.error is not None]
        for result in failed:
            print(f"\n{result.error}", file=sys.stderr)
        target = args.output / PACKAGE
        reports: list[VendorReport] = []
        try:
            reports = change_reports(results, target)
            print_reports(reports, args.report)
        except OSError as exc:
            print(f"\ncannot write the change report: {exc}", file=sys.stderr)
            return 2
        if failed:
            return 2
        if args.check:
            problems = compare_trees(staged, target, vendors, full)
            if problems:
                breaking = [c for r in reports for c in r.breaking]
                if breaking:
                    print(
                        f"\n{len(breaking)} change(s) not absorbed break this project "
                        "(the adapter or simulator lines above)",
                        file=sys.stderr,
                    )
                print(f"\ngenerated/ is out of date ({len(problems)} file(s)):", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                print("Run: python scripts/regenerate.py", file=sys.stderr)
                return 1
            print(f"generated/ is up to date ({time.perf_counter() - started:.1f}s)")
            return 0
        sync_tree(staged, target, vendors, full)
    print(f"wrote {target} ({time.perf_counter() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
