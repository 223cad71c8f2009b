"""The unsupported-operations program prints each vendor's capabilities and, for every
other operation, the UnsupportedOperation error naming vendor and operation."""

from __future__ import annotations

import runpy
from pathlib import Path

import expense_facade as ef
import pytest

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "unsupported_operations.py"


def test_every_unsupported_pair_raises_the_one_error(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(PROGRAM), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    expected: list[str] = []
    for vendor in ef.available_vendors():
        supported = ef.capabilities(vendor)
        expected.append(f"{vendor}: supports {', '.join(sorted(op.value for op in supported))}")
        expected += [
            f"  {vendor} does not support {op.value}"
            for op in ef.Operation
            if op is not ef.Operation.LIST_APPROVED and op not in supported
        ]
    assert lines == expected
