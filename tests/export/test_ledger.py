"""The export ledger: states, durability across reopen, pending marks, locking, schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from expense_facade.export.ledger import SCHEMA_VERSION, Ledger, LedgerError, default_ledger_path


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "ledger.sqlite3"


def test_new_ledger_creates_folder_and_knows_nothing(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        assert ledger_path.exists()
        assert not ledger.is_exported("brex", "acct", "x1")
        assert ledger.pending_marks("brex", "acct") == []
        assert ledger.pending_intents() == []


def test_written_then_marked_survives_reopen(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        ledger.record_written("brex", "acct", ["a", "b", "c"], sink="/tmp/out.jsonl")
        assert ledger.record_marked("brex", "acct", ["a"], vendor_marked=True) == 1
    with Ledger(ledger_path) as ledger:
        assert ledger.exported_ids("brex", "acct", ["a", "b", "c", "d"]) == {"a", "b", "c"}
        assert ledger.pending_marks("brex", "acct") == ["b", "c"]
        entry = ledger.get("brex", "acct", "a")
        assert entry is not None
        assert entry.state == "marked"
        assert entry.vendor_marked
        assert entry.sink == "/tmp/out.jsonl"
        assert entry.marked_at is not None
        assert entry.marked_at.tzinfo is not None
        assert ledger.counts("brex", "acct") == {"marked": 1, "written": 2}


def test_vendors_and_accounts_are_separate(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        ledger.record_written("brex", "acct1", ["a"], sink=None)
        assert ledger.is_exported("brex", "acct1", "a")
        assert not ledger.is_exported("brex", "acct2", "a")
        assert not ledger.is_exported("pazy", "acct1", "a")
        ledger.record_written("brex", "acct0", ["a"], sink=None)
        assert ledger.accounts("brex") == ["acct0", "acct1"]


def test_marking_something_never_written_does_nothing(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        assert ledger.record_marked("brex", "acct", ["ghost"], vendor_marked=True) == 0
        assert not ledger.is_exported("brex", "acct", "ghost")


def test_intent_is_cleared_by_written_and_kept_otherwise(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        ledger.record_intent(
            "capture", "h", ["a", "b"], sink="/x.csv", sink_format="csv", sink_offset=120
        )
        ledger.record_intent(
            "pazy", "h", ["z"], sink="/y.jsonl", sink_format="jsonl", sink_offset=0
        )
        ledger.record_written("capture", "h", ["a"], sink="/x.csv")
    with Ledger(ledger_path) as ledger:
        intents = ledger.pending_intents()
        assert [(i.sink, i.vendor, i.expense_ids, i.sink_offset) for i in intents] == [
            ("/x.csv", "capture", ("b",), 120),
            ("/y.jsonl", "pazy", ("z",), 0),
        ]
        assert ledger.clear_intents("/x.csv") == 1
        assert [i.sink for i in ledger.pending_intents()] == ["/y.jsonl"]
        assert not ledger.is_exported("capture", "h", "b")


def test_reexport_counts_and_returns_to_written(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        ledger.record_written("revolut", "r", ["a"], sink="/1")
        ledger.record_marked("revolut", "r", ["a"], vendor_marked=False)
        ledger.record_written("revolut", "r", ["a"], sink="/2")
        entry = ledger.get("revolut", "r", "a")
        assert entry is not None
        assert (entry.state, entry.sink, entry.export_count) == ("written", "/2", 2)
        assert entry.marked_at is None


def test_forget(ledger_path: Path) -> None:
    with Ledger(ledger_path) as ledger:
        ledger.record_written("brex", "a1", ["x", "y", "z"], sink=None)
        ledger.record_written("brex", "a2", ["x"], sink=None)
        ledger.record_written("pazy", "a1", ["x"], sink=None)
        assert ledger.forget("brex", "a1", ["x", "nope"]) == 1
        assert ledger.exported_ids("brex", "a1", ["x", "y", "z"]) == {"y", "z"}
        assert ledger.forget("brex", "a1") == 2
        assert ledger.forget("brex") == 1
        assert ledger.is_exported("pazy", "a1", "x")


def test_many_ids_in_one_query(ledger_path: Path) -> None:
    ids = [f"id{n}" for n in range(2_345)]
    with Ledger(ledger_path) as ledger:
        ledger.record_written("brex", "a", ids, sink=None)
        assert ledger.exported_ids("brex", "a", [*ids, "other"]) == set(ids)
        assert ledger.record_marked("brex", "a", ids, vendor_marked=False) == len(ids)


def test_wal_and_full_sync(ledger_path: Path) -> None:
    with Ledger(ledger_path):
        db = sqlite3.connect(ledger_path)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        finally:
            db.close()


def test_second_writer_is_refused_until_the_first_closes(ledger_path: Path) -> None:
    first = Ledger(ledger_path)
    with pytest.raises(LedgerError, match="in use by another run"):
        Ledger(ledger_path)
    first.close()
    Ledger(ledger_path).close()


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
