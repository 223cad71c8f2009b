"""Fixtures for cassette replay: the network blocked, and a scenario replayed through the facade.

Replay needs no server, so ``network_blocked`` refuses every socket connection, loopback
included: a request that escapes vcrpy fails the test with ``NetworkBlocked`` instead of
reaching anything. ``replay(vendor, scenario)`` runs the recorder's own scenario code
(``scripts/record_cassettes.py``) against the committed cassette in record mode
``"none"``, with placeholder credentials and the placeholder base URL.
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
import record_cassettes as rc
from expense_facade.clock import FakeClock
from expense_facade.testing.cassettes import make_vcr, vcr_config
from support.sandbox import DRIVERS, connecting
from vcr.errors import CannotOverwriteExistingCassetteException

CASSETTE_ROOT = Path(__file__).parent
PLACEHOLDER_SECRET = "replay-placeholder-credential"


class NetworkBlocked(RuntimeError):
    """A socket connection was attempted during a replay test.

    Deliberately not an ``OSError``: httpx would turn that into a connection error the
    facade may retry or wrap; this must surface as it is."""


@pytest.fixture(scope="session", name="vcr_config")
def replay_only_vcr_config() -> dict[str, Any]:
    """pytest-recording's configuration for this suite: the library's, replay only (record
    mode "none" whatever ``--record-mode`` says; cassettes are recorded with
    scripts/record_cassettes.py)."""
    return vcr_config(record_mode="none")


@pytest.fixture
def network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``socket.connect``/``connect_ex``/``create_connection`` raises ``NetworkBlocked``
    (non-loopback and loopback alike) for the duration of the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        target = next((a for a in args if isinstance(a, tuple)), args[-1] if args else "?")
        raise NetworkBlocked(f"network access during a replay test: {target!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def replay_credentials(vendor: str) -> dict[str, Any]:
    """Placeholder credentials with the recording's non-secret arguments (company id,
    version), which appear in URLs and so must be the same."""
    real = rc.recording_sandbox().credentials(vendor)
    return {
        name: PLACEHOLDER_SECRET if name in rc.SECRET_CREDENTIALS else value
        for name, value in real.items()
    }


def _cassette_failure(exc: BaseException) -> CannotOverwriteExistingCassetteException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, CannotOverwriteExistingCassetteException):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


Replay = Callable[..., rc.Outcome]


def run_replay(
    vendor: str,
    name: str,
    *,
    root: Path = CASSETTE_ROOT,
    run: Callable[[str, rc.Connect], rc.Outcome] | None = None,
    driver: str = "sync",
) -> rc.Outcome:
    """Replay scenario ``name`` of ``vendor`` from ``root/<vendor>/<name>.yaml`` through
    ``driver``'s client (``connect``'s, or ``aconnect``'s seen through a sync view).

    ``run`` replaces the scenario's code (to send a request the cassette lacks). If the
    facade ever wrapped vcrpy's "cannot play back" error into one of its own, it is
    unwrapped here, so the test still fails with vcrpy's message. Every recorded
    interaction must be played: a replay that stops early fails too.
    """
    item = rc.scenario(name)
    target = rc.Target(vendor, rc.cassette_base_url(vendor), replay_credentials(vendor))
    player = make_vcr(root / vendor, record_mode="none")  # replay only
    with player.use_cassette(name) as cassette:
        try:
            connect = rc.connector(target, FakeClock(rc.START), connecting(driver))
            outcome = (run or item.run)(vendor, connect)
        except ef.ExpenseFacadeError as exc:
            cause = _cassette_failure(exc)
            if cause is not None:
                raise cause from exc
            raise
        unplayed = len(cassette) - len(cassette.play_counts)
        assert unplayed == 0, f"{vendor}/{name}: {unplayed} recorded interaction(s) not replayed"
    return outcome


@pytest.fixture(params=DRIVERS)
def replay(network_blocked: None, request: pytest.FixtureRequest) -> Replay:
    """``replay(vendor, scenario, root=..., run=...)`` under a blocked network, on the sync
    client, then on the async one (the same cassettes: issue 25, parity)."""
    return functools.partial(run_replay, driver=request.param)


@pytest.fixture
def sandbox() -> Any:
    """The recording sandbox (same seed, size and clock): the ground truth of replays."""
    return rc.recording_sandbox()
