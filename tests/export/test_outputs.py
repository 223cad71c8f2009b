"""Ledger and output bound to each other (RELIABILITY.md's ledger rows, through the library).

Locks are on the files themselves, an output's identity and committed length are in the
ledger, and a run refuses an output that is missing, shorter, replaced, changed or holding
records the ledger does not know, unless told to start a new output. The ledger can be
rebuilt from an output file. (Across processes: tests/cli/test_ledger_command.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from expense_facade.export import outputs
from expense_facade.export.ledger import Ledger, LedgerError
from expense_facade.export.outputs import OutputRefused, check_output, rebuild_ledger
from expense_facade.export.pipeline import ExportOptions, ExportSummary, export_vendor
from expense_facade.export.remedies import Remedy
from expense_facade.export.sinks import CsvFormat, FileSink, JsonLinesFormat, SinkError
from expense_facade.export.sinks.formats import RecordFormat
from support.export_fakes import FakeClient, pages_of

ACCOUNT = "fake-account"


def export(
    ledger: Ledger,
    out: Path,
    count: int,
    *,
    fmt: RecordFormat | None = None,
    vendor: str = "brex",
    **options: object,
) -> ExportSummary:
    """Export ``e0..e<count-1>`` of ``vendor`` into ``out``, closing the sink after."""
    client = FakeClient(vendor, pages_of(vendor, count, 3), can_mark=False)
    with FileSink(out, fmt or JsonLinesFormat()) as sink:
        return export_vendor(client, sink, ledger, ExportOptions(**options))  # type: ignore[arg-type]


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out.jsonl"


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite3"


# -- locks on the files, not their names ------------------------------------------------------


@pytest.mark.parametrize("name", ["symlink", "hardlink", "relative"])
def test_the_ledger_under_another_name_is_the_same_lock(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    held = Ledger(ledger_path)
    other = tmp_path / "other-name.sqlite3"
    if name == "symlink":
        other.symlink_to(ledger_path)
    elif name == "hardlink":
        os.link(ledger_path, other)
    else:
        monkeypatch.chdir(tmp_path)
        other = Path("sub/../ledger.sqlite3")
        (tmp_path / "sub").mkdir()
    with pytest.raises(LedgerError, match="in use by another run"):
        Ledger(other)
    held.close()
    Ledger(other).close()  # released with the first run


@pytest.mark.parametrize("name", ["symlink", "hardlink"])
def test_an_output_under_another_name_is_the_same_lock(
    out: Path, tmp_path: Path, name: str
) -> None:
    out.write_bytes(b"")
    other = tmp_path / "other.jsonl"
    if name == "symlink":
        other.symlink_to(out)
    else:
        os.link(out, other)
    with FileSink(out, JsonLinesFormat()), pytest.raises(SinkError, match="in use by another"):
        FileSink(other, JsonLinesFormat())
    FileSink(other, JsonLinesFormat()).close()


def test_ledger_named_by_a_folder_is_a_ledger_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="is a folder"):
        Ledger(tmp_path)
    with pytest.raises(LedgerError, match="is a folder"):
        Ledger("/")


# -- the ledger records each output ---------------------------------------------------------


def test_the_ledger_records_the_outputs_identity_and_length(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 5)
        (binding,) = ledger.outputs()
        stat = out.stat()
        assert binding.path == str(out.resolve())
        assert (binding.identity.device, binding.identity.inode) == (stat.st_dev, stat.st_ino)
        assert binding.identity.length == stat.st_size
        assert (binding.format, binding.records) == ("jsonl", 5)
        export(ledger, out, 7)  # two more
        assert ledger.outputs()[0].identity.length == out.stat().st_size
        assert ledger.outputs()[0].records == 7
    assert ids_in(out) == [f"e{n}" for n in range(7)]


def test_two_ledgers_one_output_the_second_is_refused(tmp_path: Path, out: Path) -> None:
    with Ledger(tmp_path / "a.sqlite3") as first:
        export(first, out, 4)
    before = out.read_bytes()
    refused = pytest.raises(OutputRefused, match=r"already holds 4 records the ledger .* does not")
    with Ledger(tmp_path / "b.sqlite3") as second, refused:
        export(second, out, 6)
    assert out.read_bytes() == before
    # And the first ledger, after someone else appended to its output, refuses too.
    with out.open("ab") as handle:
        handle.write(b'{"vendor":"brex","account":"x","id":"zz"}\n')
    with Ledger(tmp_path / "a.sqlite3") as first, pytest.raises(OutputRefused, match="appended"):
        export(first, out, 6)


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_ledger_deleted_or_emptied_beside_its_output_is_refused(
    ledger_path: Path, out: Path, how: str
) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 5)
    if how == "deleted":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ledger_path}{suffix}").unlink(missing_ok=True)
    else:
        db = sqlite3.connect(ledger_path)
        db.execute("DELETE FROM exports")
        db.execute("DELETE FROM outputs")
        db.commit()
        db.close()
    before = out.read_bytes()
    with Ledger(ledger_path) as ledger, pytest.raises(OutputRefused) as refused:
        export(ledger, out, 5)
    message = str(refused.value)
    assert "\n" not in message
    assert f"{out.resolve()} already holds 5 records" in message
    # the way on, in the Python API's words (the command says its own: test_remedies)
    assert f"rebuild_ledger(<the ledger {ledger_path}>, '{out.resolve()}')" in message
    assert "--" not in message
    assert [way.remedy for way in refused.value.remedies] == [Remedy.REBUILD_LEDGER]
    assert out.read_bytes() == before


def test_rebuild_restores_exactly_once(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 5)
    ledger_path.unlink()
    with Ledger(ledger_path) as ledger:
        result = rebuild_ledger(ledger, out)
        assert (result.format, result.records, result.added) == ("jsonl", 5, 5)
        assert result.accounts == (("brex", ACCOUNT),)
        assert ledger.pending_marks("brex", ACCOUNT) == [f"e{n}" for n in range(5)]
        again = export(ledger, out, 5)
        # A vendor without marks: settled in the ledger, and no mark is said to be completed.
        assert (again.exported, again.skipped, again.recovered) == (0, 5, 0)
        assert ledger.pending_marks("brex", ACCOUNT) == []
        more = export(ledger, out, 8)
        assert (more.exported, more.skipped) == (3, 5)
    assert ids_in(out) == [f"e{n}" for n in range(8)]


@pytest.mark.parametrize("fmt", [CsvFormat(), CsvFormat(lines=True)], ids=["csv", "csv-lines"])
def test_rebuild_from_csv(ledger_path: Path, tmp_path: Path, fmt: CsvFormat) -> None:
    out = tmp_path / "out.csv"
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 4, fmt=fmt)
    ledger_path.unlink()
    with Ledger(ledger_path) as ledger:
        result = rebuild_ledger(ledger, out)  # the header tells the format
        assert (result.format, result.records) == (fmt.name, 4)
        assert export(ledger, out, 6, fmt=fmt).exported == 2


def test_rebuild_refuses_a_cut_off_tail_and_a_foreign_line(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
    whole = out.read_bytes()
    out.write_bytes(whole + b'{"vendor":"brex","id":"e9"')
    with Ledger(ledger_path) as ledger:
        with pytest.raises(LedgerError, match=f"truncate -s {len(whole)} "):
            rebuild_ledger(ledger, out)
        out.write_bytes(whole + b"not json\n")
        with pytest.raises(LedgerError, match="line 4 is not a JSON Lines record"):
            rebuild_ledger(ledger, out)


# -- an output changed since the ledger wrote it ----------------------------------------------


def test_output_deleted_is_refused_unless_a_new_output(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        out.unlink()
        with pytest.raises(OutputRefused, match=r"no longer exists \(the ledger wrote 3 records"):
            export(ledger, out, 5)
        assert not out.exists(), "a refused run leaves no empty file behind"
        summary = export(ledger, out, 5, new_output=True)
        assert summary.exported == 2
        assert any("started a new output" in (r.note or "") for r in summary.repaired)
    assert ids_in(out) == ["e3", "e4"]


def test_output_truncated_is_refused(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        size = out.stat().st_size
        os.truncate(out, size - 10)
        with pytest.raises(OutputRefused, match=f"is shorter than the ledger recorded .*{size:,}"):
            export(ledger, out, 5)
        os.truncate(out, 0)
        with pytest.raises(OutputRefused, match="is shorter"):
            export(ledger, out, 5)
        assert export(ledger, out, 5, new_output=True).exported == 2


def test_output_replaced_by_another_file_is_refused(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        other = out.with_name("other.jsonl")
        text = out.read_text().replace('"e1"', '"x1"')
        other.write_text(text)  # same length, other content
        os.replace(other, out)
        with pytest.raises(OutputRefused, match="was replaced by a different file"):
            export(ledger, out, 5)


def test_output_changed_in_place_is_refused(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        with out.open("r+b") as handle:
            handle.write(b"[")
        with pytest.raises(OutputRefused, match="was changed"):
            export(ledger, out, 5)


def test_output_copied_into_place_with_the_same_bytes_is_accepted(
    ledger_path: Path, out: Path
) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        copy = out.with_name("copy.jsonl")
        shutil.copyfile(out, copy)
        os.replace(copy, out)  # a new inode, the same bytes
        summary = export(ledger, out, 5)
        assert summary.exported == 2
        assert ledger.outputs()[0].identity.inode == out.stat().st_ino
    assert ids_in(out) == [f"e{n}" for n in range(5)]


def test_output_reached_by_another_name_is_the_same_output(ledger_path: Path, out: Path) -> None:
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 3)
        link = out.with_name("link.jsonl")
        link.symlink_to(out)
        assert export(ledger, link, 5).exported == 2
        assert len(ledger.outputs()) == 1
    assert ids_in(out) == [f"e{n}" for n in range(5)]


def unbind_outputs(ledger_path: Path) -> None:
    """The ledger forgets its outputs, as one from before outputs were recorded."""
    db = sqlite3.connect(ledger_path)
    db.execute("DELETE FROM outputs")
    db.commit()
    db.close()


@pytest.mark.parametrize("batch", [4, outputs._BATCH])
def test_an_output_the_ledger_fully_knows_is_adopted(
    ledger_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    # Its records, no binding: the file is read a batch at a time (4: across batches).
    monkeypatch.setattr(outputs, "_BATCH", batch)
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 11)
    unbind_outputs(ledger_path)
    with Ledger(ledger_path) as ledger:
        with FileSink(out, JsonLinesFormat()) as sink:
            assert check_output(ledger, sink) is None
        assert ledger.outputs()[0].records == 11


def test_records_the_ledger_does_not_know_are_counted_across_batches(
    ledger_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "_BATCH", 4)
    with Ledger(ledger_path) as ledger:
        export(ledger, out, 11)
        ledger.forget("brex", ACCOUNT, ["e1", "e6", "e10"])
    unbind_outputs(ledger_path)
    with (
        Ledger(ledger_path) as ledger,
        FileSink(out, JsonLinesFormat()) as sink,
        pytest.raises(OutputRefused) as refused,
    ):
        check_output(ledger, sink)
    assert "already holds 3 records the ledger" in str(refused.value)
    assert "(11 in the file;" in str(refused.value)


def test_version_1_ledger_is_migrated(ledger_path: Path) -> None:
    db = sqlite3.connect(ledger_path)
    from expense_facade.export.ledger_sql import MIGRATIONS

    script = MIGRATIONS[1]
    assert isinstance(script, str)
    db.executescript(script + "PRAGMA user_version=1;")
    db.execute(
        "INSERT INTO exports VALUES ('brex', 'a', 'x', 'written', NULL, "
        "'2026-01-01T00:00:00+00:00', NULL, 0, 1)"
    )
    db.commit()
    db.close()
    with Ledger(ledger_path) as ledger:
        entry = ledger.get("brex", "a", "x")
        assert entry is not None
        assert not entry.mark_sent
        assert ledger.outputs() == []


# -- a full or unwritable ledger ------------------------------------------------------------


class FullLedger(Ledger):
    """A ledger whose disk fills up after ``room`` more pages (SQLite's max_page_count
    gives the very error a full disk gives: SQLITE_FULL, "database or disk is full")."""

    def fill_up(self, room: int = 0) -> None:
        (pages,) = self.store.rows("PRAGMA page_count")[0]
        self.store.rows(f"PRAGMA max_page_count={pages + room}")


def test_a_full_ledger_is_a_ledger_error_and_the_next_run_recovers(
    ledger_path: Path, out: Path
) -> None:
    full = FullLedger(ledger_path)
    export(full, out, 3)
    full.fill_up()
    with pytest.raises(LedgerError, match="cannot be written: database or disk is full"):
        export(full, out, 300)
    full.close()
    with Ledger(ledger_path) as ledger:
        summary = export(ledger, out, 300)
        assert summary.ok
    ids = ids_in(out)
    assert ids == [f"e{n}" for n in range(300)], "each once, in order"
