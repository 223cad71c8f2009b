"""Exactly once, whatever changes around the export (issue 19, cases 2 to 6): the command
against sandboxes served on loopback, each output checked against the sandbox's ground
truth (docs/export.md: "Account identity", "Time", "Recovery")."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.clock import FakeClock, SystemClock
from expense_facade.export.sinks.files import FileSink
from support.exactly_once import (
    approve_brex,
    approve_prospend,
    command,
    environ,
    export,
    served,
    tally,
    truth_of,
)
from support.ledger_steps import Crash

FIXTURES = Path(__file__).parent.parent / "export" / "fixtures"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- case 2: a respelled account ---------------------------------------------------------------


def test_a_respelled_base_url_or_company_exports_nothing_twice(tmp_path: Path) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    with served(("brex", "pazy", "prospend"), seed=21, size=80) as (sb, server):
        truth = truth_of(sb)
        first = export(environ(sb, server, tmp_path), out, ledger)
        assert first.code == cli.EXIT_OK, first.err
        # localhost for 127.0.0.1, in capitals, and ProSpend's company with a leading zero
        company = {"prospend": {"company_id": "0" + sb.credentials("prospend")["company_id"]}}
        for host, settings in (("localhost", None), ("LOCALHOST", company)):
            again = export(environ(sb, server, tmp_path, host=host, settings=settings), out, ledger)
            assert again.code == cli.EXIT_OK, again.err
            assert "Exported 0 expenses" in again.err
    assert tally(out, truth).exactly_once


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_ledger_of_each_earlier_schema_is_taken_forward_without_a_duplicate(
    tmp_path: Path, version: int
) -> None:
    """Real ledgers (and their outputs) written by the code of each earlier schema, made
    against ``Sandbox(seed=19, size=40)`` served on 127.0.0.1 (fixtures/README.md)."""
    folder = tmp_path / "exports"
    shutil.copytree(FIXTURES / f"ledger-v{version}", folder)
    ledger = folder / "ledger.sqlite3"
    vendors = ("capture", "brex", "revolut", "prospend", "pazy")
    with served(vendors, seed=19, size=40) as (sb, server):
        before = truth_of(sb)
        run = export(environ(sb, server, tmp_path, host="localhost"), folder, ledger)
        assert run.code == cli.EXIT_OK, run.err
        assert "Exported 0 expenses" in run.err
        fresh = approve_brex(sb, 2) + approve_prospend(sb, 1)
        later = export(environ(sb, server, tmp_path), folder, ledger)
        assert later.code == cli.EXIT_OK, later.err
        assert f"Exported {len(fresh)} expenses" in later.err
        truth = {v: ids | before[v] for v, ids in truth_of(sb).items()}
    assert tally(folder, truth).exactly_once


# -- case 3: another company under the same account name, host and ledger ---------------------


def test_other_credentials_under_the_same_account_list_in_full(tmp_path: Path) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    with served(("brex",), seed=11, size=120) as (acme, acme_server):
        first = export(environ(acme, acme_server, tmp_path), out, ledger)
        assert first.code == cli.EXIT_OK, first.err
        acme_truth = truth_of(acme)
    with served(("brex",), seed=12, size=130) as (globex, globex_server):
        other = export(environ(globex, globex_server, tmp_path), out, ledger)
        assert other.code == cli.EXIT_OK, other.err
        assert "full (new account identity: the credentials are not the last run's)" in other.err
        truth = {"brex": acme_truth["brex"] | truth_of(globex)["brex"]}
    assert tally(out, truth).exactly_once


def test_two_configured_accounts_that_are_one_account_are_refused(tmp_path: Path) -> None:
    with served(("brex",)) as (sb, server):
        token, url = sb.credentials("brex")["token"], server.base_url("brex")
        config = tmp_path / "c.toml"
        respelled = url.replace("127.0.0.1", "localhost")
        config.write_text(
            f'[brex.acme]\ntoken = "{token}"\nbase_url = "{url}"\n'
            f'[brex.globex]\ntoken = "{token}"\nbase_url = "{respelled}"\n'
        )
        run = command({}, "export", "--vendor", "brex", "--config", str(config), "--out",
                      f"{tmp_path}/out/", "--ledger", str(tmp_path / "l"))  # fmt: skip
    assert run.code == cli.EXIT_FATAL
    assert "brex.acme and brex.globex are the same brex account" in run.err
    assert not (tmp_path / "out").exists()


# -- case 4: one record dated in the future ------------------------------------------------------


def test_a_record_dated_in_the_future_does_not_stall_incremental_runs(tmp_path: Path) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    vendor_clock = FakeClock(NOW)
    with served(("brex", "prospend"), seed=5, size=150, clock=vendor_clock) as (sb, server):
        env = environ(sb, server, tmp_path)
        assert export(env, out, ledger).code == cli.EXIT_OK
        future = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        dated = approve_brex(sb, 1, at=future) + approve_prospend(sb, 1, at=future)
        second = export(env, out, ledger)
        assert second.code == cli.EXIT_OK, second.err
        assert "dated after the vendor's clock" in second.err
        assert dated[0] in second.err  # named
        vendor_clock.advance(3600)
        approve_brex(sb, 1)
        approve_prospend(sb, 3)
        third = export(env, out, ledger)
        assert third.code == cli.EXIT_OK, third.err
        assert "incremental from" in third.err
        truth = truth_of(sb)
    assert tally(out, truth).exactly_once


# -- case 5: one run under a clock set ahead ----------------------------------------------------


def test_a_run_under_a_clock_set_ahead_does_not_stop_the_reconciliation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    vendor_clock = FakeClock(NOW)
    with served(("brex",), seed=6, size=150, clock=vendor_clock) as (sb, server):
        env = environ(sb, server, tmp_path)
        assert export(env, out, ledger).code == cli.EXIT_OK
        real_now = SystemClock.now
        with monkeypatch.context() as ahead:
            ahead.setattr(SystemClock, "now", lambda self: real_now(self) + dt.timedelta(days=365))
            assert export(env, out, ledger).code == cli.EXIT_OK
        # An approval the vendor dates years back: only a full listing sees it.
        late = approve_brex(sb, 1, at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        vendor_clock.advance(60)
        run = export(env, out, ledger, "--reconcile-after", "1s")
        assert run.code == cli.EXIT_OK, run.err
        assert "full (scheduled reconciliation)" in run.err
        assert "Exported 1 expense " in run.err, late
        truth = truth_of(sb)
    assert tally(out, truth).exactly_once


# -- case 6: a kill between the output and the ledger, then the advised recovery ---------------


def test_rebuilding_after_a_kill_between_append_and_record_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    appended = [0]
    real_append = FileSink.append

    def append_then_die(self: FileSink, chunks: list[bytes]) -> None:
        real_append(self, chunks)
        appended[0] += 1
        if appended[0] == 3:  # the third batch is in the file, not in the ledger
            raise Crash("after append")

    with served(("brex",), seed=8, size=300) as (sb, server):
        env = environ(sb, server, tmp_path)
        with monkeypatch.context() as killed:
            killed.setattr(FileSink, "append", append_then_die)
            with pytest.raises(Crash):
                export(env, out, ledger, "--page-size", "50")
        rebuilt = command(
            env, "ledger", "rebuild", "--from", str(out / "brex.jsonl"), "--ledger", str(ledger)
        )
        assert rebuilt.code == cli.EXIT_OK, rebuilt.err
        run = export(env, out, ledger, "--page-size", "50")
        assert run.code == cli.EXIT_OK, run.err
        assert "bytes of an interrupted batch removed" not in run.err
        truth = truth_of(sb)
    assert tally(out, truth).exactly_once
