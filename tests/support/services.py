"""The outside services some tests need (PostgreSQL, Redis, RabbitMQ), each test in a
place of its own, dropped after it (docs/scale.md, "Tests").

A test asks for a fixture here: ``pg_url`` (a PostgreSQL URL whose ``search_path`` is a
schema made for that test), ``redis_broker`` and ``amqp_broker`` (a ``Broker``: a URL and
a queue name, a key prefix too on Redis, nobody else's). Where the service does not
answer, the test is skipped with one line naming the service and how to run it; under
``CI=true`` it fails instead, since CI's machines run every service.

Where each service is comes from ``TEST_POSTGRES_URL``, ``TEST_REDIS_URL`` and
``TEST_AMQP_URL`` (the defaults are the project machines' services). RabbitMQ gets a
queue of its own per test rather than a vhost: making vhosts needs the management API,
which these machines do not run.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Final
from urllib.parse import quote, urlsplit

import attrs
import pytest

POSTGRES_URL: Final = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL: Final = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL: Final = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")

_HOW = {
    "PostgreSQL": f"start PostgreSQL 15 at {POSTGRES_URL} (or set TEST_POSTGRES_URL)",
    "Redis": f"start Redis at {REDIS_URL} (or set TEST_REDIS_URL)",
    "RabbitMQ": f"start RabbitMQ at {AMQP_URL} (or set TEST_AMQP_URL)",
}
_URLS = {"PostgreSQL": POSTGRES_URL, "Redis": REDIS_URL, "RabbitMQ": AMQP_URL}
_DEFAULT_PORTS = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}


def in_ci() -> bool:
    """CI runs with ``CI=true`` and every service up: an absent one is a failure there."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@functools.cache
def _reachable(service: str) -> str | None:
    """None when the service accepts a TCP connection, else why not (asked once per run)."""
    parts = urlsplit(_URLS[service])
    host = parts.hostname or "127.0.0.1"
    port = parts.port or _DEFAULT_PORTS[service]
    try:
        with socket.create_connection((host, port), timeout=2.0):
            return None
    except OSError as exc:
        return f"{host}:{port}: {exc.strerror or exc}"


def require(service: str) -> None:
    """Skip the calling test (fail it under CI=true) when ``service`` does not answer."""
    why = _reachable(service)
    if why is None:
        return
    line = f"needs {service} ({why}); {_HOW[service]} to run it"
    if in_ci():
        pytest.fail(f"CI=true and {line}", pytrace=False)
    pytest.skip(line)


def unique_name(prefix: str) -> str:
    """A name no other test (of this run or another engineer's) uses: ``prefix_<hex>``."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def with_search_path(url: str, schema: str) -> str:
    """``url`` with libpq's ``options`` set so that the connection's schema is ``schema``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database, dropped with everything in it on exit; gives
    a PostgreSQL URL whose ``search_path`` is that schema."""
    require("PostgreSQL")
    import psycopg

    schema = unique_name("t")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@attrs.frozen
class Broker:
    """A broker for one test: its URL, a queue nobody else uses, and on Redis a key prefix
    (``transport_options``) so that every key the test makes is its own."""

    url: str
    queue: str
    transport_options: dict[str, object] = attrs.field(factory=dict)


@contextlib.contextmanager
def redis_place() -> Iterator[Broker]:
    """Redis with a key prefix and a queue of their own; the prefix's keys deleted on exit."""
    require("Redis")
    import redis

    prefix = unique_name("efx") + ":"
    broker = Broker(
        REDIS_URL, unique_name("export"), transport_options={"global_keyprefix": prefix}
    )
    try:
        yield broker
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=prefix + "*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@contextlib.contextmanager
def amqp_place() -> Iterator[Broker]:
    """RabbitMQ with a queue of its own, deleted on exit (no vhost: making one needs the
    management API, which these machines do not run)."""
    require("RabbitMQ")
    import kombu

    broker = Broker(AMQP_URL, unique_name("export"))
    try:
        yield broker
    finally:
        with kombu.Connection(AMQP_URL, connect_timeout=5) as conn:
            channel = conn.channel()
            try:
                channel.queue_delete(broker.queue)
            finally:
                channel.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL for this test alone (``postgres_schema``)."""
    with postgres_schema() as url:
        yield url


@pytest.fixture
def kept_connections() -> Iterator[None]:
    """This process keeps its PostgreSQL connections, as a worker process does
    (``connection.keep_connections``); after the test it keeps none and closes them."""
    from expense_facade.export.postgres import connection

    connection.keep_connections()
    try:
        yield
    finally:
        parked = [conn for idle in connection._Kept.idle.values() for conn in idle]
        connection._Kept.pid = None
        connection._Kept.idle = {}
        for conn in parked:
            conn.close()


@pytest.fixture
def redis_broker() -> Iterator[Broker]:
    """Redis for this test alone (``redis_place``)."""
    with redis_place() as broker:
        yield broker


@pytest.fixture
def amqp_broker() -> Iterator[Broker]:
    """RabbitMQ for this test alone (``amqp_place``)."""
    with amqp_place() as broker:
        yield broker


__all__ = [
    "AMQP_URL",
    "POSTGRES_URL",
    "REDIS_URL",
    "Broker",
    "amqp_broker",
    "amqp_place",
    "in_ci",
    "pg_url",
    "postgres_schema",
    "redis_broker",
    "redis_place",
    "require",
    "unique_name",
    "with_search_path",
]
