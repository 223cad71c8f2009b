"""The command never shows a traceback: each failure is one line and a documented exit code,
and the traceback goes to the debug log (docs/command.md, "Exit codes")."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from expense_facade.cli import main as cli
from expense_facade.cli import parser as cli_parser
from expense_facade.cli import signals
from expense_facade.export.ledger import LedgerError
from support.processes import handlers_installed

SCRIPT = Path(sys.executable).with_name("expense-facade")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("EXPENSE_FACADE_CONFIG", raising=False)


def fails_in_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int) -> str:
    assert cli.main(argv, environ={}) == code
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_ledger_that_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["export", "--sandbox", "--vendor", "brex", "--out", str(tmp_path / "o.jsonl")]
    line = fails_in_one_line(capsys, [*argv, "--ledger", "/"], cli.EXIT_FATAL)
    assert line == "expense-facade: error: the export ledger / is a folder; name a file"
    assert not (tmp_path / "o.jsonl").exists()


def test_config_file_that_is_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'[brex]\ntoken = "caf\xe9"\n')
    line = fails_in_one_line(
        capsys, ["get", "--vendor", "brex", "x", "--config", str(config)], cli.EXIT_FATAL
    )
    assert f"config file {config} is not UTF-8 text" in line


def numeric_options() -> list[tuple[list[str], str]]:
    """Every option of every subcommand whose value is a number: (command path, option)."""
    found: list[tuple[list[str], str]] = []

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])
            elif action.type is float:
                raise AssertionError(f"{path} {action.option_strings}: use finite_number")
            elif action.type in (int, cli_parser.finite_number) and action.option_strings:
                found.append((path, action.option_strings[-1]))

    walk(cli.build_parser(), [])
    return found


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "Infinity"])
def test_every_numeric_option_refuses_nan_and_infinities(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    options = numeric_options()
    assert (["export"], "--timeout") in options
    for path, option in options:
        line = fails_in_one_line(capsys, [*path, f"{option}={value}"], cli.EXIT_FATAL)
        assert f"argument {option}: " in line, (path, option, line)
        assert value in line


def test_an_unexpected_error_is_one_line_exit_70_and_its_traceback_in_the_debug_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(args: Any, environ: Any) -> int:
        raise RuntimeError("something the command has no words for")

    monkeypatch.setattr("expense_facade.cli.parser.cmd_vendors", broken)
    log = tmp_path / "debug.log"
    line = fails_in_one_line(capsys, ["--debug-log", str(log), "vendors"], cli.EXIT_INTERNAL)
    assert line.startswith("expense-facade: internal error: RuntimeError: something the")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert 'raise RuntimeError("something the command has no words for")' in text


def test_typed_errors_log_their_traceback_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def busy(args: Any, environ: Any) -> int:
        raise LedgerError("the export ledger x is in use by another run")

    monkeypatch.setattr("expense_facade.cli.parser.cmd_vendors", busy)
    log = tmp_path / "debug.log"
    assert cli.main(["vendors", "--debug-log", str(log)], environ={}) == cli.EXIT_FATAL
    assert capsys.readouterr().err == (
        "expense-facade: error: the export ledger x is in use by another run\n"
    )
    assert "LedgerError" in log.read_text()


@pytest.mark.parametrize(
    ("raised", "code", "word"),
    [
        (KeyboardInterrupt, cli.EXIT_INTERRUPTED, "interrupted"),
        (signals.Terminated, cli.EXIT_TERMINATED, "terminated"),
    ],
)
def test_an_interrupt_anywhere_in_a_command_is_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    raised: type[BaseException],
    code: int,
    word: str,
) -> None:
    def stopped(args: Any, environ: Any) -> int:
        raise raised

    monkeypatch.setattr("expense_facade.cli.parser.cmd_vendors", stopped)
    line = fails_in_one_line(capsys, ["vendors"], code)
    assert line == f"expense-facade: {word}; the next run goes on from where this one stopped"


def test_main_leaves_the_hosts_signal_handlers_as_they_were() -> None:
    before = signal.getsignal(signal.SIGTERM)
    assert cli.main(["vendors"], environ={}) == cli.EXIT_OK
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [
        (signal.SIGINT, cli.EXIT_INTERRUPTED, "interrupted"),
        (signal.SIGTERM, cli.EXIT_TERMINATED, "terminated"),
    ],
)
def test_a_signal_in_the_first_moment_of_the_command_is_one_line(
    tmp_path: Path, signum: signal.Signals, code: int, word: str
) -> None:
    """Sent as soon as the console script's handlers are in place: the command is still
    importing itself then."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    stopped = 0
    for _ in range(3):
        proc = subprocess.Popen(
            [str(SCRIPT), "export", "--sandbox", "--vendor", "all", "--out", f"{tmp_path}/o/"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 60
        while not handlers_installed(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.0005)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        if proc.returncode == 0:  # pragma: no cover - finished before the signal landed
            continue
        assert proc.returncode == code, err
        assert err.strip().splitlines() == [
            f"expense-facade: {word}; the next run goes on from where this one stopped"
        ]
        stopped += 1
    assert stopped >= 2, "the export (every sandbox vendor) outlasts its first moment"


@pytest.mark.parametrize("option", ["--overlap", "--reconcile-after"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_durations_refuse_nan_and_infinities(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    argv = ["export", "--sandbox", "--vendor", "brex", f"{option}={value}"]
    line = fails_in_one_line(capsys, argv, cli.EXIT_FATAL)
    assert "is not a duration" in line
