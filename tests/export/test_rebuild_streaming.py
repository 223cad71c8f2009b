"""``ledger rebuild --from`` streams the file into the ledger a batch at a time, checking
each record as it goes: 2 million records rebuild in under 100 MB of peak memory, what the
file no longer holds is forgotten, and a bad record anywhere rebuilds nothing
(docs/limits.md, "Files"; docs/command.md, "ledger rebuild")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.export.ledger import Ledger
from expense_facade.export.ledger_exports import RESTORE_BATCH
from expense_facade.export.outputs import rebuild_ledger
from support.processes import run_command_with_peak


def write_records(path: Path, count: int, *, bad_at: int | None = None) -> None:
    with open(path, "w") as handle:
        for i in range(count):
            vendor = "nosuch" if i == bad_at else "brex"
            handle.write(f'{{"vendor":"{vendor}","account":"acme","id":"e{i:09d}"}}\n')


def test_a_streamed_rebuild_counts_every_record_and_binds_the_file(tmp_path: Path) -> None:
    source = tmp_path / "brex.jsonl"
    write_records(source, 12_345)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        result = rebuild_ledger(ledger, source)
        assert (result.records, result.added) == (12_345, 12_345)
        assert result.accounts == (("brex", "acme"),)
        assert ledger.output(str(source)).records == 12_345  # type: ignore[union-attr]
        assert ledger.is_exported("brex", "acme", "e000012344")


def test_a_bad_record_late_in_the_file_rebuilds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "brex.jsonl"
    write_records(source, 20_000, bad_at=19_999)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        with pytest.raises(ef.ExpenseFacadeError, match="line 20000 is a record of an unknown"):
            rebuild_ledger(ledger, source)
        assert not ledger.is_exported("brex", "acme", "e000000000")
        assert ledger.output(str(source)) is None


def test_a_rebuild_of_a_shorter_file_forgets_what_it_no_longer_holds(tmp_path: Path) -> None:
    source = tmp_path / "brex.jsonl"
    total, kept = 3 * RESTORE_BATCH + 7, RESTORE_BATCH + 3  # several batches each way
    write_records(source, total)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        rebuild_ledger(ledger, source)
        write_records(source, kept)
        result = rebuild_ledger(ledger, source)
        assert (result.records, result.added, result.forgotten) == (kept, 0, total - kept)
        assert ledger.is_exported("brex", "acme", f"e{kept - 1:09d}")
        assert not ledger.is_exported("brex", "acme", f"e{kept:09d}")
        assert ledger.counts("brex", "acme") == {"written": kept}


def test_export_options_refuse_a_naive_since_with_a_validation_error() -> None:
    with pytest.raises(ef.ValidationError) as caught:
        ef.ExportOptions(since=dt.datetime(2026, 1, 1))
    assert caught.value.field == "since"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_two_million_records_rebuild_in_under_100_mb(tmp_path: Path) -> None:
    source = tmp_path / "brex.jsonl"
    write_records(source, 2_000_000)
    argv = ["ledger", "rebuild", "--from", str(source), "--ledger", str(tmp_path / "l.sqlite3")]
    done, peak = run_command_with_peak(argv, tmp_path / "peak", timeout=900)
    assert done.returncode == 0, done.stderr
    assert "2,000,000 records (jsonl), 2,000,000 new to the ledger" in done.stderr
    assert peak < 100 * 1024, f"peak {peak} KiB"
