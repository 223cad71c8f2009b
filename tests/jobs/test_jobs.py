"""expense_facade.jobs on a real broker (Redis and RabbitMQ) and a real worker: one task
exports one account and returns its summary as JSON; typed errors decide the retries; the
beat schedule comes from the config's accounts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expense_facade import jobs
from expense_facade.config import Config
from expense_facade.errors import AuthenticationError, RateLimitError, ServerError
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.faults import Fault
from expense_facade.sandbox.server import SandboxServer
from support import workers
from support.services import Broker

VENDOR = "brex"
pytestmark = pytest.mark.slow  # worker processes start in seconds each


@pytest.fixture(params=["redis", "amqp"])
def broker(request: pytest.FixtureRequest) -> Broker:
    """The export runs once on Redis and once on RabbitMQ (the retry rules are the
    task's own, whatever the broker: tested on Redis, a worker start costs seconds)."""
    name = "redis_broker" if request.param == "redis" else "amqp_broker"
    value: Broker = request.getfixturevalue(name)
    return value


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, SandboxServer]]:
    sb = Sandbox(seed=20, size=12)
    with sb.serve() as server:
        yield sb, server


def write_config(path: Path, server: SandboxServer, tmp: Path, **brex: str) -> Path:
    """A config file with the sandbox's brex account and a Pazy account named ``acme``."""
    lines = ["[export]", f'out = "{tmp / "out"}/"', f'ledger = "{tmp / "ledger.sqlite3"}"', ""]
    creds = {**server.sandbox.credentials(VENDOR), **brex}
    lines += ["[brex]", f'base_url = "{server.base_url(VENDOR)}"']
    lines += [f'{key} = "{value}"' for key, value in creds.items()]
    lines += ["", "[pazy.acme]", f'base_url = "{server.base_url("pazy")}"']
    lines += [f'{key} = "{value}"' for key, value in server.sandbox.credentials("pazy").items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def worker_for(tmp_path: Path) -> Iterator[Any]:
    """Starts one worker process on a broker for a config file; gives the app that talks
    to it. A test asks for it after its broker: fixtures end in reverse order, so the
    worker stops before its queue is deleted (a live worker declares it again, and it
    would stay behind in the machine's RabbitMQ)."""
    started: list[tuple[Any, Any]] = []

    def start(broker: Broker, config: Path) -> Any:
        env = workers.worker_env(broker, config)
        process = workers.start(env, "w1", tmp_path / "worker.log")
        app = workers.client_app(broker, config)
        started.append((process, app))
        return app

    yield start
    for process, app in started:
        workers.stop(process)
        app.close()


def run_task(app: Any, *args: Any) -> tuple[Any, Any]:
    result = app.send_task(jobs.TASK_NAME, args=args)
    return result, result.get(timeout=120, propagate=False)


def test_a_task_exports_one_account_once_and_returns_its_summary(
    broker: Broker, worker_for: Any, served: tuple[Sandbox, SandboxServer], tmp_path: Path
) -> None:
    sb, server = served
    app = worker_for(broker, write_config(tmp_path / "config.toml", server, tmp_path))
    truth = sorted(sb.vendor(VENDOR).approved_ids())
    _, first = run_task(app, VENDOR, None)
    _, second = run_task(app, VENDOR, None)
    json.dumps(first)  # the result is JSON as it is
    assert first["account"] == VENDOR
    assert first["ok"] is True
    assert first["exported"] == len(truth)
    assert first["held_elsewhere"] == []
    assert second["exported"] == 0
    lines = (tmp_path / "out" / "brex.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == truth
    # One account per task: the other configured account was not exported.
    assert not (tmp_path / "out" / "pazy.acme.jsonl").exists()
    _, named = run_task(app, "pazy", "acme")
    assert named["account"] == "pazy.acme"
    lines = (tmp_path / "out" / "pazy.acme.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        sb.vendor("pazy").approved_ids()
    )


def test_an_authentication_error_is_never_retried(
    redis_broker: Broker, worker_for: Any, served: tuple[Sandbox, SandboxServer], tmp_path: Path
) -> None:
    _, server = served
    app = worker_for(
        redis_broker, write_config(tmp_path / "config.toml", server, tmp_path, token="wrong")
    )
    result, outcome = run_task(app, VENDOR, None)
    assert result.state == "FAILURE"
    assert type(outcome).__name__ == "AccountExportFailed"
    assert str(outcome).startswith("brex: HTTP 401")
    assert result.retries == 0
    assert "Retry in" not in (tmp_path / "worker.log").read_text()


def test_a_rate_limit_retries_after_the_vendors_retry_after(
    redis_broker: Broker, worker_for: Any, served: tuple[Sandbox, SandboxServer], tmp_path: Path
) -> None:
    sb, server = served
    # Longer than the HTTP layer waits by itself: the listing stops with a RateLimitError.
    sb.faults.add(VENDOR, None, Fault.status(429, retry_after="900"), times=None)
    app = worker_for(redis_broker, write_config(tmp_path / "config.toml", server, tmp_path))
    result = app.send_task(jobs.TASK_NAME, args=(VENDOR, None))
    log = tmp_path / "worker.log"
    workers.wait_until(lambda: "Retry in" in log.read_text(), 120, "the task to be retried")
    assert result.state == "RETRY"
    assert "Retry in 900.0s: AccountExportFailed('brex: HTTP 429 " in log.read_text()
    result.revoke()


def test_retry_waits_follow_the_typed_errors() -> None:
    assert jobs.retry_wait(RateLimitError("slow down", vendor="brex", retry_after=42.0), 0) == 42.0
    assert jobs.retry_wait(AuthenticationError("no", vendor="brex", status=401), 0) is None
    backoff = [jobs.retry_wait(ServerError("boom", vendor="brex", status=503), n) for n in range(3)]
    assert backoff == [jobs.RETRY_BACKOFF_S, 2 * jobs.RETRY_BACKOFF_S, 4 * jobs.RETRY_BACKOFF_S]
    huge = RateLimitError("slow down", vendor="brex", retry_after=10**9)
    assert jobs.retry_wait(huge, 0) == jobs.MAX_RETRY_WAIT_S


def test_the_beat_schedule_has_every_configured_account(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[jobs]\nevery = 300\n[brex]\ntoken = "t"\n[pazy.acme]\napi_key = "k"\n'
        '[pazy.zeta]\napi_key = "k"\n'
    )
    schedule = jobs.beat_schedule(Config.load(path))
    assert sorted(schedule) == ["export brex", "export pazy.acme", "export pazy.zeta"]
    assert schedule["export pazy.acme"]["args"] == ("pazy", "acme")
    assert {entry["task"] for entry in schedule.values()} == {jobs.TASK_NAME}
    assert {entry["schedule"] for entry in schedule.values()} == {300.0}


def test_the_result_says_when_another_worker_held_the_account() -> None:
    from expense_facade.export.pipeline import held_elsewhere
    from support.export_fakes import FakeClient

    result = jobs.summary_json(held_elsewhere(FakeClient("brex", [])), "brex.acme")
    assert result["held_elsewhere"] == ["brex (fake-account)"]
    assert result["exported"] == 0
