"""Scrubbing recorded interactions: credentials, pre-signed signatures, recording origins
and run-to-run noise removed before anything is written (docs/cassettes.md). The
placeholder, the credential header names and the shortest secret accepted are the HTTP
layer's (``_http/redaction.py``): one rule for logs, errors and cassettes."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs

from expense_facade._http.redaction import MIN_SECRET_LENGTH, REDACTED, SECRET_HEADERS
from expense_facade.testing.cassettes.urls import (
    CREDENTIAL_QUERY,
    encode_query,
    query_pairs,
    strip_signature,
)

PLACEHOLDER_ORIGIN = "https://cassette.invalid"
"""Stored URLs use this origin instead of the loopback (or registered) one they were
recorded against. ``.invalid`` is reserved (RFC 2606): it can never resolve."""

FIXED_DATE = "Thu, 01 Jan 2026 00:00:00 GMT"
"""Every ``Date`` response header is stored as this (a valid HTTP date, so parsers cope)."""

CANARY_PREFIX = "efcanary"
"""Every canary value starts with this; the scanner flags it anywhere in a cassette."""

CREDENTIAL_HEADERS = SECRET_HEADERS
"""Request headers replaced by a placeholder (the scheme word is kept)."""

# Headers whose value changes from run to run (or from host to host) while meaning nothing
# to a replay: stored with a fixed value so re-recording leaves the files unchanged.
_VOLATILE_RESPONSE_HEADERS: Mapping[str, str] = {
    "date": FIXED_DATE,
    "server": "cassette",
    "x-request-id": "<request-id>",
    "request-id": "<request-id>",
    "x-amz-request-id": "<request-id>",
    "x-amz-id-2": "<request-id>",
    "x-amzn-requestid": "<request-id>",
    "x-amzn-trace-id": "<request-id>",
    "x-correlation-id": "<request-id>",
    "x-trace-id": "<request-id>",
    "traceparent": "<request-id>",
    "cf-ray": "<request-id>",
    "x-ms-request-id": "<request-id>",
    "x-envoy-upstream-service-time": "0",
    "x-runtime": "0",
    "age": "0",
}
_VOLATILE_REQUEST_HEADERS: Mapping[str, str] = {
    "user-agent": "<user-agent>",
    "x-request-id": "<request-id>",
    "idempotency-key": "<idempotency-key>",
    "traceparent": "<request-id>",
}
# Dropped from stored requests: they carry the recording host:port or connection details.
_DROPPED_REQUEST_HEADERS = frozenset({"host", "connection", "keep-alive"})
SECRET_RESPONSE_HEADERS = CREDENTIAL_HEADERS | {"set-cookie", "x-amz-security-token"}
"""Response headers that can carry a session or credential (stored as ``REDACTED``)."""

_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>\\]+""")
_LOOPBACK_ORIGIN = re.compile(
    r"https?://(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d{1,5})?",
    re.IGNORECASE,
)
BEARER_IN_TEXT = re.compile(
    r"(?i)\b(bearer)\s+(?!" + re.escape(REDACTED) + r")([A-Za-z0-9\-._~+/]{12,}=*)"
)
"""A bearer token in free text (a placeholder is not one)."""
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
"""A JSON Web Token in free text."""
PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?",
    re.DOTALL,
)
"""A PEM private key (the whole block when it is all there)."""
CREDENTIAL_FIELDS = frozenset(
    {"refresh_token", "access_token", "id_token", "client_assertion", "client_secret"}
)
"""Fields of a form body or a JSON object that carry a credential whatever their look (an
OAuth refresh: the refresh token, the signed client assertion, the token answered)."""
_JSON_CREDENTIAL_FIELD = re.compile(
    r'("(?:' + "|".join(sorted(CREDENTIAL_FIELDS)) + r')"\s*:\s*)"(?:[^"\\]|\\.)*"'
)


def canary(label: str) -> str:
    """A deterministic canary credential for ``label`` (``efcanary_<label>_<hash>``).

    Recorders send canaries where a credential goes (e.g. the "wrong credential"
    scenario) and register them with the scrubber; the scanner fails on any that
    survives into a cassette.
    """
    digest = hashlib.sha256(label.encode("utf-8")).hexdigest()[:20]
    return f"{CANARY_PREFIX}_{label}_{digest}"


# -- scrubbing ---------------------------------------------------------------------------


def _redact_credential_header(value: str) -> str:
    # Keep the scheme word ("Bearer", "Api-Key", "Basic") so a reader sees which auth
    # style the vendor uses; everything after it is the secret.
    scheme, sep, rest = value.strip().partition(" ")
    if sep and rest and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", scheme):
        return f"{scheme} {REDACTED}"
    return REDACTED


def as_text(body: object) -> str | None:
    if isinstance(body, str):
        return body
    if isinstance(body, bytes | bytearray):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


@attrs.define
class Scrubber:
    """Removes credentials and run-to-run noise from recorded interactions.

    ``register_secret(value)`` adds a credential (or canary) to replace wherever it
    appears; ``register_origin(origin)`` maps an origin (``scheme://host[:port]``) to
    ``PLACEHOLDER_ORIGIN`` in URLs, bodies and headers (loopback origins always are).
    ``scrub_request`` and ``scrub_response`` are the vcrpy ``before_record_request`` and
    ``before_record_response`` hooks; vcrpy also runs ``scrub_request`` on each request
    it tries to match, so matching sees exactly what is stored.
    """

    placeholder_origin: str = PLACEHOLDER_ORIGIN
    _secrets: dict[str, str] = attrs.field(factory=dict, repr=False, alias="_secrets")
    _origins: dict[str, str] = attrs.field(factory=dict, alias="_origins")

    def register_secret(self, value: str, placeholder: str = REDACTED) -> None:
        """Replace ``value`` by ``placeholder`` wherever it appears. Values shorter than
        ``MIN_SECRET_LENGTH`` are refused: replacing them would corrupt ordinary data."""
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"a registered secret must be at least {MIN_SECRET_LENGTH} characters long"
            )
        self._secrets[value] = placeholder

    def register_origin(self, origin_or_url: str) -> None:
        """Store ``origin_or_url``'s origin as ``placeholder_origin``."""
        parts = urlsplit(origin_or_url)
        if not parts.scheme or not parts.netloc:
            raise ValueError("an origin needs a scheme and a host")
        self._origins[f"{parts.scheme}://{parts.netloc}".lower()] = self.placeholder_origin

    @property
    def secret_count(self) -> int:
        """How many values are registered (the values themselves are never exposed)."""
        return len(self._secrets)

    # -- text ---------------------------------------------------------------------------

    def scrub_text(self, text: str) -> str:
        """Registered secrets, bearer tokens, JWTs, signature parameters of URLs and
        recording origins removed from free text (a body, a header value)."""
        # Longest first, so a secret containing another is replaced whole.
        for value in sorted(self._secrets, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self._secrets[value])
        text = BEARER_IN_TEXT.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
        text = JWT.sub(REDACTED, text)
        text = PRIVATE_KEY.sub(REDACTED, text)
        text = _URL_IN_TEXT.sub(lambda m: self._scrub_url(m.group(0)), text)
        return text

    def _replace_origin(self, url: str) -> str:
        loop = _LOOPBACK_ORIGIN.match(url)
        if loop is not None:
            return self.placeholder_origin + url[loop.end() :]
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        placeholder = self._origins.get(origin)
        if placeholder is None:
            return url
        return placeholder + url[len(origin) :]

    def _scrub_url(self, url: str) -> str:
        url = strip_signature(self._replace_origin(url))
        parts = urlsplit(url)
        if not parts.query:
            return url
        pairs = query_pairs(parts.query)
        cleaned = [(k, REDACTED if k.lower() in CREDENTIAL_QUERY else v) for k, v in pairs]
        if cleaned == pairs:
            return url
        query = encode_query(cleaned)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    def scrub_url(self, url: str) -> str:
        """A URL as stored: placeholder origin, no signature, no credential."""
        for value in sorted(self._secrets, key=len, reverse=True):
            url = url.replace(value, self._secrets[value])
        return self._scrub_url(url)

    def _scrub_body(self, body: Any) -> Any:
        text = as_text(body)
        if text is None:
            return body  # binary (a receipt image): nothing textual to leak
        scrubbed = _scrub_credential_fields(self.scrub_text(text))
        if scrubbed == text:
            return body
        return scrubbed.encode("utf-8") if isinstance(body, bytes | bytearray) else scrubbed

    # -- vcrpy hooks ----------------------------------------------------------------------

    def scrub_request(self, request: Any) -> Any:
        """The ``before_record_request`` hook: returns a scrubbed copy of a vcrpy
        ``Request``."""
        request = copy.deepcopy(request)
        request.uri = self.scrub_url(request.uri)
        headers = request.headers
        for name in list(headers.keys()):
            lowered = name.lower()
            if lowered in _DROPPED_REQUEST_HEADERS:
                del headers[name]
            elif lowered in CREDENTIAL_HEADERS:
                headers[name] = _redact_credential_header(str(headers[name]))
            elif lowered in _VOLATILE_REQUEST_HEADERS:
                headers[name] = _VOLATILE_REQUEST_HEADERS[lowered]
            else:
                headers[name] = self.scrub_text(str(headers[name]))
        old_body = request.body
        if isinstance(old_body, bytes | bytearray | str):
            new_body = self._scrub_body(old_body)
            if new_body is not old_body:
                request.body = new_body
                _fix_request_length(request)
        return request

    def scrub_response(self, response: dict[str, Any]) -> dict[str, Any]:
        """The ``before_record_response`` hook: scrubs a vcrpy response dict in place
        (vcrpy passes a copy) and returns it."""
        headers: dict[str, list[str]] = response.get("headers") or {}
        for name in list(headers):
            lowered = name.lower()
            values = [str(v) for v in headers[name]]
            if lowered in _VOLATILE_RESPONSE_HEADERS:
                headers[name] = [_VOLATILE_RESPONSE_HEADERS[lowered] for _ in values]
            elif lowered in SECRET_RESPONSE_HEADERS:
                headers[name] = [REDACTED for _ in values]
            else:
                headers[name] = [self.scrub_text(v) for v in values]
        body = response.get("body")
        if isinstance(body, dict) and "string" in body:
            old = body["string"]
            new = self._scrub_body(old)
            if new is not old:
                body["string"] = new
                _fix_response_length(headers, new)
        return response


def _scrub_credential_fields(text: str) -> str:
    """A form body's or a JSON object's credential fields (``CREDENTIAL_FIELDS``)
    replaced, whatever their value looks like (the rest of the text is kept as it is)."""
    text = _JSON_CREDENTIAL_FIELD.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)
    pairs = form_pairs(text)
    if not any(key in CREDENTIAL_FIELDS for key, _ in pairs):
        return text
    return encode_query((k, REDACTED if k in CREDENTIAL_FIELDS else v) for k, v in pairs)


def form_pairs(text: str) -> list[tuple[str, str]]:
    """The fields of a form-encoded body; none when ``text`` is not one."""
    if not text or any(c in text for c in ' \n{}"') or "=" not in text:
        return []
    return query_pairs(text)


def _byte_length(body: Any) -> int:
    if isinstance(body, str):
        return len(body.encode("utf-8"))
    return len(body)


def _fix_request_length(request: Any) -> None:
    # A scrubbed body has a different length: keep the stored header truthful.
    for name in list(request.headers.keys()):
        if name.lower() == "content-length":
            request.headers[name] = str(_byte_length(request.body or b""))


def _fix_response_length(headers: dict[str, list[str]], body: Any) -> None:
    for name in headers:
        if name.lower() == "content-length":
            headers[name] = [str(_byte_length(body))]


DEFAULT_SCRUBBER = Scrubber()
"""The generic rules only (no registered secrets)."""


def scrub_request(request: Any) -> Any:
    """``before_record_request`` with the generic rules only (no registered secrets)."""
    return DEFAULT_SCRUBBER.scrub_request(request)


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """``before_record_response`` with the generic rules only (no registered secrets)."""
    return DEFAULT_SCRUBBER.scrub_response(response)
