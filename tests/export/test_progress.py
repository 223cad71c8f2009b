"""Progress display: redrawn in place on a terminal, occasional plain lines elsewhere."""

from __future__ import annotations

import io

import attrs
from expense_facade.clock import FakeClock
from expense_facade.export.pipeline import ExportProgress
from expense_facade.export.progress import LOG_INTERVAL, ProgressDisplay, describe, format_elapsed
from expense_facade.export.receipts import ReceiptCounts, ReceiptFailure


def progress(records: int, elapsed: float) -> ExportProgress:
    return ExportProgress(
        vendor="brex", records=records, exported=records - 1, skipped=1, pages=records // 10,
        elapsed=elapsed,
    )  # fmt: skip


def test_describe_and_elapsed() -> None:
    assert describe(progress(1200, 4.0)) == (
        "brex: 1,200 records (1,199 new, 1 already exported), 120 pages, 300 records/s, 4.0 s"
    )
    one = ExportProgress(vendor="brex", records=1, exported=1, skipped=0, pages=1, elapsed=1.0)
    assert describe(one) == "brex: 1 record (1 new, 0 already exported), 1 page, 1 records/s, 1.0 s"
    assert format_elapsed(125) == "2:05"
    assert format_elapsed(3725) == "1:02:05"


def test_terminal_redraws_in_place_throttled_and_finishes_with_a_newline() -> None:
    stream = io.StringIO()
    clock = FakeClock()
    display = ProgressDisplay(stream, tty=True, clock=clock)
    display(progress(10, 1.0))
    display(progress(20, 1.05))  # too soon: not drawn
    clock.advance(1.0)
    display(progress(30, 2.0))
    display.finish()
    text = stream.getvalue()
    assert text.count("\r\x1b[K") == 3
    assert "20 records" not in text
    assert text.endswith("30 records (29 new, 1 already exported), 3 pages, 15 records/s, 2.0 s\n")


def test_log_lines_are_occasional_and_short_runs_stay_quiet() -> None:
    stream = io.StringIO()
    clock = FakeClock()
    display = ProgressDisplay(stream, tty=False, clock=clock)
    display(progress(10, 1.0))
    clock.advance(LOG_INTERVAL / 2)
    display(progress(20, 2.0))
    display.finish()
    assert stream.getvalue() == ""
    display(progress(10, 1.0))
    clock.advance(LOG_INTERVAL)
    display(progress(40, 31.0))
    assert stream.getvalue().splitlines() == [describe(progress(40, 31.0))]
    assert "\r" not in stream.getvalue()


def test_disabled_display_writes_nothing() -> None:
    stream = io.StringIO()
    display = ProgressDisplay(stream, tty=True, enabled=False)
    display(progress(10, 1.0))
    display.finish()
    assert stream.getvalue() == ""


def test_the_line_counts_receipt_files_when_the_export_downloads_them() -> None:
    failure = ReceiptFailure("brex", "expense_1", "receipt_1", "HTTP 500")
    counts = ReceiptCounts(downloaded=12, skipped=3, failed=(failure,))
    line = describe(attrs.evolve(progress(1200, 4.0), receipts=counts))
    assert line == (
        "brex: 1,200 records (1,199 new, 1 already exported), 120 pages, receipts 12 "
        "downloaded, 3 skipped, 1 failed, 300 records/s, 4.0 s"
    )
