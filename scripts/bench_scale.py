"""The benchmarks of exports past one machine (``make bench``: ``--only workers``,
``--only ledger``); see docs/benchmarks.md.

* ``workers``: accounts exported per second by 1, 2 and 4 Celery worker processes (Redis
  broker, PostgreSQL ledger) over loopback sandboxes that answer every request 50 ms late,
  as a ratio to ideal scaling (k workers = k x one). Target: 4 workers >= 3.2x one.
  The accounts' sandboxes are served by ``SANDBOX_PROCESSES`` processes of their own.
  Beside it: the CPU per account of each part (/proc), and the CPUs the machine's other
  processes kept busy, which bound what the workers can reach on a shared machine.
* ``ledger``: units of work per second ("write this batch to this sink": intent, append,
  written) on the SQLite ledger and on the PostgreSQL ledger, side by side.

Each returns rows as dicts (``bench.py`` makes its table rows of them); a service that is
absent gives a row that says so instead of a figure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
APP_MODULE = "bench_scale_app"
ROUNDS = 3
"""Measurements of each worker count, interleaved; the median is reported (the machine is
shared: one busy spell would otherwise decide the ratio)."""
SANDBOX_PROCESSES = 4
"""Processes the accounts' sandboxes are served from, each account's by one of them. A
vendor's API is not one Python process: served from one, the four workers' requests,
which arrive together, queued for its one GIL (and for the Celery client's, which
shared it)."""


def absent(*urls: str) -> str | None:
    """Why a benchmark cannot run (a service that does not answer), or None."""
    import socket
    from urllib.parse import urlsplit

    for url in urls:
        parts = urlsplit(url)
        try:
            with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 2):
                pass
        except OSError as exc:
            return f"skipped: {parts.scheme} at {parts.hostname}:{parts.port}: {exc.strerror}"
    return None


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A schema of its own in the benchmark database; its URL; dropped after."""
    from urllib.parse import quote

    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# -- accounts per second, 1/2/4 workers --------------------------------------------------------


def _ticks(pid: int, children: bool = False) -> float:
    """CPU seconds of process ``pid`` (user + system; with ``children``, also of its
    children that have exited and been waited for), from /proc; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3; utime, stime, cutime, cstime 14 to 17.
    used = sum(int(f) for f in fields[11 : 15 if children else 13])
    return used / os.sysconf("SC_CLK_TCK")


def _named(*names: str) -> list[int]:
    """The pids of the processes whose command name is one of ``names``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    found.append(int(entry.name))
    return found


class CpuSample:
    """CPU seconds used so far by the benchmark's parts: the worker processes, the
    sandbox processes, this process (the Celery client: it sends the tasks and gathers
    their results), PostgreSQL (every backend, those already gone included: the
    postmaster's waited-for children) and Redis. Linux only (/proc); the services are
    shared with anything else the machine runs."""

    def __init__(self, workers: list[int], sandboxes: list[int]) -> None:
        self.parts = {
            "workers": sum(_ticks(pid) for pid in workers),
            "sandbox": sum(_ticks(pid) for pid in sandboxes),
            "client": time.process_time(),
            "postgres": sum(_ticks(pid, children=True) for pid in _named("postgres")),
            "redis": sum(_ticks(pid) for pid in _named("redis-server")),
        }
        self.machine = _machine_busy()
        self.at = time.perf_counter()

    def per_account_ms(self, before: CpuSample, accounts: int) -> dict[str, float]:
        return {
            part: (used - before.parts[part]) * 1000 / accounts for part, used in self.parts.items()
        }

    def others(self, before: CpuSample) -> float:
        """How many CPUs the machine's other processes kept busy meanwhile (on average)."""
        ours = sum(used - before.parts[part] for part, used in self.parts.items())
        return max(self.machine - before.machine - ours, 0.0) / (self.at - before.at)


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (every CPU), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


Served = tuple[str, dict[str, str]]
"""One account's sandbox as served: its base URL and its credentials."""


def _serve(accounts: range, size: int, latency: float, vendor: str, pipe: Any) -> None:
    """A sandbox process: serve one sandbox per account of ``accounts``, send back what
    ``Served`` says of each, and serve until the pipe says stop (or closes)."""
    from expense_facade.sandbox import Sandbox
    from expense_facade.sandbox.faults import Fault

    with contextlib.ExitStack() as stack:
        served = []
        for n in accounts:
            sb = Sandbox(seed=500 + n, size=size, vendors=(vendor,))
            sb.faults.add(vendor, None, Fault.latency(latency), times=None)
            server = stack.enter_context(sb.serve())
            served.append((server.base_url(vendor), sb.credentials(vendor)))
        pipe.send(served)
        with contextlib.suppress(EOFError):
            pipe.recv()


@contextlib.contextmanager
def sandboxes(
    accounts: int, size: int, latency: float, vendor: str
) -> Iterator[tuple[list[Served], list[int]]]:
    """``accounts`` loopback sandboxes of ``vendor`` answering ``latency`` late, served
    by ``SANDBOX_PROCESSES`` processes; what each serves, and the processes' pids."""
    spawn = multiprocessing.get_context("spawn")  # this process may have threads
    shares = [range(accounts)[k::SANDBOX_PROCESSES] for k in range(SANDBOX_PROCESSES)]
    started = []
    try:
        for share in shares:
            ours, theirs = spawn.Pipe()
            proc = spawn.Process(target=_serve, args=(share, size, latency, vendor, theirs))
            proc.start()
            started.append((proc, ours))
        served: list[Served | None] = [None] * accounts
        for share, (_, pipe) in zip(shares, started, strict=True):
            for n, one in zip(share, pipe.recv(), strict=True):
                served[n] = one
        yield [one for one in served if one is not None], [p.pid for p, _ in started if p.pid]
    finally:
        for proc, pipe in started:
            with contextlib.suppress(OSError):
                pipe.send("stop")
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()


def _config(path: Path, served: list[Served], ledger: str, out: str, vendor: str) -> list[str]:
    lines = ["[export]", f'ledger = "{ledger}"', f'out = "{out}"', ""]
    names = []
    for n, (base_url, creds) in enumerate(served):
        names.append(f"a{n}")
        lines += [f"[{vendor}.a{n}]", f'base_url = "{base_url}"']
        lines += [f'{key} = "{value}"' for key, value in creds.items()]
    path.write_text("\n".join(lines) + "\n")
    return names


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", APP_MODULE, "worker", "--pool", "solo",
               "--loglevel", "WARNING", "--without-mingle", "--without-gossip",
               "--without-heartbeat", "-Q", env["BENCH_QUEUE"]]  # fmt: skip
    with open(log, "ab") as handle:
        return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _accounts_per_second(
    workers: int, served: list[Served], sandbox_pids: list[int], vendor: str, folder: Path
) -> tuple[float, dict[str, float]]:
    """(accounts per second, CPU ms per account by part: ``CpuSample``, and under
    ``others`` the CPUs the rest of the machine used) for ``workers`` worker processes,
    from the first task sent to the last result (the workers are up and idle before)."""
    from expense_facade.jobs import TASK_NAME, make_app

    queue = f"bench_{uuid.uuid4().hex[:12]}"
    prefix = f"{queue}:"  # every Redis key of this run, deleted at its end
    with pg_schema() as ledger:
        config = folder / f"config-{workers}.toml"
        names = _config(config, served, ledger, f"{folder / f'out-{workers}'}/", vendor)
        path = os.pathsep.join([str(SCRIPTS), os.environ.get("PYTHONPATH", "")])
        env = dict(os.environ, BENCH_BROKER=REDIS_URL, BENCH_QUEUE=queue,
                   BENCH_KEYPREFIX=prefix, BENCH_CONFIG=str(config), PYTHONPATH=path)  # fmt: skip
        app = make_app(REDIS_URL, config_path=config, queue=queue,
                       transport_options={"global_keyprefix": prefix})  # fmt: skip
        procs = [_worker(env, folder / f"worker-{workers}-{n}.log") for n in range(workers)]
        try:
            deadline = time.monotonic() + 60
            while len(app.control.ping(timeout=0.5) or []) < workers:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{workers} workers did not start in 60 s")
            pids = [proc.pid for proc in procs]
            cpu = CpuSample(pids, sandbox_pids)
            started = time.perf_counter()
            results = [app.send_task(TASK_NAME, args=(vendor, name)) for name in names]
            for result in results:
                summary = result.get(timeout=600)
                if not summary["ok"] or not summary["exported"]:
                    raise RuntimeError(f"an export did not complete: {summary}")
            elapsed = time.perf_counter() - started
            after = CpuSample(pids, sandbox_pids)
            used = after.per_account_ms(cpu, len(names))
            used["others"] = after.others(cpu)  # CPUs, not ms: see workers_rows
        finally:
            for proc in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.wait()
            with contextlib.suppress(Exception):
                app.control.purge()
            app.close()
            _delete_keys(prefix)
    return len(names) / elapsed, used


def _delete_keys(prefix: str) -> None:
    """Delete the Redis keys a run made (its queue, bindings and results): the machine's
    Redis is left as the run found it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def workers_rows(accounts: int, size: int, latency: float) -> list[dict[str, str]]:
    """The accounts-per-second row (see the module docstring)."""
    why = absent(POSTGRES_URL, REDIS_URL)
    name = "workers: accounts/s, 4 vs 1 Celery workers"
    if why is not None:
        return [dict(benchmark=name, result="-", target=">= 3.2x", met="-", figures=why,
                     inputs="-")]  # fmt: skip
    vendor = "revolut"
    with (
        sandboxes(accounts, size, latency, vendor) as (served, sandbox_pids),
        tempfile.TemporaryDirectory(prefix="bench-") as tmp,
    ):
        runs: dict[int, list[tuple[float, dict[str, float]]]] = {1: [], 2: [], 4: []}
        for round_ in range(ROUNDS):  # interleaved: a busy spell of the machine hits all
            folder = Path(tmp) / f"round-{round_}"
            folder.mkdir()
            for k, done in runs.items():
                done.append(_accounts_per_second(k, served, sandbox_pids, vendor, folder))
        rates = {
            k: sorted(done, key=lambda run: run[0])[len(done) // 2] for k, done in runs.items()
        }
    one = rates[1][0]
    figures = ", ".join(f"{k} worker(s) {rate:.2f}/s ({rate / one:.2f}x, ideal {k}x)"
                        for k, (rate, _) in rates.items())  # fmt: skip
    ratio = rates[4][0] / one
    # What 2 cores allow: every part's CPU per account (4 workers) against the CPUs there
    # are, beside the one worker's wall time per account (CPU + waiting for latency).
    used = dict(rates[4][1])
    others = used.pop("others")
    total = sum(used.values())
    cpus = os.cpu_count() or 1
    ceiling = cpus * 1000 / total
    left = max(cpus - others, 0.0) * 1000 / total
    figures += (
        "; CPU per account at 4 workers: "
        + ", ".join(f"{part} {ms:.0f} ms" for part, ms in used.items())
        + f" = {total:.0f} ms, so {cpus} free CPUs would export up to {ceiling:.1f}/s "
        f"({ceiling / one:.2f}x); one worker takes {1000 / one:.0f} ms per account; "
        f"the machine's other processes kept {others:.1f} of its {cpus} CPUs busy "
        f"meanwhile (1 worker: {rates[1][1]['others']:.1f}), which leaves room for at most "
        f"{left:.1f}/s ({left / one:.2f}x)"
    )
    return [
        dict(
            benchmark=name,
            result=f"{ratio:.2f}x",
            target=">= 3.2x",
            met="yes" if ratio >= 3.2 else "no",
            figures=figures,
            inputs=(
                f"{accounts} {vendor} accounts of a loopback sandbox each ({size} expenses), "
                f"+{latency * 1000:.0f} ms per request, served by {SANDBOX_PROCESSES} "
                "processes; Celery solo workers, Redis broker, "
                "PostgreSQL ledger, a JSONL file per account; first task sent to last result; "
                f"median of {ROUNDS} interleaved rounds"
            ),
        )
    ]


# -- ledger units of work per second -------------------------------------------------------------


def _expenses(count: int, start: int) -> list[Any]:
    from expense_facade.records import Expense, ExpenseStatus, Money

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [
        Expense(vendor="brex", id=f"e{start + n}", status=ExpenseStatus.APPROVED,
                raw_status="APPROVED", gross=Money(Decimal("12.30"), "EUR"), updated_at=when)
        for n in range(count)
    ]  # fmt: skip


def _units_per_second(ledger: Any, folder: Path, units: int, batch: int) -> float:
    from expense_facade.export.sinks import format_by_name, open_sink

    with open_sink(folder / "out.jsonl", format_by_name("jsonl")) as sink:
        run = ledger.begin("brex", "bench")
        run.open_sink(sink, new_output=False, reexport=False, vendor_marks=False)
        batches = [_expenses(batch, n * batch) for n in range(units)]
        started = time.perf_counter()
        for expenses in batches:
            run.write(expenses)
        elapsed = time.perf_counter() - started
        run.close()
    return units / elapsed


def ledger_rows(units: int, batch: int) -> list[dict[str, str]]:
    """SQLite and PostgreSQL side by side (see the module docstring)."""
    name = "ledger: units of work/s, PostgreSQL vs SQLite"
    why = absent(POSTGRES_URL)
    if why is not None:
        return [dict(benchmark=name, result="-", target="-", met="-", figures=why, inputs="-")]
    from expense_facade.export.ledger import Ledger
    from expense_facade.export.postgres.store import PostgresStore

    rates: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    for _ in range(3):  # interleaved
        with (
            tempfile.TemporaryDirectory(prefix="bench-") as tmp,
            Ledger(Path(tmp) / "ledger.sqlite3") as ledger,
        ):
            rates["sqlite"].append(_units_per_second(ledger, Path(tmp), units, batch))
        with (
            tempfile.TemporaryDirectory(prefix="bench-") as tmp,
            pg_schema() as url,
            Ledger(store=PostgresStore(url)) as ledger,
        ):
            rates["postgresql"].append(_units_per_second(ledger, Path(tmp), units, batch))
    sqlite = sorted(rates["sqlite"])[1]
    postgres = sorted(rates["postgresql"])[1]
    return [
        dict(
            benchmark=name,
            result=f"{postgres / sqlite:.2f}x",
            target="-",
            met="-",
            figures=f"SQLite {sqlite:,.0f}/s, PostgreSQL {postgres:,.0f}/s (medians of 3)",
            inputs=(
                f"{units} units of {batch} records each (intent, append + fsync to a JSONL "
                "file, written: two durable transactions per unit); SQLite WAL "
                "synchronous=FULL on local disk, PostgreSQL 15 on loopback"
            ),
        )
    ]


__all__ = ["ledger_rows", "workers_rows"]
