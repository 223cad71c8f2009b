"""``export_approved(receipts=DIR)`` (docs/export.md, "Receipts"): each exported expense's
receipt files downloaded once, named by their SHA-256, recorded in the ledger, linked from
the record; hostile files cost that receipt only and are retried by the next run; on both
ledger backends, against the in-process and the loopback sandbox."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.export import ledger_receipts
from expense_facade.export.ledger import Ledger
from expense_facade.export.pipeline import ExportOptions, ExportSummary
from expense_facade.export.receipts import file_name
from expense_facade.export.run import export_approved
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Fault, Sandbox
from support import receipts as receipts_support
from support.exactly_once import approve_brex
from support.receipts import ROUTE, files_in, records, served_file
from support.sandbox import connect, make

pytestmark = pytest.mark.usefixtures("each_ledger_backend")

RECEIPT_VENDORS = ("brex", "revolut")


@contextlib.contextmanager
def connected(sb: Sandbox, vendors: tuple[str, ...]) -> Iterator[list[ef.ExpenseClient]]:
    """Clients of ``vendors`` on the in-process sandbox."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(connect(sb, vendor)) for vendor in vendors]


def export(
    sb: Sandbox, tmp_path: Path, vendors: tuple[str, ...] = RECEIPT_VENDORS, **kwargs: Any
) -> ExportSummary:
    with connected(sb, vendors) as clients:
        return export_approved(
            clients,
            f"{tmp_path / 'out'}/",
            ledger=tmp_path / "ledger.sqlite3",
            receipts=tmp_path / "receipts",
            **kwargs,
        )


def receipt_rows(tmp_path: Path, state: str) -> list[ledger_receipts.ReceiptRow]:
    return receipts_support.receipt_rows(lambda: Ledger(tmp_path / "ledger.sqlite3"), state)


def check_exactly_once(sb: Sandbox, tmp_path: Path, vendors: tuple[str, ...]) -> int:
    return receipts_support.check_exactly_once(
        sb,
        tmp_path / "out",
        tmp_path / "receipts",
        lambda: Ledger(tmp_path / "ledger.sqlite3"),
        vendors,
    )


def test_each_receipt_is_downloaded_once_named_by_its_hash_and_linked(tmp_path: Path) -> None:
    sb = make(*RECEIPT_VENDORS, size=40)
    first = export(sb, tmp_path)
    assert first.ok, first
    assert first.exported > 0
    assert first.receipts is not None
    receipts = check_exactly_once(sb, tmp_path, RECEIPT_VENDORS)
    linked = [
        receipt["file"]
        for vendor in RECEIPT_VENDORS
        for record in records(tmp_path / "out", vendor)
        for receipt in record["receipts"]
    ]
    assert len(linked) == receipts  # each record links each of its files
    assert receipts > 10
    assert (first.receipts.downloaded, first.receipts.skipped) == (receipts, 0)
    downloads = len([r for r in sb.requests if r.route in ROUTE.values()])
    assert downloads == receipts
    # Approved since: exported and downloaded; nothing of the first run again.
    fresh = approve_brex(sb, 5)
    second = export(sb, tmp_path)
    assert second.receipts is not None
    assert second.ok
    assert second.exported == len(fresh)
    new_receipts = sum(
        len(r["receipts"]) for r in records(tmp_path / "out", "brex") if r["id"] in fresh
    )
    assert second.receipts.downloaded == new_receipts
    check_exactly_once(sb, tmp_path, RECEIPT_VENDORS)


def test_records_with_their_files_round_trip_as_data(tmp_path: Path) -> None:
    sb = make("revolut", size=20)
    assert export(sb, tmp_path, ("revolut",)).ok
    lines = (tmp_path / "out" / "revolut.jsonl").read_text().splitlines()
    linked = [line for line in lines if '"file":' in line]
    assert linked
    for line in linked:
        expense = ef.Expense.from_json(line)
        assert all(r.file for r in expense.receipts)
        assert expense.to_json() == line


def test_identical_files_are_one_file(tmp_path: Path) -> None:
    sb = make("brex", size=20)
    content = b"%PDF-1.4\n% the same receipt, twice\n"
    with connect(sb, "brex") as client:
        # Expenses the listing shows with receipts (an upload then adds one to them).
        targets = sorted(e.id for e in client.list_approved() if e.receipts)[:2]
        for expense_id in targets:
            client.upload_receipt(content, expense_id=expense_id, filename="taxi.pdf")
    summary = export(sb, tmp_path, ("brex",))
    assert summary.ok
    name = file_name(hashlib.sha256(content).hexdigest(), "application/pdf")
    linking = [
        r["id"]
        for r in records(tmp_path / "out", "brex")
        if any(receipt.get("file") == name for receipt in r["receipts"])
    ]
    assert sorted(linking) == targets
    assert (tmp_path / "receipts" / name).read_bytes() == content
    check_exactly_once(sb, tmp_path, ("brex",))


@pytest.mark.parametrize("vendor", RECEIPT_VENDORS)
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault.oversized(64 * 1024 * 1024, content_type="application/pdf"), "max_bytes"),
        (Fault.html(status=200), "text/html"),
        (Fault.status(500), "500"),
    ],
    ids=["huge", "wrong-type", "server-error"],
)
def test_a_hostile_receipt_costs_that_receipt_only_and_is_retried_next_run(
    tmp_path: Path, vendor: str, fault: Fault, reason: str
) -> None:
    sb = make(vendor, size=30)
    # Persistent on the first download only (the retries of a 500 meet it too).
    sb.faults.add(vendor, ROUTE[vendor], fault, times=4 if reason == "500" else 1)
    first = export(sb, tmp_path, (vendor,))
    assert first.receipts is not None
    [failure] = first.receipts.failed
    assert reason in failure.reason
    assert not first.ok  # said, and the command exits 1
    assert first.exported == len(list(sb.vendor(vendor).approved_ids()))
    assert first.receipts.downloaded > 0  # every other receipt
    [record] = [r for r in records(tmp_path / "out", vendor) if r["id"] == failure.expense_id]
    unlinked = [r for r in record["receipts"] if r["id"] == failure.receipt_id]
    assert "file" not in unlinked[0]
    rows = receipt_rows(tmp_path, "pending")
    assert [(r.expense_id, r.receipt_id, r.attempts) for r in rows] == [
        (failure.expense_id, failure.receipt_id, 1)
    ]
    second = export(sb, tmp_path, (vendor,))
    assert second.ok, second
    assert second.receipts is not None
    assert (second.exported, second.receipts.downloaded) == (0, 1)
    [row] = [r for r in receipt_rows(tmp_path, "done") if r.receipt_id == failure.receipt_id]
    content = served_file(sb, vendor, record, failure.receipt_id)
    assert (tmp_path / "receipts" / str(row.file)).read_bytes() == content


def test_the_size_cap_is_the_callers(tmp_path: Path) -> None:
    sb = make("revolut", size=20)
    summary = export(sb, tmp_path, ("revolut",), options=ExportOptions(receipt_max_bytes=50))
    assert summary.receipts is not None
    assert summary.receipts.downloaded == 0
    assert summary.receipts.failed
    assert all("max_bytes" in f.reason for f in summary.receipts.failed)
    assert files_in(tmp_path / "receipts") == []


def test_a_vendor_without_receipt_files_is_said_once(tmp_path: Path) -> None:
    sb = make("pazy", "revolut", size=30)
    summary = export(sb, tmp_path, ("pazy", "revolut"))
    assert summary.ok
    assert [w for w in summary.warnings if "receipt" in w] == [
        "pazy: its API serves no receipt files; its records are exported without them"
    ]
    assert summary.receipts is not None
    assert summary.receipts.downloaded > 0


def test_an_expired_presigned_url_is_never_in_the_summary_ledger_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sb = make("brex", size=20)
    sb.vendor("brex").download_ttl = dt.timedelta(seconds=-1)  # type: ignore[attr-defined]
    caplog.set_level(logging.DEBUG)
    summary = export(sb, tmp_path, ("brex",))
    assert summary.receipts is not None
    assert summary.receipts.failed
    text = " ".join(f.reason for f in summary.receipts.failed)
    assert "403" in text
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        stored = json.dumps(ledger.store.rows("SELECT * FROM receipts"), default=str)
    signatures = [r.url.partition("?")[2] for r in sb.requests if r.route == ROUTE["brex"]]
    assert signatures
    assert all("X-Amz-Signature=" in query for query in signatures)
    for where in (text, stored, caplog.text, repr(summary)):
        assert "X-Amz" not in where
        assert not [query for query in signatures if query in where]


def test_without_receipts_nothing_changes(tmp_path: Path) -> None:
    sb = make("revolut", size=20)
    with connected(sb, ("revolut",)) as clients:
        summary = export_approved(clients, f"{tmp_path / 'out'}/", ledger=tmp_path / "l.sqlite3")
    assert summary.receipts is None
    assert not [r for r in sb.requests if r.route == ROUTE["revolut"]]
    assert '"file"' not in (tmp_path / "out" / "revolut.jsonl").read_text()


@pytest.fixture
def served_sandbox() -> Iterator[tuple[Sandbox, Any]]:
    sb = Sandbox(seed=24, size=30, vendors=RECEIPT_VENDORS)
    with sb.serve(port=0) as server:
        yield sb, server


def test_on_the_loopback_sandbox_and_a_slow_receipt(
    tmp_path: Path, served_sandbox: tuple[Sandbox, Any]
) -> None:
    sb, server = served_sandbox
    sb.faults.add("revolut", ROUTE["revolut"], Fault.drip(0.05), times=1)

    def run() -> ExportSummary:
        with contextlib.ExitStack() as stack:
            clients = []
            for vendor in RECEIPT_VENDORS:
                credentials: dict[str, Any] = sb.credentials(vendor)
                client = ef.connect(
                    normalise_vendor(vendor),
                    base_url=server.base_url(vendor),
                    rate_limit=False,
                    max_retries=0,
                    deadline=1.0,
                    **credentials,
                )
                clients.append(stack.enter_context(client))
            return export_approved(
                clients,
                f"{tmp_path / 'out'}/",
                ledger=tmp_path / "ledger.sqlite3",
                receipts=tmp_path / "receipts",
            )

    first = run()
    assert first.receipts is not None
    [slow] = first.receipts.failed
    assert slow.vendor == "revolut"
    assert "deadline" in slow.reason or "timed out" in slow.reason.lower()
    second = run()
    assert second.ok, second
    assert second.receipts is not None
    assert second.receipts.downloaded == 1
    check_exactly_once(sb, tmp_path, RECEIPT_VENDORS)
