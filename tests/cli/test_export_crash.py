"""The export process killed (SIGKILL), terminated (SIGTERM) or interrupted (SIGINT) at
random points, many times, then run to the end.

A loopback sandbox with a few thousand approved expenses runs in this test process; the
export runs as a separate ``expense-facade`` process pointed at it through the documented
environment variables. It is killed at random points (a seeded RNG, so a failure can be
replayed): some kills after a random delay (start-up, recovery, anywhere), most once the
output has grown past a random threshold (so kills are spread over the whole export, on
slow and fast machines alike). At the end, checked against the sandbox's own ground truth:
every approved expense is in its vendor's file exactly once, no line is torn, every one is
marked exported once (Capture: at the vendor, its queue empty; the others: in the ledger).
A run stopped by SIGTERM or SIGINT exits with its documented code (143, 130) and one line,
never a traceback, from its first milliseconds on: "anywhere" signals are sent once the
command's handlers are in place (/proc/PID/status), after a random delay from 0; before
that the interpreter is still starting up (docs/command.md, "Exit codes").
"""

from __future__ import annotations

import functools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.export.ledger import Ledger
from expense_facade.sandbox import Sandbox
from support.processes import handlers_installed

SCRIPT = Path(sys.executable).with_name("expense-facade")
SEED = 20261121
# Expenses per vendor, weighted towards the vendors whose listing is cheap (Pazy reads each
# expense's details, one request each): about 2,000 approved expenses over the five.
SIZES = {"capture": 1200, "brex": 800, "revolut": 900, "prospend": 400, "pazy": 300}
KILLS = 36
PAGE_SIZE = 25
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
STOPPED = {
    signal.SIGTERM: (cli.EXIT_TERMINATED, "expense-facade: terminated;"),
    signal.SIGINT: (cli.EXIT_INTERRUPTED, "expense-facade: interrupted;"),
}


def output_lines(out: Path) -> int:
    """Complete lines across the vendor files (a torn last line does not count)."""
    total = 0
    for path in out.glob("*.jsonl"):
        total += path.read_bytes().count(b"\n")
    return total


def kill_when(
    proc: subprocess.Popen[bytes],
    ready: object,
    *,
    deadline: float,
    extra: float = 0.0,
    signum: signal.Signals = signal.SIGKILL,
) -> bool:
    """Send ``signum`` to ``proc`` ``extra`` seconds after ``ready()`` is true; False if it
    ended first."""
    assert callable(ready)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            break
        time.sleep(0.002)
    if extra:
        time.sleep(extra)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signum)
    proc.wait(timeout=60)
    return True


WARNING = "expense-facade: warning: "


def check_stopped(signum: signal.Signals, code: int | None, stderr: str) -> None:
    """A run stopped by SIGTERM/SIGINT: its exit code and one last line, no traceback."""
    assert "Traceback" not in stderr, stderr
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
        return
    expected_code, expected_line = STOPPED[signum]
    # The warnings the command shows by default (a retry, a long pacing wait) are lines of
    # their own before the stop; what is asserted is the stop itself.
    lines = [line for line in stderr.splitlines() if not line.startswith(WARNING)]
    assert (code, lines[-1].startswith(expected_line)) == (expected_code, True), stderr
    # Nothing else, unless the signal came while the summary was being printed.
    assert len(lines) == 1 or lines[0].startswith("Exported"), stderr


@pytest.mark.slow
def test_export_killed_at_random_points_exports_everything_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    sb = Sandbox(seed=SEED, sizes=SIZES)
    truth = {vendor: set(sb.vendor(vendor).approved_ids()) for vendor in cli.VENDORS}
    total = sum(len(ids) for ids in truth.values())
    assert total > 1_800
    out = tmp_path / "exports"
    ledger_path = tmp_path / "ledger.sqlite3"
    argv = [
        str(SCRIPT), "export", "--vendor", "all", "--out", f"{out}/", "--ledger", str(ledger_path),
        "--page-size", str(PAGE_SIZE), "--quiet", "--no-rate-limit",
    ]  # fmt: skip
    thresholds = sorted(rng.randrange(1, total) for _ in range(KILLS))
    kills = 0
    with sb.serve(port=0) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
        env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
        for vendor in cli.VENDORS:
            env[cli.base_url_env(vendor)] = server.base_url(vendor)
            for name, value in sb.credentials(vendor).items():
                if name in cli.CREDENTIAL_ENV[vendor]:
                    env[cli.CREDENTIAL_ENV[vendor][name]] = value
        stopped = dict.fromkeys(SIGNALS, 0)
        for attempt in range(KILLS):
            signum = SIGNALS[attempt % len(SIGNALS)]
            errors = tmp_path / f"stderr-{attempt}.txt"
            with errors.open("wb") as stderr:
                proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
            if rng.random() < 0.3:
                # Anywhere, start-up and recovery included: from the first milliseconds of
                # the command's own code (SIGKILL needs no handler: from the very start).
                delay = rng.choice([0.0, rng.uniform(0.0, 0.02), rng.uniform(0.02, 1.5)])
                ready: Callable[[], bool] = (
                    (lambda: True)
                    if signum == signal.SIGKILL
                    else functools.partial(handlers_installed, proc.pid)
                )
                killed = kill_when(
                    proc, ready, deadline=time.monotonic() + 60, extra=delay, signum=signum
                )
            else:
                # Once the output has grown past the next threshold (always ahead of what is
                # there now, so every such run gets somewhere), plus a few milliseconds:
                # between the append, the ledger commit and the marks.
                target = max(thresholds[attempt], output_lines(out) + rng.randint(1, PAGE_SIZE))
                killed = kill_when(
                    proc,
                    lambda n=target: output_lines(out) >= n,
                    deadline=time.monotonic() + 60,
                    extra=rng.choice([0.0, 0.0, rng.uniform(0.0, 0.05)]),
                    signum=signum,
                )
            text = errors.read_text()
            if killed and proc.returncode != 0:
                check_stopped(signum, proc.returncode, text)
                stopped[signum] += 1
            else:
                assert proc.returncode == 0, text
            kills += killed
        final = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert final.returncode == 0, final.stderr
        capture_exported = sb.vendor("capture").exported_ids()  # type: ignore[attr-defined]
        capture_queue = list(sb.vendor("capture").approved_ids())
    assert kills >= KILLS // 2, "most runs were killed mid-way"
    assert all(count >= KILLS // 6 for count in stopped.values()), stopped

    for vendor, ids in truth.items():
        lines = (out / f"{vendor}.jsonl").read_bytes().split(b"\n")
        assert lines[-1] == b"", f"{vendor}: the file ends inside a line"
        exported = [json.loads(line)["id"] for line in lines[:-1]]
        duplicates = {i for i in exported if exported.count(i) > 1}
        assert not duplicates, f"{vendor}: written more than once: {sorted(duplicates)[:5]}"
        assert set(exported) == ids, f"{vendor}: missing {sorted(ids - set(exported))[:5]}"
    assert capture_exported == truth["capture"]
    assert capture_queue == []
    with Ledger(ledger_path) as ledger:
        assert ledger.pending_intents() == []
        for vendor, ids in truth.items():
            (account,) = ledger.accounts(vendor)
            assert ledger.pending_marks(vendor, account) == []
            assert ledger.counts(vendor, account) == {"marked": len(ids)}
