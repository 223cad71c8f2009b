"""Brex's own scenarios replayed from their cassettes and checked against the sandbox's
ground truth (the scenarios every vendor shares are in test_replay_common.py).

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import record_cassettes as rc
import yaml

VENDOR = "brex"
CASSETTES = Path(__file__).parent / VENDOR
pytestmark = pytest.mark.usefixtures("network_blocked")


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
