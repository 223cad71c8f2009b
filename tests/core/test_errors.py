"""Error mapping, malformed bodies, the https rule, redaction and pre-signed uploads."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from expense_facade._http.error_mapping import ErrorFormat, decode_json
from expense_facade._http.redaction import (
    REDACTED,
    excerpt,
    get_logger,
    install_log_filter,
    redact,
    register_secret,
    strip_query,
)
from expense_facade._http.session import require_secure_url
from expense_facade._http.uploads import PresignedClient, read_upload_file
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from support.scripted_http import SECRET, Script, reply, session

VENDOR_FORMAT = ErrorFormat(
    extract=lambda body: (str(body["code"]), body["message"]),
    request_id_headers=("X-Vendor-Trace",),
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, BadRequestError),
    ],
)
def test_client_errors_are_never_retried_and_fully_typed(
    status: int, cls: type[APIError], driver: str
) -> None:
    clock = FakeClock()
    # The vendor echoes the credential back in its error body: it must not reach the text.
    body = {"code": 3006, "message": f"not allowed for key {SECRET}"}
    script = Script(reply(status, json=body, headers={"X-Vendor-Trace": "req-42"}))
    with pytest.raises(cls) as info:
        session(script, clock=clock, error_format=VENDOR_FORMAT, driver=driver).send(
            "GET", "/expenses/9"
        )
    error = info.value
    assert type(error) is cls
    assert (error.status, error.code, error.request_id) == (status, "3006", "req-42")
    assert error.message.startswith("not allowed for key")
    assert error.attempts == 1
    assert len(script.requests) == 1
    assert clock.sleeps == []
    for text in (str(error), repr(error), error.body or "", str(error.headers)):
        assert SECRET not in text
    assert "[3006]" in str(error)
    assert "req-42" in str(error)


def test_other_4xx_is_a_plain_api_error(driver: str) -> None:
    script = Script(reply(418, text="teapot"))
    with pytest.raises(APIError) as info:
        session(script, driver=driver).send("GET", "/x")
    assert type(info.value) is APIError
    assert info.value.status == 418


def test_common_error_shapes_are_understood_without_a_vendor_format(driver: str) -> None:
    script = Script(
        reply(
            404,
            json={
                "ok": False,
                "error": {"code": "EXPENSE_NOT_FOUND", "message": "no such expense"},
            },
        )
    )
    with pytest.raises(NotFoundError) as info:
        session(script, driver=driver).send("GET", "/expense/1")
    assert info.value.code == "EXPENSE_NOT_FOUND"
    assert info.value.message == "no such expense"


def test_html_error_page_keeps_status_and_excerpt(driver: str) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    script = Script(reply(400, text=html, headers={"content-type": "text/html"}))
    with pytest.raises(BadRequestError) as info:
        session(script, driver=driver).send("GET", "/x")
    assert info.value.body is not None
    assert "502 Bad Gateway" in info.value.body


@pytest.mark.parametrize(
    ("content", "ctype"),
    [
        (b"<html><body>Service unavailable</body></html>", "text/html"),
        (b'{"items": [{"id": "1"}, {"id": "2", "amo', "application/json"),
        (b"", "application/json"),
    ],
)
def test_unparseable_success_body_is_a_malformed_response(
    content: bytes, ctype: str, driver: str
) -> None:
    script = Script(reply(200, content=content, headers={"content-type": ctype}))
    response = session(script, driver=driver).send("GET", "/expenses")
    with pytest.raises(MalformedResponseError) as info:
        decode_json(response, vendor="testvendor")
    assert info.value.status == 200
    assert ctype in str(info.value)
    if content:
        assert content[:12].decode() in str(info.value)


def test_malformed_excerpt_is_short_and_redacted() -> None:
    register_secret(SECRET)
    body = ("<html>" + "x" * 2000 + SECRET + "</html>").encode()
    response = httpx.Response(200, content=body, request=httpx.Request("GET", "https://h/x"))
    with pytest.raises(MalformedResponseError) as info:
        decode_json(response, vendor="v")
    assert len(str(info.value)) < 300
    assert info.value.body is not None
    assert len(info.value.body) <= 300
    assert SECRET not in (info.value.body or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.brex.com",
        "http://127.0.0.1:8080/revolut/api/1.0",
        "http://127.8.9.10/x",
        "http://localhost:5000",
        "http://[::1]:9000/a",
    ],
)
def test_https_or_loopback_is_accepted(url: str) -> None:
    require_secure_url(url)


@pytest.mark.parametrize(
    "url", ["http://api.brex.com", "http://10.0.0.1/x", "ftp://127.0.0.1/", "api.brex.com"]
)
def test_insecure_base_url_is_refused(url: str, driver: str) -> None:
    with pytest.raises(ConfigurationError):
        session(Script(reply(200)), base_url=url, driver=driver)


def test_absolute_insecure_url_is_refused_before_sending(driver: str) -> None:
    script = Script(reply(200))
    with pytest.raises(ConfigurationError):
        session(script, base_url=None, driver=driver).send(
            "PUT", "http://bucket.s3.amazonaws.com/k?X-Amz-S=1"
        )
    assert script.requests == []


def test_connection_error_text_has_no_query_string(driver: str) -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        session(script, max_retries=0, driver=driver).send(
            "GET", "/expenses", params={"token": "querysecret123"}
        )
    assert "querysecret123" not in str(info.value)
    uploader_script = Script(httpx.ConnectError("refused"))
    uploader = PresignedClient("brex", transport=uploader_script.transport(), clock=FakeClock())
    with pytest.raises(APIConnectionError) as up:
        uploader.put(
            "https://bucket.s3.test/k?X-Amz-Signature=abcdef123456",
            read_upload_file(b"%PDF", filename="r.pdf"),
        )
    assert "X-Amz-Signature" not in str(up.value)
    assert "abcdef123456" not in str(up.value)
    assert "https://bucket.s3.test/k" in str(up.value)


def test_redact_removes_secrets_headers_and_queries() -> None:
    register_secret("tok_ABCDEFGH12345")
    text = (
        "sent Authorization: Bearer tok_ABCDEFGH12345 and {'X-API-Key': 'k-998877'} "
        "to https://s3.test/bucket/r.pdf?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA "
        "echo tok_ABCDEFGH12345"
    )
    cleaned = redact(text)
    for leaked in ("tok_ABCDEFGH12345", "k-998877", "deadbeef", "AKIA", "X-Amz"):
        assert leaked not in cleaned
    assert "https://s3.test/bucket/r.pdf" in cleaned
    assert REDACTED in cleaned
    assert strip_query("https://u:p@h.test:8443/a/b?q=1#frag") == "https://h.test:8443/a/b"
    assert excerpt("a\n  b\tc") == "a b c"


def test_logs_contain_no_secret(caplog: pytest.LogCaptureFixture, driver: str) -> None:
    install_log_filter()
    caplog.set_level(logging.DEBUG)
    early = logging.getLogger("expense_facade.vendors.early")  # made before any session
    clock = FakeClock()
    script = Script(reply(503), reply(200, json=[]))
    s = session(script, clock=clock, driver=driver)
    s.send("GET", "/expenses", params={"cursor": "c1", "api_key": SECRET})
    logging.getLogger("httpx").info("header Authorization: Bearer %s", SECRET)
    get_logger("expense_facade.vendors.fake").warning("echo %s", SECRET)
    early.warning("early echo %s", SECRET)
    assert caplog.records, "the retry and httpx's request log must have been captured"
    logged = caplog.text + " ".join(r.getMessage() for r in caplog.records)
    assert SECRET not in logged
    assert "api_key=" not in logged
    assert "retry 1/3" in logged
    assert "early echo" in logged


def test_session_repr_has_no_secret(driver: str) -> None:
    s = session(Script(reply(200)), driver=driver)
    assert SECRET not in repr(s)


def test_presigned_put_has_no_auth_and_a_content_length() -> None:
    script = Script(reply(200))
    uploader = PresignedClient("brex", transport=script.transport(), clock=FakeClock())
    upload = read_upload_file(b"%PDF-1.4 receipt", filename="r.pdf")
    uploader.put("https://bucket.s3.test/k?X-Amz-Signature=abc", upload)
    request = script.requests[0]
    assert "authorization" not in request.headers
    assert request.headers["content-length"] == str(len(b"%PDF-1.4 receipt"))
    assert "transfer-encoding" not in request.headers
    assert request.headers["content-type"] == "application/pdf"
    assert request.content == b"%PDF-1.4 receipt"


def test_presigned_put_is_retried_but_expired_url_is_permission_denied() -> None:
    clock = FakeClock()
    script = Script(httpx.ReadTimeout("slow"), reply(403, text="<Error>AccessDenied</Error>"))
    uploader = PresignedClient("brex", transport=script.transport(), clock=clock)
    with pytest.raises(PermissionDeniedError) as info:
        uploader.put(
            "https://bucket.s3.test/k?X-Amz-Expires=1800", read_upload_file(b"x", filename="r.png")
        )
    assert info.value.attempts == 2
    assert "AccessDenied" in (info.value.body or "")


def test_read_upload_file_accepts_bytes_paths_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "taxi.jpg"
    path.write_bytes(b"\xff\xd8jpeg")
    from_path = read_upload_file(path)
    assert (from_path.filename, from_path.content_type, from_path.size) == (
        "taxi.jpg",
        "image/jpeg",
        6,
    )
    with path.open("rb") as handle:
        assert read_upload_file(handle).content == b"\xff\xd8jpeg"
    raw = read_upload_file(b"abc")
    assert (raw.filename, raw.content_type) == ("receipt", "application/octet-stream")
    named = read_upload_file(io.BytesIO(b"abc"), filename="x.pdf", content_type="text/plain")
    assert (named.filename, named.content_type) == ("x.pdf", "text/plain")


@pytest.mark.parametrize(
    "bad", [b"", b"x" * 11, io.StringIO("text mode"), 12345, "/no/such/file.pdf"]
)
def test_read_upload_file_refuses_bad_input_before_sending(bad: Any) -> None:
    with pytest.raises(ValidationError):
        read_upload_file(bad, max_bytes=10)


def test_too_large_path_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"x" * 100)
    with pytest.raises(ValidationError, match="100 bytes"):
        read_upload_file(path, max_bytes=99)
