"""Memory flat in the number of accounts: an export opens each account's client when its
turn comes and closes it (and its output file) after, so 2,000 configured accounts peak
within 30 MB of 10 (docs/limits.md, "Accounts"). Measured as the VmHWM of the command's
own process; every account's server refuses the connection, so each turn is short."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.processes import closed_loopback_url, run_command_with_peak

ALLOWED_GROWTH_KIB = 30 * 1024


def peak_kib(tmp_path: Path, accounts: int) -> int:
    url = closed_loopback_url()
    config = tmp_path / f"{accounts}.toml"
    config.write_text(
        "".join(f'[brex.a{i}]\ntoken = "token-{i}"\nbase_url = "{url}"\n' for i in range(accounts))
    )
    argv = ["export", "--vendor", "brex", "--config", str(config), "--max-retries", "0", "-q"]
    argv += ["--out", f"{tmp_path}/out{accounts}/", "--ledger", f"{tmp_path}/{accounts}.sqlite3"]
    done, peak = run_command_with_peak(argv, tmp_path / f"{accounts}.peak")
    assert done.returncode == 2, done.stderr[-2000:]  # every account stopped early
    # one line per account, up to a bound; no file is left for an account that wrote none
    lines = done.stderr.splitlines()
    assert len(lines) == min(accounts, 21)
    assert all(line.startswith("expense-facade: error: brex.a") for line in lines[:10])
    if accounts > 20:
        assert lines[-1].endswith(f"... and {accounts - 20:,} more accounts stopped early")
    assert list((tmp_path / f"out{accounts}").iterdir()) == []
    return peak


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_2000_accounts_peak_within_30_mb_of_10(tmp_path: Path) -> None:
    few = peak_kib(tmp_path, 10)
    many = peak_kib(tmp_path, 2000)
    assert many - few < ALLOWED_GROWTH_KIB, f"10 accounts: {few} KiB, 2,000: {many} KiB"
