"""The export with its state in PostgreSQL (docs/scale.md): the destination table written
in the ledger's transaction, exactly once across runs and kills; one account held by one
process at a time (skipped or waited for)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import attrs
import psycopg
import pytest
from expense_facade.cli import main as cli
from expense_facade.errors import ConfigurationError
from expense_facade.export.ledger import Ledger
from expense_facade.export.postgres import account_lock
from expense_facade.export.postgres.store import PostgresStore
from expense_facade.export.rejects import NUL_REASON, rejects_path_for
from expense_facade.export.run import export_approved
from expense_facade.sandbox import Sandbox
from support.export_fakes import FakeClient, FakePage, make_expense, pages_of
from support.ledger_steps import Crash, SteppedStore, crash_at

SEED, SIZE = 7, 60


def _schema(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    return str(row[0])


def _rows(url: str, table: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        return [
            (str(v), str(a), str(i))
            for v, a, i in conn.execute(f"SELECT vendor, account, id FROM {table}")  # noqa: S608
        ]


def test_the_command_exports_every_vendor_into_a_table_once_across_runs(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    table = f"{_schema(pg_url)}.expenses"
    argv = ["export", "--ledger", pg_url, "--out", f"{pg_url}#{table}", "--sandbox",
            "--sandbox-seed", str(SEED), "--sandbox-size", str(SIZE), "--vendor", "all",
            "--quiet"]  # fmt: skip
    assert cli.main(argv, environ={}) == 0
    first = _rows(pg_url, table)
    assert cli.main(argv, environ={}) == 0
    # The ledger, not only the table's key, knows them: the second run exports nothing.
    assert "Exported 0 expenses" in capsys.readouterr().err
    rows = _rows(pg_url, table)
    truth = Sandbox(seed=SEED, size=SIZE)
    expected = sorted((v, i) for v in truth.vendors for i in truth.vendor(v).approved_ids())
    assert sorted((v, i) for v, _, i in rows) == expected
    assert rows == first  # the second run added nothing


def test_a_table_is_written_only_beside_a_postgresql_ledger(pg_url: str, tmp_path: Path) -> None:
    client = FakeClient("brex", pages_of("brex", 2, 2))
    with pytest.raises(ConfigurationError, match="ledger= URL of the table's PostgreSQL") as e:
        export_approved(client, f"{pg_url}#{_schema(pg_url)}.x", ledger=tmp_path / "l.sqlite3")
    assert "--" not in str(e.value)  # the library speaks its parameters, not the flags


def test_a_kill_inside_the_write_leaves_neither_row_nor_record(pg_url: str) -> None:
    table = f"{_schema(pg_url)}.expenses"
    killed = Ledger(store=SteppedStore(PostgresStore(pg_url), crash_at("before-written")))
    with killed, pytest.raises(Crash):
        export_approved(FakeClient("brex", pages_of("brex", 4, 2)), f"{pg_url}#{table}",
                        ledger=killed)  # fmt: skip
    assert _rows(pg_url, table) == []  # the row and its ledger record are one transaction
    again = export_approved(
        FakeClient("brex", pages_of("brex", 4, 2)), f"{pg_url}#{table}", ledger=pg_url
    )
    assert again.exported == 4
    assert sorted(i for _, _, i in _rows(pg_url, table)) == ["e0", "e1", "e2", "e3"]


def test_an_account_held_by_another_process_is_skipped_or_waited_for(
    pg_url: str, tmp_path: Path
) -> None:
    client = FakeClient("brex", pages_of("brex", 3, 3))
    with Ledger(store=PostgresStore(pg_url)) as probe:
        schema = probe.store.schema  # type: ignore[attr-defined]
    key = account_lock.account_key(schema, "brex", client.account)
    with psycopg.connect(pg_url, autocommit=True) as other:
        assert account_lock.acquire(other, key, account_lock.Contention.SKIP)
        skipped = export_approved(client, tmp_path / "o.jsonl", ledger=pg_url)
        assert skipped.held_elsewhere == (f"brex ({client.account})",)
        assert skipped.exported == 0
        assert not (tmp_path / "o.jsonl").exists()  # its output was not even opened
        threading.Timer(0.5, account_lock.release, (other, key)).start()
        waited = export_approved(client, tmp_path / "o.jsonl", ledger=pg_url, wait=True)
    assert waited.held_elsewhere == ()
    assert waited.exported == 3
    lines = (tmp_path / "o.jsonl").read_bytes().splitlines()
    assert len(lines) == 3


def test_the_summary_line_names_an_account_held_elsewhere(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger(store=PostgresStore(pg_url)) as probe:
        schema = probe.store.schema  # type: ignore[attr-defined]
    label = "sandbox.invalid"
    key = account_lock.account_key(schema, "pazy", label)
    with psycopg.connect(pg_url, autocommit=True) as other:
        assert account_lock.acquire(other, key, account_lock.Contention.SKIP)
        code = cli.main(
            ["export", "--ledger", pg_url, "--out", f"{tmp_path}/", "--sandbox", "--vendor",
             "pazy", "--quiet"], environ={},
        )  # fmt: skip
    assert code == 0
    assert f"held elsewhere: pazy ({label})" in capsys.readouterr().err
    assert not (tmp_path / "pazy.jsonl").exists()


def _with_nul() -> list[FakePage]:
    """e0 plain; a NUL in e1's description, in e2's id, in e3's raw payload (a key of e4's)."""
    plain = make_expense("brex", "e0")
    return [
        FakePage(
            [
                plain,
                make_expense("brex", "e1", description="before\x00after"),
                make_expense("brex", "e\x002"),
                attrs.evolve(make_expense("brex", "e3"), raw={"memo": ["ok", "x\x00"]}),
                attrs.evolve(make_expense("brex", "e4"), raw={"a\x00b": 1}),
                make_expense("brex", "e5", description="a backslash and u0000: \\u0000"),
            ]
        )
    ]


def test_a_nul_rejects_its_record_alone_into_the_table_and_again_next_run(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # PostgreSQL text and jsonb cannot hold U+0000: such a record is rejected (kept with
    # its raw payload, counted, listed again by the next run); the batch's others commit.
    table = f"{_schema(pg_url)}.expenses"
    out = f"{pg_url}#{table}"
    first = export_approved(FakeClient("brex", _with_nul()), out, ledger=pg_url)
    assert first.exported == 2
    assert sorted(i for _, _, i in _rows(pg_url, table)) == ["e0", "e5"]
    reasons = {m.record_id: m.reason for m in first.malformed}
    assert set(reasons) == {"e1", "e\x002", "e3", "e4"}
    assert reasons["e1"] == f"cannot be encoded: description {NUL_REASON}"
    assert reasons["e\x002"] == f"the id cannot be stored: it {NUL_REASON}"
    assert reasons["e3"] == f"cannot be encoded: raw.memo[1] {NUL_REASON}"
    assert reasons["e4"] == f"cannot be encoded: raw.'a\\x00b' {NUL_REASON}"
    again = export_approved(FakeClient("brex", _with_nul()), out, ledger=pg_url)
    assert (again.exported, again.skipped) == (0, 2)
    assert {m.record_id for m in again.malformed} == set(reasons)  # tried again, not lost
    with psycopg.connect(pg_url) as conn:
        (stored,) = conn.execute(f"SELECT description FROM {table} WHERE id = 'e5'").fetchone()  # type: ignore[misc]  # noqa: S608
    assert stored == "a backslash and u0000: \\u0000"
    # The command keeps them in a rejects file: for a table, in the user's data folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    kept = rejects_path_for(out)
    assert kept == tmp_path / "expense-facade" / f"{table}.rejects.jsonl"


def test_a_nul_in_an_id_rejects_that_record_alone_in_the_postgresql_ledger(
    pg_url: str, tmp_path: Path
) -> None:
    # A JSON Lines file holds a NUL (escaped) as it is: only the id the ledger must store
    # is refused.
    out = tmp_path / "brex.jsonl"
    done = export_approved(FakeClient("brex", _with_nul()), out, ledger=pg_url)
    assert [m.record_id for m in done.malformed] == ["e\x002"]
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == ["e0", "e1", "e3", "e4", "e5"]
    assert json.loads(out.read_text().splitlines()[1])["description"] == "before\x00after"
