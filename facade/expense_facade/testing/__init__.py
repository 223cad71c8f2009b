"""Helpers for testing code built on expense_facade: ``testing.cassettes`` records and
replays HTTP traffic under the project's scrubbing rules (docs/cassettes.md). Nothing here
imports vcrpy or PyYAML until a function that needs them is called.
"""

from expense_facade.testing.cassettes import (
    CANARY_PREFIX,
    DEFAULT_MATCH_ON,
    PLACEHOLDER_ORIGIN,
    REDACTED,
    Scrubber,
    SecretFinding,
    SecretScanner,
    canary,
    make_vcr,
    match_body,
    match_method,
    match_query,
    match_url,
    register_matchers,
    scrub_request,
    scrub_response,
    vcr_config,
)

__all__ = [
    "CANARY_PREFIX",
    "DEFAULT_MATCH_ON",
    "PLACEHOLDER_ORIGIN",
    "REDACTED",
    "Scrubber",
    "SecretFinding",
    "SecretScanner",
    "canary",
    "make_vcr",
    "match_body",
    "match_method",
    "match_query",
    "match_url",
    "register_matchers",
    "scrub_request",
    "scrub_response",
    "vcr_config",
]
