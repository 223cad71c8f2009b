"""The retry matrix rows that concern the shared HTTP layer (RELIABILITY.md), against a
scripted transport with a fake clock: attempts and sleeps are asserted exactly."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from expense_facade._http.error_mapping import attempts_of
from expense_facade._http.pacing import TokenBucket
from expense_facade._http.retry import RetryPolicy, parse_retry_after
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    RateLimitError,
    ServerError,
)
from support.scripted_http import SECRET, Script, reply, session

BACKOFFS = [0.5, 1.0, 2.0]  # base 0.5 doubled, no jitter, 3 retries


def test_connect_error_is_retried_then_raises_a_connection_error(driver: str) -> None:
    clock = FakeClock()
    script = Script(httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError) as info:
        session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.attempts == 4
    assert len(script.requests) == 4
    assert clock.sleeps == BACKOFFS
    assert "4 attempts" in str(info.value)


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect timed out")]
)
def test_connect_phase_failure_is_retried_even_for_an_unsafe_write(
    failure: Exception, driver: str
) -> None:
    clock = FakeClock()
    script = Script(failure, reply(201, json={"id": "1"}))
    response = session(script, clock=clock, driver=driver).send("POST", "/things", json={"a": 1})
    assert response.status_code == 201
    assert attempts_of(response) == 2
    assert clock.sleeps == [0.5]


def test_read_timeout_on_a_read_is_retried_up_to_the_limit(driver: str) -> None:
    clock = FakeClock()
    script = Script(httpx.ReadTimeout("timed out"))
    with pytest.raises(APITimeoutError) as info:
        session(script, clock=clock, max_retries=2, driver=driver).send("GET", "/expenses")
    assert info.value.attempts == 3
    assert len(script.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_read_timeout_on_an_unsafe_write_is_not_retried(driver: str) -> None:
    clock = FakeClock()
    script = Script(httpx.ReadTimeout("timed out"), reply(200, json={}))
    with pytest.raises(APITimeoutError) as info:
        session(script, clock=clock, driver=driver).send("POST", "/things", json={"a": 1})
    assert info.value.attempts == 1
    assert len(script.requests) == 1
    assert clock.sleeps == []
    assert "not safe" in str(info.value)


def test_read_timeout_on_a_safe_write_is_retried_with_the_same_body(driver: str) -> None:
    clock = FakeClock()
    script = Script(httpx.ReadTimeout("timed out"), reply(200, json={"ok": True}))
    response = session(script, clock=clock, driver=driver).send(
        "POST", "/transaction", json={"transactionId": "tx-1"}, retry_safe=True
    )
    assert attempts_of(response) == 2
    assert [r.content for r in script.requests] == [b'{"transactionId":"tx-1"}'] * 2
    assert clock.sleeps == [0.5]


def test_429_with_retry_after_seconds_waits_that_long(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(429, headers={"Retry-After": "7"}), reply(200, json=[]))
    response = session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert attempts_of(response) == 2
    assert clock.sleeps == [7.0]


def test_429_with_retry_after_as_http_date_waits_until_then(driver: str) -> None:
    clock = FakeClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    script = Script(
        reply(429, headers={"Retry-After": "Thu, 01 Jan 2026 00:00:30 GMT"}), reply(200, json=[])
    )
    session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert clock.sleeps == [30.0]


def test_429_with_a_far_too_long_retry_after_gives_up_at_once(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(429, headers={"Retry-After": "3600"}), reply(200, json=[]))
    with pytest.raises(RateLimitError) as info:
        session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert info.value.retry_after == 3600.0
    assert info.value.attempts == 1
    assert info.value.status == 429
    assert len(script.requests) == 1
    assert clock.sleeps == []
    assert "3600 s" in str(info.value)


def test_429_without_retry_after_backs_off_then_raises_rate_limit_error(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(429))
    with pytest.raises(RateLimitError) as info:
        session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert info.value.attempts == 4
    assert info.value.retry_after is None
    assert clock.sleeps == BACKOFFS


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_transient_status_then_success(status: int, driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(status), reply(status), reply(200, json={"ok": 1}))
    response = session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert response.json() == {"ok": 1}
    assert attempts_of(response) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_persistent_5xx_raises_server_error_after_the_retries(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(503, json={"message": "down"}))
    with pytest.raises(ServerError) as info:
        session(script, clock=clock, driver=driver).send("GET", "/expenses")
    assert info.value.attempts == 4
    assert info.value.status == 503
    assert clock.sleeps == BACKOFFS


def test_5xx_on_an_unsafe_write_is_not_retried(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(500), reply(200, json={}))
    with pytest.raises(ServerError) as info:
        session(script, clock=clock, driver=driver).send("POST", "/things", json={})
    assert info.value.attempts == 1
    assert clock.sleeps == []


def test_5xx_on_a_safe_write_is_retried(driver: str) -> None:
    clock = FakeClock()
    script = Script(reply(502), reply(200, json={}))
    response = session(script, clock=clock, driver=driver).send(
        "POST", "/status", json={}, retry_safe=True
    )
    assert attempts_of(response) == 2


def test_401_asks_the_token_provider_once_more(driver: str) -> None:
    tokens = iter(["expired-token-aaaa", "fresh-token-bbbb"])
    current = {"token": next(tokens)}

    def refresh() -> bool:
        current["token"] = next(tokens)
        return True

    script = Script(reply(401, json={"code": 401, "message": "expired"}), reply(200, json=[]))
    s = session(
        script,
        refresh_auth=refresh,
        auth=lambda: {"Authorization": f"Bearer {current['token']}"},
        driver=driver,
    )
    response = s.send("GET", "/expenses")
    assert attempts_of(response) == 2
    sent = [r.headers["authorization"] for r in script.requests]
    assert sent == ["Bearer expired-token-aaaa", "Bearer fresh-token-bbbb"]


def test_a_second_401_is_final(driver: str) -> None:
    calls: list[int] = []

    def refresh() -> bool:
        calls.append(1)
        return True

    script = Script(reply(401, json={"message": "nope"}))
    with pytest.raises(AuthenticationError) as info:
        session(script, refresh_auth=refresh, driver=driver).send("GET", "/expenses")
    assert calls == [1]
    assert info.value.attempts == 2
    assert SECRET not in str(info.value)


def test_requests_carry_user_agent_and_auth(driver: str) -> None:
    script = Script(reply(200, json=[]))
    session(script, driver=driver).send(
        "GET", "/expenses", params={"status[]": ["APPROVED", "SETTLED"]}
    )
    request = script.requests[0]
    assert request.headers["user-agent"].startswith("expense-facade/")
    assert " httpx/" in request.headers["user-agent"]
    assert " python/" in request.headers["user-agent"]
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert str(request.url) == (
        "https://api.vendor.test/v1/expenses?status%5B%5D=APPROVED&status%5B%5D=SETTLED"
    )


def test_rate_limiter_paces_requests_on_the_injected_clock(driver: str) -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1.0, capacity=1.0, clock=clock)
    script = Script(reply(200, json=[]))
    s = session(script, clock=clock, rate_limiter=bucket, driver=driver)
    for _ in range(3):
        s.send("GET", "/expenses")
    assert clock.sleeps == [1.0, 1.0]


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(jitter_source=lambda: 0.5)
    assert policy.backoff(1) == 0.5 * (1 - 0.25 * 0.5)
    assert policy.backoff(10) == 8.0 * (1 - 0.25 * 0.5)
    no_jitter = RetryPolicy(jitter_source=lambda: 0.0)
    assert [no_jitter.backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60.0),
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert parse_retry_after(header, now=now) == expected
