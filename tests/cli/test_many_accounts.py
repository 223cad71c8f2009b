"""Memory flat in the number of accounts: an export opens each account's client when its
turn comes and closes it (and its output file) after, so 2,000 configured accounts peak
within 30 MB of 10 (docs/limits.md, "Accounts"). Measured as the VmHWM of the command's
own process; every account's server refuses the connection, so each turn is short."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# The console script's code, then its own peak memory written where argv[1] says.
RUN_AND_REPORT = (
    "import sys\n"
    "report = sys.argv.pop(1)\n"
    "from _expense_facade_start import run\n"
    "code = run()\n"
    "status = open('/proc/self/status').read().splitlines()\n"
    "open(report, 'w').write(next(l for l in status if l.startswith('VmHWM:')).split()[1])\n"
    "sys.exit(code)\n"
)
ALLOWED_GROWTH_KIB = 30 * 1024


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def peak_kib(tmp_path: Path, accounts: int) -> int:
    url = closed_url()
    config = tmp_path / f"{accounts}.toml"
    config.write_text(
        "".join(f'[brex.a{i}]\ntoken = "token-{i}"\nbase_url = "{url}"\n' for i in range(accounts))
    )
    report = tmp_path / f"{accounts}.peak"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    argv = ["export", "--vendor", "brex", "--config", str(config), "--max-retries", "0", "-q"]
    argv += ["--out", f"{tmp_path}/out{accounts}/", "--ledger", f"{tmp_path}/{accounts}.sqlite3"]
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_REPORT, str(report), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]  # every account stopped early
    assert f"{accounts} vendor(s) stopped early" in done.stderr
    assert len(list((tmp_path / f"out{accounts}").iterdir())) == accounts
    return int(report.read_text())


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_2000_accounts_peak_within_30_mb_of_10(tmp_path: Path) -> None:
    few = peak_kib(tmp_path, 10)
    many = peak_kib(tmp_path, 2000)
    assert many - few < ALLOWED_GROWTH_KIB, f"10 accounts: {few} KiB, 2,000: {many} KiB"
