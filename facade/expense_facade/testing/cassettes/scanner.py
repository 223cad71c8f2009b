"""The secret scanner: finds real-looking credentials, pre-signed signatures and canary
values in cassette files (docs/cassettes.md)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from expense_facade._http.redaction import REDACTED
from expense_facade.testing.cassettes.config import require
from expense_facade.testing.cassettes.scrubbing import (
    BEARER_IN_TEXT,
    CANARY_PREFIX,
    CREDENTIAL_FIELDS,
    CREDENTIAL_HEADERS,
    JWT,
    PRIVATE_KEY,
    SECRET_RESPONSE_HEADERS,
    as_text,
    form_pairs,
)
from expense_facade.testing.cassettes.urls import CREDENTIAL_QUERY, is_signature_param, query_pairs

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
# The scrubber's placeholder, and the ones people write by hand.
_PLACEHOLDER_VALUES = re.compile(
    re.escape(REDACTED) + r"|<[a-z-]*redacted[a-z-]*>|\[redacted\]|^redacted$", re.I
)


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
        yaml = require("yaml", "PyYAML")
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
        for match in BEARER_IN_TEXT.finditer(text):
            add("bearer-token", match.group(2))
        for match in JWT.finditer(text):
            add("jwt", match.group(0))
        for match in _PREFIXED_KEY.finditer(text):
            add("prefixed-key", match.group(0))
        for match in _SIGNATURE_IN_TEXT.finditer(text):
            add("presigned-signature", match.group(0)[1:])
        for match in PRIVATE_KEY.finditer(text):
            add("private-key", match.group(0)[:40])
        return found

    # -- parts ------------------------------------------------------------------------------

    def _scan_url(self, url: str, source: str, where: str) -> list[SecretFinding]:
        found: list[SecretFinding] = []
        for key, value in query_pairs(urlsplit(url).query):
            if is_signature_param(key):
                found.append(SecretFinding(source, where, "presigned-signature", key))
            elif (key.lower() in CREDENTIAL_QUERY or _authish(key)) and (
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
                    side == "response" and lowered in SECRET_RESPONSE_HEADERS
                )
                if always_secret or (_authish(str(name)) and _looks_random(value)):
                    found.append(SecretFinding(source, at, "credential-header", _mask(value)))
        return found

    def _scan_body(self, body: Any, source: str, where: str) -> list[SecretFinding]:
        text = as_text(body)
        if text is None:
            return []
        found = self.scan_text(text, source=source, where=where)
        for key, value in form_pairs(text):
            if key in CREDENTIAL_FIELDS and value and not _PLACEHOLDER_VALUES.search(value):
                at = f"{where}:{key}"
                found.append(SecretFinding(source, at, "credential-form-field", _mask(value)))
        try:
            parsed = json.loads(text)
        except ValueError:
            return found
        for path, key, value in _walk_json(parsed, "$"):
            suspicious = (_authish(key) and _looks_random(value)) or key in CREDENTIAL_FIELDS
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
