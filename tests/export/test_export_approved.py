"""``ef.export_approved``: the whole export from Python, against the in-process sandbox."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.clock import FakeClock
from expense_facade.export.ledger import Ledger, LedgerError
from expense_facade.sandbox import Fault, Sandbox

pytestmark = pytest.mark.usefixtures("each_ledger_backend")


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=5, size=40, clock=FakeClock(), vendors=("capture", "brex", "pazy"))


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_several_clients_into_a_folder_once_each(sb: Sandbox, tmp_path: Path) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    done: list[ef.ExportSummary] = []
    with ef.connect("brex", sandbox=sb) as brex, ef.connect("pazy", sandbox=sb) as pazy:
        first = ef.export_approved(
            [brex, pazy], f"{out}/", ledger=ledger, on_vendor_done=done.append
        )
        again = ef.export_approved((c for c in (brex, pazy)), f"{out}/", ledger=ledger)
    brex_ids, pazy_ids = (list(sb.vendor(v).approved_ids()) for v in ("brex", "pazy"))
    assert ids_in(out / "brex.jsonl") == brex_ids
    assert ids_in(out / "pazy.jsonl") == pazy_ids
    assert isinstance(first, ef.ExportSummary)
    assert first.ok
    assert (first.vendors, first.exported, first.skipped) == (
        ("brex", "pazy"),
        len(brex_ids) + len(pazy_ids),
        0,
    )
    assert [(s.vendors, s.exported) for s in done] == [
        (("brex",), len(brex_ids)),
        (("pazy",), len(pazy_ids)),
    ]
    # Nothing new the second time (Brex lists only what changed since the first run,
    # Pazy everything again: all of it is in the ledger).
    assert again.exported == 0
    assert again.skipped >= len(pazy_ids)
    assert ids_in(out / "brex.jsonl") == brex_ids
    assert ids_in(out / "pazy.jsonl") == pazy_ids


def test_one_client_into_a_csv_file_marks_where_the_vendor_can(sb: Sandbox, tmp_path: Path) -> None:
    queued = list(sb.vendor("capture").approved_ids())
    with ef.connect("capture", sandbox=sb) as client:
        summary = ef.export_approved(
            client, tmp_path / "approved.csv", ledger=tmp_path / "ledger.sqlite3"
        )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "approved.csv").read_text())))
    assert [row["expense_id"] for row in rows] == queued
    assert (summary.exported, summary.marked) == (len(queued), len(queued))
    assert list(sb.vendor("capture").approved_ids()) == []  # the queue is empty now


def test_options_and_an_open_ledger(sb: Sandbox, tmp_path: Path) -> None:
    queued = list(sb.vendor("capture").approved_ids())
    with Ledger(tmp_path / "ledger.sqlite3") as ledger, ef.connect("capture", sandbox=sb) as client:
        summary = ef.export_approved(
            client,
            tmp_path / "approved.jsonl",
            ledger=ledger,
            format="csv-lines",
            options=ef.ExportOptions(mark_exported=False),
        )
        assert ledger.exported_ids("capture", client.account, queued) == set(queued)
    assert summary.marked == 0
    assert list(sb.vendor("capture").approved_ids()) == queued  # not marked at the vendor
    header = (tmp_path / "approved.jsonl").read_text().splitlines()[0]
    assert header.startswith("vendor,")
    assert "line_number" in header


def test_a_vendor_error_is_in_the_summary_not_raised(sb: Sandbox, tmp_path: Path) -> None:
    sb.faults.add("pazy", "GET /expenses", Fault.status(401), times=None)
    with ef.connect("brex", sandbox=sb) as brex, ef.connect("pazy", sandbox=sb) as pazy:
        summary = ef.export_approved(
            [pazy, brex], tmp_path / "all.jsonl", ledger=tmp_path / "ledger.sqlite3"
        )
    assert not summary.ok
    (error,) = summary.errors
    assert error.vendor == "pazy"
    assert "HTTP 401" in error.reason
    assert ids_in(tmp_path / "all.jsonl") == list(sb.vendor("brex").approved_ids())


def test_bad_arguments_fail_before_anything_is_written(sb: Sandbox, tmp_path: Path) -> None:
    with ef.connect("brex", sandbox=sb) as client:
        with pytest.raises(ef.ValidationError, match="format"):
            ef.export_approved(client, tmp_path / "x", ledger=tmp_path / "l", format="xml")
        with pytest.raises(ef.ValidationError, match="include_raw"):
            ef.export_approved(client, tmp_path / "x.csv", ledger=tmp_path / "l", include_raw=True)
        with pytest.raises(ef.ValidationError, match="no client"):
            ef.export_approved([], tmp_path / "x", ledger=tmp_path / "l")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only("the file lock (PostgreSQL: held_elsewhere)")
def test_a_ledger_in_use_is_refused(sb: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger(path), ef.connect("brex", sandbox=sb) as client, pytest.raises(LedgerError):
        ef.export_approved(client, tmp_path / "out.jsonl", ledger=path)
    assert not (tmp_path / "out.jsonl").exists()
