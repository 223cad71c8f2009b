"""The library's logging: silent unless asked; EXPENSE_FACADE_LOG sends it to stderr,
redacted; retries, long rate-limit waits and an ignored ``since`` are warnings."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys

import expense_facade as ef
import pytest
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Fault, Sandbox
from support.sandbox import connecting

# A capture listing with `since` (ignored: a warning) whose first answer is a 503 (a retry:
# a warning), against a sandbox on a fake clock.
SCRIPT = """
import datetime as dt
import expense_facade as ef
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Fault, Sandbox

sb = Sandbox(seed=1, size=5, clock=FakeClock(), vendors=("capture",))
sb.faults.add("capture", None, Fault.status(503), times=1)
# Paced (on the fake clock): the retry waits a short while for the budget, a DEBUG line.
with ef.connect("capture", sandbox=sb, rate_limit=ef.RateLimit(1, 1.0)) as client:
    listed = list(client.list_approved(since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
print(len(listed), sb.credentials("capture")["api_key"])
"""


def run_script(log: str | None) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    if log is not None:
        env["EXPENSE_FACADE_LOG"] = log
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout, done.stderr


def test_silent_by_default() -> None:
    out, err = run_script(None)
    assert int(out.split()[0]) > 0
    assert err == ""


def test_an_unknown_level_is_said_once_and_logs_nothing() -> None:
    out, err = run_script("verbose")
    assert int(out.split()[0]) > 0
    assert "RuntimeWarning: EXPENSE_FACADE_LOG='verbose' is not one of debug, info, warning" in err
    assert err.count("EXPENSE_FACADE_LOG") == 1
    assert " WARNING expense_facade" not in err


def test_warning_shows_the_retry_and_the_ignored_since_and_no_secret() -> None:
    out, err = run_script("warning")
    api_key = out.split()[1]
    lines = sorted(err.splitlines(), key=lambda line: "retry" in line)
    assert len(lines) == 2, err
    assert " WARNING expense_facade.client: capture: since=2026-01-01T00:00:00+00:00 ignored: " \
        in lines[0]  # fmt: skip
    assert " WARNING expense_facade._http.session: capture: GET " in lines[1]
    assert re.search(r"failed \(HTTP 503, request id req_capture_\d+\); retry 1/3 in ", lines[1])
    assert api_key not in err


def test_info_adds_the_request_lines_and_debug_more() -> None:
    out, info = run_script("info")
    assert "INFO httpx: HTTP Request: GET " in info
    assert " DEBUG " not in info
    _, debug = run_script("DEBUG")
    assert re.search(
        r" DEBUG expense_facade._http.session: capture: waiting 0\.\d s to stay", debug
    )
    assert len(debug.splitlines()) > len(info.splitlines())
    assert out.split()[1] not in debug
    # The library's own lines: what it requested (each answer), paged and retried.
    answers = re.findall(
        r"capture: GET /api/Expenses/Export -> (\d+) \(request id req_capture_\d+, attempt (\d)\)",
        debug,
    )
    assert answers == [("503", "1"), ("200", "2")]
    assert re.search(
        r" DEBUG expense_facade.listing: capture: page 1: \d+ records, 0 malformed", debug
    )


SERVED = """
import expense_facade as ef
from expense_facade.sandbox import Sandbox

sb = Sandbox(seed=1, size=30, vendors=("brex",))
with sb.serve(port=0) as server, ef.connect(
    "brex", base_url=server.base_url("brex"), token=sb.credentials("brex")["token"]
) as client:
    listing = client.list_approved(page_size=10)
    print(len(list(listing)), listing.pages_read)
"""


def test_debug_over_a_socket_is_the_librarys_lines_not_httpcores() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["EXPENSE_FACADE_LOG"] = "debug"
    done = subprocess.run(
        [sys.executable, "-c", SERVED], env=env, capture_output=True, text=True, check=True
    )
    records, pages = map(int, done.stdout.split())
    lines = done.stderr.splitlines()
    assert records > 0
    assert not [line for line in lines if "httpcore" in line]
    assert len([line for line in lines if " -> 200 (request id req_brex_" in line]) == pages
    assert len([line for line in lines if "INFO httpx: HTTP Request: GET" in line]) == pages
    assert len(lines) <= 4 * pages  # a few lines a request, not twenty


def test_a_long_wait_for_the_rate_limit_is_a_warning_a_short_one_debug(
    caplog: pytest.LogCaptureFixture, driver: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="expense_facade")
    sb = Sandbox(seed=1, size=5, clock=FakeClock(), vendors=("pazy",))
    with connecting(driver)(
        "pazy", sandbox=sb, details=False, rate_limit=ef.RateLimit(1, 10.0)
    ) as c:
        list(c.list_approved())
        list(c.list_approved())
    waits = [r for r in caplog.records if "to stay under the rate limit" in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in waits] == [
        (logging.WARNING, "pazy: waiting 10.0 s to stay under the rate limit")
    ]
    caplog.clear()
    with connecting(driver)(
        "pazy", sandbox=sb, details=False, rate_limit=ef.RateLimit(2, 1.0)
    ) as c:
        list(c.list_approved())
        list(c.list_approved())
    waits = [r for r in caplog.records if "to stay under the rate limit" in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in waits] == [
        (logging.DEBUG, "pazy: waiting 0.5 s to stay under the rate limit")
    ]


def test_a_retry_is_a_warning(caplog: pytest.LogCaptureFixture, driver: str) -> None:
    sb = Sandbox(seed=1, size=5, clock=FakeClock(), vendors=("brex",))
    sb.faults.add("brex", "GET /v1/expenses", Fault.status(502), times=1)
    with (
        caplog.at_level(logging.WARNING, logger="expense_facade"),
        connecting(driver)("brex", sandbox=sb) as client,
    ):
        list(client.list_approved())
    (record,) = [r for r in caplog.records if "retry" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert (
        "brex: GET /v1/expenses failed (HTTP 502, request id req_brex_00000001); retry 1/3"
        in record.getMessage()
    )
