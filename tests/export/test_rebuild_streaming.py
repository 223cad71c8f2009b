"""``ledger rebuild --from`` reads the file a line at a time, checking each record as it
goes: a bad record anywhere rebuilds nothing (docs/limits.md, "Files"; docs/command.md,
"ledger rebuild")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.export.ledger import Ledger
from expense_facade.export.outputs import rebuild_ledger


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


def test_export_options_refuse_a_naive_since_with_a_validation_error() -> None:
    with pytest.raises(ef.ValidationError) as caught:
        ef.ExportOptions(since=dt.datetime(2026, 1, 1))
    assert caught.value.field == "since"
