"""The service fixtures (tests/support/services.py): each test gets a place of its own,
gone after it; an absent service skips with one line, or fails under CI=true."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import kombu
import psycopg
import pytest
import redis
from support import services
from support.services import POSTGRES_URL, REDIS_URL


@pytest.fixture
def absent_postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """PostgreSQL pointed at a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(services._URLS, "PostgreSQL", f"postgresql://127.0.0.1:{port}/x")
    services._reachable.cache_clear()
    yield
    services._reachable.cache_clear()


@pytest.mark.usefixtures("absent_postgres")
def test_an_absent_service_skips_with_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        services.require("PostgreSQL")
    line = str(skipped.value)
    assert "\n" not in line
    assert line.startswith("needs PostgreSQL (127.0.0.1:")
    assert "TEST_POSTGRES_URL" in line


@pytest.mark.usefixtures("absent_postgres")
def test_an_absent_service_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^CI=true and needs PostgreSQL"):
        services.require("PostgreSQL")


def _schemas() -> set[str]:
    with psycopg.connect(POSTGRES_URL) as conn:
        return {row[0] for row in conn.execute("SELECT nspname FROM pg_namespace")}


def test_a_postgres_schema_is_the_tests_own_and_dropped_after() -> None:
    services.require("PostgreSQL")
    before = _schemas()
    with services.postgres_schema() as url, psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
        assert row is not None
        schema = row[0]
        conn.execute("CREATE TABLE probe (n int)")
        conn.commit()
        assert schema not in before
        assert schema in _schemas()
    assert schema not in _schemas()


def test_redis_keys_under_the_prefix_are_deleted_after() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        with services.redis_place() as broker:
            key = f"{broker.transport_options['global_keyprefix']}probe"
            client.set(key, b"1")
            assert client.exists(key)
        assert not client.exists(key)
    finally:
        client.close()


def test_an_amqp_queue_is_the_tests_own_and_deleted_after() -> None:
    with services.amqp_place() as broker, kombu.Connection(broker.url) as conn:
        queue = kombu.Queue(broker.queue, durable=False)
        queue(conn.channel()).declare()
        assert conn.default_channel.queue_declare(broker.queue, passive=True).queue
    with kombu.Connection(broker.url) as conn, pytest.raises(conn.channel_errors):
        conn.default_channel.queue_declare(broker.queue, passive=True)


def test_two_places_never_share_a_name() -> None:
    with services.redis_place() as one, services.amqp_place() as two:
        assert one.queue != two.queue
