"""The installed console script, run as a real process."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from expense_facade.sandbox import Sandbox

SCRIPT = Path(sys.executable).with_name("expense-facade")


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def test_console_script_runs_and_exits_with_documented_codes(tmp_path: Path) -> None:
    assert SCRIPT.exists(), "the project is installed editable, with its console script"
    env = clean_env(tmp_path)
    ok = subprocess.run(
        [str(SCRIPT), "vendors"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[0].startswith("vendor")
    bad = subprocess.run(
        [str(SCRIPT), "export", "--vendor", "nope", "--out", str(tmp_path / "o/")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "expense-facade: error: unknown vendor 'nope'; choose from capture, brex, revolut, "
        "prospend, pazy or all"
    ]
    assert not (tmp_path / "o").exists()


SERVE = [str(SCRIPT), "sandbox", "serve"]
MODULE = [sys.executable, "-m", "expense_facade.sandbox"]


@contextlib.contextmanager
def served(
    tmp_path: Path, *options: str, program: list[str] = SERVE
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """``expense-facade sandbox serve --port 0 <options>`` (or ``program``) running, with
    the settings it printed (read as a shell would: every value is shell-quoted); killed at
    the end if the test has not stopped it."""
    proc = subprocess.Popen(
        [*program, "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(tmp_path),
    )
    try:
        assert proc.stdout is not None
        printed = []
        for line in proc.stdout:
            if line.startswith("# Ctrl-C"):
                break
            printed.append(line)
        words = shlex.split("".join(printed), comments=True)
        yield proc, dict(word.partition("=")[::2] for word in words if word != "export")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sandbox_serve_prints_settings_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    with served(tmp_path, "--size", "5") as (proc, settings):
        base = settings["EXPENSE_FACADE_CAPTURE_BASE_URL"]
        assert base.startswith("http://127.0.0.1:")
        response = httpx.get(
            f"{base}/api/Expenses/Export",
            headers={"X-API-Key": settings["EXPENSE_FACADE_CAPTURE_API_KEY"]},
            timeout=30,
        )
        assert response.status_code == 200
        assert response.json()["success"] is True
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == "expense-facade: sandbox stopped\n"


def test_python_m_sandbox_is_the_same_program(tmp_path: Path) -> None:
    with served(tmp_path, "--size", "5", "--rate-limits", program=MODULE) as (proc, settings):
        with served(tmp_path, "--size", "5") as (_, command_settings):
            assert set(settings) == set(command_settings)
            assert {k: v for k, v in settings.items() if "BASE_URL" not in k} == {
                k: v for k, v in command_settings.items() if "BASE_URL" not in k
            }
        base = settings["EXPENSE_FACADE_BREX_BASE_URL"]
        headers = {"Authorization": f"Bearer {settings['EXPENSE_FACADE_BREX_TOKEN']}"}
        assert httpx.get(f"{base}/v1/expenses", headers=headers, timeout=30).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == "expense-facade: sandbox stopped\n"


def test_sandbox_serve_stops_on_sigterm_with_its_own_line(tmp_path: Path) -> None:
    with served(tmp_path, "--size", "5") as (proc, _):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == "expense-facade: sandbox stopped\n"  # not the export's


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["sandbox", "serve", "--size", "0"], "--size must be at least 1"),
        (["sandbox", "serve", "--auth", "nope"], "--auth: auth must be one of token, refresh"),
    ],
)
def test_sandbox_serve_bad_input(tmp_path: Path, argv: list[str], problem: str) -> None:
    done = subprocess.run(
        [str(SCRIPT), *argv], capture_output=True, text=True, env=clean_env(tmp_path),
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert problem in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_sandbox_serve_hands_out_revolut_refresh_settings_a_shell_can_take(
    tmp_path: Path,
) -> None:
    # The private key is a PEM of many lines: printed shell-quoted, it is one assignment.
    pytest.importorskip("jwt", reason="the revolut-refresh extra signs the assertion")
    size = 40
    with served(tmp_path, "--size", str(size), "--auth", "refresh") as (proc, settings):
        assert "-----BEGIN" in settings["EXPENSE_FACADE_REVOLUT_PRIVATE_KEY"]
        assert "EXPENSE_FACADE_REVOLUT_TOKEN" not in settings
        out = tmp_path / "out"
        done = subprocess.run(
            [str(SCRIPT), "export", "--vendor", "revolut", "--out", f"{out}/",
             "--ledger", str(tmp_path / "ledger.sqlite3"), "--quiet"],
            capture_output=True, text=True, env={**clean_env(tmp_path), **settings},
            timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        exported = {json.loads(line)["id"] for line in (out / "revolut.jsonl").open()}
        truth = Sandbox(seed=1, size=size).vendor("revolut").approved_ids()
        assert exported
        assert exported == set(truth)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
