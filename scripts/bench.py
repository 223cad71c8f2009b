#!/usr/bin/env python3
"""Benchmarks of the facade against baselines measured beside them: ``make bench``.

Prints ONE table of ratios, each with its inputs and its target. The machine may be shared
and noisy, so every comparison is measured side by side in the same run (interleaved,
several repetitions, medians), and no figure is ever asserted: the table says whether each
target is met, and the exit status only says whether every benchmark could run.

    python scripts/bench.py               # full sizes (a few minutes)
    python scripts/bench.py --quick       # tiny sizes, for the smoke test (seconds)
    python scripts/bench.py --only client --only import

Benchmarks (``--only`` names):

* ``client``: cost per expense of ``list_approved`` through the facade, of the generated
  models' ``from_dict`` per record ("generated-only"), and of a plain loop of ``httpx`` +
  ``json.loads``, all over the same recorded answers served from a dict by an in-process
  transport (recorded once from the sandbox beforehand, so its cost is not in the figure).
  Target: facade <= 3x plain (issue 23).
* ``memory``: peak RSS of a 10,000- and a 200,000-expense export through the real export
  pipeline against the in-process sandbox, each in its own process. Target: growth < 20 MB.
* ``rate``: an export against a sandbox vendor (own process, loopback) that enforces a
  rate limit, with added latency: time against the ideal (requests / allowed rate) and the
  429s the vendor had to answer. Target: within 10 %, zero 429s.
* ``fanout``: ProSpend's claims -> expenses and Pazy's details listings, each by the sync
  client (threads) and the async one (tasks), and ``get_expenses`` for N ids against a
  vendor with added latency, against the ideal for concurrency 8. Target: within 25 %.
* ``async``: client CPU per expense of the async client against the sync one (a served
  vendor, no added latency).
* ``import``: ``import expense_facade`` against ``import httpx`` in fresh interpreters.
  Target: <= 2x.
* ``regen``: regenerating all five clients (``scripts/regenerate.py --check``). Target: < 15 s.
* ``workers`` and ``ledger`` (``bench_scale.py``; PostgreSQL and Redis): accounts per
  second with 1, 2 and 4 Celery workers over loopback sandboxes 50 ms away, as a ratio
  to ideal scaling (target: 4 workers >= 3.2x one); ledger units of work per second on
  SQLite and on PostgreSQL, side by side.
* ``incremental``: per vendor, three exports into one ledger in one process against a
  sandbox of 20,000 expenses (``bench_export.py --incremental``): the first, a second with
  nothing new and a third after 1% were approved; requests and time of each. Targets,
  nothing new: Capture 1 request, Brex <= 2, ProSpend <= 3, Pazy and Revolut <= their list
  pages with no per-record request; 1% new: no more than the nothing-new figure plus the
  new records' per-record requests (Pazy details, ProSpend claim expenses and splits,
  Capture marks) and the list pages that carry them.

Untimed preparation (recording the answers, the memory exports) runs first, on up to
``--jobs`` processes at once; the timed benchmarks then run one at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
from bench_loopback import check_package, checkout_env
from bench_loopback import measure as measure_loopback
from bench_vendor import served_vendor
from expense_facade.registry import normalise_vendor

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
PYTHON = sys.executable
SECTIONS = (
    "loopback", "client", "memory", "rate", "fanout", "async", "import", "regen",
    "incremental", "workers", "ledger",
)  # fmt: skip
SERVICE_SECTIONS = ("workers", "ledger")
"""Need PostgreSQL and Redis (bench_scale.py): in a full run, not in ``--quick`` unless
named with ``--only``."""


# -- sizes --------------------------------------------------------------------------------------


@attrs.frozen
class Sizes:
    """Every input size of one run (``FULL`` or ``QUICK``)."""

    loopback_expenses: int  # sandbox expenses per vendor for the loopback client cost
    loopback_reps: int  # interleaved repetitions of each loopback row (a process each)
    client_expenses: int  # sandbox expenses per vendor for the client-cost benchmark
    client_detail_expenses: int  # for Pazy read through its details (a request per record)
    reps: int  # interleaved repetitions of each timed comparison
    memory_exports: tuple[int, int]  # expenses exported: small, large
    memory_vendor: str
    rate_limit: tuple[int, float]  # (requests, seconds) enforced by the vendor and paced to
    rate_pages: int  # approximate pages of the rate-limited export
    rate_latency: float
    fanout_expenses: int  # ProSpend sandbox size
    fanout_ids: int  # ids for get_expenses
    fanout_pazy_expenses: int  # Pazy sandbox size (listing read through the details)
    fanout_latency: float
    concurrency: int
    workers_accounts: int  # accounts exported per measurement (1, 2 and 4 workers)
    workers_expenses: int  # sandbox expenses of each
    workers_latency: float
    ledger_units: tuple[int, int]  # units of work, records per unit
    import_runs: int
    regen_args: tuple[str, ...]
    incremental_expenses: int  # sandbox expenses per vendor for the incremental rows


FULL = Sizes(
    loopback_expenses=20_000,
    loopback_reps=3,
    client_expenses=100_000,
    client_detail_expenses=5_000,
    reps=3,
    memory_exports=(10_000, 200_000),
    memory_vendor="revolut",  # the cheapest simulated vendor per record: fits the time budget
    rate_limit=(8, 1.0),  # Brex's shape (N per window, bursts of N), at a rate the simulated
    rate_pages=40,  # vendor itself sustains on a busy 2-core machine (16.7/s it does not)
    rate_latency=0.01,
    fanout_expenses=1_500,
    fanout_ids=200,
    fanout_pazy_expenses=500,
    fanout_latency=0.05,
    concurrency=8,
    workers_accounts=24,
    workers_expenses=40,
    workers_latency=0.05,
    ledger_units=(200, 50),
    import_runs=9,
    regen_args=("--check",),
    incremental_expenses=20_000,
)

QUICK = Sizes(
    loopback_expenses=300,
    loopback_reps=1,
    client_expenses=600,
    client_detail_expenses=150,
    reps=3,
    memory_exports=(200, 1_000),
    memory_vendor="revolut",
    rate_limit=(10, 0.5),
    rate_pages=4,
    rate_latency=0.005,
    fanout_expenses=120,
    fanout_ids=24,
    fanout_pazy_expenses=60,
    fanout_latency=0.02,
    concurrency=8,
    workers_accounts=4,
    workers_expenses=10,
    workers_latency=0.05,
    ledger_units=(20, 10),
    import_runs=3,
    regen_args=("--check", "--vendor", "pazy"),
    incremental_expenses=300,
)


# -- the table ----------------------------------------------------------------------------------


@attrs.frozen
class Row:
    """One line of the table."""

    benchmark: str
    result: str  # the compared figure, e.g. "4.2x"
    target: str
    met: str  # "yes", "no", "-" (no target) or "error"
    figures: str  # the measured values behind the result
    inputs: str


def render(rows: Sequence[Row]) -> str:
    """The table, as Markdown (pastes into docs/benchmarks.md as it is)."""
    header = ("benchmark", "result", "target", "met", "figures", "inputs")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for row in rows:
        cells = (row.benchmark, row.result, row.target, row.met, row.figures, row.inputs)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def met(ok: bool) -> str:
    return "yes" if ok else "no"


def say(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


# -- children -----------------------------------------------------------------------------------


def run_child(
    args: Sequence[str], *, timeout: float = 900, env: dict[str, str] | None = None
) -> Any:
    """Run ``python <args>`` (in ``env``) and return the JSON of its last stdout line."""
    done = subprocess.run(
        [PYTHON, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False,
        env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_record(vendor: str, size: int, options: dict[str, Any], out: str) -> None:
    """(Child) record ``vendor``'s listing and pickle it to ``out``."""
    import bench_canned

    recording = bench_canned.record(vendor, size, **options)
    with open(out, "wb") as file:
        pickle.dump(recording, file, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"listed": recording.listed, "requests": recording.requests}))


def child_client(path: str, reps: int, only: Sequence[str] = ()) -> None:
    """(Child) time facade, generated-only and plain (or the ``only`` ones) over a
    recording, interleaved."""
    import gc

    import bench_canned
    import expense_facade

    with open(path, "rb") as file:
        recording: bench_canned.Recording = pickle.load(file)  # noqa: S301 - our own file
    contenders: dict[str, Callable[[bench_canned.Recording], int]] = {
        "facade": bench_canned.run_facade,
        "generated": bench_canned.run_generated,
        "plain": bench_canned.run_plain,
    }
    if bench_canned.generated_records(recording.vendor) is None:
        del contenders["generated"]  # a vendor added by a plug-in: no known generated models
    if only:
        contenders = {name: run for name, run in contenders.items() if name in only}
    if recording.listed < 5_000:  # tiny runs: keep first-call imports out of the figures
        for run in contenders.values():
            run(recording)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for rep in range(reps):
        # Rotate the order each repetition, so no contender always runs first or last.
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            gc.collect()
            started = time.perf_counter()
            count = contenders[name](recording)
            times[name].append(time.perf_counter() - started)
            if name == "facade" and count != recording.listed:
                raise RuntimeError(f"facade listed {count}, recorded {recording.listed}")
    print(
        json.dumps(
            {
                "listed": recording.listed,
                "requests": recording.requests,
                "body_bytes": recording.body_bytes,
                "package": str(Path(expense_facade.__path__[0]).resolve()),
                **times,
            }
        )
    )


# -- client cost --------------------------------------------------------------------------------


@attrs.frozen
class Variant:
    label: str
    vendor: str
    size: int
    options: dict[str, Any] = attrs.field(factory=dict)


def client_variants(sizes: Sizes) -> list[Variant]:
    """One variant per registered vendor; Pazy read both ways (summaries, details)."""
    from expense_facade.registry import available_vendors

    n = sizes.client_expenses
    two_ways = [
        Variant("pazy (list summaries)", "pazy", n, {"details": False}),
        Variant("pazy (with details)", "pazy", sizes.client_detail_expenses),
    ]
    special = {variant.vendor for variant in two_ways}
    return [*(Variant(v, v, n) for v in available_vendors() if v not in special), *two_ways]


def record_task(variant: Variant, folder: str) -> Callable[[], Any]:
    out = os.path.join(folder, f"{variant.vendor}-{len(variant.options)}-{variant.size}.pickle")
    args = [
        str(SCRIPTS / "bench.py"),
        "--child",
        "record",
        "--vendor",
        variant.vendor,
        "--size",
        str(variant.size),
        "--options",
        json.dumps(variant.options),
        "--out",
        out,
    ]
    return lambda: (run_child(args), out)


def client_rows(variant: Variant, recorded: Any, sizes: Sizes) -> Row:
    _, path = recorded
    data = run_child([str(SCRIPTS / "bench.py"), "--child", "client", "--out", path,
                      "--reps", str(sizes.reps)])  # fmt: skip
    listed = data["listed"]
    per = {k: median(data[k]) / listed * 1e6 for k in ("facade", "generated", "plain") if k in data}
    generated = f"{per['generated']:.1f} µs" if "generated" in per else "n/a"
    paired = [f / p for f, p in zip(data["facade"], data["plain"], strict=True)]
    ratio = median(paired)
    details = (
        " (a detail request per expense)"
        if variant.vendor == "pazy" and not (variant.options)
        else ""
    )
    return Row(
        benchmark=f"client cost: {variant.label}",
        result=f"{ratio:.1f}x",
        target="facade <= 3x plain",
        met=met(ratio <= 3.0),
        figures=(
            f"per expense: facade {per['facade']:.1f} µs, generated-only {generated}, "
            f"plain {per['plain']:.1f} µs (medians)"
        ),
        inputs=(
            f"sandbox of {variant.size:,} expenses, {listed:,} approved listed in "
            f"{data['requests']:,} requests{details} ({data['body_bytes'] / 1e6:.1f} MB "
            f"recorded once, replayed from a dict in-process); {sizes.reps} interleaved "
            "reps, ratio = median of per-rep facade/plain"
        ),
    )


# -- loopback client cost ---------------------------------------------------------------------


LOOPBACK_TARGET = 1.5  # client CPU, facade / plain
LOOPBACK_RSS_TARGET = 15.0  # MB of peak RSS above the plain loop's


def loopback_variants(sizes: Sizes) -> list[Variant]:
    """The client-cost variants read at full size (Pazy's details, a request per record,
    left out), each over a sandbox of ``loopback_expenses``."""
    full = sizes.client_expenses
    return [
        attrs.evolve(variant, size=sizes.loopback_expenses)
        for variant in client_variants(sizes)
        if variant.size == full
    ]


def loopback_figures(
    variant: Variant, sizes: Sizes, folder: str, checkouts: dict[str, Path | None]
) -> dict[str, Any]:
    return measure_loopback(
        variant.vendor, variant.size, sizes.loopback_reps, variant.options, Path(folder), checkouts
    )


def loopback_row(variant: Variant, data: dict[str, Any], sizes: Sizes) -> Row:
    listed = data["listed"]
    facade, plain = data["facade"], data["plain"]
    ratio = median([f["cpu"] / p["cpu"] for f, p in zip(facade, plain, strict=True)])
    rss = {name: median([run["peak_rss_mb"] for run in data[name]]) for name in ("facade", "plain")}
    extra = rss["facade"] - rss["plain"]
    cpu = {name: median([run["cpu"] for run in data[name]]) / listed * 1e6 for name in rss}
    wall = {name: median([run["wall"] for run in data[name]]) for name in rss}
    return Row(
        benchmark=f"loopback client CPU: {variant.label}",
        result=f"{ratio:.2f}x, {extra:+.1f} MB",
        target=f"facade <= {LOOPBACK_TARGET}x plain CPU, peak RSS <= plain + "
        f"{LOOPBACK_RSS_TARGET:g} MB",
        met=met(ratio <= LOOPBACK_TARGET and extra <= LOOPBACK_RSS_TARGET),
        figures=(
            f"client CPU per expense: facade {cpu['facade']:.1f} µs, plain {cpu['plain']:.1f} "
            f"µs; peak RSS facade {rss['facade']:.1f} MB, plain {rss['plain']:.1f} MB; wall "
            f"facade {wall['facade']:.1f} s, plain {wall['plain']:.1f} s (medians)"
        ),
        inputs=(
            f"sandbox of {variant.size:,} expenses served from its own process (loopback), "
            f"{listed:,} approved listed in {data['requests']:,} requests; each run a fresh "
            f"client process (CPU of the listing, imports excluded); {sizes.loopback_reps} "
            "interleaved reps, ratio = median of per-rep facade/plain"
        ),
    )


# -- memory -------------------------------------------------------------------------------------


def sandbox_size_for(vendor: str, exported: int) -> int:
    """The sandbox size whose approved expenses number about ``exported``."""
    from expense_facade.sandbox import Sandbox

    probe = 20_000
    sim = Sandbox(seed=1, size=probe, vendors=(vendor,)).vendor(vendor)
    approved = sum(1 for _ in sim.approved_ids())
    return max(1, math.ceil(exported * probe / max(1, approved)))


def memory_task(vendor: str, size: int) -> Callable[[], Any]:
    args = [str(SCRIPTS / "bench_export.py"), "--vendor", vendor, "--size", str(size)]
    return lambda: run_child(args, timeout=1200)


def memory_row(sizes: Sizes, small: Any, large: Any) -> Row:
    growth = large["peak_rss_mb"] - small["peak_rss_mb"]
    return Row(
        benchmark=f"memory: export growth ({sizes.memory_vendor})",
        result=f"{growth:+.1f} MB",
        target="< 20 MB",
        met=met(growth < 20.0),
        figures=(
            f"peak RSS {small['peak_rss_mb']:.1f} MB ({small['exported']:,} exported) -> "
            f"{large['peak_rss_mb']:.1f} MB ({large['exported']:,} exported, "
            f"{large['bytes_written'] / 1e6:.0f} MB written, {large['seconds']:.0f} s)"
        ),
        inputs=(
            f"sandbox of {small['size']:,} / {large['size']:,} expenses; real pipeline "
            "(connect + Ledger + JSONL sink + export_vendor), in-process sandbox, each size "
            "in a fresh process; sandbox request log cleared per page (max "
            f"{large['request_log_peak']} entries held)"
        ),
    )


# -- incremental -------------------------------------------------------------------------------


NOTHING_NEW_LIMIT = {"capture": 1, "brex": 2, "prospend": 3}
"""Requests a second export with nothing new may send; Pazy and Revolut: their list pages."""


def incremental_vendors() -> tuple[str, ...]:
    """Every registered vendor."""
    from expense_facade.registry import available_vendors

    return available_vendors()


def incremental_task(vendor: str, size: int) -> Callable[[], Any]:
    args = [str(SCRIPTS / "bench_export.py"), "--vendor", vendor, "--size", str(size)]
    return lambda: run_child([*args, "--incremental"], timeout=1800)


def incremental_row(vendor: str, figures: Any) -> Row:
    first, idle, busy = figures["first"], figures["nothing_new"], figures["one_percent"]
    idle_limit = NOTHING_NEW_LIMIT.get(vendor, first["list"])
    idle_ok = idle["requests"] <= idle_limit and (vendor == "capture" or not idle["per_record"])
    from expense_facade.registry import adapter_class

    carry = math.ceil(busy["new"] / adapter_class(vendor).max_page_size)
    busy_limit = idle["requests"] + busy["new_per_record"] + carry
    busy_ok = busy["requests"] <= busy_limit and busy["per_record"] <= busy["new_per_record"]
    return Row(
        benchmark=f"incremental: {vendor}",
        result=f"{idle['requests']} / {busy['requests']} req",
        target=(
            f"nothing new <= {idle_limit} req"
            + (" (its list pages, no per-record)" if vendor in ("pazy", "revolut") else "")
            + f"; 1% new <= {busy_limit} ({idle['requests']} + {busy['new_per_record']} "
            f"per-record + {carry} list page(s) carrying {busy['new']} new)"
        ),
        met=met(idle_ok and busy_ok and first["ok"] and idle["ok"] and busy["ok"]),
        figures=(
            f"first {first['requests']:,} req ({first['list']:,} list + "
            f"{first['per_record']:,} per-record), {first['exported']:,} exported, "
            f"{first['seconds']:.2f} s; nothing new {idle['requests']} req "
            f"({idle['mode']}), {idle['seconds']:.2f} s; 1% new {busy['requests']} req "
            f"({busy['list']} list + {busy['per_record']} per-record), "
            f"{busy['exported']} exported, {busy['seconds']:.2f} s"
        ),
        inputs=(
            f"sandbox of {figures['size']:,} expenses; three exports, one ledger, one "
            "process (connect + Ledger + JSONL sink + export_vendor, concurrency 8); 1% "
            "approved through sandbox hooks before the third"
        ),
    )


def export_once(client: Any) -> tuple[float, Any]:
    """Export everything ``client`` lists through the real pipeline; (seconds, summary)."""
    from expense_facade.export.ledger import Ledger
    from expense_facade.export.pipeline import ExportOptions, export_vendor
    from expense_facade.export.sinks import format_by_name, open_sink

    with (
        tempfile.TemporaryDirectory(prefix="bench-rate-") as folder,
        Ledger(Path(folder) / "ledger.sqlite3") as ledger,
        open_sink(f"{folder}/", format_by_name("jsonl"), vendor=client.vendor) as sink,
    ):
        started = time.perf_counter()
        summary = export_vendor(client, sink, ledger, ExportOptions())
        return time.perf_counter() - started, summary


def rate_rows(sizes: Sizes) -> list[Row]:
    import expense_facade as ef
    from expense_facade._http.session import RateLimit

    vendor = "brex"
    count, window = sizes.rate_limit
    rate = count / window
    size = sandbox_size_for(vendor, sizes.rate_pages * 100 - 50)
    limit_arg = f"{count}/{window}"
    extra = ("--limit", limit_arg, "--latency", str(sizes.rate_latency))
    inputs = (
        f"{vendor} served from its own process (loopback), sandbox of {size:,} expenses, "
        f"pages of 100 (the maximum); vendor enforces {count} requests per {window:g} s "
        f"(token bucket, burst {count}) = {rate:.1f}/s: Brex's published shape (1,000 per "
        "60 s) at a rate the simulated vendor sustains here, both sides alike; client paces "
        f"to RateLimit({count}, {window:g}) and reads one page ahead (read_ahead=1); "
        f"+{sizes.rate_latency * 1000:.0f} ms latency per request; real pipeline (JSONL "
        "sink + ledger, fsync per page)"
    )
    rows: list[Row] = []
    with served_vendor(vendor, size, *extra) as served:
        paced = RateLimit(count, window)
        client = ef.connect(normalise_vendor(vendor), base_url=served.base_url,
                            rate_limit=paced, read_ahead=1, **served.credentials)  # fmt: skip
        with client:
            elapsed, summary = export_once(client)
    requests = served.stats["requests"]
    refused = served.stats["rate_limited"]
    ideal = requests / rate
    ratio = elapsed / ideal
    rows.append(
        Row(
            benchmark="rate-limited export (paced)",
            result=f"{ratio:.2f}x ideal, {refused} x 429",
            target="<= 1.10x ideal, 0 x 429",
            met=met(ratio <= 1.10 and refused == 0 and summary.ok),
            figures=(
                f"{elapsed:.2f} s for {requests} requests ({summary.exported:,} exported); "
                f"ideal {requests} / {rate:.1f} per s = {ideal:.2f} s"
            ),
            inputs=inputs,
        )
    )
    if sizes is FULL:
        # The same export without pacing, for contrast: what the vendor has to refuse.
        with served_vendor(vendor, size, *extra) as served:
            client = ef.connect(normalise_vendor(vendor), base_url=served.base_url,
                                rate_limit=False, read_ahead=1,
                                **served.credentials)  # fmt: skip
            with client:
                elapsed, summary = export_once(client)
        stopped = "; stopped: " + summary.errors[0].reason[:80] if summary.errors else ""
        rows.append(
            Row(
                benchmark="rate-limited export (no pacing, contrast)",
                result=f"{served.stats['rate_limited']} x 429",
                target="-",
                met="-",
                figures=(
                    f"{elapsed:.2f} s, {served.stats['requests']} requests, "
                    f"{summary.exported:,} exported{stopped}"
                ),
                inputs="as above, connect(rate_limit=False); 429s retried by the retry policy",
            )
        )
    return rows


def fanout_rows(sizes: Sizes) -> list[Row]:
    import expense_facade as ef
    from expense_facade.sandbox import Sandbox

    latency, concurrency = sizes.fanout_latency, sizes.concurrency
    rows: list[Row] = []
    client: ef.ExpenseClient  # one vendor's after another's

    for driver in ("sync", "async"):
        rows.extend(_fanout_listing_rows(sizes, driver))

    # get_expenses: N detail reads, up to 8 at once.
    size = 2_000
    truth = Sandbox(seed=1, size=size, vendors=("brex",)).vendor("brex")
    ids = [str(i) for _, i in zip(range(sizes.fanout_ids), truth.approved_ids(), strict=False)]
    extra = ("--latency", str(latency), "--latency-route", "GET /v1/expenses/{expense_id}")
    with served_vendor("brex", size, *extra) as served:
        client = ef.connect("brex", base_url=served.base_url, rate_limit=False,
                            **served.credentials)  # fmt: skip
        with client:
            started = time.perf_counter()
            got = [e.id for e in client.get_expenses(ids, concurrency=concurrency)]
            elapsed = time.perf_counter() - started
    if got != ids:
        raise RuntimeError("get_expenses returned other ids or another order")
    ideal = latency * math.ceil(len(ids) / concurrency)
    ratio = elapsed / ideal
    rows.append(
        Row(
            benchmark="fan-out: get_expenses (brex details)",
            result=f"{ratio:.2f}x ideal",
            target="<= 1.25x ideal",
            met=met(ratio <= 1.25),
            figures=(
                f"{elapsed:.2f} s for {len(ids)} ids (order kept); ideal "
                f"{latency * 1000:.0f} ms x ceil({len(ids)}/{concurrency}) = {ideal:.2f} s; one "
                f"at a time >= {latency * len(ids):.1f} s"
            ),
            inputs=(
                f"brex served from its own process (loopback), +{latency * 1000:.0f} ms per "
                f"detail request, get_expenses(ids, concurrency={concurrency})"
            ),
        )
    )
    return rows


def _listed_through(
    driver: str, vendor: str, served: Any, concurrency: int, *, by_page: bool = False
) -> tuple[float, float, list[int]]:
    """List ``vendor`` from ``served`` with the sync or the async client at
    ``concurrency``: (wall seconds, client CPU seconds, records per page)."""
    import asyncio

    import expense_facade as ef
    from expense_facade.registry import normalise_vendor

    options = {"base_url": served.base_url, "concurrency": concurrency, **served.credentials}
    if driver == "sync":
        with ef.connect(normalise_vendor(vendor), **options) as client:
            wall, cpu = time.perf_counter(), time.process_time()
            pages = [len(page.expenses) for page in client.list_approved().pages()]
            return time.perf_counter() - wall, time.process_time() - cpu, pages

    async def listed() -> tuple[float, float, list[int]]:
        async with ef.aconnect(normalise_vendor(vendor), **options) as client:
            wall, cpu = time.perf_counter(), time.process_time()
            pages = [len(page.expenses) async for page in client.list_approved().pages()]
            return time.perf_counter() - wall, time.process_time() - cpu, pages

    return asyncio.run(listed())


def _fanout_listing_rows(sizes: Sizes, driver: str) -> list[Row]:
    """ProSpend's claims -> expenses and Pazy's details, fanned out by the ``driver``
    client (threads for sync, tasks for async), against the ideal at ``concurrency``."""
    latency, concurrency = sizes.fanout_latency, sizes.concurrency
    how = "threads" if driver == "sync" else "asyncio tasks, aconnect"
    rows: list[Row] = []
    # ProSpend: claims (sequential pages) -> each claim's expenses (and splits), fanned out.
    with served_vendor("prospend", sizes.fanout_expenses, "--latency", str(latency)) as served:
        elapsed, _, pages = _listed_through(driver, "prospend", served, concurrency)
    routes: dict[str, int] = served.stats["routes"]
    claim_pages = sum(n for route, n in routes.items() if route.endswith("/claim"))
    fanned = served.stats["requests"] - claim_pages
    ideal = latency * (claim_pages + math.ceil(fanned / concurrency))
    ratio = elapsed / ideal
    rows.append(
        Row(
            benchmark=f"fan-out: prospend claims -> expenses ({driver})",
            result=f"{ratio:.2f}x ideal",
            target="<= 1.25x ideal",
            met=met(ratio <= 1.25),
            figures=(
                f"{elapsed:.2f} s for {sum(pages):,} expenses, {claim_pages} claim pages + "
                f"{fanned} expense/split requests; ideal {latency * 1000:.0f} ms x "
                f"({claim_pages} + ceil({fanned}/{concurrency})) = {ideal:.2f} s; one at a "
                f"time >= {latency * (claim_pages + fanned):.1f} s"
            ),
            inputs=(
                f"sandbox of {sizes.fanout_expenses:,} expenses served from its own process "
                f"(loopback), +{latency * 1000:.0f} ms per request, concurrency "
                f"{concurrency} ({how})"
            ),
        )
    )

    # Pazy: each list page (100 summaries) read through the details, fanned out.
    with served_vendor("pazy", sizes.fanout_pazy_expenses, "--latency", str(latency)) as served:
        elapsed, _, pages = _listed_through(driver, "pazy", served, concurrency)
    routes = served.stats["routes"]
    list_pages = sum(n for route, n in routes.items() if route.endswith("/expenses"))
    details = served.stats["requests"] - list_pages
    ideal = latency * (list_pages + sum(math.ceil(n / concurrency) for n in pages))
    ratio = elapsed / ideal
    rows.append(
        Row(
            benchmark=f"fan-out: pazy listing with details ({driver})",
            result=f"{ratio:.2f}x ideal",
            target="<= 1.25x ideal",
            met=met(ratio <= 1.25),
            figures=(
                f"{elapsed:.2f} s for {sum(pages):,} expenses: {list_pages} list pages + "
                f"{details} detail requests; ideal {latency * 1000:.0f} ms x ({list_pages} + "
                f"sum of ceil(page/{concurrency})) = {ideal:.2f} s; one at a time >= "
                f"{latency * (list_pages + details):.1f} s"
            ),
            inputs=(
                f"sandbox of {sizes.fanout_pazy_expenses:,} expenses served from its own "
                f"process (loopback), +{latency * 1000:.0f} ms per request, concurrency "
                f"{concurrency} ({how}); details of one page fanned out, pages in turn"
            ),
        )
    )
    return rows


def async_cpu_rows(sizes: Sizes) -> list[Row]:
    """Client CPU per expense of the async client against the sync one: each lists the
    same served vendor (no added latency, concurrency 1), CPU of this process only."""
    rows: list[Row] = []
    for vendor in ("brex", "pazy"):
        cpu: dict[str, float] = {}
        count = 0
        with served_vendor(vendor, sizes.fanout_pazy_expenses * 2) as served:
            for driver in ("sync", "async", "sync", "async"):  # alternated, best of two
                _, spent, pages = _listed_through(driver, vendor, served, 1)
                count = sum(pages)
                cpu[driver] = min(cpu.get(driver, spent), spent)
        per = {driver: cpu[driver] / max(count, 1) * 1e6 for driver in cpu}
        ratio = per["async"] / per["sync"]
        rows.append(
            Row(
                benchmark=f"client CPU per expense, async vs sync ({vendor})",
                result=f"{ratio:.2f}x",
                target="<= 1.5x",
                met=met(ratio <= 1.5),
                figures=(
                    f"sync {per['sync']:.0f} us, async {per['async']:.0f} us per expense "
                    f"({count:,} expenses, best of two alternated runs each)"
                ),
                inputs=(
                    f"{vendor} sandbox served from its own process (loopback), listing "
                    "with concurrency 1, process CPU time of the client"
                ),
            )
        )
    return rows


# -- import time and regeneration -----------------------------------------------------------------

IMPORT_PROBES = {
    "httpx": "import httpx",
    "expense_facade": "import expense_facade",
    "first use": "from expense_facade import Expense, ExpenseClient",
}
"""What each fresh interpreter times: the bare import, and the import plus the names that
load the whole client core (records, client, HTTP session: httpx and attrs; no adapter),
what any real use ends up importing."""

IMPORT_PROBE = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def import_rows(sizes: Sizes) -> list[Row]:
    times: dict[str, list[float]] = {name: [] for name in IMPORT_PROBES}
    names = list(times)
    for run in range(sizes.import_runs):
        for name in names[run % 3 :] + names[: run % 3]:  # rotated: no fixed order
            done = subprocess.run(
                [PYTHON, "-c", IMPORT_PROBE.format(statement=IMPORT_PROBES[name])],
                capture_output=True, text=True, check=True, cwd=REPO,
            )  # fmt: skip
            times[name].append(float(done.stdout.strip()))
    httpx_ = median(times["httpx"])
    inputs = (
        f"{sizes.import_runs} fresh interpreters each, interleaved; the statement timed "
        "inside the interpreter (startup excluded)"
    )
    rows = []
    for name, label, note in (
        ("expense_facade", "import expense_facade vs import httpx", "names load on first use"),
        ("first use", "first use (from expense_facade import ExpenseClient) vs import httpx",
         "client core + httpx + attrs; no adapter, no generated client"),
    ):  # fmt: skip
        facade = median(times[name])
        ratio = facade / httpx_
        rows.append(
            Row(
                benchmark=label,
                result=f"{ratio:.2f}x",
                target="<= 2x",
                met=met(ratio <= 2.0),
                figures=f"{facade * 1000:.0f} ms vs {httpx_ * 1000:.0f} ms (medians); {note}",
                inputs=inputs,
            )
        )
    return rows


def regen_row(sizes: Sizes) -> Row:
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, str(SCRIPTS / "regenerate.py"), *sizes.regen_args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    lines = (done.stdout + done.stderr).strip().splitlines()
    said = lines[-1].strip() if lines else "(no output)"
    state = f"exit {done.returncode}: {said}"
    scope = "all five clients" if "--vendor" not in sizes.regen_args else "one client (pazy)"
    return Row(
        benchmark="regenerate clients",
        result=f"{elapsed:.1f} s",
        target="< 15 s",
        met=met(elapsed < 15.0) if done.returncode in (0, 1) else "error",
        figures=state,
        inputs=(
            f"scripts/regenerate.py {' '.join(sizes.regen_args)}: {scope}, prepare + validate "
            "+ generate into a temp dir + compare"
        ),
    )


# -- compare two checkouts ---------------------------------------------------------------------


@contextlib.contextmanager
def checkout_of(rev: str) -> Iterator[Path]:
    """A temporary ``git worktree`` of ``rev`` (detached), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    tree = folder / "checkout"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), rev],
                   cwd=REPO, check=True, capture_output=True, text=True)  # fmt: skip
    try:
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)],
                       cwd=REPO, check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@attrs.frozen
class Change:
    """One client row measured for both checkouts: facade/plain per run of each."""

    row: str
    before: list[float]  # REV
    after: list[float]  # this checkout

    def line(self) -> str:
        was, now = median(self.before), median(self.after)
        return f"| {self.row} | {was:.2f}x | {now:.2f}x | {(now / was - 1) * 100:+.0f}% |"


def compare(rev: str, sizes: Sizes, jobs: int, only: Sequence[str]) -> list[Change]:
    """The client rows (loopback and canned, as far as ``only`` names them) of ``rev`` and
    of this checkout, in alternating runs: each row's facade/plain ratios, per checkout."""
    changes: list[Change] = []
    with checkout_of(rev) as other, tempfile.TemporaryDirectory(prefix="bench-") as folder:
        checkouts: dict[str, Path | None] = {"before": other, "after": None}
        for variant in loopback_variants(sizes) if "loopback" in only else []:
            data = loopback_figures(variant, sizes, folder, checkouts)
            ratios = {
                name: [f["cpu"] / p["cpu"] for f, p in zip(data[name], data["plain"], strict=True)]
                for name in checkouts
            }
            changes.append(Change(f"loopback: {variant.label}", ratios["before"], ratios["after"]))
            say(changes[-1].line())
        variants = client_variants(sizes) if "client" in only else []
        with ThreadPoolExecutor(max_workers=jobs) as pool:  # untimed: recorded once, here
            recorded = list(pool.map(lambda v: record_task(v, folder)(), variants))
        for variant, (_, path) in zip(variants, recorded, strict=True):
            ratios = {name: [] for name in checkouts}
            for rep in range(sizes.reps):
                order = list(checkouts) if rep % 2 == 0 else list(reversed(checkouts))
                for name in order:
                    args = [str(SCRIPTS / "bench.py"), "--child", "client", "--out", path,
                            "--reps", "1", "--contenders", "facade,plain"]  # fmt: skip
                    data = run_child(args, env=checkout_env(checkouts[name]))
                    check_package(data["package"], checkouts[name])
                    ratios[name].append(data["facade"][0] / data["plain"][0])
            changes.append(Change(f"canned: {variant.label}", ratios["before"], ratios["after"]))
            say(changes[-1].line())
    return changes


def render_changes(rev: str, changes: Sequence[Change], sizes: Sizes) -> str:
    lines = [
        f"| client row | {rev} (facade/plain) | this checkout | change |",
        "|---|---|---|---|",
        *(change.line() for change in changes),
    ]
    return "\n".join(lines) + (
        f"\n\nmedians of alternating runs per checkout (loopback: {sizes.loopback_reps} each, "
        f"client CPU; canned: {sizes.reps} each, time); a negative change is faster"
    )


# -- driver --------------------------------------------------------------------------------------


def scale_rows(name: str) -> Callable[[Sizes], list[Row]]:
    """The rows of ``bench_scale.py``'s ``workers`` or ``ledger`` benchmark."""

    def rows(sizes: Sizes) -> list[Row]:
        import bench_scale

        if name == "workers":
            made = bench_scale.workers_rows(
                sizes.workers_accounts, sizes.workers_expenses, sizes.workers_latency
            )
        else:
            made = bench_scale.ledger_rows(*sizes.ledger_units)
        return [Row(**row) for row in made]

    return rows


def error_row(name: str, exc: BaseException) -> Row:
    message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return Row(name, "error", "-", "error", f"{type(exc).__name__}: {message[:200]}", "-")


def run(sizes: Sizes, only: Sequence[str], jobs: int) -> list[Row]:
    """Every benchmark in ``only``; a benchmark that fails is an ``error`` row."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        # Untimed preparation, on `jobs` processes at once, all finished before anything
        # is timed (a preparation still running would slow the timed benchmarks down).
        started = time.perf_counter()
        tasks: dict[str, Callable[[], Any]] = {}
        variants = client_variants(sizes) if "client" in only else []
        if "memory" in only:
            vendor = sizes.memory_vendor
            for n, exported in enumerate(sizes.memory_exports):
                tasks[f"memory{n}"] = memory_task(vendor, sandbox_size_for(vendor, exported))
        for variant in variants:
            tasks[variant.label] = record_task(variant, folder)
        if "incremental" in only:
            for vendor in incremental_vendors():
                tasks[f"incremental-{vendor}"] = incremental_task(
                    vendor, sizes.incremental_expenses
                )
        say(f"preparing {len(tasks)} recordings/exports on {jobs} process(es)")
        prepared: dict[str, Any] = {}
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {name: pool.submit(task) for name, task in tasks.items()}
            for name, future in futures.items():
                try:
                    prepared[name] = future.result()
                except Exception as exc:  # reported in its row; the others go on
                    prepared[name] = exc
        say(f"prepared in {time.perf_counter() - started:.0f} s")

        def ready(name: str) -> Any:
            value = prepared[name]
            if isinstance(value, Exception):
                raise value
            return value

        if "loopback" in only:  # first: the headline rows
            for variant in loopback_variants(sizes):
                started = time.perf_counter()
                name = f"loopback client CPU: {variant.label}"
                try:
                    data = loopback_figures(variant, sizes, folder, {"facade": None})
                    rows.append(loopback_row(variant, data, sizes))
                except Exception as exc:
                    rows.append(error_row(name, exc))
                say(f"{name} ({time.perf_counter() - started:.0f} s)")
        for variant in variants:
            started = time.perf_counter()
            try:
                rows.append(client_rows(variant, ready(variant.label), sizes))
            except Exception as exc:  # a broken benchmark must not hide the others
                rows.append(error_row(f"client cost: {variant.label}", exc))
            say(f"client cost: {variant.label} ({time.perf_counter() - started:.0f} s)")
        if "memory" in only:
            try:
                rows.append(memory_row(sizes, ready("memory0"), ready("memory1")))
            except Exception as exc:
                rows.append(error_row("memory: export growth", exc))
        if "incremental" in only:
            for vendor in incremental_vendors():
                try:
                    rows.append(incremental_row(vendor, ready(f"incremental-{vendor}")))
                except Exception as exc:
                    rows.append(error_row(f"incremental: {vendor}", exc))
    timed: list[tuple[str, Callable[[Sizes], list[Row]]]] = [
        ("workers", scale_rows("workers")),
        ("ledger", scale_rows("ledger")),
        ("rate", rate_rows),
        ("fanout", fanout_rows),
        ("async", async_cpu_rows),
        ("import", import_rows),
        ("regen", lambda s: [regen_row(s)]),
    ]
    for name, bench in timed:
        if name not in only:
            continue
        started = time.perf_counter()
        try:
            rows.extend(bench(sizes))
        except Exception as exc:
            rows.append(error_row(name, exc))
        say(f"{name} ({time.perf_counter() - started:.0f} s)")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print the table; exit 1 if any benchmark could not run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="repeatable")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes for the untimed preparation (default 2)")  # fmt: skip
    parser.add_argument("--child", choices=("record", "client"), help=argparse.SUPPRESS)
    parser.add_argument("--vendor", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--contenders", default="", help=argparse.SUPPRESS)
    parser.add_argument("--compare", metavar="REV",
                        help="compare the client rows (--only loopback / client) of REV and "
                        "of this checkout")  # fmt: skip
    args = parser.parse_args(argv)
    if args.child == "record":
        child_record(args.vendor, args.size, json.loads(args.options), args.out)
        return 0
    if args.child == "client":
        child_client(args.out, args.reps, [c for c in args.contenders.split(",") if c])
        return 0

    sizes = QUICK if args.quick else FULL
    if args.compare:
        started = time.perf_counter()
        changes = compare(args.compare, sizes, args.jobs, args.only or ("loopback", "client"))
        print(render_changes(args.compare, changes, sizes))
        print(f"({time.perf_counter() - started:.0f} s)")
        return 0
    default = [s for s in SECTIONS if not (args.quick and s in SERVICE_SECTIONS)]
    only = tuple(args.only or default)
    started = time.perf_counter()
    rows = run(sizes, only, max(1, args.jobs))
    print(render(rows))
    print(
        f"\n{'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s; "
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; targets are not asserted"
    )
    return 1 if any(row.met == "error" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
