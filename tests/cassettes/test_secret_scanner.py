"""No committed cassette holds a secret, and the scanner that says so really catches them.

The first test parses every cassette under ``tests/cassettes`` with ``SecretScanner``; it
also knows the credentials the recorder used (the sandbox's own, for the recording seed)
and every canary value the recorder sets, so a leak of any of them fails it. The other
tests plant one secret of each kind in a cassette written to ``tmp_path`` and check that
the scanner reports it (and that a clean, scrubbed cassette is not reported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import record_cassettes
import yaml
from expense_facade.testing.cassettes import REDACTED, SecretScanner, canary

CASSETTE_ROOT = Path(__file__).parent


def _recorder_secrets() -> list[str]:
    """What the recorder registers as secrets when it records against the sandbox."""
    return [*record_cassettes.sandbox_secrets(), *record_cassettes.canary_values()]


def test_committed_cassettes_hold_no_secret() -> None:
    files = sorted(CASSETTE_ROOT.rglob("*.yaml"))
    assert files, "no cassette found: the scanner would have nothing to check"
    findings = SecretScanner(_recorder_secrets()).scan_tree(CASSETTE_ROOT)
    assert findings == [], "secrets in committed cassettes:\n" + "\n".join(map(str, findings))


# -- planted secrets --------------------------------------------------------------------------

CLEAN_REQUEST: dict[str, Any] = {
    "method": "GET",
    "uri": "https://cassette.invalid/brex/v1/expenses?limit=100&status[]=APPROVED",
    "body": None,
    "headers": {
        "authorization": [f"Bearer {REDACTED}"],
        "accept": ["application/json"],
        "idempotency-key": ["0b7c9d2e-5a41-4f3e-8000-2f7d1c3a9b11"],
        "user-agent": ["<user-agent>"],
    },
}
CLEAN_RESPONSE: dict[str, Any] = {
    "status": {"code": 200, "message": "OK"},
    "headers": {"content-type": ["application/json"], "x-request-id": ["<request-id>"]},
    "body": {
        "string": '{"items": [{"id": "expense_4f9a8b7c6d5e4f3a2b1c", '
        '"uri": "https://cassette.invalid/brex-uploads/receipts/r1", '
        '"receipt_token_count": "1"}], "next_cursor": "c2FuZGJveDoxMDA="}'
    },
}


def _write(tmp_path: Path, request: dict[str, Any], response: dict[str, Any]) -> Path:
    path = tmp_path / "vendor" / "planted.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    cassette = {"interactions": [{"request": request, "response": response}], "version": 1}
    path.write_text(yaml.safe_dump(cassette), encoding="utf-8")
    return path


def _with_header(part: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    return {**part, "headers": {**part["headers"], name: [value]}}


def _with_body(body: str) -> dict[str, Any]:
    return {**CLEAN_RESPONSE, "body": {"string": body}}


SANDBOX_TOKEN = "oa_sand_4q9x2m7b1k"  # shape of a sandbox credential; passed as known secret
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)

REFRESH_CANARY = canary("revolut-refresh_token")

PLANTED: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "bearer token in Authorization": (
        _with_header(CLEAN_REQUEST, "authorization", "Bearer 9fQ2mX7bV4kL1pR8sT3wZ6"),
        CLEAN_RESPONSE,
        "credential-header",
    ),
    "raw X-API-Key": (
        _with_header(CLEAN_REQUEST, "X-API-Key", "c1d2e3f4a5b6c7d8"),
        CLEAN_RESPONSE,
        "credential-header",
    ),
    "Api-Key header": (
        _with_header(CLEAN_REQUEST, "Api-Key", "k3y"),
        CLEAN_RESPONSE,
        "credential-header",
    ),
    "high-entropy X-Auth-Token": (
        _with_header(CLEAN_REQUEST, "X-Auth-Token", "Zx81Qw92Er73Ty64Ui55"),
        CLEAN_RESPONSE,
        "credential-header",
    ),
    "set-cookie echoed": (
        CLEAN_REQUEST,
        _with_header(CLEAN_RESPONSE, "set-cookie", "session=4f3a9b; HttpOnly"),
        "credential-header",
    ),
    "bearer token echoed in a body": (
        CLEAN_REQUEST,
        _with_body('{"message": "bad header Bearer 9fQ2mX7bV4kL1pR8sT3wZ6"}'),
        "bearer-token",
    ),
    "JWT in a body": (CLEAN_REQUEST, _with_body(f'{{"assertion": "{JWT}"}}'), "jwt"),
    "sk_live_ key": (
        CLEAN_REQUEST,
        _with_body('{"note": "sk_live_51Habcdefghijklmnop"}'),
        "prefixed-key",
    ),
    "bx_ key": (CLEAN_REQUEST, _with_body('{"note": "bx_9fQ2mX7bV4kL1pR8sT3w"}'), "prefixed-key"),
    "AWS access key id": (
        CLEAN_REQUEST,
        _with_body('{"note": "AKIAIOSFODNN7EXAMPLE"}'),
        "prefixed-key",
    ),
    "high-entropy client_secret field": (
        CLEAN_REQUEST,
        _with_body('{"client_secret": "a8F3k2L9q0W7e6R5t4Y3"}'),
        "credential-field",
    ),
    "access_token query parameter": (
        {**CLEAN_REQUEST, "uri": "https://cassette.invalid/x?access_token=Zx81Qw92Er73"},
        CLEAN_RESPONSE,
        "credential-in-query",
    ),
    "X-Amz-Signature in the request URL": (
        {**CLEAN_REQUEST, "uri": "https://cassette.invalid/up/r1?X-Amz-Signature=8e2d4c"},
        CLEAN_RESPONSE,
        "presigned-signature",
    ),
    "pre-signed URL in a response body": (
        CLEAN_REQUEST,
        _with_body('{"uri": "https://b.s3.amazonaws.com/r1?X-Amz-Credential=AK%2F1&a=1"}'),
        "presigned-signature",
    ),
    "S3 v2 Signature": (
        CLEAN_REQUEST,
        _with_body('{"uri": "https://b.s3.amazonaws.com/r1?AWSAccessKeyId=A&Signature=x"}'),
        "presigned-signature",
    ),
    "canary in a header": (
        _with_header(CLEAN_REQUEST, "x-echo", canary("brex-token")),
        CLEAN_RESPONSE,
        "canary",
    ),
    "canary in a body": (
        CLEAN_REQUEST,
        _with_body(f'{{"message": "unknown key {canary("pazy-api-key")}"}}'),
        "canary",
    ),
    "refresh token in a form body": (
        {**CLEAN_REQUEST, "method": "POST", "body": "grant_type=refresh_token&refresh_token=r1"},
        CLEAN_RESPONSE,
        "credential-form-field",
    ),
    "client assertion in a form body": (
        {**CLEAN_REQUEST, "method": "POST", "body": f"client_id=c&client_assertion={JWT}"},
        CLEAN_RESPONSE,
        "credential-form-field",
    ),
    "access token in a token answer": (
        CLEAN_REQUEST,
        _with_body('{"access_token": "short", "token_type": "bearer", "expires_in": 2400}'),
        "credential-field",
    ),
    "private key in a body": (
        CLEAN_REQUEST,
        _with_body('{"message": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq"}'),
        "private-key",
    ),
    "canary refresh token in a form body": (
        {
            **CLEAN_REQUEST,
            "method": "POST",
            "body": f"refresh_token={canary('revolut-refresh_token')}",
        },
        CLEAN_RESPONSE,
        "canary",
    ),
    "known sandbox credential in a body": (
        CLEAN_REQUEST,
        _with_body(f'{{"message": "token {SANDBOX_TOKEN}"}}'),
        "known-secret",
    ),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_scanner_catches_a_planted_secret(tmp_path: Path, case: str) -> None:
    request, response, kind = PLANTED[case]
    _write(tmp_path, request, response)
    findings = SecretScanner([SANDBOX_TOKEN]).scan_tree(tmp_path)
    assert kind in {f.kind for f in findings}, findings


def test_findings_never_print_the_secret(tmp_path: Path) -> None:
    secret = "9fQ2mX7bV4kL1pR8sT3wZ6"
    _write(
        tmp_path, _with_header(CLEAN_REQUEST, "authorization", f"Bearer {secret}"), CLEAN_RESPONSE
    )
    findings = SecretScanner().scan_tree(tmp_path)
    assert findings
    assert all(secret not in str(f) for f in findings)


def test_a_clean_scrubbed_cassette_is_not_reported(tmp_path: Path) -> None:
    _write(tmp_path, CLEAN_REQUEST, CLEAN_RESPONSE)
    assert SecretScanner([SANDBOX_TOKEN]).scan_tree(tmp_path) == []


def test_an_unparseable_cassette_is_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("interactions: [\n", encoding="utf-8")
    assert [f.kind for f in SecretScanner().scan_tree(tmp_path)] == ["unparseable-yaml"]


def test_a_recorded_refresh_exchange_is_scrubbed_clean(tmp_path: Path) -> None:
    # What a Revolut refresh puts on the wire (the form with the refresh token and the
    # signed assertion, the token answered), through the recorder's scrubber.
    from expense_facade.testing.cassettes import Scrubber

    sandbox = record_cassettes.recording_sandbox()
    settings = sandbox.vendor("revolut").refresh_credentials()
    assert settings is not None
    from expense_facade.vendors.revolut_auth import RevolutRefreshToken

    form = RevolutRefreshToken(**settings).refresh_form(record_cassettes.START)
    scrubber = Scrubber()
    request_body = scrubber._scrub_body("&".join(f"{k}={v}" for k, v in form.items()))
    answer = '{"access_token": "oa_sand_access_x1y2z3", "token_type": "bearer", "expires_in": 2400}'
    response_body = scrubber._scrub_body(answer)
    _write(
        tmp_path,
        {**CLEAN_REQUEST, "method": "POST", "body": request_body},
        _with_body(response_body),
    )
    findings = SecretScanner(_recorder_secrets()).scan_tree(tmp_path)
    assert findings == []
    text = (tmp_path / "vendor" / "planted.yaml").read_text()
    for secret in (form["refresh_token"], form["client_assertion"], "oa_sand_access_x1y2z3"):
        assert secret not in text
