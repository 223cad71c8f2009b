"""A sixth vendor is its own files: a package with an ``expense_facade.vendors`` entry point.

support/sixth_vendor's ``acme_expenses`` (spec, adapter, simulator, registry line) is
installed into a temporary folder with a ``.dist-info`` holding its entry point, as pip
would install it; the folder goes on ``PYTHONPATH`` of fresh processes. Then, with no other
edit: ``expense-facade vendors`` lists it, ``export --sandbox`` exports its approved
expenses, the cassette recorder records its scenarios, the conformance check validates its
simulator against its spec, and ``bench.py --quick`` measures it. A registry line whose
simulator is missing is an error, not a vendor silently skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.sixth_vendor import ENTRY_POINT, PACKAGE
from support.spec_pipeline import REPO

pytestmark = pytest.mark.slow  # fresh interpreters, an export, a recording and a benchmark

COMMAND = Path(sys.executable).parent / "expense-facade"
VENDOR = "acme"
SIZE = 40


def install(site: Path, package: Path = PACKAGE, entry_point: str = ENTRY_POINT) -> None:
    """``package`` into ``site`` with a dist-info declaring ``entry_point``."""
    shutil.copytree(package, site / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    info = site / f"{package.name}-0.1.dist-info"
    info.mkdir()
    name = package.name.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[expense_facade.vendors]\n{entry_point}\n")


def run(site: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """``args`` in a fresh process that sees the installed package (and tests/ for support)."""
    paths = [str(site), str(REPO / "tests"), str(REPO / "scripts")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.pop("EXPENSE_FACADE_CONFIG", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def python(site: Path, code: str) -> str:
    completed = run(site, sys.executable, "-c", code)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    install(folder)
    return folder


def approved_ids(site: Path) -> list[str]:
    code = (
        "from expense_facade.sandbox import Sandbox\n"
        f"sb = Sandbox(seed=1, size={SIZE}, vendors=('{VENDOR}',))\n"
        f"print('\\n'.join(sb.vendor('{VENDOR}').approved_ids()))"
    )
    return python(site, code).split()


def test_the_command_lists_it(site: Path) -> None:
    completed = run(site, str(COMMAND), "vendors")
    assert completed.returncode == 0, completed.stderr
    line = next(ln for ln in completed.stdout.splitlines() if ln.split()[:1] == [VENDOR])
    assert "list_approved" in line or "yes" in line


def test_the_export_exports_its_approved_expenses(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    args = ["export", "--sandbox", "--sandbox-size", str(SIZE), "--vendor", VENDOR]
    args += ["--out", str(out), "--ledger", str(tmp_path / "ledger.sqlite3")]
    completed = run(site, str(COMMAND), *args)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(approved_ids(site))
    assert {r["vendor"] for r in records} == {VENDOR}


def test_the_recorder_records_its_scenarios(site: Path, tmp_path: Path) -> None:
    script = str(REPO / "scripts" / "record_cassettes.py")
    completed = run(site, sys.executable, script, "--vendor", VENDOR, "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    written = {p.stem for p in (tmp_path / VENDOR).glob("*.yaml")}
    assert written == {"list_approved", "get_expense", "list_unauthorized", "get_not_found"}


def test_the_conformance_check_validates_its_simulator(site: Path) -> None:
    code = f"""
import expense_facade as ef
from expense_facade.sandbox import Sandbox
from support.conformance import VENDORS, check_response, server_path
assert "{VENDOR}" in VENDORS
sb = Sandbox(seed=1, size={SIZE}, vendors=("{VENDOR}",))
seen = []
sb.add_observer(seen.append)
with ef.connect("{VENDOR}", sandbox=sb) as client:
    first = next(iter(client.list_approved(page_size=7)))
    list(client.list_approved(page_size=7))
    client.get_expense(first.id)
    try:
        client.get_expense("acme_1_999999")
    except ef.NotFoundError:
        pass
checked = [e for e in seen if e.api]
problems = [
    check_response("{VENDOR}", e.request.method, e.path, e.response.status,
                   e.response.headers.get("content-type"), e.response.body)
    for e in checked
]
print(len(checked))
print([p for p in problems if p])
# A broken answer is caught: the spec really is the one checked against.
print(check_response("{VENDOR}", "GET", "/expenses/x", 200, "application/json", b'{{"id": 1}}'))
"""
    count, problems, broken = python(site, code).splitlines()
    assert int(count) >= 5
    assert problems == "[]"
    assert "required property" in broken


def test_aconnect_refuses_its_blocking_hooks_naming_them(site: Path) -> None:
    # Acme's adapter is written in the blocking hooks (_approved_pages, _get_expense), the
    # form before steps: connect serves it (above); aconnect cannot, and says so at once
    # instead of a client whose capabilities each answer "unsupported".
    code = f"""
import expense_facade as ef
from expense_facade.sandbox import Sandbox
sb = Sandbox(seed=1, size={SIZE}, vendors=("{VENDOR}",))
try:
    ef.aconnect("{VENDOR}", sandbox=sb)
except ef.ConfigurationError as exc:
    print(exc)
"""
    assert python(site, code).strip() == (
        "acme: the adapter writes list_approved, get_expense as blocking hooks only, which "
        "serve connect, not aconnect (docs/adapter_guide.md, 'Hooks': write them as steps)"
    )


def test_the_benchmarks_measure_it(site: Path) -> None:
    args = [sys.executable, str(REPO / "scripts" / "bench.py"), "--quick", "--jobs", "1"]
    completed = run(site, *args, "--only", "client", "--only", "incremental")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = [line for line in completed.stdout.splitlines() if VENDOR in line]
    assert any("client cost" in row for row in rows), completed.stdout
    assert any("incremental" in row for row in rows), completed.stdout


def test_a_listed_vendor_without_a_simulator_is_an_error(tmp_path: Path) -> None:
    package = tmp_path / "src" / "acme_expenses"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "simulator.py").unlink()
    site = tmp_path / "site"
    site.mkdir()
    install(site, package)
    completed = run(
        site, sys.executable, "-c", "from expense_facade.sandbox import Sandbox; Sandbox()"
    )
    assert completed.returncode != 0
    assert "the acme simulator is not installed (acme_expenses.simulator)" in completed.stderr
