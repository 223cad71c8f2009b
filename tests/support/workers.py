"""Celery worker processes for the tests (``support.celery_app``): started on a test's
own broker place, stopped (or killed) by the test, never left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from support.services import Broker

TESTS = Path(__file__).resolve().parent.parent


def worker_env(broker: Broker, config: Path, **extra: str) -> dict[str, str]:
    """The environment a worker (or a client app) of this test runs with."""
    env = dict(os.environ)
    env.update(
        TEST_CELERY_BROKER=broker.url,
        TEST_CELERY_QUEUE=broker.queue,
        TEST_CELERY_TRANSPORT=json.dumps(broker.transport_options),
        TEST_CELERY_CONFIG=str(config),
        PYTHONPATH=os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]),
        **extra,
    )
    return env


def start(
    env: dict[str, str], name: str, log: Path, *, concurrency: int = 1, pool: str = "prefork"
) -> subprocess.Popen[bytes]:
    """One worker named ``name`` (a ``prefork`` pool of ``concurrency``, or ``solo``: the
    task runs in the worker process itself).

    The node name carries the test's own queue: RabbitMQ gives each node name one
    exclusive control queue, so a worker named as one of another test run's on this
    machine stops at start ("RESOURCE_LOCKED ... Unrecoverable error")."""
    node = f"{name}.{env['TEST_CELERY_QUEUE']}@%h"
    command = [
        sys.executable, "-m", "celery", "-A", "support.celery_app", "worker",
        "--pool", pool, "--concurrency", str(concurrency), "--hostname", node,
        "--loglevel", "INFO", "--without-mingle", "--without-gossip", "--without-heartbeat",
        "-Q", env["TEST_CELERY_QUEUE"],
    ]  # fmt: skip
    handle = open(log, "ab")  # noqa: SIM115 - the child owns it until it ends
    try:
        return subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        handle.close()


def stop(process: subprocess.Popen[bytes], *, kill: bool = False) -> None:
    """End the worker and its pool children (SIGKILL with ``kill``, else SIGTERM then
    SIGKILL after 20 s)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


@contextmanager
def running(
    env: dict[str, str], log: Path, *, concurrency: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    """A worker for the duration of the block."""
    process = start(env, "w1", log, concurrency=concurrency)
    try:
        yield process
    finally:
        stop(process)


def client_app(broker: Broker, config: Path) -> Any:
    """An app that sends tasks to (and reads results from) the test's workers."""
    from expense_facade.jobs import make_app

    return make_app(
        broker.url, config_path=config, queue=broker.queue,
        transport_options=broker.transport_options,
    )  # fmt: skip


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    """Poll ``predicate`` until true; AssertionError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
