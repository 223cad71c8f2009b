"""Brex scenarios replayed from their cassettes, checked against the sandbox's ground truth.

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import record_cassettes as rc
import yaml
from expense_facade.testing.cassettes import CANARY_PREFIX

VENDOR = "brex"
CASSETTES = Path(__file__).parent / VENDOR
pytestmark = pytest.mark.usefixtures("network_blocked")


def test_list_approved_returns_every_approved_expense_across_pages(
    replay: Any, sandbox: Any
) -> None:
    outcome = replay(VENDOR, "list_approved")
    listed = [i for page in outcome["pages"] for i in page]
    assert len(outcome["pages"]) >= 2
    assert all(0 < len(page) <= rc.PAGE_SIZE for page in outcome["pages"])
    assert listed == list(sandbox.vendor(VENDOR).approved_ids())
    assert outcome["malformed"] == []


def test_get_expense_returns_the_listed_expense(replay: Any, sandbox: Any) -> None:
    outcome = replay(VENDOR, "get_expense")
    first = next(iter(sandbox.vendor(VENDOR).approved_ids()))
    assert outcome["listed"]["id"] == outcome["detail"]["id"] == first
    assert outcome["detail"]["status"] == "approved"
    assert outcome["detail"]["raw_status"] == "APPROVED"
    assert outcome["detail"]["gross"] is not None
    assert outcome["detail"]["gross"] == outcome["listed"]["gross"]


def test_upload_receipt_attaches_through_the_presigned_put(replay: Any, sandbox: Any) -> None:
    outcome = replay(VENDOR, "upload_receipt")
    assert outcome["flow"] == "attach"
    assert outcome["expense_id"] == next(iter(sandbox.vendor(VENDOR).approved_ids()))
    assert outcome["receipt_id"].startswith("receipt_")
    assert outcome["size"] == len(rc.RECEIPT_BYTES)


def test_the_presigned_put_carried_no_vendor_credential_and_a_content_length() -> None:
    cassette = yaml.safe_load((CASSETTES / "upload_receipt.yaml").read_text(encoding="utf-8"))
    puts = [i["request"] for i in cassette["interactions"] if i["request"]["method"] == "PUT"]
    assert len(puts) == 1
    headers = {name.lower() for name in puts[0]["headers"]}
    assert "authorization" not in headers
    assert puts[0]["headers"]["content-length"] == [str(len(rc.RECEIPT_BYTES))]
    assert "?" not in puts[0]["uri"]  # the signature parameters were dropped


def test_upload_receipt_for_matching(replay: Any) -> None:
    outcome = replay(VENDOR, "upload_receipt_match")
    assert outcome["flow"] == "match"
    assert outcome["expense_id"] is None
    assert outcome["size"] == len(rc.RECEIPT_BYTES)


def test_wrong_token_is_an_authentication_error(replay: Any) -> None:
    outcome = replay(VENDOR, "list_unauthorized")
    assert (outcome["error"], outcome["status"]) == ("AuthenticationError", 401)
    assert CANARY_PREFIX not in outcome["message"]


def test_unknown_expense_is_not_found(replay: Any) -> None:
    outcome = replay(VENDOR, "get_not_found")
    assert (outcome["error"], outcome["status"]) == ("NotFoundError", 404)
