"""The export delivering to the user's own system (examples/deliver_to_http.py's
destination, its endpoint served here on loopback) runs as a separate process, which is
SIGKILLed at each protocol step of its second batch, or while the endpoint is holding that
batch unanswered; then a run to the end. Every approved expense ends at the endpoint,
delivered at least once and every time under its one idempotency key; the run after the
kill asks the endpoint which keys it holds (``held_keys``) exactly when the killed run left
a batch unsettled, so nothing the endpoint holds is sent twice (docs/scale.md, "Your own
destination")."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from expense_facade.export.delivery import idempotency_key
from expense_facade.sandbox import Sandbox
from support.delivery_endpoint import Endpoint
from support.ledger_backends import Backend

TESTS = Path(__file__).resolve().parents[1]
STEPS = ["before-intent", "after-intent", "before-written", "after-written"]
MID_DELIVERY = "endpoint-holding-the-batch"
UNSETTLED = {"after-intent", "before-written", MID_DELIVERY}
"""Where the killed run leaves an intent: the next run settles it by asking the endpoint."""

pytestmark = pytest.mark.slow  # two processes per case, each importing the library


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    served = Endpoint()
    yield served
    served.close()


def _child(settings: dict[str, object]) -> subprocess.Popen[str]:
    env = dict(os.environ, DELIVER_CHILD=json.dumps(settings))
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "-m", "support.deliver_child"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(done: object, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    assert callable(done)
    deadline = time.monotonic() + seconds
    while not done():
        assert proc.poll() is None, f"the export ended before its kill: {proc.communicate()}"
        assert time.monotonic() < deadline, "the export never reached its kill"
        time.sleep(0.01)


@pytest.mark.parametrize("point", [*STEPS, MID_DELIVERY])
def test_a_sigkilled_export_process_then_a_run_leaves_each_record_once_under_its_key(
    point: str, endpoint: Endpoint, ledger_backend: Backend, tmp_path: Path
) -> None:
    sb = Sandbox(seed=3, size=40, vendors=("pazy",))
    truth = sorted(sb.vendor("pazy").approved_ids())
    marker = tmp_path / "reached"
    with sb.serve() as server:
        settings: dict[str, object] = {
            "endpoint": endpoint.url,
            "ledger": str(ledger_backend.target(tmp_path / "ledger.sqlite3")),
            "base_url": server.base_url("pazy"),
            "credentials": sb.credentials("pazy"),
        }
        if point == MID_DELIVERY:
            endpoint.stall_batch = 2
            killed = _child(settings)
            _until(endpoint.stalled.is_set, killed)
        else:
            killed = _child({**settings, "point": point, "marker": str(marker)})
            _until(marker.exists, killed)
        os.kill(killed.pid, signal.SIGKILL)
        killed.communicate(timeout=60)
        assert killed.returncode == -signal.SIGKILL
        endpoint.release.set()
        assert endpoint.asked == []  # nothing to settle before the kill

        again = _child(settings)
        out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert json.loads(out)["ok"] is True
    # Every approved expense is held, once per key, and was sent at least once.
    assert endpoint.ids() == truth
    # A record always came under one key, and a key always with one record: the key the
    # ledger dedupes by (vendor, the account's scope, id), the same in both processes.
    assert all(len(ids) == 1 for ids in endpoint.ids_by_key.values())
    assert set(endpoint.received) == {idempotency_key("pazy", "localhost", i) for i in truth}
    # The run after the kill asked held_keys exactly when a batch was left unsettled, and
    # so sent nothing the endpoint held a second time.
    if point in UNSETTLED:
        assert len(endpoint.asked) == 1
        assert len(endpoint.asked[0]) == 7  # the killed batch's keys (page size 7)
    else:
        assert endpoint.asked == []
    assert max(endpoint.received.values()) == 1
