"""The command and the ledger/output rules: refusals as one line and exit 2, `ledger
rebuild`, locks held by another process, a full ledger (RELIABILITY.md's ledger rows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expense_facade.cli import main as cli
from expense_facade.export import run as export_run
from expense_facade.export.ledger import Ledger, SqliteStore
from expense_facade.sandbox import Sandbox
from support.ledger_steps import SteppedStore

SCRIPT = Path(sys.executable).with_name("expense-facade")
SEED = 5
SIZE = 60


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    """A loopback sandbox and the environment that points the command at it."""
    sb = Sandbox(seed=SEED, size=SIZE)
    with sb.serve(port=0) as server:
        env = {"XDG_CONFIG_HOME": "/nonexistent", "XDG_DATA_HOME": "/nonexistent"}
        for vendor in cli.VENDORS:
            env[cli.base_url_env(vendor)] = server.base_url(vendor)
            for name, value in sb.credentials(vendor).items():
                if name in cli.CREDENTIAL_ENV[vendor]:
                    env[cli.CREDENTIAL_ENV[vendor][name]] = value
        yield sb, env


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("expense-facade: error: "), err
    return lines[0]


def test_ledger_deleted_run_refuses_rebuild_restores_exactly_once(
    served: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb, env = served
    brex: Any = sb.vendor("brex")
    out = tmp_path / "brex.jsonl"
    ledger = tmp_path / "ledger.sqlite3"
    export = ["export", "--vendor", "brex", "--out", str(out), "--ledger", str(ledger), "-q"]
    export += ["--no-rate-limit"]
    approved = list(brex.approved_ids())
    assert cli.main(export, environ=env) == cli.EXIT_OK
    assert sorted(ids_in(out)) == sorted(approved)
    capsys.readouterr()

    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    before = out.read_bytes()
    assert cli.main(export, environ=env) == cli.EXIT_FATAL
    line = one_line_error(capsys.readouterr().err)
    assert f"{out} already holds {len(approved)} records" in line
    assert f"expense-facade ledger rebuild --from {out} --ledger {ledger}" in line
    assert out.read_bytes() == before

    rebuild = ["ledger", "rebuild", "--from", str(out), "--ledger", str(ledger)]
    assert cli.main(rebuild, environ=env) == cli.EXIT_OK
    said = capsys.readouterr().err
    assert f"{out}: {len(approved)} records (jsonl), {len(approved)} new to the ledger" in said

    assert cli.main(export, environ=env) == cli.EXIT_OK
    said = capsys.readouterr().err
    assert "Exported 0 expenses" in said
    assert "marks completed" not in said  # Brex has no marks: the rebuilt entries are settled
    assert out.read_bytes() == before

    newly = [i for i in brex.ids_with_status("SUBMITTED")][:4]
    assert len(newly) == 4
    for expense_id in newly:
        brex.set_status(expense_id, "APPROVED")
    assert cli.main(export, environ=env) == cli.EXIT_OK
    assert "Exported 4 expenses" in capsys.readouterr().err
    assert ids_in(out) == ids_in_bytes(before) + newly_in_list_order(brex, newly)


def ids_in_bytes(data: bytes) -> list[str]:
    return [json.loads(line)["id"] for line in data.decode().splitlines()]


def newly_in_list_order(brex: Any, ids: list[str]) -> list[str]:
    order = list(brex.approved_ids())
    return sorted(ids, key=order.index)


def test_output_deleted_is_refused_then_new_output(
    served: tuple[Sandbox, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, env = served
    out = tmp_path / "capture.csv"
    export = ["export", "--vendor", "capture", "--out", str(out), "--ledger", str(tmp_path / "l")]
    export += ["-q", "--no-rate-limit"]
    assert cli.main(export, environ=env) == cli.EXIT_OK
    capsys.readouterr()
    out.unlink()
    assert cli.main(export, environ=env) == cli.EXIT_FATAL
    line = one_line_error(capsys.readouterr().err)
    assert f"{out} no longer exists" in line
    assert f"ledger rebuild --from {out} --ledger" in line
    assert cli.main([*export, "--new-output"], environ=env) == cli.EXIT_OK
    assert "started a new output" in capsys.readouterr().err


# -- locks held by another process ------------------------------------------------------------

HOLD = """
import sys
from pathlib import Path
kind, path = sys.argv[1], sys.argv[2]
if kind == "ledger":
    from expense_facade.export.ledger import Ledger
    held = Ledger(path)
else:
    from expense_facade.export.sinks import FileSink, JsonLinesFormat
    held = FileSink(path, JsonLinesFormat())
print("holding", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def hold() -> Iterator[Any]:
    procs: list[subprocess.Popen[str]] = []

    def _hold(kind: str, path: Path) -> None:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, kind, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "holding"

    yield _hold
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def run_script(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["XDG_DATA_HOME"] = str(cwd / "data")
    env["XDG_CONFIG_HOME"] = str(cwd / "config")
    return subprocess.run(
        [str(SCRIPT), *argv], capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["symlink", "hardlink", "relative"])
def test_ledger_held_by_a_run_is_refused_under_any_name(
    tmp_path: Path, hold: Any, name: str
) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    hold("ledger", ledger)
    if name == "symlink":
        other = tmp_path / "link.sqlite3"
        other.symlink_to(ledger)
        given = str(other)
    elif name == "hardlink":
        other = tmp_path / "hard.sqlite3"
        os.link(ledger, other)
        given = str(other)
    else:
        (tmp_path / "sub").mkdir()
        given = "sub/../ledger.sqlite3"
    done = run_script(
        ["export", "--sandbox", "--vendor", "brex", "--out", "o.jsonl", "--ledger", given],
        tmp_path,
    )
    assert done.returncode == cli.EXIT_FATAL
    assert "is in use by another run" in one_line_error(done.stderr)
    assert not (tmp_path / "o.jsonl").exists()


def test_two_ledgers_one_output_the_second_is_refused_while_the_first_holds_it(
    tmp_path: Path, hold: Any
) -> None:
    out = tmp_path / "o.jsonl"
    hold("output", out)
    link = tmp_path / "link.jsonl"
    link.symlink_to(out)
    done = run_script(
        ["export", "--sandbox", "--vendor", "brex", "--out", str(link), "--ledger", "other.db"],
        tmp_path,
    )
    assert done.returncode == cli.EXIT_FATAL
    assert f"{out} is in use by another run" in one_line_error(done.stderr)
    assert out.read_bytes() == b""


# -- a full ledger ---------------------------------------------------------------------------


class FillingLedger(Ledger):
    """Its disk fills up once it has recorded ``room`` batches as written (SQLite's
    max_page_count gives the error a full disk gives: "database or disk is full")."""

    room = 2

    def __init__(self, path: Path) -> None:
        def fill(step: str, when: str) -> None:
            if (step, when) != ("written", "before"):
                return
            if FillingLedger.room == 0:
                (pages,) = store.rows("PRAGMA page_count")[0]
                store.rows(f"PRAGMA max_page_count={pages}")
            FillingLedger.room -= 1

        store = SteppedStore(SqliteStore(path), fill)
        super().__init__(store=store)


def test_ledger_disk_full_is_exit_2_and_the_next_run_recovers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    argv = ["export", "--sandbox", "--sandbox-seed", "3", "--sandbox-size", "200", "--vendor"]
    argv += ["brex", "--out", f"{out}/", "--ledger", str(tmp_path / "l"), "--page-size", "10"]
    monkeypatch.setattr(export_run, "Ledger", FillingLedger)  # where the export opens it
    assert cli.main(argv, environ={}) == cli.EXIT_FATAL
    line = one_line_error(capsys.readouterr().err)
    assert "cannot be written: database or disk is full" in line
    written = ids_in(out / "brex.jsonl")
    assert len(written) > 20  # the batches before the disk filled up (and the cut-off one)

    monkeypatch.undo()
    assert cli.main(argv, environ={}) == cli.EXIT_OK
    truth = set(Sandbox(seed=3, size=200).vendor("brex").approved_ids())
    exported = ids_in(out / "brex.jsonl")
    assert len(exported) == len(set(exported)) == len(truth)
    assert set(exported) == truth


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_ledger_unwritable_mid_run_in_a_real_process_is_exit_2_then_recovered(
    tmp_path: Path,
) -> None:
    """Every file the process writes is capped at 400 kB (RLIMIT_FSIZE): the ledger's
    write-ahead log reaches it first and the write fails as on a full disk."""
    import resource
    import signal

    def capped() -> None:  # in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    argv = [str(SCRIPT), "export", "--sandbox", "--sandbox-size", "2000", "--vendor", "brex"]
    argv += ["--out", "out/", "--ledger", "l.sqlite3", "-q", "--page-size", "20"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    failed = subprocess.run(
        argv, preexec_fn=capped, capture_output=True, text=True, cwd=tmp_path, env=env,
        timeout=300, check=False,
    )  # fmt: skip
    assert failed.returncode == cli.EXIT_FATAL, failed.stderr
    line = one_line_error(failed.stderr)
    assert "the export ledger l.sqlite3 cannot be written" in line
    assert len(ids_in(tmp_path / "out" / "brex.jsonl")) > 0

    done = subprocess.run(
        argv, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300, check=False
    )
    assert done.returncode == cli.EXIT_OK, done.stderr
    truth = set(Sandbox(seed=1, size=2000).vendor("brex").approved_ids())
    exported = ids_in(tmp_path / "out" / "brex.jsonl")
    assert len(exported) == len(set(exported)) == len(truth)
    assert set(exported) == truth
