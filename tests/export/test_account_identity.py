"""Account identity: spellings of one account are one dedupe key and one identity; other
credentials are another identity (docs/export.md, "Account identity")."""

from __future__ import annotations

from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.export.account_identity import (
    ANY_ACCOUNT,
    canonical_base_url,
    canonical_label,
    dedupe_scope,
    identify,
)
from expense_facade.sandbox import Sandbox
from support.ledger_backends import Backend


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("localhost", "127.0.0.1"),
        ("127.0.0.1:8765", "127.0.0.1"),
        ("LOCALHOST.", "127.0.0.1"),
        ("::1", "127.0.0.1"),
        ("api.brex.com.", "api.brex.com"),
        ("API.Apac.ProSpend.io/01234", "api.apac.prospend.io/1234"),
        ("example.com:8443/007", "example.com:8443/7"),
        ("acme", "acme"),
        ("globex-2", "globex-2"),
        ("host.example/²", "host.example/²"),
    ],
)
def test_every_spelling_of_an_account_has_one_label(label: str, canonical: str) -> None:
    assert canonical_label(label) == canonical


def test_base_urls_are_compared_as_written_by_no_one() -> None:
    assert canonical_base_url("http://localhost.:8765/brex/") == "http://127.0.0.1/brex"
    assert canonical_base_url("HTTPS://API.Brex.com./") == "https://api.brex.com"
    assert canonical_base_url("https://api.brex.com:8443") == "https://api.brex.com:8443"


def test_the_dedupe_scope_is_the_vendor_where_ids_are_unique() -> None:
    assert dedupe_scope("brex", "acme") == dedupe_scope("brex", "localhost") == ANY_ACCOUNT
    assert dedupe_scope("prospend", "localhost/01") == "127.0.0.1/1"
    assert dedupe_scope("not-a-vendor", "Host.") == "host"


def test_the_identity_holds_a_keyed_fingerprint_never_the_secret() -> None:
    sb = Sandbox(seed=3, size=5, vendors=("brex",))
    token = sb.credentials("brex")["token"]
    with ef.connect("brex", sandbox=sb) as client:
        one = identify(client, b"k" * 32)
        again = identify(client, b"k" * 32)
        other_key = identify(client, b"j" * 32)
    with ef.connect("brex", sandbox=sb, token=token + "x") as client:
        other_token = identify(client, b"k" * 32)
    assert one == again
    assert one.key != other_key.key != other_token.key
    assert token not in repr(one)
    assert token not in one.credentials


def test_the_fingerprints_key_is_the_ledgers_own_on_each_backend(
    ledger_backend: Backend, tmp_path: Path
) -> None:
    # The position belongs to an identity fingerprinted under the ledger's key: the same
    # key on every open of one ledger (on PostgreSQL, by any process), another elsewhere.
    sb = Sandbox(seed=3, size=5, vendors=("brex",))
    with ledger_backend.open(tmp_path / "one") as ledger:
        key = ledger.identity_key()
    with ledger_backend.open(tmp_path / "one") as ledger:
        assert ledger.identity_key() == key
    with ledger_backend.open(tmp_path / "two") as other:
        assert other.identity_key() != key
    assert len(key) >= 32
    with ef.connect("brex", sandbox=sb) as client:
        assert identify(client, key) == identify(client, key)
        assert identify(client, key).key != identify(client, other.identity_key()).key
