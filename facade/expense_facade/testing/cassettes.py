"""Recorded HTTP cassettes: scrubbing, matching, vcrpy configuration and a secret scanner,
public so that integration code can record and replay its own traffic under the rules
the project uses for its committed cassettes (docs/cassettes.md).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import attrs

if TYPE_CHECKING:
    import vcr

__all__ = [
    "CANARY_PREFIX",
    "CREDENTIAL_HEADERS",
    "DEFAULT_MATCH_ON",
    "FIXED_DATE",
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
]

PLACEHOLDER_ORIGIN = "https://cassette.invalid"
"""Stored URLs use this origin instead of the loopback (or registered) one they were
recorded against. ``.invalid`` is reserved (RFC 2606): it can never resolve."""

REDACTED = "<REDACTED>"
"""What a credential becomes in a cassette."""

FIXED_DATE = "Thu, 01 Jan 2026 00:00:00 GMT"
"""Every ``Date`` response header is stored as this (a valid HTTP date, so parsers cope)."""

CANARY_PREFIX = "efcanary"
"""Every canary value starts with this; the scanner flags it anywhere in a cassette."""

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key"})
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
# Response headers that can carry a session or credential.
_SECRET_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "authorization", "x-api-key", "api-key", "x-amz-security-token"}
)

# Pre-signed URL parameters (S3 SigV4 and SigV2, GCS, Azure SAS, CloudFront).
_SIGNATURE_PARAM_PREFIXES = ("x-amz-", "x-goog-")
_SIGNATURE_PARAMS = frozenset({"signature", "sig", "awsaccesskeyid", "googleaccessid"})
# Only signature-related when a signature is present (on their own they are ordinary names).
_SIGNATURE_COMPANIONS = frozenset({"expires", "policy", "key-pair-id", "se", "st", "sp", "sv"})
# Query parameters that carry a credential rather than a signature.
_CREDENTIAL_QUERY = frozenset(
    {"api_key", "apikey", "api-key", "access_token", "token", "x-api-key", "client_secret"}
)
_SIGNED_MARKERS = frozenset(
    {"x-amz-signature", "x-goog-signature", "signature", "sig", "x-amz-credential"}
)

_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>\\]+""")
_LOOPBACK_ORIGIN = re.compile(
    r"https?://(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d{1,5})?",
    re.IGNORECASE,
)
_BEARER_IN_TEXT = re.compile(r"(?i)\b(bearer)\s+(?!<REDACTED>)([A-Za-z0-9\-._~+/]{12,}=*)")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_MIN_SECRET_LENGTH = 6


def canary(label: str) -> str:
    """A deterministic canary credential for ``label`` (``efcanary_<label>_<hash>``).

    Recorders send canaries where a credential goes (e.g. the "wrong credential"
    scenario) and register them with the scrubber; the scanner fails on any that
    survives into a cassette.
    """
    digest = hashlib.sha256(label.encode("utf-8")).hexdigest()[:20]
    return f"{CANARY_PREFIX}_{label}_{digest}"


# -- URLs --------------------------------------------------------------------------------


def is_signature_param(name: str) -> bool:
    """True for a pre-signed URL signature parameter (``X-Amz-Signature``, ``sig``...)."""
    lowered = name.lower()
    return lowered in _SIGNATURE_PARAMS or lowered.startswith(_SIGNATURE_PARAM_PREFIXES)


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _without_signature(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    signed = any(k.lower() in _SIGNED_MARKERS or is_signature_param(k) for k, _ in pairs)
    return [
        (k, v)
        for k, v in pairs
        if not is_signature_param(k) and not (signed and k.lower() in _SIGNATURE_COMPANIONS)
    ]


def _encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    # Brex's repeated keys are literally "status[]": keep the brackets readable.
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='[]:,')}" for k, v in pairs)


def strip_signature(url: str) -> str:
    """``url`` without its pre-signed signature parameters (other parameters keep their
    order and values; a URL with none is returned unchanged)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = _query_pairs(parts.query)
    kept = _without_signature(pairs)
    if kept == pairs:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _encode_query(kept), parts.fragment))


def canonical_url(url: str) -> str:
    """What the URL matcher compares: the path (``/`` when empty) and the query pairs
    without signature parameters, sorted; scheme, host and port are ignored."""
    parts = urlsplit(url)
    pairs = sorted(_without_signature(_query_pairs(parts.query)))
    path = parts.path or "/"
    return f"{path}?{_encode_query(pairs)}" if pairs else path


# -- scrubbing ---------------------------------------------------------------------------


def _redact_credential_header(value: str) -> str:
    # Keep the scheme word ("Bearer", "Api-Key", "Basic") so a reader sees which auth
    # style the vendor uses; everything after it is the secret.
    scheme, sep, rest = value.strip().partition(" ")
    if sep and rest and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", scheme):
        return f"{scheme} {REDACTED}"
    return REDACTED


def _as_text(body: object) -> str | None:
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
        six characters are refused: replacing them would corrupt ordinary data."""
        if len(value) < _MIN_SECRET_LENGTH:
            raise ValueError("a registered secret must be at least 6 characters long")
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
        text = _BEARER_IN_TEXT.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
        text = _JWT.sub(REDACTED, text)
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
        pairs = _query_pairs(parts.query)
        cleaned = [(k, REDACTED if k.lower() in _CREDENTIAL_QUERY else v) for k, v in pairs]
        if cleaned == pairs:
            return url
        query = _encode_query(cleaned)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    def scrub_url(self, url: str) -> str:
        """A URL as stored: placeholder origin, no signature, no credential."""
        for value in sorted(self._secrets, key=len, reverse=True):
            url = url.replace(value, self._secrets[value])
        return self._scrub_url(url)

    def _scrub_body(self, body: Any) -> Any:
        text = _as_text(body)
        if text is None:
            return body  # binary (a receipt image): nothing textual to leak
        scrubbed = self.scrub_text(text)
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
            elif lowered in _SECRET_RESPONSE_HEADERS:
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


_DEFAULT_SCRUBBER = Scrubber()


def scrub_request(request: Any) -> Any:
    """``before_record_request`` with the generic rules only (no registered secrets)."""
    return _DEFAULT_SCRUBBER.scrub_request(request)


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """``before_record_response`` with the generic rules only (no registered secrets)."""
    return _DEFAULT_SCRUBBER.scrub_response(response)


# -- matchers ------------------------------------------------------------------------------

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def match_method(r1: Any, r2: Any) -> None:
    """vcrpy matcher: same HTTP method."""
    if r1.method.upper() != r2.method.upper():
        raise AssertionError(f"{r1.method} != {r2.method}")


def match_url(r1: Any, r2: Any) -> None:
    """vcrpy matcher: same path and query, ignoring scheme, host, port, the order of query
    parameters and pre-signed signature parameters."""
    u1, u2 = canonical_url(r1.uri), canonical_url(r2.uri)
    if u1 != u2:
        raise AssertionError(f"{u1} != {u2}")


def match_query(r1: Any, r2: Any) -> None:
    """vcrpy matcher: same query parameters (any order), signature parameters ignored."""
    q1 = sorted(_without_signature(_query_pairs(urlsplit(r1.uri).query)))
    q2 = sorted(_without_signature(_query_pairs(urlsplit(r2.uri).query)))
    if q1 != q2:
        raise AssertionError(f"{q1} != {q2}")


def _body_bytes(request: Any) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(part if isinstance(part, bytes) else str(part).encode() for part in body)


def match_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: for POST, PUT and PATCH, the same body (compared as JSON when both
    bodies parse as JSON, so key order and whitespace do not matter; byte for byte
    otherwise). Other methods always match."""
    if r1.method.upper() not in _BODY_METHODS:
        return
    b1, b2 = _body_bytes(r1), _body_bytes(r2)
    if b1 == b2:
        return
    try:
        j1, j2 = json.loads(b1), json.loads(b2)
    except ValueError:
        raise AssertionError(f"bodies differ ({len(b1)} bytes vs {len(b2)} bytes)") from None
    if j1 != j2:
        raise AssertionError(
            "JSON bodies differ:\n"
            + json.dumps(j1, sort_keys=True)[:400]
            + "\n!=\n"
            + json.dumps(j2, sort_keys=True)[:400]
        )


MATCHERS: Mapping[str, Callable[[Any, Any], None]] = {
    "ef_method": match_method,
    "ef_url": match_url,
    "ef_query": match_query,
    "ef_body": match_body,
}
DEFAULT_MATCH_ON = tuple(MATCHERS)
"""The matcher names ``make_vcr`` registers and uses."""


def register_matchers(recorder: vcr.VCR) -> vcr.VCR:
    """Register this module's matchers on a ``vcr.VCR`` (under ``DEFAULT_MATCH_ON``'s
    names) and return it; call it from pytest-recording's ``pytest_recording_configure``
    hook to use those names there."""
    for name, matcher in MATCHERS.items():
        recorder.register_matcher(name, matcher)
    return recorder


# -- vcrpy configuration -----------------------------------------------------------------


def vcr_config(*, scrubber: Scrubber | None = None, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR(**...)`` or pytest-recording's ``vcr_config``.

    Replay only by default (record mode ``"none"``). The request hook normalises every
    request (placeholder origin, no signature parameters) before vcrpy matches it, so
    vcrpy's built-in ``method``/``path``/``query``/``body`` matchers used here behave like
    ``match_url`` and friends without any registration; ``make_vcr`` registers and uses
    the library's own matchers instead. Compressed responses are stored decoded so that
    the scrubbing can see their text. ``scrubber`` carries registered secrets (recording);
    ``overrides`` replace any key.
    """
    chosen = scrubber or _DEFAULT_SCRUBBER
    config: dict[str, Any] = {
        "record_mode": "none",
        "match_on": ("method", "path", "query", "body"),
        "before_record_request": chosen.scrub_request,
        "before_record_response": chosen.scrub_response,
        "decode_compressed_response": True,
        "serializer": "yaml",
        "record_on_exception": False,
    }
    config.update(overrides)
    return config


def make_vcr(
    cassette_dir: str | Path,
    record_mode: str = "none",
    *,
    scrubber: Scrubber | None = None,
    **overrides: Any,
) -> vcr.VCR:
    """A ``vcr.VCR`` reading and writing ``<cassette_dir>/<name>.yaml``, with the scrubbing
    hooks and this module's matchers (``DEFAULT_MATCH_ON``) registered.

    ``record_mode="none"`` (the default) replays only: a request that is not in the
    cassette raises vcrpy's ``CannotOverwriteExistingCassetteException``.
    """
    import vcr as vcrpy  # a development dependency: imported only when asked for

    config = vcr_config(scrubber=scrubber, record_mode=record_mode, match_on=DEFAULT_MATCH_ON)
    config.update(overrides)
    recorder = vcrpy.VCR(
        cassette_library_dir=str(cassette_dir),
        path_transformer=vcrpy.VCR.ensure_suffix(".yaml"),
        **config,
    )
    return register_matchers(recorder)


# -- the secret scanner ---------------------------------------------------------------------

_AUTHISH_WORD = re.compile(
    r"(?:^|[-_.\s])(auth|authorization|token|secret|api[-_]?key|apikey|access[-_]?key|password"
    r"|passwd|session|cookie|credentials?|bearer|signature|private[-_]?key)s?(?:$|[-_.\s])"
)


def _authish(name: str) -> bool:
    """True for a header, parameter or field name that suggests a credential
    (``X-Auth-Token``, ``api_key``, ``clientSecret``), not for ``Idempotency-Key``."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return _AUTHISH_WORD.search(snake) is not None


_PREFIXED_KEY = re.compile(
    r"\b(?:(?:sk|rk|pk)_(?:live|test|prod)_[A-Za-z0-9]{8,}"
    r"|(?:sk|bx|bxt|oa|ghp|gho|ghs|ghu|glpat|xox[abpors])[-_][A-Za-z0-9_-]{16,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16})"
)
_SIGNATURE_IN_TEXT = re.compile(
    r"(?i)[?&](x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature"
    r"|x-goog-credential|signature|sig|awsaccesskeyid)=[^&\s\"']+"
)
_PLACEHOLDER_VALUES = re.compile(r"<[a-z-]*redacted[a-z-]*>|\[redacted\]|^redacted$", re.I)


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _looks_random(value: str) -> bool:
    """A credential-like string: long, from a token alphabet, mixing letters and digits,
    and with high per-character entropy."""
    token = value.strip()
    if " " in token:
        token = token.split()[-1]
    if len(token) < 16 or not re.fullmatch(r"[A-Za-z0-9_\-.~+/=:]+", token):
        return False
    if not (re.search(r"[A-Za-z]", token) and re.search(r"\d", token)):
        return False
    return _entropy(token) >= 3.0


def _mask(value: str) -> str:
    # Findings are printed by tests: never print the whole value.
    value = value.strip()
    return value[:4] + "…" + f"({len(value)} chars)" if len(value) > 4 else "…"


@attrs.frozen
class SecretFinding:
    """Something in a cassette that looks like a secret. ``excerpt`` is masked."""

    source: str
    where: str
    kind: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.source}: {self.where}: {self.kind} ({self.excerpt})"


class SecretScanner:
    """Finds real-looking credentials in cassettes.

    Flags: credential headers (``Authorization``, ``X-API-Key``, ``Api-Key``...) holding
    anything but a placeholder; bearer tokens, JWTs and provider-prefixed keys (``sk_``,
    ``bx_``, ``oa_``, AWS access key ids...) anywhere; pre-signed signature parameters
    anywhere; high-entropy values in auth-ish headers, query parameters and JSON fields;
    the ``efcanary`` prefix and every value in ``known_secrets`` anywhere.
    """

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self._known = tuple(sorted({s for s in known_secrets if s}, key=len, reverse=True))

    # -- entry points -------------------------------------------------------------------

    def scan_tree(self, root: str | Path) -> list[SecretFinding]:
        """Scan every ``*.yaml`` / ``*.yml`` file under ``root``."""
        base = Path(root)
        found: list[SecretFinding] = []
        for path in sorted([*base.rglob("*.yaml"), *base.rglob("*.yml")]):
            found.extend(self.scan_file(path))
        return found

    def scan_file(self, path: str | Path) -> list[SecretFinding]:
        """Scan one cassette file (its raw text, then its parsed interactions)."""
        import yaml  # a development dependency, like vcrpy

        file = Path(path)
        text = file.read_text(encoding="utf-8")
        found = self.scan_text(text, source=str(file), where="file")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            found.append(SecretFinding(str(file), "file", "unparseable-yaml", str(exc)[:80]))
            return found
        found.extend(self.scan_cassette(data, source=str(file)))
        return found

    def scan_cassette(self, data: Any, *, source: str = "<cassette>") -> list[SecretFinding]:
        """Scan a parsed vcrpy cassette (``{"interactions": [...]}``)."""
        found: list[SecretFinding] = []
        interactions = data.get("interactions", []) if isinstance(data, dict) else []
        for index, interaction in enumerate(interactions or []):
            if not isinstance(interaction, dict):
                continue
            for side in ("request", "response"):
                part = interaction.get(side) or {}
                if not isinstance(part, dict):
                    continue
                where = f"interactions[{index}].{side}"
                if side == "request":
                    found.extend(self._scan_url(str(part.get("uri", "")), source, f"{where}.uri"))
                found.extend(self._scan_headers(part.get("headers") or {}, source, where, side))
                body = part.get("body")
                if isinstance(body, dict):
                    body = body.get("string")
                found.extend(self._scan_body(body, source, f"{where}.body"))
        return found

    def scan_text(
        self, text: str, *, source: str = "<text>", where: str = "text"
    ) -> list[SecretFinding]:
        """Pattern checks that hold anywhere: canaries, known secrets, bearer tokens, JWTs,
        prefixed keys, signature parameters."""
        found: list[SecretFinding] = []

        def add(kind: str, value: str) -> None:
            found.append(SecretFinding(source, where, kind, _mask(value)))

        lowered = text.lower()
        start = lowered.find(CANARY_PREFIX)
        if start >= 0:
            add("canary", text[start : start + 24])
        for secret in self._known:
            if secret in text:
                add("known-secret", secret)
        for match in _BEARER_IN_TEXT.finditer(text):
            add("bearer-token", match.group(2))
        for match in _JWT.finditer(text):
            add("jwt", match.group(0))
        for match in _PREFIXED_KEY.finditer(text):
            add("prefixed-key", match.group(0))
        for match in _SIGNATURE_IN_TEXT.finditer(text):
            add("presigned-signature", match.group(0)[1:])
        return found

    # -- parts ------------------------------------------------------------------------------

    def _scan_url(self, url: str, source: str, where: str) -> list[SecretFinding]:
        found: list[SecretFinding] = []
        for key, value in _query_pairs(urlsplit(url).query):
            if is_signature_param(key):
                found.append(SecretFinding(source, where, "presigned-signature", key))
            elif (key.lower() in _CREDENTIAL_QUERY or _authish(key)) and (
                not _PLACEHOLDER_VALUES.search(value) and value
            ):
                found.append(SecretFinding(source, where, "credential-in-query", _mask(value)))
        return found

    def _scan_headers(
        self, headers: Any, source: str, where: str, side: str
    ) -> list[SecretFinding]:
        found: list[SecretFinding] = []
        if not isinstance(headers, dict):
            return found
        for name, raw in headers.items():
            values = raw if isinstance(raw, list) else [raw]
            lowered = str(name).lower()
            for value in (str(v) for v in values):
                at = f"{where}.headers.{name}"
                if _PLACEHOLDER_VALUES.search(value):
                    continue
                always_secret = lowered in CREDENTIAL_HEADERS or (
                    side == "response" and lowered in _SECRET_RESPONSE_HEADERS
                )
                if always_secret or (_authish(str(name)) and _looks_random(value)):
                    found.append(SecretFinding(source, at, "credential-header", _mask(value)))
        return found

    def _scan_body(self, body: Any, source: str, where: str) -> list[SecretFinding]:
        text = _as_text(body)
        if text is None:
            return []
        found = self.scan_text(text, source=source, where=where)
        try:
            parsed = json.loads(text)
        except ValueError:
            return found
        for path, key, value in _walk_json(parsed, "$"):
            suspicious = _authish(key) and _looks_random(value)
            if suspicious and not _PLACEHOLDER_VALUES.search(value):
                found.append(
                    SecretFinding(source, f"{where}:{path}", "credential-field", _mask(value))
                )
        return found


def _walk_json(node: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(json path, key, string value) for every string value held under a key."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if isinstance(value, str):
                yield child, str(key), value
            else:
                yield from _walk_json(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_json(value, f"{path}[{index}]")
