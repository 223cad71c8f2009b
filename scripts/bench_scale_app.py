"""The Celery app of the ``workers`` benchmark's worker processes (``bench_scale.py``):
``expense_facade.jobs.make_app`` on ``BENCH_BROKER``, queue ``BENCH_QUEUE``, config file
``BENCH_CONFIG``, every Redis key under ``BENCH_KEYPREFIX`` (deleted after the run)."""

from __future__ import annotations

import os

from expense_facade.jobs import make_app

app = make_app(
    os.environ["BENCH_BROKER"],
    config_path=os.environ["BENCH_CONFIG"],
    queue=os.environ["BENCH_QUEUE"],
    transport_options={"global_keyprefix": os.environ["BENCH_KEYPREFIX"]},
)
