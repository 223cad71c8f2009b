"""Pazy scenarios replayed from their cassettes, checked against the sandbox's ground truth.

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from typing import Any

import pytest
import record_cassettes as rc
from expense_facade.testing.cassettes import CANARY_PREFIX

VENDOR = "pazy"
pytestmark = pytest.mark.usefixtures("network_blocked")


def test_list_approved_returns_every_approved_expense_across_pages(
    replay: Any, sandbox: Any
) -> None:
    outcome = replay(VENDOR, "list_approved")
    listed = [i for page in outcome["pages"] for i in page]
    assert len(outcome["pages"]) >= 2
    assert all(len(page) <= rc.PAGE_SIZE for page in outcome["pages"])
    assert listed == list(sandbox.vendor(VENDOR).approved_ids())
    assert outcome["malformed"] == []


def test_get_expense_returns_the_listed_expense(replay: Any, sandbox: Any) -> None:
    outcome = replay(VENDOR, "get_expense")
    first = next(iter(sandbox.vendor(VENDOR).approved_ids()))
    assert outcome["listed"]["id"] == outcome["detail"]["id"] == first
    assert outcome["detail"]["status"] == "approved"
    assert outcome["detail"]["gross"] is not None
    assert outcome["detail"]["gross"] == outcome["listed"]["gross"]


def test_wrong_credential_is_an_authentication_error(replay: Any) -> None:
    outcome = replay(VENDOR, "list_unauthorized")
    assert (outcome["error"], outcome["status"]) == ("AuthenticationError", 401)
    assert CANARY_PREFIX not in outcome["message"]


def test_unknown_expense_is_not_found(replay: Any) -> None:
    outcome = replay(VENDOR, "get_not_found")
    assert (outcome["error"], outcome["status"]) == ("NotFoundError", 404)
