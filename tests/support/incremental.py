"""Export runs against one long-lived sandbox, for the incremental-export tests.

``Account`` keeps a sandbox (the vendor, with its own clock), a client clock, a ledger
file and an output folder across runs, so a test can change the vendor between runs and
check the output against the sandbox's ground truth.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import expense_facade as ef
from expense_facade.clock import FakeClock
from expense_facade.export.ledger import ExportState, Ledger
from expense_facade.export.pipeline import (
    ExportOptions,
    ExportProgress,
    ExportSummary,
    export_vendor,
)
from expense_facade.export.sinks import format_by_name, open_sink
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Sandbox

T0 = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
"""The client's clock at the first run (the sandbox's data all lies before it)."""


@attrs.define
class Account:
    """One vendor account exported again and again into ``folder``."""

    vendor: str
    folder: Path
    size: int = 300
    seed: int = 5
    vendor_skew: dt.timedelta = dt.timedelta(0)
    client_clock: FakeClock = attrs.field(factory=lambda: FakeClock(T0))
    sandbox: Sandbox = attrs.field(init=False)
    label: str = attrs.field(init=False, default="")
    """The account label of the last export (``client.account``)."""

    def __attrs_post_init__(self) -> None:
        # The vendor's clock is its own: skewed from the client's by vendor_skew.
        self.sandbox = Sandbox(
            seed=self.seed,
            size=self.size,
            vendors=(self.vendor,),
            clock=FakeClock(T0 + self.vendor_skew),
        )

    @property
    def sim(self) -> Any:
        """The vendor simulator (ground truth and hooks)."""
        return self.sandbox.vendor(self.vendor)

    @property
    def ledger_path(self) -> Path:
        return self.folder / "ledger.sqlite3"

    @property
    def output(self) -> Path:
        return self.folder / f"{self.vendor}.jsonl"

    def advance(self, seconds: float) -> None:
        """Let time pass for both clocks."""
        self.client_clock.advance(seconds)
        vendor_clock = self.sandbox.clock
        assert isinstance(vendor_clock, FakeClock)
        vendor_clock.advance(seconds)

    def export(
        self,
        *,
        on_progress: Callable[[ExportProgress], None] | None = None,
        **options: Any,
    ) -> ExportSummary:
        """One export run (``options`` go to ``ExportOptions``)."""
        with (
            ef.connect(
                normalise_vendor(self.vendor), sandbox=self.sandbox, clock=self.client_clock
            ) as client,
            Ledger(self.ledger_path) as ledger,
            open_sink(f"{self.folder}/", format_by_name("jsonl"), vendor=self.vendor) as sink,
        ):
            self.label = client.account
            return export_vendor(
                client,
                sink,
                ledger,
                ExportOptions(**options),
                on_progress=on_progress,
                clock=self.client_clock,
            )

    def state(self) -> ExportState:
        """The incremental state the ledger holds for this account."""
        with Ledger(self.ledger_path) as ledger:
            return ledger.export_state(self.vendor, self.label)

    def exported_ids(self) -> list[str]:
        """Every id in the output, in order, repeats included."""
        if not self.output.exists():
            return []
        return [json.loads(line)["id"] for line in self.output.read_text().splitlines()]

    def approved_ids(self) -> list[str]:
        """The sandbox's ground truth."""
        return list(self.sim.approved_ids())

    def assert_exactly_once(self) -> None:
        """The output holds every approved expense of the vendor, each once."""
        exported = self.exported_ids()
        repeated = [i for i, n in collections.Counter(exported).items() if n > 1]
        assert not repeated, f"exported more than once: {repeated[:5]}"
        missing = set(self.approved_ids()) - set(exported)
        assert not missing, f"never exported: {sorted(missing)[:5]}"

    def requests(self) -> list[str]:
        """The route (``"GET /expenses"``) of each request the sandbox received since the
        last call."""
        log = [r.route or f"{r.method} {r.url}" for r in self.sandbox.requests]
        self.sandbox.clear_requests()
        return log


class Killed(BaseException):
    """Stands for the process being killed: nothing after it runs."""


def kill_after(pages: int) -> Callable[[ExportProgress], None]:
    """An ``on_progress`` that kills the run once ``pages`` pages are written."""

    def progress(snapshot: ExportProgress) -> None:
        if snapshot.pages >= pages:
            raise Killed

    return progress
