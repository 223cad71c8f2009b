"""The change report: what changed in a vendor's API, driven by edits of its spec.

Each test prepares a vendor's spec as committed and an edited copy (the way a maintainer
meets a vendor update) and compares the two prepared documents, as scripts/regenerate.py
does with the committed ``openapi.json`` and the new preparation. The last test runs the
script itself on a copy of the repository's spec and generated client.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import regenerate
import yaml
from specgen.report import Change, VendorReport, compare, render_markdown
from specprep import prepare
from support import spec_mutations as edit
from support.spec_pipeline import GENERATED, SPECS


def report_for(
    vendor: str,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    keep: list[str] | None = None,
) -> VendorReport:
    """The report between ``vendor``'s prepared spec and the one prepared after ``change``
    (and with ``keep`` as the kept operations, when given)."""
    before = prepare(SPECS / vendor / "prepare.yaml").document
    folder = edit.copy_spec(vendor, tmp_path)
    document = edit.load(folder)
    change(document)
    edit.save(folder, document)
    if keep is not None:
        rules = yaml.safe_load((folder / "prepare.yaml").read_text())
        (folder / "prepare.yaml").write_text(yaml.safe_dump({**rules, "keep": keep}))
    return compare(vendor, before, prepare(folder / "prepare.yaml").document)


def texts(report: VendorReport) -> list[tuple[str, str]]:
    return [(c.heading, c.text) for c in report.changes]


def test_an_unchanged_spec_reports_nothing(tmp_path: Path) -> None:
    assert report_for("capture", tmp_path, lambda document: None).changes == ()


def test_renamed_removed_and_retyped_properties(tmp_path: Path) -> None:
    probe = edit.PROBES["capture"]
    report = report_for("capture", tmp_path, lambda document: edit.apply_probe(document, probe))
    heading = "schema `ExportExpense`"
    assert texts(report) == [
        (heading, "added `grossAmountV2` (number)"),
        (heading, "removed `personName` (string)"),
        (heading, "removed `grossAmount` (number)"),
        (heading, "retyped `isoCode`: string -> object"),
        ("schema `ExportExpense.isoCode`", "added"),
    ]


def test_operations_added_and_removed(tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        paths = document["paths"]
        del paths["/api/Expenses/ExportStatusUpdate"]
        paths["/api/Expenses/Purge"] = {
            "delete": {"operationId": "purgeQueue", "responses": {"204": {"description": "ok"}}}
        }

    keep = ["GET /api/Expenses/Export", "DELETE /api/Expenses/Purge"]
    report = report_for("capture", tmp_path, change, keep=keep)
    assert [c.text for c in report.changes if c.heading == "operations"] == [
        "added `DELETE /api/Expenses/Purge` (`purgeQueue`)",
        "removed `POST /api/Expenses/ExportStatusUpdate` (`updateExportStatus`)",
    ]
    # What only the removed operation used is gone with it.
    assert ("schema `ExportStatusUpdateRequest`", "removed") in texts(report)


def test_required_ness_nullability_and_enum_values(tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        expense = edit.schema(document, "Expense")
        expense["required"] = [r for r in expense["required"] if r != "expense_date"]
        expense["required"].append("merchant")
        expense["properties"]["payer"]["nullable"] = True
        state = edit.schema(document, "ExpenseState")
        state["enum"] = [v for v in state["enum"] if v != "reverted"] + ["archived"]
        split = edit.schema(document, "ExpenseSplit")
        split["properties"]["note"] = {"type": "string"}

    report = report_for("revolut", tmp_path, change)
    assert texts(report) == [
        ("schema `Expense`", "`merchant` is now required"),
        ("schema `Expense`", "`expense_date` is now optional"),
        ("schema `ExpenseSplit`", "added `note` (string)"),
        ("schema `ExpenseState`", "enum values: added `archived`; removed `reverted`"),
    ]


def test_nullability_alone_and_inline_objects(tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        expense = edit.schema(document, "Expense")
        expense["properties"]["id"]["nullable"] = True  # required: the repairs leave it
        expense["properties"]["splits"]["items"] = {
            "type": "object",
            "properties": {"amount": {"type": "number"}, "code": {"type": "string"}},
        }

    changes = texts(report_for("revolut", tmp_path, change))
    assert [text for heading, text in changes if heading == "schema `Expense`"] == [
        "`id` is now nullable",
        "retyped `splits`: array of ExpenseSplit -> array of object",
    ]
    assert ("schema `Expense.splits[]`", "added") in changes
    assert ("schema `ExpenseSplit`", "removed") in changes  # nothing uses it any more


def test_markdown_lists_each_changed_vendor_under_its_heading() -> None:
    changed = VendorReport("brex", (Change("operations", "added `GET /v2/x` (`getX`)"),))
    quiet = VendorReport("capture", ())
    text = render_markdown([changed, quiet])
    assert text.splitlines()[:7] == [
        "# API changes since the last generation",
        "",
        "## brex",
        "",
        "### operations",
        "",
        "- added `GET /v2/x` (`getX`)",
    ]
    assert "capture" not in text
    assert "No vendor's API changed." in render_markdown([quiet])


@pytest.mark.slow  # one regeneration
def test_regenerate_prints_the_report_and_writes_it_as_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = edit.copy_spec("capture", tmp_path / "specs")
    document = edit.load(folder)
    edit.rename(document, "ExportExpense", "grossAmount", "grossTotal")
    edit.save(folder, document)
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    markdown = tmp_path / "api-changes.md"
    argv = ["--vendor", "capture", "--specs", str(tmp_path / "specs")]
    argv += ["--output", str(tmp_path / "generated"), "--report", str(markdown)]

    assert regenerate.main(argv) == 0

    out = capsys.readouterr().out
    assert "capture: what changed in the API since the last generation" in out
    assert "    added grossTotal (number)" in out
    assert "    removed grossAmount (number)" in out
    written = markdown.read_text()
    assert "## capture" in written
    assert "- removed `grossAmount` (number)" in written
    # The new prepared spec is kept as the next baseline: a second run reports nothing.
    assert regenerate.main(argv) == 0
    assert "what changed" not in capsys.readouterr().out
    assert "No vendor's API changed." in markdown.read_text()
