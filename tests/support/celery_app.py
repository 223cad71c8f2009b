"""The Celery app the tests' worker processes run (``celery -A support.celery_app worker``):
``expense_facade.jobs.make_app`` on the test's own broker place (``support.services``),
named by ``TEST_CELERY_BROKER``, ``TEST_CELERY_QUEUE`` and ``TEST_CELERY_TRANSPORT``
(JSON), reading the config file ``TEST_CELERY_CONFIG``.

With ``TEST_CELERY_SPANS`` naming a file, every process appends to it when it takes an
account's lock and when it is about to give it back (``held``/``freed``, its pid, the wall clock in
ns): the fault test checks from it that no account was exported by two workers at once.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from expense_facade.export.postgres.store import PostgresStore
from expense_facade.jobs import make_app

app = make_app(
    os.environ["TEST_CELERY_BROKER"],
    config_path=os.environ["TEST_CELERY_CONFIG"],
    queue=os.environ["TEST_CELERY_QUEUE"],
    transport_options=json.loads(os.environ.get("TEST_CELERY_TRANSPORT", "{}")),
)


def _span_event(kind: str, vendor: str, account: str) -> None:
    line = json.dumps([kind, vendor, account, os.getpid(), time.time_ns()]) + "\n"
    # One short write with O_APPEND: lines of several processes never interleave.
    fd = os.open(os.environ["TEST_CELERY_SPANS"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


if os.environ.get("TEST_CELERY_SPANS"):
    _hold = PostgresStore.hold
    _close = PostgresStore.close

    def _recording_hold(self: PostgresStore, vendor: str, account: str) -> bool:
        taken = _hold(self, vendor, account)
        if taken:
            _span_event("held", vendor, account)
        return taken

    def _recording_close(self: PostgresStore) -> None:
        # Logged just after taking and just before giving back: each logged span lies
        # inside the real one, so spans that overlap in the log overlapped for real.
        for vendor, account in self.held_accounts():
            _span_event("freed", vendor, account)
        _close(self)

    PostgresStore.hold = _recording_hold  # type: ignore[method-assign]
    PostgresStore.close = _recording_close  # type: ignore[method-assign]

__all__: list[Any] = ["app"]
