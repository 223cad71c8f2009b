"""Capture's own scenarios replayed from their cassettes and checked against the sandbox's
ground truth (the scenarios every vendor shares are in test_replay_common.py).

Record mode "none" and the network blocked (see conftest.py): every result below comes
from the committed cassette only.
"""

from __future__ import annotations

from typing import Any

import pytest

VENDOR = "capture"
pytestmark = pytest.mark.usefixtures("network_blocked")


def test_mark_exported_marks_the_first_three_queued_expenses(replay: Any, sandbox: Any) -> None:
    outcome = replay(VENDOR, "mark_exported")
    first_three = list(sandbox.vendor(VENDOR).approved_ids())[:3]
    assert outcome["ids"] == first_three
    assert outcome["succeeded"] == sorted(first_three)
    assert outcome["failed"] == []
