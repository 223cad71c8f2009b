"""Delivering to the user's own system (export/delivery.py) through the example's HTTP
destination, served on loopback: at least once, each record under one stable key, the
ledger recording it only after the endpoint acknowledged; the export killed at each
protocol step, then run again, leaves every approved expense at the endpoint once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.export.delivery import Delivery, idempotency_key
from expense_facade.export.ledger import Ledger
from expense_facade.export.sinks import SinkError
from expense_facade.sandbox import Sandbox
from support.delivery_endpoint import EXAMPLE, Endpoint
from support.ledger_steps import Crash, crash_at, stepped_ledger

pytestmark = pytest.mark.usefixtures("each_ledger_backend")

POINTS = ["before-intent", "after-intent", "before-written", "after-written"]


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    served = Endpoint()
    yield served
    served.close()


class Unkeyed:
    """The example's destination without ``held_keys``: recovery cannot ask."""

    def __init__(self, url: str) -> None:
        self.inner = EXAMPLE["HttpDestination"](url)
        self.name = url

    def deliver(self, deliveries: Sequence[Delivery]) -> None:
        self.inner.deliver(deliveries)


def _export(destination: Any, ledger: Ledger | Path, sb: Sandbox) -> ef.ExportSummary:
    with ef.connect("pazy", sandbox=sb, rate_limit=False) as client:
        return ef.export_approved(
            client, destination, ledger=ledger, options=ef.ExportOptions(page_size=7)
        )


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_step_then_a_run_delivers_each_record_once(
    point: str, endpoint: Endpoint, tmp_path: Path
) -> None:
    sb = Sandbox(seed=3, size=40, vendors=("pazy",))
    truth = sorted(sb.vendor("pazy").approved_ids())
    path = tmp_path / "ledger.sqlite3"
    killed = stepped_ledger(path, crash_at(point, 2))  # the second batch dies there
    destination = EXAMPLE["HttpDestination"](endpoint.url)
    with pytest.raises(Crash):
        _export(destination, killed, sb)
    killed.close()
    summary = _export(destination, path, sb)
    assert summary.ok
    assert endpoint.ids() == truth
    # Every delivery of a record carried the same key, whatever the run.
    with Ledger(path) as ledger:
        assert ledger.pending_intents() == []
        assert ledger.exported_ids("pazy", "sandbox.invalid", truth) == set(truth)
    # The key is what the ledger dedupes by: any spelling of the account gives the same.
    expected_keys = {idempotency_key("pazy", "localhost", i) for i in truth}
    assert set(endpoint.received) == expected_keys
    # A batch delivered but not recorded (killed before "written") is not sent again:
    # the next run asks the endpoint which keys it holds.
    assert max(endpoint.received.values()) == 1


def test_a_lost_acknowledgement_is_settled_by_asking_the_destination(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    sb = Sandbox(seed=3, size=40, vendors=("pazy",))
    destination = EXAMPLE["HttpDestination"](endpoint.url)
    endpoint.fail_after_storing = True
    with pytest.raises(SinkError, match="did not acknowledge"):
        _export(destination, tmp_path / "ledger.sqlite3", sb)
    summary = _export(destination, tmp_path / "ledger.sqlite3", sb)
    assert endpoint.ids() == sorted(sb.vendor("pazy").approved_ids())
    assert max(endpoint.received.values()) == 1  # held_keys: nothing sent twice
    assert any("held by the destination" in (r.note or "") for r in summary.repaired)


def test_a_destination_that_cannot_say_gets_the_batch_again_under_the_same_keys(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    sb = Sandbox(seed=3, size=40, vendors=("pazy",))
    endpoint.fail_after_storing = True
    with pytest.raises(SinkError):
        _export(Unkeyed(endpoint.url), tmp_path / "ledger.sqlite3", sb)
    first_batch = set(endpoint.received)
    _export(Unkeyed(endpoint.url), tmp_path / "ledger.sqlite3", sb)
    assert endpoint.ids() == sorted(sb.vendor("pazy").approved_ids())
    assert {k for k, n in endpoint.received.items() if n == 2} == first_batch
    assert max(endpoint.received.values()) == 2
