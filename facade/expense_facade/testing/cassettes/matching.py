"""vcrpy matchers: a request matches a recorded one by method, path and query (scheme,
host, port and pre-signed signature parameters ignored) and, for writes, by body
(docs/cassettes.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from expense_facade.testing.cassettes.urls import canonical_url, query_pairs, without_signature

if TYPE_CHECKING:
    import vcr

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
    q1 = sorted(without_signature(query_pairs(urlsplit(r1.uri).query)))
    q2 = sorted(without_signature(query_pairs(urlsplit(r2.uri).query)))
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
