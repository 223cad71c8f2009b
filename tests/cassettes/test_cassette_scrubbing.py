"""Unit tests of expense_facade.testing.cassettes: scrubbing, matchers, vcrpy configuration.

No facade and no sandbox here: requests are built by hand, and the end-to-end checks record
an ``httpx.MockTransport`` (which vcrpy patches like any transport) into ``tmp_path``,
through httpx's sync client and through its async one: the same hooks, the same file.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
import yaml
from expense_facade._http import redaction
from expense_facade._http.redaction import MIN_SECRET_LENGTH
from expense_facade.testing import cassettes as tc
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

SECRET_TOKEN = "tok_live_9fQ2mX7bV4kL1pR8sT3w"
SECRET_KEY = "pk_0a1b2c3d4e5f6a7b8c9d"


def _request(
    method: str = "GET",
    uri: str = "http://127.0.0.1:53817/brex/v1/expenses?limit=100",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Request:
    return Request(method, uri, body, headers or {})


def _response(body: bytes | str, headers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": headers or {},
        "body": {"string": body},
    }


# -- request scrubbing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Authorization", f"Bearer {SECRET_TOKEN}", f"Bearer {tc.REDACTED}"),
        ("Authorization", f"Api-Key {SECRET_KEY}", f"Api-Key {tc.REDACTED}"),
        ("authorization", SECRET_TOKEN, tc.REDACTED),
        ("X-API-Key", SECRET_KEY, tc.REDACTED),
        ("Api-Key", SECRET_KEY, tc.REDACTED),
    ],
)
def test_credential_request_headers_become_placeholders_keeping_the_scheme(
    name: str, value: str, expected: str
) -> None:
    scrubbed = tc.scrub_request(_request(headers={name: value}))
    assert scrubbed.headers[name] == expected


def test_request_keeps_ordinary_headers_and_drops_host_and_normalises_user_agent() -> None:
    request = _request(
        headers={
            "Host": "127.0.0.1:53817",
            "User-Agent": "python-httpx/0.28.1",
            "Accept": "application/json",
            "Idempotency-Key": "0b7c9d2e-0000-4000-8000-2f7d1c3a9b11",
        }
    )
    scrubbed = tc.scrub_request(request)
    assert "Host" not in scrubbed.headers
    assert scrubbed.headers["User-Agent"] == "<user-agent>"
    assert scrubbed.headers["Idempotency-Key"] == "<idempotency-key>"
    assert scrubbed.headers["Accept"] == "application/json"
    # the hook works on a copy: the live request is untouched
    assert request.headers["Host"] == "127.0.0.1:53817"


def test_loopback_origin_becomes_the_placeholder_and_signatures_are_dropped() -> None:
    uri = (
        "http://127.0.0.1:40001/brex-uploads/receipts/r1?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=deadbeef&X-Amz-Expires=1800"
        "&part=1"
    )
    scrubbed = tc.scrub_request(_request("PUT", uri, b"file"))
    assert scrubbed.uri == f"{tc.PLACEHOLDER_ORIGIN}/brex-uploads/receipts/r1?part=1"


def test_s3_v2_signature_and_its_expires_companion_are_dropped() -> None:
    uri = "https://bucket.s3.amazonaws.com/k?AWSAccessKeyId=AKIAX&Expires=1767225600&Signature=abc"
    assert tc.strip_signature(uri) == "https://bucket.s3.amazonaws.com/k"
    # without a signature, "Expires" is an ordinary parameter and stays
    plain = "https://api.example.com/x?Expires=1"
    assert tc.strip_signature(plain) == plain


def test_registered_origin_and_secret_in_request_are_replaced_and_length_fixed() -> None:
    scrubber = tc.Scrubber()
    scrubber.register_origin("https://api.brex.com")
    scrubber.register_secret(SECRET_TOKEN)
    body = json.dumps({"note": f"token={SECRET_TOKEN}"}).encode()
    request = _request(
        "POST",
        "https://api.brex.com/v1/expenses/card/receipt_match",
        body,
        {"Content-Length": str(len(body)), "Content-Type": "application/json"},
    )
    scrubbed = scrubber.scrub_request(request)
    assert scrubbed.uri == f"{tc.PLACEHOLDER_ORIGIN}/v1/expenses/card/receipt_match"
    assert SECRET_TOKEN.encode() not in scrubbed.body
    assert scrubbed.headers["Content-Length"] == str(len(scrubbed.body))


def test_credential_query_parameter_is_redacted() -> None:
    scrubbed = tc.scrub_request(_request(uri="https://h.example/x?api_key=abcdef123456&a=1"))
    assert scrubbed.uri == f"https://h.example/x?api_key={tc.REDACTED}&a=1"


def test_placeholder_header_names_and_minimum_length_are_the_http_layers() -> None:
    assert tc.REDACTED == redaction.REDACTED
    assert tc.CREDENTIAL_HEADERS == redaction.SECRET_HEADERS
    scrubber = tc.Scrubber()
    scrubber.register_secret("k" * MIN_SECRET_LENGTH)
    assert scrubber.scrub_text("key=" + "k" * MIN_SECRET_LENGTH) == "key=" + redaction.REDACTED


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_SECRET_LENGTH} characters"):
        tc.Scrubber().register_secret("x" * (MIN_SECRET_LENGTH - 1))
    tc.Scrubber().register_secret("x" * MIN_SECRET_LENGTH)  # the HTTP layer's minimum


# -- response scrubbing -----------------------------------------------------------------------


def test_volatile_response_headers_get_fixed_values() -> None:
    response = _response(
        b"{}",
        {
            "Date": ["Sat, 21 Nov 2026 07:49:00 GMT"],
            "Server": ["BaseHTTP/0.6 Python/3.11.9"],
            "X-Request-Id": ["req_8f7d6c"],
            "Set-Cookie": ["session=abc123; HttpOnly"],
            "Content-Type": ["application/json"],
        },
    )
    headers = tc.scrub_response(response)["headers"]
    assert headers["Date"] == [tc.FIXED_DATE]
    assert headers["Server"] == ["cassette"]
    assert headers["X-Request-Id"] == ["<request-id>"]
    assert headers["Set-Cookie"] == [tc.REDACTED]
    assert headers["Content-Type"] == ["application/json"]


def test_echoed_secret_presigned_url_and_loopback_origin_are_scrubbed_from_the_body() -> None:
    scrubber = tc.Scrubber()
    scrubber.register_secret(SECRET_TOKEN)
    payload = {
        "error": f"token {SECRET_TOKEN} is not valid",
        "uri": "http://127.0.0.1:40001/brex-uploads/r1?X-Amz-Signature=abcd&X-Amz-Date=20260101T000000Z",
        "echo": f"Bearer {SECRET_KEY}",
    }
    body = json.dumps(payload).encode()
    response = _response(body, {"Content-Length": [str(len(body))]})
    scrubbed = scrubber.scrub_response(response)
    text = scrubbed["body"]["string"].decode()
    data = json.loads(text)
    assert data["error"] == f"token {tc.REDACTED} is not valid"
    assert data["uri"] == f"{tc.PLACEHOLDER_ORIGIN}/brex-uploads/r1"
    assert data["echo"] == f"Bearer {tc.REDACTED}"
    assert scrubbed["headers"]["Content-Length"] == [str(len(scrubbed["body"]["string"]))]


def test_echoed_secret_in_a_response_header_is_replaced() -> None:
    scrubber = tc.Scrubber()
    scrubber.register_secret(SECRET_KEY)
    response = _response(b"", {"WWW-Authenticate": [f'Api-Key realm="{SECRET_KEY}"']})
    headers = scrubber.scrub_response(response)["headers"]
    assert headers["WWW-Authenticate"] == [f'Api-Key realm="{tc.REDACTED}"']


def test_binary_body_is_left_alone() -> None:
    data = b"\x89PNG\r\n\x1a\n\xff\xfe"
    assert tc.scrub_response(_response(data))["body"]["string"] == data


# -- matchers ------------------------------------------------------------------------------------


def test_url_matcher_ignores_scheme_host_port_query_order_and_signatures() -> None:
    a = _request(uri="http://127.0.0.1:1/v1/expenses?b=2&a=1&X-Amz-Signature=x")
    b = _request(uri="https://cassette.invalid/v1/expenses?a=1&b=2")
    tc.match_url(a, b)
    tc.match_query(a, b)


@pytest.mark.parametrize(
    ("uri1", "uri2"),
    [
        ("https://h/v1/expenses", "https://h/v1/expense"),
        ("https://h/v1/expenses?limit=1", "https://h/v1/expenses?limit=2"),
        ("https://h/v1/expenses?status[]=A", "https://h/v1/expenses"),
    ],
)
def test_url_matcher_rejects_a_different_path_or_query(uri1: str, uri2: str) -> None:
    with pytest.raises(AssertionError):
        tc.match_url(_request(uri=uri1), _request(uri=uri2))


def test_body_matcher_compares_json_semantically_for_writes() -> None:
    a = _request("POST", body=b'{"a": 1, "b": [1, 2]}')
    b = _request("POST", body=b'{"b":[1,2],"a":1}')
    tc.match_body(a, b)
    with pytest.raises(AssertionError, match="JSON bodies differ"):
        tc.match_body(a, _request("POST", body=b'{"a": 2, "b": [1, 2]}'))
    with pytest.raises(AssertionError, match="bodies differ"):
        tc.match_body(_request("PUT", body=b"abc"), _request("PUT", body=b"abd"))


def test_body_matcher_ignores_bodies_of_reads() -> None:
    tc.match_body(_request("GET", body=b"x"), _request("GET", body=None))


def test_method_matcher() -> None:
    tc.match_method(_request("get"), _request("GET"))
    with pytest.raises(AssertionError):
        tc.match_method(_request("GET"), _request("POST"))


# -- vcrpy end to end (MockTransport: no socket) -------------------------------------------------


def _vendor(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/echo":
        return httpx.Response(
            200,
            json={"seen": request.headers.get("authorization"), "body": request.content.decode()},
            headers={"Date": "Sat, 21 Nov 2026 07:00:00 GMT", "X-Request-Id": "r-123"},
        )
    return httpx.Response(404, json={"message": "no"})


def _send(
    driver: str, transport: httpx.MockTransport | None, url: str, **options: Any
) -> httpx.Response:
    """One POST through httpx's sync client, or (``driver="async"``) its async client run to
    completion; ``transport`` None is httpx's own network transport."""
    if driver == "async":

        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.post(url, **options)

        return asyncio.run(send())
    with httpx.Client(transport=transport) as client:
        return client.post(url, **options)


def _record(cassette_dir: Path, scrubber: tc.Scrubber, driver: str = "sync") -> None:
    recorder = tc.make_vcr(cassette_dir, record_mode="all", scrubber=scrubber)
    with recorder.use_cassette("echo"):
        _send(
            driver,
            httpx.MockTransport(_vendor),
            "http://127.0.0.1:8765/echo?X-Amz-Signature=abc",
            headers={"Authorization": f"Bearer {SECRET_TOKEN}"},
            json={"memo": "lunch", "n": 1},
        )


def test_recorded_cassette_is_scrubbed_and_stable(tmp_path: Path, driver: str) -> None:
    scrubber = tc.Scrubber()
    scrubber.register_secret(SECRET_TOKEN)
    _record(tmp_path / "one", scrubber, driver)
    _record(tmp_path / "two", scrubber, "sync")  # and the sync client's is the same file
    first = (tmp_path / "one" / "echo.yaml").read_text()
    assert first == (tmp_path / "two" / "echo.yaml").read_text()
    assert SECRET_TOKEN not in first
    assert "X-Amz-Signature" not in first
    assert "127.0.0.1" not in first
    interaction = yaml.safe_load(first)["interactions"][0]
    assert interaction["request"]["uri"] == f"{tc.PLACEHOLDER_ORIGIN}/echo"
    assert interaction["request"]["headers"]["authorization"] == [f"Bearer {tc.REDACTED}"]
    assert json.loads(interaction["response"]["body"]["string"])["seen"] == f"Bearer {tc.REDACTED}"
    assert tc.SecretScanner([SECRET_TOKEN]).scan_tree(tmp_path) == []


@pytest.mark.parametrize("flavour", ["make_vcr", "plain_vcr_config"])
def test_replay_matches_host_insensitively_and_on_the_body(
    tmp_path: Path, flavour: str, driver: str
) -> None:
    _record(tmp_path, tc.Scrubber())  # recorded through the sync client, replayed by either
    if flavour == "make_vcr":
        player = tc.make_vcr(tmp_path)
    else:
        player = vcr.VCR(cassette_library_dir=str(tmp_path), **tc.vcr_config(record_mode="none"))
    elsewhere = "https://elsewhere.example/echo"
    with player.use_cassette("echo.yaml"):
        answer = _send(driver, None, elsewhere, json={"n": 1, "memo": "lunch"})
        assert answer.status_code == 200
        assert answer.json()["body"] == '{"memo":"lunch","n":1}'
    with (
        player.use_cassette("echo.yaml"),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        _send(driver, None, elsewhere, json={"n": 2, "memo": "lunch"})


def test_importing_the_package_needs_neither_vcrpy_nor_yaml() -> None:
    code = (
        "import sys; sys.modules['vcr'] = None; sys.modules['yaml'] = None\n"
        "import expense_facade, expense_facade.testing\n"
        "s = expense_facade.testing.Scrubber(); s.register_secret('abcdefgh')\n"
        "print(s.scrub_text('x abcdefgh'))\n"
        "try:\n    expense_facade.testing.make_vcr('x')\nexcept ImportError:\n    print('lazy')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["x", tc.REDACTED, "lazy"]


def test_without_vcrpy_make_vcr_names_the_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['vcr'] = None\n"
        "from expense_facade.testing.cassettes import MissingTestingExtra, make_vcr\n"
        "try:\n    make_vcr('x')\nexcept MissingTestingExtra as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == (
        "cassettes need vcrpy, which is not installed: pip install 'expense-facade[testing]'"
    )


def test_vcr_config_leaves_the_record_mode_to_the_caller() -> None:
    assert "record_mode" not in tc.vcr_config()
    assert tc.vcr_config(record_mode="once")["record_mode"] == "once"
    assert tc.make_vcr("unused").record_mode == "none"  # make_vcr replays unless told


# The public names of expense_facade/testing/cassettes.py before it became a package.
NAMES_BEFORE_THE_SPLIT = (
    "CANARY_PREFIX",
    "CREDENTIAL_HEADERS",
    "DEFAULT_MATCH_ON",
    "FIXED_DATE",
    "MATCHERS",
    "PLACEHOLDER_ORIGIN",
    "REDACTED",
    "Scrubber",
    "SecretFinding",
    "SecretScanner",
    "canary",
    "canonical_url",
    "is_signature_param",
    "make_vcr",
    "match_body",
    "match_method",
    "match_query",
    "match_url",
    "register_matchers",
    "scrub_request",
    "scrub_response",
    "strip_signature",
    "vcr_config",
)


def test_every_name_the_module_had_still_imports_from_the_package() -> None:
    for name in NAMES_BEFORE_THE_SPLIT:
        assert getattr(tc, name) is not None, name
    assert set(tc.__all__) >= set(NAMES_BEFORE_THE_SPLIT)
    for name in tc.__all__:
        assert getattr(tc, name) is not None, name
