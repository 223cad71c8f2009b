"""The Celery app the tests' worker processes run (``celery -A support.celery_app worker``):
``expense_facade.jobs.make_app`` on the test's own broker place (``support.services``),
named by ``TEST_CELERY_BROKER``, ``TEST_CELERY_QUEUE`` and ``TEST_CELERY_TRANSPORT``
(JSON), reading the config file ``TEST_CELERY_CONFIG``."""

from __future__ import annotations

import json
import os

from expense_facade.jobs import make_app

app = make_app(
    os.environ["TEST_CELERY_BROKER"],
    config_path=os.environ["TEST_CELERY_CONFIG"],
    queue=os.environ["TEST_CELERY_QUEUE"],
    transport_options=json.loads(os.environ.get("TEST_CELERY_TRANSPORT", "{}")),
)
