"""Every response the sandbox sends during a test session, checked against specs/<vendor>.

A pytest plugin (registered by the repository's root ``conftest.py``). For the whole
session it installs ``ResponseCollector.observe`` in ``expense_facade.sandbox.OBSERVERS``,
so it sees every answer of every ``Sandbox`` in the test process: facade and adapter
tests, ``connect(sandbox=True)``, the CLI run in-process, reliability tests, loopback
servers. At the end of the session the collected responses are validated and any
violation fails the session (exit status 1) with the first violations listed.

Exempt: answers the sandbox marks ``injected`` (faults, mutated or truncated records,
deliberate quirks: ``Exchange.exempt``), requests to helper mounts (brex's upload
bucket) and to paths where nothing is mounted: none of them claim to follow a spec.

Bounded, so the suite stays fast: per (vendor, route, status) only the first
``SAMPLES_PER_KEY`` distinct bodies are kept (identical bodies count once), within
``BYTES_PER_KEY`` (the first body of a key is always kept, however big) and ``MAX_BYTES``
in total; the rest are counted as skipped. The observer itself only hashes and stores:
validation happens once, at the end (a few seconds for the whole suite).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterable

import attrs
import pytest
from expense_facade.sandbox import OBSERVERS, Exchange

from .conformance import VENDORS, Violation, check_response

SAMPLES_PER_KEY = 50
BYTES_PER_KEY = 1024 * 1024  # validating costs about a second per MB of JSON
MAX_BYTES = 32 * 1024 * 1024
SHOWN = 20  # violations printed in the failure report


@attrs.frozen
class Sample:
    """One response kept for validation."""

    vendor: str
    method: str
    path: str
    status: int
    content_type: str | None
    body: bytes = attrs.field(repr=False)
    where: str


class ResponseCollector:
    """Collects sandbox responses (as an observer) and validates them on ``check()``."""

    def __init__(
        self,
        per_key: int = SAMPLES_PER_KEY,
        bytes_per_key: int = BYTES_PER_KEY,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.per_key = per_key
        self.bytes_per_key = bytes_per_key
        self.max_bytes = max_bytes
        self.current = ""  # the running test, named in violations
        self.seen = 0  # responses observed (exempt ones included)
        self.exempt = 0
        self.skipped = 0  # beyond the bounds
        self.duplicates = 0  # the same answer again: checked once is enough
        self.samples: list[Sample] = []
        self._kept: Counter[tuple[str, str, int]] = Counter()
        self._kept_bytes: Counter[tuple[str, str, int]] = Counter()
        self._digests: set[bytes] = set()
        self._bytes = 0
        self._lock = threading.Lock()

    def observe(self, exchange: Exchange) -> None:
        """The sandbox observer: keep the response if it is checkable and within bounds."""
        try:
            self._observe(exchange)
        except Exception as exc:  # an observer must never break the request it watches
            self.samples.append(
                Sample(
                    "collector",
                    exchange.request.method,
                    exchange.path,
                    0,
                    None,
                    repr(exc).encode(),
                    self.current,
                )
            )

    def _observe(self, exchange: Exchange) -> None:
        with self._lock:
            self.seen += 1
            if exchange.exempt:
                self.exempt += 1
                return
        vendor = exchange.vendor
        if vendor is None or not exchange.api or vendor not in VENDORS:
            return
        response = exchange.response
        method = exchange.request.method.upper()
        key = (vendor, exchange.route or f"{method} (unrouted)", response.status)
        digest = hashlib.blake2b(
            f"{vendor}|{key[1]}|{response.status}|".encode() + response.body, digest_size=16
        ).digest()
        with self._lock:
            if digest in self._digests:
                self.duplicates += 1
                return
            size = len(response.body)
            first = self._kept[key] == 0
            if (
                self._kept[key] >= self.per_key
                or (not first and self._kept_bytes[key] + size > self.bytes_per_key)
                or self._bytes + size > self.max_bytes
            ):
                self.skipped += 1
                return
            self._digests.add(digest)
            self._kept[key] += 1
            self._kept_bytes[key] += size
            self._bytes += size
            self.samples.append(
                Sample(
                    vendor,
                    method,
                    exchange.path,
                    response.status,
                    response.headers.get("content-type"),
                    response.body,
                    self.current,
                )
            )

    def check(self) -> list[Violation]:
        """Validate every kept response; the violations, in the order they happened."""
        with self._lock:
            samples = list(self.samples)
        return list(_violations(samples))


def _violations(samples: Iterable[Sample]) -> Iterable[Violation]:
    for s in samples:
        if s.vendor == "collector":
            failure = f"the conformance observer failed: {s.body.decode(errors='replace')}"
            yield Violation("collector", s.method, s.path, s.status, failure, s.where)
            continue
        reason = check_response(s.vendor, s.method, s.path, s.status, s.content_type, s.body)
        if reason is not None:
            yield Violation(s.vendor, s.method, s.path, s.status, reason, s.where)


def report(violations: list[Violation], collector: ResponseCollector) -> list[str]:
    """The lines printed when the session check fails."""
    lines = [
        f"{len(violations)} sandbox response(s) do not match specs/<vendor>/openapi.yaml "
        f"({len(collector.samples)} checked of {collector.seen} observed; {collector.exempt} "
        f"exempt, {collector.duplicates} repeated, {collector.skipped} beyond the bounds):"
    ]
    lines += [f"  {v}" for v in violations[:SHOWN]]
    if len(violations) > SHOWN:
        lines.append(f"  ... and {len(violations) - SHOWN} more")
    return lines


class SessionConformancePlugin:
    """The pytest side: observe for the session, check at its end, fail on violations."""

    def __init__(self) -> None:
        self.collector = ResponseCollector()
        self.violations: list[Violation] = []
        self.seconds = 0.0  # spent validating at the end

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Install the observer for every Sandbox of this process."""
        OBSERVERS.append(self.collector.observe)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        """Remember which test is running, to name it in violations."""
        self.collector.current = item.nodeid
        try:
            return (yield)
        finally:
            self.collector.current = ""

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Validate what was collected; a violation makes the session fail."""
        if self.collector.observe in OBSERVERS:
            OBSERVERS.remove(self.collector.observe)
        started = time.perf_counter()
        self.violations = self.collector.check()
        self.seconds = time.perf_counter() - started
        if self.violations and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Print the violations (after the usual summary); with ``-v``, the counts."""
        if self.violations:
            terminalreporter.section("sandbox responses outside the vendor specs", red=True)
            for line in report(self.violations, self.collector):
                terminalreporter.line(line)
        elif terminalreporter.verbosity > 0:
            c = self.collector
            terminalreporter.write_line(
                f"sandbox conformance: {len(c.samples)} response(s) checked against the specs, "
                f"of {c.seen} observed ({c.exempt} exempt, {c.duplicates} repeated, "
                f"{c.skipped} beyond the bounds) in {self.seconds:.1f}s"
            )


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin object once per session."""
    if not config.pluginmanager.has_plugin("sandbox-conformance"):
        config.pluginmanager.register(SessionConformancePlugin(), "sandbox-conformance")
