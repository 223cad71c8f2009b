"""Pre-signed URL signature parameters and credential query parameters: what scrubbing
removes from stored URLs, what matching ignores and what the scanner flags
(docs/cassettes.md)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

# Pre-signed URL parameters (S3 SigV4 and SigV2, GCS, Azure SAS, CloudFront).
_SIGNATURE_PARAM_PREFIXES = ("x-amz-", "x-goog-")
_SIGNATURE_PARAMS = frozenset({"signature", "sig", "awsaccesskeyid", "googleaccessid"})
# Only signature-related when a signature is present (on their own they are ordinary names).
_SIGNATURE_COMPANIONS = frozenset({"expires", "policy", "key-pair-id", "se", "st", "sp", "sv"})
_SIGNED_MARKERS = frozenset(
    {"x-amz-signature", "x-goog-signature", "signature", "sig", "x-amz-credential"}
)

CREDENTIAL_QUERY = frozenset(
    {"api_key", "apikey", "api-key", "access_token", "token", "x-api-key", "client_secret"}
)
"""Query parameters that carry a credential rather than a signature (lower case)."""


def is_signature_param(name: str) -> bool:
    """True for a pre-signed URL signature parameter (``X-Amz-Signature``, ``sig``...)."""
    lowered = name.lower()
    return lowered in _SIGNATURE_PARAMS or lowered.startswith(_SIGNATURE_PARAM_PREFIXES)


def query_pairs(query: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of a query string, in order, blanks kept."""
    return parse_qsl(query, keep_blank_values=True)


def without_signature(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``pairs`` without signature parameters (and their companions, when signed)."""
    signed = any(k.lower() in _SIGNED_MARKERS or is_signature_param(k) for k, _ in pairs)
    return [
        (k, v)
        for k, v in pairs
        if not is_signature_param(k) and not (signed and k.lower() in _SIGNATURE_COMPANIONS)
    ]


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """A query string from ``pairs``."""
    # Brex's repeated keys are literally "status[]": keep the brackets readable.
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='[]:,')}" for k, v in pairs)


def strip_signature(url: str) -> str:
    """``url`` without its pre-signed signature parameters (other parameters keep their
    order and values; a URL with none is returned unchanged)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = query_pairs(parts.query)
    kept = without_signature(pairs)
    if kept == pairs:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, encode_query(kept), parts.fragment))


def canonical_url(url: str) -> str:
    """What the URL matcher compares: the path (``/`` when empty) and the query pairs
    without signature parameters, sorted; scheme, host and port are ignored."""
    parts = urlsplit(url)
    pairs = sorted(without_signature(query_pairs(parts.query)))
    path = parts.path or "/"
    return f"{path}?{encode_query(pairs)}" if pairs else path
