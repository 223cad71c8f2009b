"""One export through the real pipeline against the in-process sandbox, in this process:
the memory benchmark runs it in a fresh child process per size and reads the peak RSS.

    python scripts/bench_export.py --vendor brex --size 200000     # prints one JSON line
    python scripts/bench_export.py --vendor brex --size 20000 --incremental

``--incremental`` runs three exports into one ledger, side by side in this process: the
first, a second with nothing new, and a third after 1% of the sandbox's expenses were
approved (sandbox hooks), and prints the requests (list pages and per-record requests
apart) and the time of each (the ``incremental`` rows of ``make bench``).

It is what ``expense-facade export --sandbox --vendor V --out DIR --ledger DB`` does
(``connect`` + ``Ledger`` + ``open_sink`` + ``export_vendor``), with one difference that
keeps the figure honest: the sandbox's request log, a debugging aid that grows with
every request up to its bound, is cleared after each page through the sandbox's public
``clear_requests()``, so the figure is the facade's and the pipeline's, not the log's.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import expense_facade as ef
from expense_facade.clock import FakeClock
from expense_facade.export.ledger import Ledger
from expense_facade.export.pipeline import ExportOptions, ExportProgress, export_vendor
from expense_facade.export.sinks import format_by_name, open_sink
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Exchange, Sandbox
from expense_facade.sandbox.app import load_simulator


def list_route(vendor: str) -> str:
    """The vendor's listing route (its simulator declares it): its pages are the list
    requests; every other request is per-record work (a detail, a claim's expenses, split
    lines, a mark)."""
    return load_simulator(vendor).list_route


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (``ru_maxrss`` is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_export(vendor: str, size: int, *, seed: int = 1, keep_log: bool = False) -> dict[str, Any]:
    """Export every approved expense of a ``size``-expense sandbox; the figures."""
    started = time.perf_counter()
    baseline = peak_rss_mb()
    sandbox = Sandbox(seed=seed, size=size, vendors=(vendor,), clock=FakeClock())
    log_peak = 0

    def on_progress(progress: ExportProgress) -> None:
        nonlocal log_peak
        log_peak = max(log_peak, len(sandbox.requests))
        if not keep_log:
            sandbox.clear_requests()

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        out = Path(folder)
        with (
            ef.connect(normalise_vendor(vendor), sandbox=sandbox) as client,
            Ledger(out / "ledger.sqlite3") as ledger,
            open_sink(f"{out}/", format_by_name("jsonl"), vendor=vendor) as sink,
        ):
            summary = export_vendor(client, sink, ledger, ExportOptions(), on_progress=on_progress)
        written = (out / f"{vendor}.jsonl").stat().st_size
    return {
        "vendor": vendor,
        "size": size,
        "exported": summary.exported,
        "pages": summary.pages,
        "ok": summary.ok,
        "bytes_written": written,
        "import_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "request_log_peak": log_peak,
        "seconds": round(time.perf_counter() - started, 2),
    }


def approve_new(sandbox: Sandbox, vendor: str, count: int) -> tuple[list[str], int]:
    """Approve about ``count`` expenses through the sandbox's hooks, oldest first (late
    approvals of old purchases); the new approved ids, and the per-record requests an
    export needs for them (Pazy a detail each, ProSpend a claim's expenses and each split
    expense's splits, Capture a mark per 100)."""
    sim: Any = sandbox.vendor(vendor)
    before = set(sim.approved_ids())
    sim.approve_waiting(count)
    fresh = [i for i in sim.approved_ids() if i not in before]
    if vendor == "pazy":
        per_record = len(fresh)
    elif vendor == "capture":
        per_record = math.ceil(len(fresh) / 100)
    elif vendor == "prospend":
        claims = {i.split(":")[0] for i in fresh}
        split = sum(1 for i in fresh if sim.expense(i).get("isSplit"))
        per_record = len(claims) + split
    else:
        per_record = 0
    return fresh, per_record


def run_incremental(
    vendor: str, size: int, *, seed: int = 1, new_share: float = 0.01
) -> dict[str, Any]:
    """First export, second with nothing new, third with ``new_share`` new: the figures."""
    sandbox = Sandbox(seed=seed, size=size, vendors=(vendor,), clock=FakeClock(), log_limit=0)
    counts = {"list": 0, "per_record": 0}

    def count(exchange: Exchange) -> None:
        counts["list" if exchange.route == list_route(vendor) else "per_record"] += 1

    sandbox.add_observer(count)
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as folder:
        out = Path(folder)

        def export(name: str) -> None:
            counts.update(list=0, per_record=0)
            started = time.perf_counter()
            with (
                ef.connect(normalise_vendor(vendor), sandbox=sandbox, concurrency=8) as client,
                Ledger(out / "ledger.sqlite3") as ledger,
                open_sink(f"{out}/", format_by_name("jsonl"), vendor=vendor) as sink,
            ):
                summary = export_vendor(client, sink, ledger, ExportOptions(), clock=sandbox.clock)
            runs[name] = {
                "requests": counts["list"] + counts["per_record"],
                "list": counts["list"],
                "per_record": counts["per_record"],
                "exported": summary.exported,
                "mode": summary.listings[0].plan.mode.value,
                "ok": summary.ok,
                "seconds": round(time.perf_counter() - started, 3),
            }

        export("first")
        export("nothing_new")
        fresh, per_record = approve_new(sandbox, vendor, max(1, round(size * new_share)))
        export("one_percent")
    runs["one_percent"]["new"] = len(fresh)
    runs["one_percent"]["new_per_record"] = per_record
    return {"vendor": vendor, "size": size, **runs}


def main(argv: list[str] | None = None) -> int:
    """Run one export and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vendor", default="brex", choices=ef.available_vendors())
    parser.add_argument("--size", type=int, required=True, help="expenses in the sandbox")
    parser.add_argument("--keep-log", action="store_true", help="let the request log grow")
    parser.add_argument("--incremental", action="store_true", help="three runs (see above)")
    args = parser.parse_args(argv)
    if args.incremental:
        print(json.dumps(run_incremental(args.vendor, args.size)))
        return 0
    print(json.dumps(run_export(args.vendor, args.size, keep_log=args.keep_log)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
