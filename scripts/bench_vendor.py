"""A sandbox vendor in a process of its own, for the pacing and fan-out benchmarks.

    python scripts/bench_vendor.py --vendor brex --size 13000 --limit 25/1.5 --latency 0.01

The vendor is served over loopback HTTP from this process, so its work (generating and
encoding pages, sleeping the latency) happens beside the client, as a real vendor's does,
and not inside the client's own process and GIL. ``--limit N/SECONDS`` makes the sandbox
enforce that rate limit (token bucket of capacity N refilled at N per SECONDS, on the real
clock); ``--latency S`` delays every answer by S seconds (a real sleep per request;
concurrent requests are served by concurrent threads).

Protocol: one JSON line on stdout once serving (``url``, ``base_url``, ``credentials``);
the process serves until its stdin is closed, then prints one JSON line of statistics
(requests per route and status, 429s answered by the limiter) and exits.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import attrs
from expense_facade.sandbox import Fault, Sandbox

SCRIPT = Path(__file__).resolve()


@attrs.define
class Served:
    """A ``bench_vendor.py`` child: its base URL and credentials; ``stats`` once stopped."""

    base_url: str
    credentials: dict[str, Any]
    stats: dict[str, Any] = attrs.field(factory=dict)


@contextlib.contextmanager
def served_vendor(vendor: str, size: int, *extra: str) -> Iterator[Served]:
    """Serve ``vendor`` from a process of its own (this script) for the duration of the
    block; ``extra`` are more of this script's options."""
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--vendor", vendor, "--size", str(size), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=SCRIPT.parent.parent,
    )  # fmt: skip
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench_vendor.py did not start: {_stderr(process)}")
        info = json.loads(line)
        served = Served(info["base_url"], info["credentials"])
        yield served
        process.stdin.close()
        served.stats = json.loads(process.stdout.readline())
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _stderr(process: subprocess.Popen[str]) -> str:
    stream: IO[str] | None = process.stderr
    process.kill()
    return stream.read()[-2000:] if stream is not None else ""


def parse_limit(text: str) -> tuple[int, float]:
    """``"25/1.5"`` -> ``(25, 1.5)``."""
    count, _, seconds = text.partition("/")
    return int(count), float(seconds)


def statistics(sandbox: Sandbox, vendor: str) -> dict[str, Any]:
    """What the vendor saw: requests per route, per status, and the 429s it answered."""
    routes: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    for entry in sandbox.requests:
        if entry.vendor != vendor:
            continue
        routes[entry.route or "(unrouted)"] += 1
        statuses[str(entry.status)] += 1
    return {
        "requests": sum(routes.values()),
        "routes": dict(routes),
        "statuses": dict(statuses),
        "rate_limited": sandbox.rate_limited[vendor],
    }


def main(argv: list[str] | None = None) -> int:
    """Serve one vendor until stdin closes; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vendor", required=True)
    parser.add_argument("--size", type=int, required=True, help="expenses in the sandbox")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=parse_limit, help="enforce N requests per SECONDS")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--latency-route", help="only this route (e.g. 'GET /expense/{id}')")
    args = parser.parse_args(argv)

    sandbox = Sandbox(seed=args.seed, size=args.size, vendors=(args.vendor,))
    if args.limit is not None:
        sandbox.enable_rate_limits(args.vendor, limit=args.limit)
    if args.latency > 0:
        sandbox.faults.add(args.vendor, args.latency_route, Fault.latency(args.latency), times=None)
    with sandbox.serve(port=0) as server:
        info = {
            "url": server.url,
            "base_url": server.base_url(args.vendor),
            "credentials": sandbox.credentials(args.vendor),
        }
        print(json.dumps(info), flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin
    print(json.dumps(statistics(sandbox, args.vendor)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
