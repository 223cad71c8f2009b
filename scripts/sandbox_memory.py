"""Page through N sandbox expenses in-process and report peak RSS, to show that memory stays
flat as the sandbox grows (nothing per record is kept).

    .venv/bin/python scripts/sandbox_memory.py                 # N = 10,000 and 1,000,000
    .venv/bin/python scripts/sandbox_memory.py --sizes 50000 --vendor pazy

Each size runs in its own child process so that one run's peak does not hide another's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

import httpx
from bench_canned import auth_headers
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Sandbox

PAGED = ("brex", "pazy")
"""The vendors this script knows how to page through by hand."""


def page_through(vendor: str, size: int) -> dict[str, Any]:
    """List every expense of a ``size``-expense sandbox, page by page; return the figures."""
    started = time.perf_counter()
    # No request log: the figure is the simulator's own (the log is bounded, but would
    # otherwise hold one entry per page and show up as growth).
    sb = Sandbox(seed=1, size=size, clock=FakeClock(), vendors=(vendor,), log_limit=0)
    headers = auth_headers(vendor, sb.base_url(vendor), sb.credentials(vendor))
    seen = pages = 0
    with httpx.Client(transport=sb.transport(), base_url=sb.base_url(vendor),
                      headers=headers) as client:  # fmt: skip
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": 100}
            if cursor is not None:
                params["cursor"] = cursor
            if vendor == "brex":
                body = client.get("/v1/expenses", params=params).json()
                seen += len(body["items"])
                cursor = body["next_cursor"]
            else:
                data = client.get("/expenses", params=params).json()["data"]
                seen += len(data["expenses"])
                nxt = data["context"].get("nextCursor")
                cursor = None if not data["context"]["hasMore"] else str(nxt)
            pages += 1
            if not cursor:
                break
    # ru_maxrss is in kilobytes on Linux.
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"vendor": vendor, "size": size, "seen": seen, "pages": pages,
            "peak_rss_mb": round(peak_kb / 1024, 1),
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run each size in a child process and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vendor", choices=PAGED, default="brex")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(page_through(args.vendor, args.child)))
        return 0
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--vendor", args.vendor, "--child", str(size)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        result = json.loads(out.stdout)
        assert result["seen"] == size, result
        print(f"{result['vendor']:6} N={size:>9,}  pages={result['pages']:>6,}  "
              f"peak RSS {result['peak_rss_mb']:7.1f} MB  ({result['seconds']} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
