"""``expense-facade ledger show`` and ``ledger forget`` (issue 24, item 4) on both ledger
backends, against a sandbox served on loopback (docs/command.md, "ledger")."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expense_facade.cli import main as cli
from expense_facade.sandbox import Sandbox
from support.ledger_backends import Backend

SIZE = 40


class Terminal(io.StringIO):
    """Standard input as a terminal where the user types ``answer``."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def env() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    sb = Sandbox(seed=8, size=SIZE, vendors=("brex", "capture"))
    with sb.serve(port=0) as server:
        environ = {"XDG_CONFIG_HOME": "/nonexistent", "XDG_DATA_HOME": "/nonexistent"}
        for vendor in ("brex", "capture"):
            environ[cli.base_url_env(vendor)] = server.base_url(vendor)
            for name, value in sb.credentials(vendor).items():
                environ[cli.CREDENTIAL_ENV[vendor][name]] = value
        yield sb, environ


def run(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], *argv: str
) -> tuple[int, str, str]:
    code = cli.main(list(argv), environ=env)
    out, err = capsys.readouterr()
    return code, out, err


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_show_then_forget_an_account_and_some_ids(
    ledger_backend: Backend,
    env: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sb, environ = env
    ledger = str(ledger_backend.target(tmp_path / "ledger.sqlite3"))
    out = tmp_path / "out"
    export = ["export", "--vendor", "brex", "--vendor", "capture", "--out", f"{out}/",
              "--ledger", ledger, "-q", "--no-rate-limit", "--no-mark-exported"]  # fmt: skip
    # (Capture's queue keeps what is not marked: a forgotten record is listed again.)
    assert run(capsys, environ, *export)[0] == cli.EXIT_OK
    brex: Any = sb.vendor("brex")
    n_brex = len(list(brex.approved_ids()))
    n_capture = len(ids_in(out / "capture.jsonl"))

    code, shown, _ = run(capsys, environ, "ledger", "show", "--ledger", ledger)
    assert code == cli.EXIT_OK
    assert f"Records: {n_brex + n_capture} exported, in 2 accounts" in shown
    assert f"  brex (every account): {n_brex} exported, last written 20" in shown
    # the canonical base URL (loopback without its port: the account survives a new port)
    assert "Positions: 1 account\n  brex 127.0.0.1 (http://127.0.0.1/brex): position 20" in shown
    assert ", last run 20" in shown
    assert f"  {out / 'brex.jsonl'}: jsonl, {n_brex} records, " in shown
    # bounded: one row per table, then a count of the rest
    code, shown, _ = run(capsys, environ, "ledger", "show", "--ledger", ledger, "--limit", "1")
    assert shown.count("  ... and 1 more (--limit N shows more)") == 2  # records, outputs
    assert "capture" not in shown.split("Positions:")[0]
    code, shown, _ = run(capsys, environ, "ledger", "show", "--ledger", ledger, "--vendor", "brex")
    assert f"Records: {n_brex} exported, in 1 account" in shown

    # forget asks first: without a terminal and --yes, one line and exit 2, nothing changed
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    forget = ["ledger", "forget", "--ledger", ledger, "--vendor", "brex", "--account", "127.0.0.1"]
    code, _, err = run(capsys, environ, *forget)
    assert code == cli.EXIT_FATAL
    assert err.count("\n") == 1
    assert err.startswith("expense-facade: error: ledger forget asks for a confirmation ")
    # declined at the prompt: nothing forgotten
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, _, err = run(capsys, environ, *forget)
    assert code == cli.EXIT_OK
    assert f"Forget {n_brex} records of brex (account 127.0.0.1) and its position" in err
    assert err.endswith("Nothing forgotten.\n")
    assert run(capsys, environ, *export)[2].startswith("Exported 0 expenses")

    # accepted: forgotten, and the next export writes them again, once
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    code, _, err = run(capsys, environ, *forget)
    assert code == cli.EXIT_OK
    assert f"Forgot {n_brex} records of brex (account 127.0.0.1)" in err
    assert run(capsys, environ, *export)[2].startswith(f"Exported {n_brex} expenses")
    assert sorted(ids_in(out / "brex.jsonl")) == sorted(list(brex.approved_ids()) * 2)

    # some ids, with --yes: exactly those are written again
    some = ids_in(out / "capture.jsonl")[:3]
    code, _, err = run(
        capsys, environ, "ledger", "forget", "--ledger", ledger, "--vendor", "capture",
        *some, "--yes",
    )  # fmt: skip
    assert code == cli.EXIT_OK
    assert "Forgot 3 records of capture (every account)" in err
    before = ids_in(out / "capture.jsonl")
    code, _, err = run(capsys, environ, *export)
    assert code == cli.EXIT_OK, err
    assert sorted(ids_in(out / "capture.jsonl")[len(before) :]) == sorted(some)


def test_show_and_forget_refuse_a_ledger_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    for argv in (
        ["ledger", "show", "--ledger", str(missing)],
        ["ledger", "forget", "--ledger", str(missing), "--vendor", "brex", "--yes"],
    ):
        code, _, err = run(capsys, {}, *argv)
        assert code == cli.EXIT_FATAL
        assert err == (
            f"expense-facade: error: no export ledger at {missing} (give its file with "
            "--ledger PATH)\n"
        )
    assert not missing.exists()  # not made by looking
