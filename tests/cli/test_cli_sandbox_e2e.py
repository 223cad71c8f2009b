"""End to end: the command against the in-process sandbox (``--sandbox``), every vendor."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.export.ledger import Ledger
from expense_facade.sandbox import Sandbox
from support.records import card_transaction_entry

SEED = 3
SIZE = 40


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def sandbox_args() -> list[str]:
    return ["--sandbox", "--sandbox-seed", str(SEED), "--sandbox-size", str(SIZE)]


def ground_truth() -> dict[str, set[str]]:
    sb = Sandbox(seed=SEED, size=SIZE)
    return {vendor: set(sb.vendor(vendor).approved_ids()) for vendor in cli.VENDORS}


def run(command: str, *argv: str) -> int:
    """``expense-facade COMMAND --sandbox ... ARGV`` with an empty environment."""
    return cli.main([command, *sandbox_args(), *argv], environ={})


def jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_export_all_vendors_then_again_exports_nothing_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = ground_truth()
    out = tmp_path / "exports"
    argv = ["export", "--vendor", "all", *sandbox_args(), "--out", f"{out}/"]
    assert cli.main(argv, environ={}) == cli.EXIT_OK
    err = capsys.readouterr().err
    total = sum(len(ids) for ids in truth.values())
    assert f"Exported {total} expenses" in err
    for vendor, ids in truth.items():
        exported = jsonl_ids(out / f"{vendor}.jsonl")
        assert len(exported) == len(set(exported)), vendor
        assert set(exported) == ids, vendor
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    # A new process gets a fresh sandbox (Capture's queue full again): the ledger skips.
    # --full: Brex and ProSpend list everything again instead of from their position.
    assert cli.main([*argv, "--full"], environ={}) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Exported 0 expenses" in err
    assert f"{total} skipped as already exported" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert "listing: brex (sandbox.invalid): full (by request)" in err

    # By default they list from their position: nothing new, and less read.
    assert cli.main(argv, environ={}) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Exported 0 expenses" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert "listing: brex (sandbox.invalid): incremental from " in err
    assert "listing: prospend (sandbox.invalid/1): incremental from " in err
    assert "listing: pazy (sandbox.invalid): lists everything (no update-time filter)" in err
    with Ledger(tmp_path / "data" / "expense-facade" / "ledger-sandbox.sqlite3") as ledger:
        for vendor, ids in truth.items():
            (account,) = ledger.accounts(vendor)
            assert ledger.counts(vendor, account) == {"marked": len(ids)}


def test_export_csv_lines_for_prospend(tmp_path: Path) -> None:
    out = tmp_path / "prospend.csv"
    argv = ["export", "--vendor", "prospend", *sandbox_args(), "--csv-lines", "--out", str(out)]
    assert cli.main([*argv, "--ledger", str(tmp_path / "l")], environ={}) == cli.EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out.read_text(), newline="")))
    assert {r["expense_id"] for r in rows} == ground_truth()["prospend"]
    per_expense: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        per_expense.setdefault(row["expense_id"], []).append(row)
    for expense_rows in per_expense.values():
        count = int(expense_rows[0]["line_count"])
        assert len(expense_rows) == max(count, 1)
    assert any(int(r["line_count"]) > 1 for r in rows), "the sandbox has split expenses"


def test_get_mark_upload_and_post_against_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = ground_truth()
    brex_id = sorted(truth["brex"])[0]
    assert run("get", "--vendor", "brex", brex_id) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)["id"] == brex_id

    capture_id = sorted(truth["capture"])[0]
    code = run("mark-exported", "--vendor", "capture", capture_id)
    assert code == cli.EXIT_OK
    assert capsys.readouterr().out.strip() == f"marked  {capture_id}"

    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    code = run("upload-receipt", "--vendor", "brex", str(receipt), "--expense-id", brex_id)
    assert code == cli.EXIT_OK
    assert f"onto expense {brex_id}" in capsys.readouterr().out

    tx = tmp_path / "tx.json"
    tx.write_text(json.dumps(card_transaction_entry("CLI-TX-1")))
    assert run("post-transaction", "--vendor", "prospend", str(tx)) == cli.EXIT_OK
    assert capsys.readouterr().out.startswith("posted: CLI-TX-1")


def test_vendors_table_shows_the_capabilities(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["vendors"], environ={}) == cli.EXIT_OK
    rows = {
        line.split()[0]: line.split()[1:6] for line in capsys.readouterr().out.splitlines()[1:6]
    }
    assert rows["capture"] == ["yes", "-", "yes", "-", "-"]
    assert rows["brex"] == ["yes", "yes", "-", "yes", "-"]
    assert rows["revolut"] == ["yes", "yes", "-", "-", "-"]
    assert rows["prospend"] == ["yes", "yes", "-", "-", "yes"]
    assert rows["pazy"] == ["yes", "yes", "-", "-", "-"]


def test_fanned_out_export_writes_the_same_file_as_one_at_a_time(tmp_path: Path) -> None:
    # ProSpend (claims → expenses) and Pazy (details) fan out; order and content must not
    # depend on how many requests are in flight.
    outputs = {}
    for concurrency in ("1", "8"):
        out = tmp_path / f"c{concurrency}.jsonl"
        argv = ["--vendor", "prospend", "--vendor", "pazy", "--out", str(out)]
        argv += ["--ledger", str(tmp_path / f"c{concurrency}.sqlite3")]
        assert run("export", *argv, "--concurrency", concurrency) == cli.EXIT_OK
        outputs[concurrency] = out.read_text()
    truth = ground_truth()
    assert len(outputs["1"].splitlines()) == len(truth["prospend"]) + len(truth["pazy"])
    assert outputs["8"] == outputs["1"]
