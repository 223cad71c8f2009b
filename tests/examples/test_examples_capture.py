"""Each Capture example program runs (in-process, against the built-in sandbox) and prints
what it promises; there is one per operation Capture supports."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import expense_facade as ef
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

CASES = {
    "capture_list_approved.py": [
        rf"^page 1: 50 expenses; first {GUID}: \d+(\.\d+)? [A-Z]{{3}} by .+ \(GL \d+\)$",
        r"^400 approved expenses waiting for export; 0 unreadable$",
    ],
    "capture_mark_exported.py": [
        rf"^{GUID}: exported$",
        r"^00000000-0000-4000-8000-000000000000: not marked: not in the export queue",
        r"^marked 5 of 6; 1 failed$",
        r"^395 of 400 still waiting for export$",
    ],
}


def test_there_is_one_capture_example_per_supported_operation() -> None:
    names = {p.name for p in EXAMPLES.glob("capture_*.py")}
    assert names == set(CASES)
    assert names == {f"capture_{op.value}.py" for op in ef.capabilities("capture")}


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_capture_example_runs_and_prints_meaningful_lines(
    name: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    out = capsys.readouterr().out
    for pattern in expected:
        assert re.search(pattern, out, flags=re.MULTILINE), (pattern, out)
