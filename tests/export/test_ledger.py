"""The export ledger: states, durability across reopen, pending marks, locking, schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from expense_facade.export.ledger import SCHEMA_VERSION, Ledger, LedgerError, default_ledger_path
from expense_facade.export.sinks import FileSink, JsonLinesFormat
from expense_facade.records import ExportOutcome, MarkExportedResult
from support.export_fakes import make_expense
from support.ledger_steps import Crash, crash_at, stepped_ledger

pytestmark = pytest.mark.usefixtures("each_ledger_backend")


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "ledger.sqlite3"


@pytest.mark.sqlite_only("a file and its folder")
def test_new_ledger_creates_folder_and_knows_nothing(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        assert ledger_path.exists()
        assert not ledger.is_exported("brex", "acct", "x1")
        assert ledger.pending_marks("brex", "acct") == []
        assert ledger.pending_intents() == []


def write(ledger: Ledger, vendor: str, account: str, ids: list[str], out: Path, **kw: bool) -> None:
    """``ids`` written to ``out`` through the ledger's unit of work (not marked at the vendor
    yet unless ``vendor_marks=False``)."""
    unit = ledger.begin(vendor, account)
    with FileSink(out, JsonLinesFormat()) as sink:
        unit.open_sink(
            sink,
            new_output=True,
            reexport=kw.get("reexport", False),
            vendor_marks=kw.get("vendor_marks", True),
        )
        unit.write([make_expense(vendor, i, account=account) for i in ids])
    unit.close()


def mark(ledger: Ledger, vendor: str, account: str, ids: list[str]) -> int:
    """Mark ``ids`` at a vendor that confirms every one."""
    unit = ledger.begin(vendor, account)

    def confirm(items: object) -> MarkExportedResult:
        return MarkExportedResult(tuple(ExportOutcome(i, succeeded=True) for i in ids))

    return unit.mark_at_vendor(ids, confirm, 100).marked


def test_written_then_marked_survives_reopen(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with Ledger(ledger_path) as ledger:
        write(ledger, "brex", "acct", ["a", "b", "c"], out)
        assert mark(ledger, "brex", "acct", ["a"]) == 1
    with Ledger(ledger_path) as ledger:
        assert ledger.exported_ids("brex", "acct", ["a", "b", "c", "d"]) == {"a", "b", "c"}
        assert ledger.pending_marks("brex", "acct") == ["b", "c"]
        entry = ledger.get("brex", "acct", "a")
        assert entry is not None
        assert entry.state == "marked"
        assert entry.vendor_marked
        assert entry.sink == str(out.resolve())
        assert entry.marked_at is not None
        assert entry.marked_at.tzinfo is not None
        assert ledger.counts("brex", "acct") == {"marked": 1, "written": 2}


def test_vendors_are_separate_and_accounts_where_ids_are_not_unique(
    ledger_path: Path, tmp_path: Path
) -> None:
    with Ledger(ledger_path) as ledger:
        # ProSpend's numeric ids are per company: each account dedupes its own.
        write(ledger, "prospend", "acct1", ["a"], tmp_path / "1")
        assert ledger.is_exported("prospend", "acct1", "a")
        assert not ledger.is_exported("prospend", "acct2", "a")
        assert not ledger.is_exported("pazy", "acct1", "a")
        write(ledger, "prospend", "acct0", ["a"], tmp_path / "0")
        assert ledger.accounts("prospend") == ["acct0", "acct1"]
        # Brex's ids are unique across customers: one id is one record, whatever account.
        write(ledger, "brex", "acct1", ["b"], tmp_path / "2")
        assert ledger.is_exported("brex", "acct2", "b")
        assert ledger.accounts("brex") == ["*"]


def test_marking_something_never_written_does_nothing(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        assert mark(ledger, "brex", "acct", ["ghost"]) == 0
        assert not ledger.is_exported("brex", "acct", "ghost")


def test_a_batch_the_ledger_holds_is_not_written_again(ledger_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with Ledger(ledger_path) as ledger:
        write(ledger, "brex", "acct", ["a", "b"], out)
        write(ledger, "brex", "acct", ["b", "c", "c"], out)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b", "c"]


@pytest.mark.sqlite_only("recover() of every sink: a shared ledger repairs the sinks it holds")
def test_an_intent_outlives_a_kill_and_recover_cuts_its_batch(
    ledger_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    with Ledger(ledger_path) as ledger:
        write(ledger, "capture", "h", ["a"], out)
    before = out.read_bytes()
    killed = stepped_ledger(ledger_path, crash_at("before-written"))
    with pytest.raises(Crash):
        write(killed, "capture", "h", ["b", "c"], out)
    killed.close()
    assert out.read_bytes() != before  # the batch reached the file, not the ledger
    with Ledger(ledger_path) as ledger:
        intents = ledger.pending_intents()
        assert [(i.sink, i.vendor, i.expense_ids, i.sink_offset) for i in intents] == [
            (str(out.resolve()), "capture", ("b", "c"), len(before))
        ]
        (repaired,) = ledger.recover()
        assert (repaired.records_dropped, out.read_bytes()) == (2, before)
        assert ledger.pending_intents() == []
        assert ledger.recover() == []  # once per open ledger
        assert not ledger.is_exported("capture", "h", "b")


def test_reexport_counts_and_returns_to_written(ledger_path: Path, tmp_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        write(ledger, "revolut", "r", ["a"], tmp_path / "1", vendor_marks=False)
        write(ledger, "revolut", "r", ["a"], tmp_path / "2", reexport=True)
        entry = ledger.get("revolut", "r", "a")
        assert entry is not None
        assert (entry.state, entry.sink, entry.export_count) == (
            "written",
            str((tmp_path / "2").resolve()),
            2,
        )
        assert entry.marked_at is None


def test_forget(ledger_path: Path, tmp_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        write(ledger, "prospend", "a1", ["x", "y", "z"], tmp_path / "1")
        write(ledger, "prospend", "a2", ["x"], tmp_path / "2")
        write(ledger, "pazy", "a1", ["x"], tmp_path / "3")
        assert ledger.forget("prospend", "a1", ["x", "nope"]) == 1
        assert ledger.exported_ids("prospend", "a1", ["x", "y", "z"]) == {"y", "z"}
        assert ledger.forget("prospend", "a1") == 2
        assert ledger.forget("prospend") == 1
        assert ledger.is_exported("pazy", "a1", "x")


def test_many_ids_in_one_query(ledger_path: Path, tmp_path: Path) -> None:
    ids = [f"id{n}" for n in range(2_345)]
    with Ledger(ledger_path) as ledger:
        write(ledger, "brex", "a", ids, tmp_path / "1")
        assert ledger.exported_ids("brex", "a", [*ids, "other"]) == set(ids)
        assert mark(ledger, "brex", "a", ids) == len(ids)


@pytest.mark.sqlite_only("SQLite pragmas")
def test_wal_and_full_sync(ledger_path: Path) -> None:
    with Ledger(ledger_path):
        db = sqlite3.connect(ledger_path)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        finally:
            db.close()


@pytest.mark.sqlite_only("the file lock (PostgreSQL holds accounts, not the ledger)")
def test_second_writer_is_refused_until_the_first_closes(ledger_path: Path) -> None:
    first = Ledger(ledger_path)
    with pytest.raises(LedgerError, match="in use by another run"):
        Ledger(ledger_path)
    first.close()
    Ledger(ledger_path).close()


@pytest.mark.sqlite_only("PRAGMA user_version (PostgreSQL: test_postgres_parts)")
def test_newer_schema_is_refused(ledger_path: Path) -> None:
    Ledger(ledger_path).close()
    db = sqlite3.connect(ledger_path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="schema version"):
        Ledger(ledger_path)
    # The refusal released the lock: an older file can be opened right after.
    db = sqlite3.connect(ledger_path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    db.commit()
    db.close()
    Ledger(ledger_path).close()


@pytest.mark.sqlite_only("a file that is not a database")
def test_not_a_database_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not sqlite, just some text that is long enough" * 20)
    with pytest.raises(LedgerError, match="cannot open"):
        Ledger(path)


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_ledger_path() == tmp_path / "expense-facade" / "ledger.sqlite3"
    assert default_ledger_path(sandbox=True).name == "ledger-sandbox.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_ledger_path() == tmp_path / "home/.local/share/expense-facade/ledger.sqlite3"


def test_default_path_on_macos(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_ledger_path() == (
        tmp_path / "Library/Application Support/expense-facade/ledger.sqlite3"
    )
