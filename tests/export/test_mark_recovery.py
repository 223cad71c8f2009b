"""A run killed while Capture marks rows exported: the next run records, exactly, which
rows the vendor did mark (against the sandbox's own ground truth)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.export.ledger import Ledger
from expense_facade.export.pipeline import ExportClient, ExportOptions, export_vendor
from expense_facade.export.sinks import FileSink, JsonLinesFormat
from expense_facade.records import Expense, MarkExportedResult
from expense_facade.sandbox import Sandbox
from support.ledger_steps import write_unmarked

pytestmark = pytest.mark.usefixtures("each_ledger_backend")

SEED = 11
SIZE = 60


class Killed(BaseException):
    """Stands in for SIGKILL: nothing of ours catches it."""


class DiesAfterTheVendorAnswers:
    """The real client, but the process dies once the vendor has confirmed ``calls`` mark
    requests: the answer never reaches the ledger."""

    def __init__(self, client: ExportClient, calls: int) -> None:
        self._client = client
        self._left = calls
        self.vendor = client.vendor
        self.account = client.account
        self.capabilities = client.capabilities
        self.filters_by_update_time = client.filters_by_update_time
        self.list_approved = client.list_approved
        self.base_url = client.base_url
        self.credential_fingerprint = client.credential_fingerprint

    @property
    def vendor_time(self) -> dt.datetime | None:
        return self._client.vendor_time

    def mark_exported(self, expenses_or_ids: Sequence[Expense | str]) -> MarkExportedResult:
        result = self._client.mark_exported(expenses_or_ids)
        self._left -= 1
        if self._left == 0:
            raise Killed
        return result


def test_marks_the_vendor_confirmed_before_a_kill_are_recorded_as_vendor_marks(
    tmp_path: Path,
) -> None:
    sb = Sandbox(seed=SEED, size=SIZE)
    capture = sb.vendor("capture")
    approved = list(capture.approved_ids())
    assert len(approved) > 20
    out = tmp_path / "capture.jsonl"
    options = ExportOptions(mark_batch_size=10)
    with ef.connect("capture", sandbox=sb) as client, Ledger(tmp_path / "l.sqlite3") as ledger:
        dying = DiesAfterTheVendorAnswers(client, calls=2)
        with FileSink(out, JsonLinesFormat()) as sink:
            try:
                export_vendor(dying, sink, ledger, options)
            except Killed:
                pass
            else:
                raise AssertionError("the run was meant to die while marking")
        marked_at_vendor = capture.exported_ids()  # type: ignore[attr-defined]
        assert len(marked_at_vendor) == 20  # two batches confirmed by the vendor
        # The second batch's answer never reached the ledger.
        account = client.account
        unrecorded = [
            i
            for i in marked_at_vendor
            if not ledger.get("capture", account, i).vendor_marked  # type: ignore[union-attr]
        ]
        assert len(unrecorded) == 10

        with FileSink(out, JsonLinesFormat()) as sink:
            summary = export_vendor(client, sink, ledger, options)
        assert summary.ok, summary
        assert summary.exported == 0
        assert capture.exported_ids() == set(approved)  # type: ignore[attr-defined]
        for expense_id in approved:
            entry = ledger.get("capture", account, expense_id)
            assert entry is not None
            assert entry.state == "marked"
            assert entry.vendor_marked, f"{expense_id}: marked by Capture, recorded otherwise"
            assert not entry.mark_sent or entry.vendor_marked


def test_rows_that_left_the_queue_without_our_mark_are_not_counted_as_ours(
    tmp_path: Path,
) -> None:
    sb = Sandbox(seed=SEED, size=SIZE)
    capture = sb.vendor("capture")
    out = tmp_path / "capture.jsonl"
    with ef.connect("capture", sandbox=sb) as client, Ledger(tmp_path / "l.sqlite3") as ledger:
        # Written, then killed before any mark was sent.
        with FileSink(out, JsonLinesFormat()) as sink:
            export_vendor(client, sink, ledger, ExportOptions(mark_exported=False))
        account = client.account
        ids = list(capture.approved_ids())
        for expense_id in ids:
            entry = ledger.get("capture", account, expense_id)
            assert entry is not None
            assert (entry.state, entry.vendor_marked) == ("marked", False)
        # Somebody else marks the first five at Capture, then our ledger is told to forget
        # its marks for them (written, not marked: what a kill before marking leaves).
        client.mark_exported(ids[:5])
        ledger.forget("capture", account, ids[:5])
        write_unmarked(ledger, "capture", account, ids[:5], tmp_path / "elsewhere.jsonl")
        with FileSink(out, JsonLinesFormat()) as sink:
            summary = export_vendor(client, sink, ledger, ExportOptions())
        assert summary.ok
        for expense_id in ids[:5]:
            entry = ledger.get("capture", account, expense_id)
            assert entry is not None
            assert (entry.state, entry.vendor_marked) == ("marked", False)
