"""One export through the real pipeline against the in-process sandbox, in this process:
the memory benchmark runs it in a fresh child process per size and reads the peak RSS.

    python scripts/bench_export.py --vendor brex --size 200000     # prints one JSON line

It is what ``expense-facade export --sandbox --vendor V --out DIR --ledger DB`` does
(``connect`` + ``Ledger`` + ``open_sink`` + ``export_vendor``), with one difference that
keeps the figure honest: the sandbox's request log, a debugging aid that grows with
every request up to its bound, is cleared after each page through the sandbox's public
``clear_requests()``, so the figure is the facade's and the pipeline's, not the log's.
"""

from __future__ import annotations

import argparse
import json
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
from expense_facade.sandbox import Sandbox


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
            ef.connect(vendor, sandbox=sandbox) as client,
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


def main(argv: list[str] | None = None) -> int:
    """Run one export and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vendor", default="brex", choices=ef.available_vendors())
    parser.add_argument("--size", type=int, required=True, help="expenses in the sandbox")
    parser.add_argument("--keep-log", action="store_true", help="let the request log grow")
    args = parser.parse_args(argv)
    print(json.dumps(run_export(args.vendor, args.size, keep_log=args.keep_log)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
