"""The change report says what breaks *here*: a change is marked breaking when it touches
a field the vendor's adapter reads or its simulator must build, and names those lines.

Each test edits a copy of a vendor's spec as a vendor update would, and marks the report
against this repository's adapter and simulator, found through the registry as
scripts/regenerate.py finds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import regenerate
from specgen.report import VendorReport, compare, mark_breaking, quoting_lines
from specprep import prepare
from support import spec_mutations as edit
from support.spec_pipeline import REPO, SPECS

VENDOR = "revolut"
ADAPTER = "facade/expense_facade/vendors/revolut.py"
SIMULATOR = "facade/expense_facade/sandbox/vendors/revolut.py"


def marked(tmp_path: Path, change: Any) -> VendorReport:
    before = prepare(SPECS / VENDOR / "prepare.yaml").document
    folder = edit.copy_spec(VENDOR, tmp_path)
    document = edit.load(folder)
    change(document["components"]["schemas"])
    edit.save(folder, document)
    report = compare(VENDOR, before, prepare(folder / "prepare.yaml").document)
    return mark_breaking(report, *regenerate.vendor_sources(VENDOR))


def lines_quoting(path: str, word: str) -> set[str]:
    source = (REPO / path).read_text(encoding="utf-8")
    return {f"{path}:{n}" for n in quoting_lines(source, word)}


def only(report: VendorReport, text: str) -> tuple[str, ...]:
    (change,) = [c for c in report.changes if c.text == text]
    return change.breaking


def test_the_registry_names_the_adapter_and_the_simulator() -> None:
    adapter, simulator = regenerate.vendor_sources(VENDOR)
    assert list(adapter) == [ADAPTER]
    assert list(simulator) == [SIMULATOR]


def test_a_removed_read_field_names_the_reading_and_building_lines(tmp_path: Path) -> None:
    def remove(schemas: dict[str, Any]) -> None:
        del schemas["Expense"]["properties"]["payer"]

    where = set(only(marked(tmp_path, remove), "removed `payer` (string)"))
    assert lines_quoting(ADAPTER, "payer") | lines_quoting(SIMULATOR, "payer") == where
    assert any(w.startswith(ADAPTER) for w in where)
    assert any(w.startswith(SIMULATOR) for w in where)


def test_a_retyped_read_field_is_breaking(tmp_path: Path) -> None:
    def retype(schemas: dict[str, Any]) -> None:
        schemas["Expense"]["properties"]["merchant"] = {"type": "boolean"}

    assert only(marked(tmp_path, retype), "retyped `merchant`: string -> boolean")


def test_a_newly_required_field_breaks_the_simulator_that_must_build_it(tmp_path: Path) -> None:
    def require(schemas: dict[str, Any]) -> None:
        schemas["Expense"]["properties"]["note"] = {"type": "string"}
        schemas["Expense"]["required"].append("note")

    assert only(marked(tmp_path, require), "added `note` (string, required)") == (
        f"{SIMULATOR} (must build it)",
    )


def test_what_the_project_does_not_read_is_not_breaking(tmp_path: Path) -> None:
    def harmless(schemas: dict[str, Any]) -> None:
        schemas["Expense"]["properties"]["note"] = {"type": "string"}  # optional, unread
        schemas["ExpenseState"]["enum"].append("archived")  # open enums: arrives as data

    report = marked(tmp_path, harmless)
    assert report.changes
    assert report.breaking == ()
    assert "breaking" not in "\n".join(report.lines())


def test_the_report_prints_the_lines(tmp_path: Path) -> None:
    def remove(schemas: dict[str, Any]) -> None:
        del schemas["Expense"]["properties"]["payer"]

    report = marked(tmp_path, remove)
    printed = "\n".join(report.lines())
    assert f"removed payer (string) [breaking here: {ADAPTER}:" in printed
    assert f"**[breaking here: {ADAPTER}:" in "\n".join(report.markdown())
