"""ProSpend's own scenarios replayed from their cassettes and checked against the sandbox's
ground truth (the scenarios every vendor shares are in test_replay_common.py).

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from typing import Any

import pytest
import record_cassettes as rc

VENDOR = "prospend"
pytestmark = pytest.mark.usefixtures("network_blocked")


def test_post_card_transaction_then_its_duplicate(replay: Any) -> None:
    outcome = replay(VENDOR, "post_card_transaction")
    assert outcome["transaction_id"] == rc.CARD_TRANSACTION_ID
    assert outcome["first_duplicate"] is False
    assert outcome["second_duplicate"] is True
