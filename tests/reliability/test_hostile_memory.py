"""RELIABILITY.md's memory-bounded rows (issue 12): a gzip body that expands to a gigabyte
and a 200 MB body, against every vendor's listing with the default settings (the default
size bound included), each in a child process that reports its peak RSS; through the sync
client and through aconnect's (issue 25: the same bounds).

The bound asserted is memory, not time: the child's peak resident set stays under 200 MB
(its ``VmHWM``: ``getrusage``'s ``ru_maxrss`` would also count the pytest process it was
forked from), and every vendor ends in the typed error after one attempt. (Before issue
12 the gzip bomb ran at 2.4 GB and the 200 MB body at 741 MB.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from support.routes import LIST

PEAK_RSS_LIMIT_MB = 200

CHILD = textwrap.dedent(
    """
    import asyncio, json, sys
    import expense_facade as ef
    from expense_facade.clock import FakeClock
    from expense_facade.sandbox import Fault, Sandbox

    kind, routes, driver = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]

    def listed(vendor, sb):
        if driver == "async":
            async def run():
                async with ef.aconnect(vendor, sandbox=sb) as client:
                    return [expense async for expense in client.list_approved()]
            return asyncio.run(run())
        with ef.connect(vendor, sandbox=sb) as client:
            return list(client.list_approved())

    results = {}
    for vendor, route in routes.items():
        sb = Sandbox(seed=7, size=60, clock=FakeClock(), vendors=(vendor,))
        fault = Fault.gzip_bomb(1024**3) if kind == "gzip-bomb" else Fault.oversized(200 << 20)
        sb.faults.add(vendor, route, fault, times=None)
        try:
            listed(vendor, sb)
            outcome = {"error": None}
        except ef.ExpenseFacadeError as exc:
            outcome = {
                "error": type(exc).__name__,
                "attempts": exc.attempts,
                "limit": getattr(exc, "limit", None),
            }
        outcome["hits"] = sum(1 for r in sb.requests if r.route == route)
        results[vendor] = outcome
    # The peak of this process's own memory: VmHWM (getrusage's ru_maxrss also counts
    # the parent's resident set, inherited through fork and exec).
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    peak = int(hwm.split()[1]) / 1024  # kB
    print(json.dumps({"results": results, "peak_rss_mb": peak}))
    """
)


def run_child(kind: str, driver: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, json.dumps(LIST), driver],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc (Linux)")
@pytest.mark.parametrize("kind", ["gzip-bomb", "oversized"])
def test_a_huge_or_gzip_bombed_body_stays_under_200_mb_and_ends_typed(
    kind: str, driver: str
) -> None:
    from expense_facade._http.limits import DEFAULT_MAX_RESPONSE_BYTES

    report = run_child(kind, driver)
    expected = {
        "error": "ResponseTooLargeError",
        "attempts": 1,
        "limit": DEFAULT_MAX_RESPONSE_BYTES,
        "hits": 1,
    }
    assert report["results"] == {vendor: expected for vendor in LIST}
    print(f"{kind}, {driver}: peak RSS {report['peak_rss_mb']:.0f} MB")  # shown with -s
    assert report["peak_rss_mb"] < PEAK_RSS_LIMIT_MB, report
