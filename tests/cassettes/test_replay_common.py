"""The scenarios every vendor shares, replayed from their cassettes and checked against the
sandbox's ground truth. Vendor-specific scenarios (Capture's marking, Brex's uploads,
ProSpend's card transaction) are in test_replay_<vendor>.py.

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from typing import Any

import pytest
import record_cassettes as rc
from expense_facade.testing.cassettes import CANARY_PREFIX

pytestmark = pytest.mark.usefixtures("network_blocked")

ALL_VENDORS = ("capture", "brex", "revolut", "prospend", "pazy")
# Vendors with a detail endpoint, and the word each uses for the approved status there.
DETAIL_RAW_STATUS = {
    "brex": "APPROVED",
    "revolut": "approved",
    "prospend": "Finalised",
    "pazy": "APPROVED",
}


@pytest.mark.parametrize("vendor", ALL_VENDORS)
def test_list_approved_returns_every_approved_expense_across_pages(
    vendor: str, replay: Any, sandbox: Any
) -> None:
    outcome = replay(vendor, "list_approved")
    listed = [i for page in outcome["pages"] for i in page]
    assert len(outcome["pages"]) >= 2
    assert all(len(page) <= rc.PAGE_SIZE for page in outcome["pages"])
    if vendor != "revolut":  # Revolut's overlapping pages may be empty once de-duplicated
        assert all(outcome["pages"])
    assert listed == list(sandbox.vendor(vendor).approved_ids())
    assert outcome["malformed"] == []


@pytest.mark.parametrize(("vendor", "raw_status"), sorted(DETAIL_RAW_STATUS.items()))
def test_get_expense_returns_the_listed_expense(
    vendor: str, raw_status: str, replay: Any, sandbox: Any
) -> None:
    outcome = replay(vendor, "get_expense")
    first = next(iter(sandbox.vendor(vendor).approved_ids()))
    assert outcome["listed"]["id"] == outcome["detail"]["id"] == first
    assert outcome["detail"]["status"] == "approved"
    assert outcome["detail"]["raw_status"] == raw_status
    assert outcome["detail"]["gross"] is not None
    assert outcome["detail"]["gross"] == outcome["listed"]["gross"]


@pytest.mark.parametrize("vendor", ALL_VENDORS)
def test_wrong_credential_is_an_authentication_error(vendor: str, replay: Any) -> None:
    outcome = replay(vendor, "list_unauthorized")
    assert (outcome["error"], outcome["status"]) == ("AuthenticationError", 401)
    assert CANARY_PREFIX not in outcome["message"]


@pytest.mark.parametrize("vendor", sorted(DETAIL_RAW_STATUS))
def test_unknown_expense_is_not_found(vendor: str, replay: Any) -> None:
    outcome = replay(vendor, "get_not_found")
    assert (outcome["error"], outcome["status"]) == ("NotFoundError", 404)
