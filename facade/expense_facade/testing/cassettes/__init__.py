"""Recorded HTTP cassettes with the project's rules, for the project's suite and for
integration code's own CI: scrubbing (``Scrubber``), matching (``match_*``), the vcrpy
configuration (``vcr_config``, ``make_vcr``) and the secret scanner (``SecretScanner``).
docs/cassettes.md shows how to use them (with pytest-recording too). vcrpy and PyYAML come
with the ``testing`` extra and are imported only by the functions that need them.
"""

from expense_facade._http.redaction import REDACTED
from expense_facade.testing.cassettes.config import (
    INSTALL_HINT,
    MissingTestingExtra,
    make_vcr,
    vcr_config,
)
from expense_facade.testing.cassettes.matching import (
    DEFAULT_MATCH_ON,
    MATCHERS,
    match_body,
    match_method,
    match_query,
    match_url,
    register_matchers,
)
from expense_facade.testing.cassettes.scanner import SecretFinding, SecretScanner
from expense_facade.testing.cassettes.scrubbing import (
    CANARY_PREFIX,
    CREDENTIAL_HEADERS,
    FIXED_DATE,
    PLACEHOLDER_ORIGIN,
    Scrubber,
    canary,
    scrub_request,
    scrub_response,
)
from expense_facade.testing.cassettes.urls import canonical_url, is_signature_param, strip_signature

__all__ = [
    "CANARY_PREFIX",
    "CREDENTIAL_HEADERS",
    "DEFAULT_MATCH_ON",
    "FIXED_DATE",
    "INSTALL_HINT",
    "MATCHERS",
    "PLACEHOLDER_ORIGIN",
    "REDACTED",
    "MissingTestingExtra",
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
