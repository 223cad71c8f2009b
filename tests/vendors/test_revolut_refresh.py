"""Revolut's refresh flow (issue 15): ``RevolutRefreshToken`` against the sandbox's
``POST /auth/token``, on the sandbox clock (docs/vendors/revolut.md, "Unattended"). The
tests through a client run on the sync and the async one (issue 25)."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
from expense_facade._http.session import RateLimit
from expense_facade.clock import FakeClock
from expense_facade.errors import AuthenticationError, ConfigurationError
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.app import Exchange
from expense_facade.sandbox.vendors.revolut import ACCESS_TOKEN_SECONDS, RevolutSim
from expense_facade.vendors.revolut import RevolutRefreshToken as ReExported
from expense_facade.vendors.revolut_auth import EXTRA, RevolutRefreshToken
from support.sandbox import (
    NO_JITTER,
    connect,
    connecting,
    drivers_fixture,
    in_process,
    runs_once,
)

_driver = drivers_fixture(globals())
NOT_A_CLIENT = runs_once("about the token provider or the sandbox, not a client")

SIZE = 1400  # about 600 approved expenses


def _sandbox() -> Sandbox:
    return Sandbox(seed=5, size=SIZE, clock=FakeClock(), vendors=("revolut",), auth="refresh")


def _sim(sb: Sandbox) -> RevolutSim:
    sim = sb.vendor("revolut")
    assert isinstance(sim, RevolutSim)
    return sim


def _advance_per_request(sb: Sandbox, seconds: float) -> list[Exchange]:
    """The log of answered requests; the clients of these tests are paced to one request
    per ``seconds`` (``_paced``) on the sandbox clock, which moves time on between two
    requests (never during one: a request's own deadline runs on that clock)."""
    seen: list[Exchange] = []
    sb.add_observer(seen.append)
    return seen


def _paced(seconds: float) -> RateLimit:
    return RateLimit(1, seconds)


def _ids(client: ef.ExpenseClient, page_size: int = 50) -> list[str]:
    return [e.id for e in client.list_approved(page_size=page_size)]


@NOT_A_CLIENT
def test_the_provider_is_exported_where_the_token_option_is_documented() -> None:
    assert ReExported is RevolutRefreshToken


def test_an_export_across_three_hours_refreshes_ahead_and_reads_everything_once() -> None:
    sb = _sandbox()
    seen = _advance_per_request(sb, 240)  # four minutes of the sandbox clock per request
    with connect(sb, "revolut", retry_policy=NO_JITTER, rate_limit=_paced(240)) as client:
        ids = _ids(client, page_size=8)
    sim = _sim(sb)
    hours = (sb.clock.now() - FakeClock().now()).total_seconds() / 3600
    assert hours >= 3
    assert len(ids) == len(set(ids))
    assert set(ids) == set(sim.approved_ids())
    # A token lives 40 minutes (4 requests here): refreshed ahead of expiry, never refused.
    assert sim.tokens_issued >= hours * 3600 // ACCESS_TOKEN_SECONDS
    assert sim.tokens_refused == 0
    assert [e.path for e in seen].count("/auth/token") == sim.tokens_issued


def test_a_refresh_retried_past_the_assertion_life_signs_each_attempt_anew() -> None:
    # Two minutes of the sandbox clock before each request: the fourth attempt leaves six
    # minutes after the first, past the five an assertion lives. Sent again, the first
    # assertion would be refused and the export would stop asking to re-authorise.
    sb = _sandbox()
    rule = sb.faults.add("revolut", "POST /auth/token", Fault.status(503), times=3)
    with connect(sb, "revolut", retry_policy=NO_JITTER, rate_limit=_paced(120)) as client:
        expense = client.get_expense(next(_sim(sb).approved_ids()))
    assert rule.fired == 3
    assert expense.id is not None
    assert _sim(sb).tokens_issued == 1


def test_a_token_ended_early_is_refused_with_401_and_refreshed_once() -> None:
    # Revolut ends the token before the expiry the client holds: only the 401 says so.
    sb = _sandbox()
    sim = _sim(sb)
    seen = _advance_per_request(sb, 60)
    sb.add_observer(lambda _: sim.expire_access_tokens() if len(seen) % 3 == 0 else None)
    client = connect(sb, "revolut", retry_policy=NO_JITTER, rate_limit=_paced(60))
    with client:
        ids = _ids(client)
    sim = _sim(sb)
    assert set(ids) == set(sim.approved_ids())
    assert len(ids) == len(set(ids))
    assert sim.tokens_refused >= 3
    assert sim.tokens_issued == sim.tokens_refused + 1  # one refresh per refusal


@pytest.mark.sync_only("threads; the tasks' one refresh: tests/core/test_async_client.py")
def test_fan_out_threads_share_one_refresh() -> None:
    sb = _sandbox()
    sim = _sim(sb)
    ids = list(sim.approved_ids())[:40]
    with ef.connect("revolut", sandbox=sb, retry_policy=NO_JITTER) as client:
        got = [e.id for e in client.get_expenses(ids, concurrency=8)]
    assert got == ids
    assert sim.tokens_issued == 1


@NOT_A_CLIENT
def test_the_provider_refreshes_one_at_a_time() -> None:
    sb = _sandbox()
    settings: dict[str, Any] = sb.credentials("revolut")
    provider = RevolutRefreshToken(**settings)
    clock = FakeClock()
    calls: list[int] = []
    gate = threading.Barrier(8)

    def request(form: Any) -> tuple[str, float]:
        calls.append(1)
        return f"tok-{len(calls)}", 2400.0

    results: list[str] = []

    def ask() -> None:
        gate.wait()
        results.append(provider.access_token(request, clock))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["tok-1"] * 8
    assert len(calls) == 1
    provider.refused("tok-1")
    provider.refused("tok-1")  # a second thread's 401 on the same token: no second refresh
    assert provider.access_token(request, clock) == "tok-2"
    provider.refused("tok-1")  # stale: the token was already replaced
    assert provider.access_token(request, clock) == "tok-2"
    clock.advance(2400 - provider.margin)  # within the margin of expiry: refreshed ahead
    assert provider.access_token(request, clock) == "tok-3"


def _refused(sb: Sandbox, **credentials: Any) -> AuthenticationError:
    with (
        connect(sb, "revolut", retry_policy=NO_JITTER, **credentials) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.get_expense(next(_sim(sb).approved_ids()))
    return caught.value


def test_a_refused_refresh_token_is_one_error_saying_to_reauthorise() -> None:
    sb = _sandbox()
    _sim(sb).revoke_refresh_token()
    error = _refused(sb)
    message = str(error)
    assert "\n" not in message
    assert "re-authorise the app" in message
    assert "HTTP 400" in message
    assert error.status == 400
    assert sum(1 for r in sb.requests if r.route == "GET /expenses/{expense_id}") == 0


@NOT_A_CLIENT
def test_an_assertion_signed_with_another_key_is_refused(tmp_path: Path) -> None:
    sb = _sandbox()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings: dict[str, Any] = sb.credentials("revolut")
    key = tmp_path / "other.pem"
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key.write_bytes(pem)
    settings.pop("private_key")
    # Through connect's settings: the key from a path, the sandbox's own client id.
    client = ef.connect(
        "revolut",
        base_url=sb.base_url("revolut"),
        transport=sb.transport(),
        clock=sb.clock,
        retry_policy=NO_JITTER,
        private_key_path=str(key),
        **settings,
    )
    with pytest.raises(AuthenticationError, match="re-authorise") as caught:
        client.get_expense(next(_sim(sb).approved_ids()))
    assert caught.value.status == 401


@NOT_A_CLIENT
def test_the_sandbox_checks_grant_client_and_claims() -> None:
    import httpx
    import jwt

    sb = _sandbox()
    settings: dict[str, Any] = sb.credentials("revolut")
    provider = RevolutRefreshToken(**settings)
    now = sb.clock.now()
    http = httpx.Client(transport=sb.transport(), base_url=sb.base_url("revolut"))

    def post(**changes: str) -> httpx.Response:
        return http.post("/auth/token", data={**provider.refresh_form(now), **changes})

    ok = post()
    assert ok.status_code == 200
    assert ok.json()["expires_in"] == ACCESS_TOKEN_SECONDS
    assert ok.json()["token_type"] == "bearer"
    assert post(grant_type="authorization_code").json()["error"] == "unsupported_grant_type"
    assert post(client_id="someone-else").status_code == 401
    assert post(refresh_token="nope").json()["error"] == "invalid_grant"
    claims = {"iss": settings["issuer"], "sub": settings["client_id"], "aud": "https://revolut.com"}
    key = settings["private_key"]
    exp = int(now.timestamp()) + 60
    for bad in (
        {**claims, "aud": "https://example.com", "exp": exp},
        {**claims, "iss": "elsewhere.example", "exp": exp},
        {**claims, "sub": "another-client", "exp": exp},
        {**claims, "exp": int(now.timestamp()) - 1},  # expired on the sandbox clock
        claims,  # no exp
    ):
        assertion = jwt.encode(bad, key, algorithm="RS256")
        assert post(client_assertion=assertion).status_code == 401, bad
    unsigned = jwt.encode({**claims, "exp": exp}, "not-the-key-" * 4, algorithm="HS256")
    assert post(client_assertion=unsigned).status_code == 401
    # The issued token works for 40 minutes of the sandbox clock, then is Revolut's 401.
    token = ok.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get("/expenses", params={"count": 1}, headers=headers).status_code == 200
    assert isinstance(sb.clock, FakeClock)
    sb.clock.advance(ACCESS_TOKEN_SECONDS)
    refused = http.get("/expenses", params={"count": 1}, headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == 9001


def test_static_token_sandbox_use_is_unchanged() -> None:
    sb = Sandbox(seed=5, size=50, clock=FakeClock(), vendors=("revolut",))
    assert set(sb.credentials("revolut")) == {"token"}
    sb.clock.advance(10 * ACCESS_TOKEN_SECONDS)  # type: ignore[attr-defined]
    with connect(sb, "revolut") as client:
        assert _ids(client)
    assert _sim(sb).tokens_issued == 0


def test_connect_takes_either_token_or_the_refresh_settings(
    tmp_path: Path, client_driver: str
) -> None:
    open_client = connecting(client_driver)
    sb = _sandbox()
    settings: dict[str, Any] = sb.credentials("revolut")
    key = tmp_path / "key.pem"
    key.write_text(settings.pop("private_key"))
    common: dict[str, Any] = {
        "base_url": sb.base_url("revolut"),
        "transport": in_process(sb, client_driver),
    }
    with open_client("revolut", private_key_path=key, **settings, **common) as client:
        assert _ids(client)
    with pytest.raises(ConfigurationError, match="either token or the refresh settings"):
        open_client("revolut", token="abcd", private_key_path=key, **settings, **common)
    settings.pop("issuer")
    with pytest.raises(ConfigurationError, match="lack issuer"):
        open_client("revolut", private_key_path=key, **settings, **common)
    with pytest.raises(ConfigurationError, match="give token"):
        open_client("revolut", **common)
    with pytest.raises(ConfigurationError, match="cannot read the private key file"):
        RevolutRefreshToken(**_named(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="not a PEM RSA private key"):
        RevolutRefreshToken(**_named(b"-----BEGIN PRIVATE KEY-----\nAAAA\n"))
    # A string is the PEM itself, never a path: not even one naming the key's own file
    # (private_key_path, or a pathlib.Path, names a file).
    for text in ("notapem", str(key)):
        with pytest.raises(ConfigurationError, match="private_key holds the PEM itself"):
            RevolutRefreshToken(**_named(text))
        with pytest.raises(ConfigurationError, match="private_key holds the PEM itself"):
            open_client("revolut", private_key=text, **settings, issuer="i", **common)
    assert RevolutRefreshToken(**_named(key)).refreshes == 0


@NOT_A_CLIENT
def test_without_pyjwt_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    sb = _sandbox()
    settings: dict[str, Any] = sb.credentials("revolut")
    monkeypatch.setitem(sys.modules, "jwt", None)  # import jwt now fails
    with pytest.raises(ConfigurationError, match=EXTRA) as caught:
        RevolutRefreshToken(**settings)
    assert "\n" not in str(caught.value)
    import httpx

    http = httpx.Client(transport=sb.transport(), base_url=sb.base_url("revolut"))
    answer = http.post("/auth/token", data={"grant_type": "refresh_token"})
    assert answer.status_code == 501
    assert EXTRA in answer.json()["error_description"]
    # The static token still works with the extra missing.
    static = Sandbox(seed=5, size=20, clock=FakeClock(), vendors=("revolut",))
    with ef.connect("revolut", sandbox=static) as client:
        assert _ids(client)


def test_secrets_stay_out_of_logs_reprs_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sb = _sandbox()
    seen = _advance_per_request(sb, 600)
    sim = _sim(sb)
    sb.add_observer(lambda _: sim.expire_access_tokens() if len(seen) % 3 == 0 else None)
    client = connect(sb, "revolut", retry_policy=NO_JITTER, rate_limit=_paced(240))
    with client:
        _ids(client, page_size=40)
    settings: dict[str, Any] = sb.credentials("revolut")
    assertions = [
        dict(_form(e.request.body))["client_assertion"] for e in seen if e.path == "/auth/token"
    ]
    assert len(assertions) >= 2
    _sim(sb).revoke_refresh_token()
    sb.clock.advance(ACCESS_TOKEN_SECONDS)  # type: ignore[attr-defined]
    error = _refused(sb)
    shown = "\n".join(
        [
            caplog.text,
            repr(client),
            repr(_provider_of(client)),
            repr(RevolutRefreshToken(**settings)),
            str(error),
            repr(error),
        ]
    )
    assert "refreshing it" in caplog.text  # the 401 path ran and logged
    secrets = [settings["refresh_token"], *assertions]
    secrets += [line for line in settings["private_key"].splitlines() if "-----" not in line]
    for secret in secrets:
        assert secret not in shown


def _provider_of(client: Any) -> Any:
    """The client's live refresh provider (the async client's, behind the sync view)."""
    async_client = getattr(client, "async_client", None)
    return (client if async_client is None else async_client._logic)._provider


def _named(private_key: object) -> dict[str, Any]:
    return {"client_id": "c", "refresh_token": "r123", "private_key": private_key, "issuer": "i"}


def _form(body: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(body.decode())


def test_the_token_request_carries_the_callers_extra_headers() -> None:
    # docs/library.md, "Per-call options": extra headers go with every request of the
    # client, the token call (a request without the vendor's auth) too.
    sb = _sandbox()
    with connect(sb, "revolut") as base:
        client = base.with_options(extra_headers={"X-Trace-Id": "trace-7"})
        assert _ids(client, page_size=100)
    sent = [(r.url, {k.lower(): v for k, v in r.headers.items()}) for r in sb.requests]
    token_calls = [headers for url, headers in sent if url.endswith("/auth/token")]
    assert token_calls  # the refresh flow asked for a token
    assert all(headers.get("x-trace-id") == "trace-7" for _, headers in sent), sent[:2]
