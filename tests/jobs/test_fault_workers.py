"""The fault test on real processes (issue 20, RELIABILITY.md's last row): three Celery
worker processes export 40 accounts (eight loopback sandboxes x the five vendors) into a
PostgreSQL ledger, while the test SIGKILLs random workers at random moments for a few
rounds and starts them again. Every approved expense of every account must then be in the
PostgreSQL table exactly once, and (second phase) in a JSONL file per account exactly
once; and no account may ever have been held by two workers at once (each worker logs
when it takes and gives back an account: ``support.celery_app``).

``FAULT_SEED`` replays a run (the seed is in the failure message); ``FAULT_ROUNDS``
makes it longer.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import os
import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import celery.exceptions
import psycopg
import pytest
from expense_facade.registry import available_vendors
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.faults import Fault
from expense_facade.sandbox.server import SandboxServer
from support import services, workers
from support.services import Broker

pytestmark = pytest.mark.slow

SANDBOXES = 8
WORKERS = 3
SIZE = 40  # expenses per vendor per sandbox (about half approved)
LATENCY_S = 0.02  # per request, so that a kill lands inside exports
ROUNDS = int(os.environ.get("FAULT_ROUNDS", "3"))
KILLS_PER_ROUND = 2
ROUND_TIMEOUT_S = 240.0  # for every task of a round to end


@contextlib.contextmanager
def sandboxes() -> Iterator[list[tuple[Sandbox, SandboxServer]]]:
    """Eight sandboxes of the five vendors, served on loopback (fresh for each phase:
    marking takes a record out of Capture's export queue)."""
    with contextlib.ExitStack() as stack:
        served = []
        for n in range(SANDBOXES):
            sb = Sandbox(seed=200 + n, size=SIZE)
            for vendor in sb.vendors:
                sb.faults.add(vendor, None, Fault.latency(LATENCY_S), times=None)
            served.append((sb, stack.enter_context(sb.serve())))
        yield served


def accounts_config(
    path: Path, served: list[tuple[Sandbox, SandboxServer]], ledger: str, out: str
) -> list[tuple[str, str]]:
    """Write the config file of 40 named accounts; return (vendor, name) of each."""
    lines = ["[export]", f'ledger = "{ledger}"', f'out = "{out}"', ""]
    accounts: list[tuple[str, str]] = []
    for n, (sb, server) in enumerate(served):
        for vendor in available_vendors():
            name = f"a{n}"
            accounts.append((vendor, name))
            lines += [f"[{vendor}.{name}]", f'base_url = "{server.base_url(vendor)}"']
            lines += [f'{key} = "{value}"' for key, value in sb.credentials(vendor).items()]
            lines.append("")
    path.write_text("\n".join(lines))
    return accounts


def truth(served: list[tuple[Sandbox, SandboxServer]]) -> dict[tuple[str, str], set[str]]:
    """Every account's approved expenses (read before anything is exported: marking
    takes a record out of Capture's export queue)."""
    return {
        (vendor, f"a{n}"): set(sb.vendor(vendor).approved_ids())
        for n, (sb, _) in enumerate(served)
        for vendor in available_vendors()
    }


class Fleet:
    """Three worker processes; kills and restarts them, and logs when each died."""

    def __init__(self, env: dict[str, str], folder: Path, spans: Path) -> None:
        self.env = env
        self.folder = folder
        self.spans = spans
        self.started = 0
        self.logs: dict[int, Path] = {}
        self.procs = [self._start() for _ in range(WORKERS)]
        self.kills = 0

    def _start(self) -> subprocess.Popen[bytes]:
        self.started += 1
        log = self.folder / f"worker{self.started}.log"
        proc = workers.start(self.env, f"w{self.started}", log, pool="solo")
        self.logs[proc.pid] = log
        return proc

    def kill_one(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.procs))
        victim = self.procs[index]
        workers.stop(victim, kill=True)
        # Logged once the process is gone: a span it held ends no later than this.
        with open(self.spans, "a") as log:
            log.write(json.dumps(["died", None, None, victim.pid, time.time_ns()]) + "\n")
        self.kills += 1
        self.procs[index] = self._start()

    def stop(self) -> None:
        for proc in self.procs:
            workers.stop(proc)

    def check_alive(self) -> None:
        """AssertionError if a worker ended without being killed: the tasks would wait for
        it until the timeout, and the failure would not say why."""
        for proc in self.procs:
            if proc.poll() is not None:
                tail = self.logs[proc.pid].read_text(errors="replace").strip().splitlines()[-1:]
                raise AssertionError(f"a worker ended by itself ({proc.returncode}): {tail}")


def run_rounds(app: Any, accounts: list[tuple[str, str]], fleet: Fleet, rng: random.Random) -> None:
    """ROUNDS rounds of every account's task with kills at random moments, then one
    round without kills; every task of a round must end before the next round."""
    for round_number in range(ROUNDS + 1):
        results = [app.send_task("expense_facade.export_account", args=a) for a in accounts]
        if round_number < ROUNDS:
            for _ in range(KILLS_PER_ROUND):
                time.sleep(rng.uniform(0.2, 2.5))
                fleet.kill_one(rng)
        deadline = time.monotonic() + ROUND_TIMEOUT_S
        for result in results:
            summary = _result(result, fleet, deadline)
            assert summary["errors"] == [], summary
            assert summary["failed"] == [], summary


def _result(result: Any, fleet: Fleet, deadline: float) -> Any:
    """The task's result, checking now and then that every worker is still up."""
    while True:
        try:
            return result.get(timeout=min(5.0, max(deadline - time.monotonic(), 0.1)))
        except celery.exceptions.TimeoutError:
            fleet.check_alive()
            if time.monotonic() >= deadline:
                raise


def check_spans(spans: Path) -> int:
    """No account held by two processes at once; returns how many spans were checked."""
    events = [json.loads(line) for line in spans.read_text().splitlines()]
    died = {pid: at for kind, _, _, pid, at in events if kind == "died"}
    open_spans: dict[tuple[str, str, int], int] = {}
    per_account: dict[tuple[str, str], list[tuple[int, int, int]]] = collections.defaultdict(list)
    for kind, vendor, account, pid, at in events:
        if kind == "held":
            open_spans[(vendor, account, pid)] = at
        elif kind == "freed":
            start = open_spans.pop((vendor, account, pid))
            per_account[(vendor, account)].append((start, at, pid))
    for (vendor, account, pid), start in open_spans.items():
        assert pid in died, f"{vendor}.{account} held by {pid}, never freed, never killed"
        per_account[(vendor, account)].append((start, died[pid], pid))
    for account, spans_of in per_account.items():
        spans_of.sort()
        for (_, end, pid), (start, _, other) in itertools.pairwise(spans_of):
            assert start >= end, f"{account} held by {pid} and {other} at once"
    return sum(len(s) for s in per_account.values())


def test_killed_workers_export_every_account_exactly_once(
    pg_url: str, amqp_broker: Broker, tmp_path: Path
) -> None:
    seed = int(os.environ.get("FAULT_SEED", str(time.time_ns() % 10**9)))
    rng = random.Random(seed)
    schema = _schema(pg_url)
    with services.postgres_schema() as files_ledger:
        phases = [
            ("table", pg_url, f"{pg_url}#{schema}.expenses"),
            ("files", files_ledger, f"{tmp_path / 'out'}/"),
        ]
        for phase, ledger, out in phases:
            folder = tmp_path / phase
            folder.mkdir()
            with sandboxes() as served:
                expected = truth(served)
                config = folder / "config.toml"
                accounts = accounts_config(config, served, ledger, out)
                spans = folder / "spans.log"
                env = workers.worker_env(amqp_broker, config, TEST_CELERY_SPANS=str(spans))
                app = workers.client_app(amqp_broker, config)
                fleet = Fleet(env, folder, spans)
                try:
                    run_rounds(app, accounts, fleet, rng)
                except BaseException as exc:
                    raise AssertionError(f"FAULT_SEED={seed} ({phase}): {exc}") from exc
                finally:
                    fleet.stop()
                    app.close()
            assert fleet.kills == ROUNDS * KILLS_PER_ROUND
            assert check_spans(spans) >= len(accounts), phase
            for (vendor, name), ids in expected.items():
                got = _exported(phase, pg_url, schema, tmp_path, vendor, name)
                assert sorted(got) == sorted(ids), f"{phase}, {vendor}.{name}, FAULT_SEED={seed}"


def _schema(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    return str(row[0])


def _exported(phase: str, url: str, schema: str, tmp: Path, vendor: str, name: str) -> list[str]:
    """The ids in the phase's output for one account, repeats included."""
    if phase == "table":
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                f"SELECT id FROM {schema}.expenses WHERE vendor = %s AND account = %s",  # noqa: S608
                (vendor, name),
            ).fetchall()
        return [str(row[0]) for row in rows]
    lines = (tmp / "out" / f"{vendor}.{name}.jsonl").read_text().splitlines()
    return [json.loads(line)["id"] for line in lines]
