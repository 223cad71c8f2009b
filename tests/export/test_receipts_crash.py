"""Receipts once across kills (docs/export.md, "Receipts"): an ``expense-facade export
--receipts`` process is killed with SIGKILL at each step of the receipt protocol (after
the intent, the download, the record, the placing, done, and the next batch's intent,
i.e. after the first batch's records were written), then the export runs again. Each
receipt is then downloaded and recorded exactly once (downloaded again only when the kill
came before it was recorded), the folder holds one file per content and nothing else,
and every record links a file that is there; on both ledger backends."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.export.receipts import STAGING
from expense_facade.sandbox import Fault
from support.exactly_once import command, environ, exported_ids, served, truth_of
from support.ledger_backends import Backend
from support.receipts import ROUTE, check_exactly_once, receipt_rows

VENDORS = ("brex", "revolut")

# The command, with each ReceiptRun told to kill its own process (SIGKILL: nothing runs
# after it) the OCCURRENCE-th time it reaches STEP.
CHILD = """
import os, signal, sys
from expense_facade.export import receipts
step, occurrence, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
reached = [0]
real_init = receipts.ReceiptRun.__init__

def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)

    def on_step(name):
        if name == step:
            reached[0] += 1
            if reached[0] == occurrence:
                os.kill(os.getpid(), signal.SIGKILL)

    self.on_step = on_step

receipts.ReceiptRun.__init__ = init
from expense_facade.cli import main as cli
sys.exit(cli.main(argv))
"""

KILLS = [
    ("intent", 1),
    ("downloaded", 1),
    ("recorded", 1),
    ("placed", 1),
    ("done", 1),
    ("intent", 2),  # the first batch's records are written
    ("streaming", 0),  # killed by the test while a (slow) download streams to disk
]


def kill_while_streaming(child: subprocess.Popen[bytes], staging: Path) -> None:
    """SIGKILL ``child`` once a download's temporary file is in ``staging``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if staging.is_dir() and any(p.name.endswith(".part") for p in staging.iterdir()):
            os.kill(child.pid, signal.SIGKILL)
            return
        time.sleep(0.002)
    raise AssertionError("no download was seen streaming")


def downloads(requests: Sequence[object]) -> collections.Counter[str]:
    """Download requests per receipt id."""
    counted: collections.Counter[str] = collections.Counter()
    for request in requests:
        route, url = getattr(request, "route", ""), str(getattr(request, "url", ""))
        if route == ROUTE["brex"]:
            counted[url.split("/brex-receipts/", 1)[1].split("/", 1)[0]] += 1
        elif route == ROUTE["revolut"]:
            counted[url.split("/receipts/", 1)[1].split("/", 1)[0]] += 1
    return counted


@pytest.mark.parametrize(("step", "occurrence"), KILLS, ids=[f"{s}-{n}" for s, n in KILLS])
def test_a_kill_at_each_step_ends_with_each_receipt_once(
    tmp_path: Path, ledger_backend: Backend, step: str, occurrence: int
) -> None:
    ledger = ledger_backend.target(tmp_path / "ledger.sqlite3")
    out, folder = tmp_path / "out", tmp_path / "receipts"
    argv = ["export", "--out", f"{out}/", "--ledger", str(ledger), "--receipts", str(folder)]
    argv += ["--no-rate-limit", "-q", "--page-size", "5"]
    for vendor in VENDORS:
        argv += ["--vendor", vendor]
    with served(VENDORS, seed=24, size=30) as (sb, server):
        env = environ(sb, server, tmp_path)
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
        if step == "streaming":
            sb.faults.add("revolut", ROUTE["revolut"], Fault.drip(0.005), times=1)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, step, str(occurrence), *argv],
            env={**child_env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if step == "streaming":
            kill_while_streaming(child, folder / STAGING)
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == -signal.SIGKILL, stderr.decode()
        recorded = {
            row.receipt_id
            for state in ("stored", "done")
            for row in receipt_rows(lambda: ledger_backend.open(tmp_path / "ledger.sqlite3"), state)
        }
        if step in ("recorded", "placed", "done"):
            assert recorded  # the kill came after this batch's receipts were recorded
        before = len(sb.requests)
        again = command(env, *argv)
        assert again.code == cli.EXIT_OK, again.err
        receipts = check_exactly_once(
            sb, out, folder, lambda: ledger_backend.open(tmp_path / "ledger.sqlite3"), VENDORS
        )
        truth = truth_of(sb)
        counted = downloads(list(sb.requests))
        second = downloads(list(sb.requests)[before:])
    for vendor in VENDORS:
        assert sorted(exported_ids(out, vendor)) == sorted(truth[vendor])  # each record once
    assert len(counted) == receipts
    assert not [r for r in recorded if second[r]]  # recorded: never downloaded again
    assert max(counted.values()) <= 2  # at most the one in flight when killed, again
