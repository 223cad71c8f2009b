"""The export pipeline against a fake client: order, skips, partial failures, recovery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from expense_facade.clock import FakeClock
from expense_facade.errors import APIConnectionError
from expense_facade.export.ledger import Ledger
from expense_facade.export.pipeline import (
    ExportOptions,
    ExportProgress,
    ExportSummary,
    export_vendor,
)
from expense_facade.export.sinks import FileSink, JsonLinesFormat, Sink, SinkError
from expense_facade.records import MalformedRecord
from support.export_fakes import (
    Event,
    FakeClient,
    FakePage,
    RecordingSink,
    make_expense,
    pages_of,
)
from support.ledger_steps import Crash, crash_at, stepped_ledger, write_unmarked

pytestmark = pytest.mark.usefixtures("each_ledger_backend")


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.sqlite3")


def jsonl_sink(path: Path) -> FileSink:
    return FileSink(path, JsonLinesFormat())


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def run(client: FakeClient, sink: Sink, ledger: Ledger, **options: object) -> ExportSummary:
    return export_vendor(client, sink, ledger, ExportOptions(**options))  # type: ignore[arg-type]


def assert_written_before_marked(events: Sequence[Event]) -> None:
    written: set[str] = set()
    for kind, ids in events:
        if kind == "write":
            written.update(ids)
        else:
            assert set(ids) <= written, f"marked before written: {set(ids) - written}"


def test_exports_every_page_writes_before_marking(tmp_path: Path, ledger: Ledger) -> None:
    events: list[Event] = []
    client = FakeClient("capture", pages_of("capture", 7, 3), events=events)
    sink = RecordingSink(jsonl_sink(tmp_path / "out.jsonl"), events)
    summary = run(client, sink, ledger)
    assert (summary.exported, summary.skipped, summary.marked, summary.pages) == (7, 0, 7, 3)
    assert summary.ok
    assert ids_in(tmp_path / "out.jsonl") == [f"e{n}" for n in range(7)]
    # The vendor is told after the whole listing is read (marking shrinks Capture's queue).
    assert events == [
        ("write", ("e0", "e1", "e2")),
        ("write", ("e3", "e4", "e5")),
        ("write", ("e6",)),
        ("mark", tuple(f"e{n}" for n in range(7))),
    ]
    assert_written_before_marked(events)
    assert ledger.pending_marks("capture", "fake-account") == []
    entry = ledger.get("capture", "fake-account", "e0")
    assert entry is not None
    assert entry.vendor_marked


def test_second_run_exports_nothing_new(tmp_path: Path, ledger: Ledger) -> None:
    """Like the sandbox re-created each run: the vendor lists the same rows again."""
    out = tmp_path / "out.jsonl"
    run(FakeClient("capture", pages_of("capture", 5, 2)), jsonl_sink(out), ledger)
    again = FakeClient("capture", pages_of("capture", 5, 2))
    summary = run(again, jsonl_sink(out), ledger)
    assert (summary.exported, summary.skipped, summary.marked) == (0, 5, 0)
    assert again.marked == []
    assert ids_in(out) == [f"e{n}" for n in range(5)]


def test_new_records_on_a_later_run_are_appended(tmp_path: Path, ledger: Ledger) -> None:
    out = tmp_path / "out.jsonl"
    run(FakeClient("brex", pages_of("brex", 3, 10), can_mark=False), jsonl_sink(out), ledger)
    summary = run(
        FakeClient("brex", pages_of("brex", 5, 10), can_mark=False), jsonl_sink(out), ledger
    )
    assert (summary.exported, summary.skipped) == (2, 3)
    assert ids_in(out) == ["e0", "e1", "e2", "e3", "e4"]


def test_vendor_without_mark_endpoint_is_marked_in_the_ledger_only(
    tmp_path: Path, ledger: Ledger
) -> None:
    client = FakeClient("revolut", pages_of("revolut", 4, 2), can_mark=False)
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger)
    assert client.events == []
    assert (summary.exported, summary.marked) == (4, 0)
    entry = ledger.get("revolut", "fake-account", "e3")
    assert entry is not None
    assert (entry.state, entry.vendor_marked) == ("marked", False)


def test_no_mark_exported_option_leaves_the_vendor_alone(tmp_path: Path, ledger: Ledger) -> None:
    client = FakeClient("capture", pages_of("capture", 3, 3))
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger, mark_exported=False)
    assert client.events == []
    assert summary.exported == 3
    assert ledger.pending_marks("capture", "fake-account") == []
    assert ledger.is_exported("capture", "fake-account", "e2")


def test_partial_failure_in_a_batch_status_update(tmp_path: Path, ledger: Ledger) -> None:
    events: list[Event] = []
    client = FakeClient(
        "capture",
        pages_of("capture", 4, 4),
        refuse={"e1": "row locked"},
        omit_outcome=frozenset({"e3"}),
        events=events,
    )
    sink = RecordingSink(jsonl_sink(tmp_path / "o.jsonl"), events)
    summary = run(client, sink, ledger)
    assert summary.exported == 4
    assert summary.marked == 2
    reasons = {f.expense_id: f.reason for f in summary.failed}
    assert set(reasons) == {"e1", "e3"}
    assert "row locked" in reasons["e1"]
    assert "no outcome" in reasons["e3"]
    assert not summary.ok
    # Refused marks stay pending (already in the sink): the next run marks, never rewrites.
    assert ledger.pending_marks("capture", "fake-account") == ["e1", "e3"]
    sink.close()  # the run is over: its output lock goes with it
    retry = FakeClient("capture", pages_of("capture", 4, 4))
    again = run(retry, jsonl_sink(tmp_path / "o.jsonl"), ledger)
    assert (again.recovered, again.exported, again.skipped) == (2, 0, 4)
    assert sorted(retry.marked) == ["e1", "e3"]
    assert ids_in(tmp_path / "o.jsonl") == ["e0", "e1", "e2", "e3"]


def test_mark_call_that_fails_outright_is_reported_and_retried_next_run(
    tmp_path: Path, ledger: Ledger
) -> None:
    error = APIConnectionError("capture: connection refused", vendor="capture")
    client = FakeClient("capture", pages_of("capture", 3, 3), mark_error=error)
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger)
    assert summary.exported == 3
    assert [f.expense_id for f in summary.failed] == ["e0", "e1", "e2"]
    assert all("connection refused" in f.reason for f in summary.failed)
    assert ledger.pending_marks("capture", "fake-account") == ["e0", "e1", "e2"]


def test_pending_marks_are_recovered_first_by_id(tmp_path: Path, ledger: Ledger) -> None:
    write_unmarked(ledger, "capture", "fake-account", ["e0", "e1"], tmp_path / "elsewhere.jsonl")
    events: list[Event] = []
    client = FakeClient("capture", pages_of("capture", 3, 3), events=events)
    sink = RecordingSink(jsonl_sink(tmp_path / "o.jsonl"), events)
    summary = run(client, sink, ledger)
    assert events == [("mark", ("e0", "e1")), ("write", ("e2",)), ("mark", ("e2",))]
    assert (summary.recovered, summary.exported, summary.skipped) == (2, 1, 2)
    assert summary.ok


def test_pending_mark_needing_the_record_is_marked_when_listed_again(
    tmp_path: Path, ledger: Ledger
) -> None:
    """Capture cannot mark a bare id: the record comes back in the queue and is marked."""
    write_unmarked(ledger, "capture", "fake-account", ["e0", "e1"], tmp_path / "elsewhere.jsonl")
    client = FakeClient("capture", pages_of("capture", 3, 3), needs_record=True)
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger)
    assert summary.ok
    assert ids_in(tmp_path / "o.jsonl") == ["e2"]  # not written again
    assert sorted(client.marked) == ["e0", "e1", "e2"]
    assert ledger.pending_marks("capture", "fake-account") == []


def test_pending_mark_the_vendor_no_longer_lists_is_settled(tmp_path: Path, ledger: Ledger) -> None:
    """The run that died had marked it at the vendor: it left the queue; nothing to do."""
    write_unmarked(ledger, "capture", "fake-account", ["gone"], tmp_path / "elsewhere.jsonl")
    client = FakeClient("capture", pages_of("capture", 1, 1), needs_record=True)
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger)
    assert summary.ok
    assert summary.recovered == 1
    assert ledger.pending_marks("capture", "fake-account") == []


def test_pending_mark_not_listed_under_since_is_reported(tmp_path: Path, ledger: Ledger) -> None:
    import datetime as dt

    write_unmarked(ledger, "capture", "fake-account", ["old"], tmp_path / "elsewhere.jsonl")
    client = FakeClient("capture", pages_of("capture", 1, 1), needs_record=True)
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    summary = run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger, since=since)
    assert [(f.expense_id, "transactionType" in f.reason) for f in summary.failed] == [
        ("old", True)
    ]
    assert ledger.pending_marks("capture", "fake-account") == ["old"]


def test_mark_batches_are_bounded(tmp_path: Path, ledger: Ledger) -> None:
    client = FakeClient("capture", pages_of("capture", 5, 5))
    run(client, jsonl_sink(tmp_path / "o.jsonl"), ledger, mark_batch_size=2)
    assert [len(ids) for _, ids in client.events] == [2, 2, 1]


def test_malformed_records_are_reported_and_the_export_goes_on(
    tmp_path: Path, ledger: Ledger
) -> None:
    bad = MalformedRecord("pazy", "amount is not a number: 'abc'", "p9", {"id": "p9"})
    pages = [
        FakePage([make_expense("pazy", "p1")], malformed=[bad]),
        FakePage([make_expense("pazy", "p2")]),
    ]
    summary = run(FakeClient("pazy", pages, can_mark=False), jsonl_sink(tmp_path / "o"), ledger)
    assert summary.exported == 2
    assert summary.malformed == (bad,)
    assert not summary.ok
    assert ids_in(tmp_path / "o") == ["p1", "p2"]


def test_listing_error_keeps_what_was_exported_and_reports_the_vendor(
    tmp_path: Path, ledger: Ledger
) -> None:
    client = FakeClient("brex", pages_of("brex", 6, 2), can_mark=False, fail_after=2)
    summary = run(client, jsonl_sink(tmp_path / "o"), ledger)
    assert summary.exported == 4
    assert [(e.vendor, e.expense_id) for e in summary.errors] == [("brex", None)]
    assert "connection lost" in summary.errors[0].reason
    assert ids_in(tmp_path / "o") == ["e0", "e1", "e2", "e3"]


def test_duplicates_across_pages_are_written_once(tmp_path: Path, ledger: Ledger) -> None:
    pages = [
        FakePage([make_expense("revolut", "a"), make_expense("revolut", "b")]),
        FakePage([make_expense("revolut", "b"), make_expense("revolut", "c")]),
    ]
    summary = run(FakeClient("revolut", pages, can_mark=False), jsonl_sink(tmp_path / "o"), ledger)
    assert ids_in(tmp_path / "o") == ["a", "b", "c"]
    assert (summary.exported, summary.skipped) == (3, 1)


def test_reexport_writes_again(tmp_path: Path, ledger: Ledger) -> None:
    out = tmp_path / "o"
    run(FakeClient("pazy", pages_of("pazy", 2, 2), can_mark=False), jsonl_sink(out), ledger)
    summary = run(
        FakeClient("pazy", pages_of("pazy", 2, 2), can_mark=False),
        jsonl_sink(out),
        ledger,
        reexport=True,
    )
    assert summary.exported == 2
    assert ids_in(out) == ["e0", "e1", "e0", "e1"]
    entry = ledger.get("pazy", "fake-account", "e0")
    assert entry is not None
    assert entry.export_count == 2


def test_since_is_passed_to_the_listing(tmp_path: Path, ledger: Ledger) -> None:
    import datetime as dt

    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    client = FakeClient("brex", [], can_mark=False)
    run(client, jsonl_sink(tmp_path / "o"), ledger, since=since)
    assert client.since == [since]
    with pytest.raises(ValueError, match="timezone"):
        ExportOptions(since=dt.datetime(2026, 1, 1))


def test_a_failing_sink_stops_the_run_and_nothing_is_marked(tmp_path: Path, ledger: Ledger) -> None:
    class FullDisk(FileSink):
        def append(self, chunks: Sequence[bytes]) -> None:
            raise SinkError("cannot write: No space left on device")

    client = FakeClient("capture", pages_of("capture", 2, 2))
    with pytest.raises(SinkError, match="No space"):
        run(client, FullDisk(tmp_path / "o", JsonLinesFormat()), ledger)
    assert client.events == []
    assert not ledger.is_exported("capture", "fake-account", "e0")


def test_progress_reports_each_page(tmp_path: Path, ledger: Ledger) -> None:
    seen: list[ExportProgress] = []
    clock = FakeClock()

    class SlowSink(FileSink):
        def append(self, chunks: Sequence[bytes]) -> None:
            clock.advance(2.0)
            super().append(chunks)

    client = FakeClient("capture", pages_of("capture", 5, 2))
    sink = SlowSink(tmp_path / "o", JsonLinesFormat())
    export_vendor(client, sink, ledger, on_progress=seen.append, clock=clock)
    assert [(p.records, p.pages, p.exported) for p in seen] == [
        (2, 1, 2),
        (4, 2, 4),
        (5, 3, 5),
        (5, 3, 5),  # once more after the marks
    ]
    assert seen[-1].elapsed == 6.0
    assert seen[-1].rate == pytest.approx(5 / 6)


# -- crash at every step: the next run leaves every expense in the sink exactly once ------------


class HalfWritingSink(FileSink):
    """Dies in the middle of its second append, after part of the batch reached the file."""

    appends = 0

    def append(self, chunks: Sequence[bytes]) -> None:
        self.appends += 1
        if self.appends < 2:
            super().append(chunks)
            return
        data = b"".join(chunks)
        assert self._file is not None
        self._file.write(data[: len(data) // 2 + 3])
        self._file.flush()
        raise Crash("mid-append")


WRITE_POINTS = ["before-intent", "after-intent", "mid-append", "before-written", "after-written"]
MARK_POINTS = ["before-mark-sent", "after-mark-sent", "before-marked", "after-marked"]


@pytest.mark.parametrize(
    ("point", "vendor_marks"),
    [(p, True) for p in WRITE_POINTS + MARK_POINTS] + [(p, False) for p in WRITE_POINTS],
)
def test_crash_at_any_step_is_repaired_by_the_next_run(
    tmp_path: Path, point: str, vendor_marks: bool
) -> None:
    out = tmp_path / "o.jsonl"
    path = tmp_path / "ledger.sqlite3"
    client = FakeClient("capture", pages_of("capture", 6, 2), can_mark=vendor_marks)
    # The second time the step is reached: the first page goes through.
    crashing = stepped_ledger(path, crash_at(point, 2))
    sink_cls = HalfWritingSink if point == "mid-append" else FileSink
    with pytest.raises(Crash):
        run(client, sink_cls(out, JsonLinesFormat()), crashing, mark_batch_size=2)
    crashing.close()  # the OS releases the lock of a killed process; here we do it

    with Ledger(path) as ledger:
        again = FakeClient("capture", pages_of("capture", 6, 2), can_mark=vendor_marks)
        summary = run(again, jsonl_sink(out), ledger)
        assert summary.ok
        assert ids_in(out) == [f"e{n}" for n in range(6)]
        assert ledger.pending_marks("capture", "fake-account") == []
        assert ledger.pending_intents() == []
        assert ledger.exported_ids("capture", "fake-account", [f"e{n}" for n in range(6)]) == {
            f"e{n}" for n in range(6)
        }
    if vendor_marks:
        # Marked at least once each; a crash inside the mark step may mark twice (idempotent).
        assert set(client.marked) | set(again.marked) >= {f"e{n}" for n in range(2, 6)}


def test_a_record_that_cannot_be_stored_or_encoded_is_rejected_alone(
    tmp_path: Path, ledger: Ledger
) -> None:
    # Records built by a caller's own client, not decoded from JSON (the decoder already
    # marks such strings): the ledger cannot hold the first id, the sink cannot encode
    # the second memo. Each is rejected, never written nor recorded; the rest goes on.
    pages = [
        FakePage(
            [
                make_expense("pazy", "p\udc00"),
                make_expense("pazy", "p1", description="half \ud83d"),
                make_expense("pazy", "p2"),
            ]
        )
    ]
    summary = run(FakeClient("pazy", pages, can_mark=False), jsonl_sink(tmp_path / "o"), ledger)
    assert summary.exported == 1
    assert summary.failed == ()
    reasons = {m.record_id: m.reason for m in summary.malformed}
    assert reasons["p\udc00"].startswith("the id cannot be stored: surrogates not allowed")
    assert reasons["p1"].startswith("cannot be encoded: ")
    assert ids_in(tmp_path / "o") == ["p2"]
    assert ledger.exported_ids("pazy", "fake-account", ["p1", "p2"]) == {"p2"}


class _BrokenListing:
    def pages(self) -> Any:
        raise RuntimeError("an adapter bug")


class _BrokenClient(FakeClient):
    def list_approved(self, **_: Any) -> Any:
        return _BrokenListing()


def test_a_bug_in_one_vendors_listing_stops_that_vendor_only(tmp_path: Path) -> None:
    from expense_facade.export.run import export_approved

    broken = _BrokenClient("brex", [], can_mark=False)
    fine = FakeClient("pazy", [FakePage([make_expense("pazy", "p1")])], can_mark=False)
    summary = export_approved([broken, fine], f"{tmp_path / 'out'}/", ledger=tmp_path / "l")
    assert summary.exported == 1
    assert ids_in(tmp_path / "out" / "pazy.jsonl") == ["p1"]
    [error] = summary.errors
    assert error.vendor == "brex"
    assert error.reason.startswith("stopped by an unexpected RuntimeError: an adapter bug")
