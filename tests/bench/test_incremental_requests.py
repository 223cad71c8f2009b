"""The requests of a second export (issue 13, item 5), counted on small sandboxes through
the benchmark's own function: counts are not timings, so they are asserted. Nothing new:
Capture 1 request, Brex <= 2, ProSpend <= 3, Pazy and Revolut their list pages with no
per-record request; 1% new: at most that plus the new records' per-record requests and the
list pages carrying them, and no per-record request for anything else."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # three exports per vendor

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_export.py"
PAGE = {"capture": 100, "brex": 100, "revolut": 500, "prospend": 100, "pazy": 100}
NOTHING_NEW = {"capture": 1, "brex": 2, "prospend": 3}


def bench_export() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_export", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_export", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run_incremental() -> Any:
    return bench_export().run_incremental


@pytest.mark.parametrize("vendor", ["capture", "brex", "revolut", "prospend", "pazy"])
def test_second_exports_cost_what_is_new(vendor: str, run_incremental: Any) -> None:
    figures = run_incremental(vendor, 1_000)
    first, idle, busy = figures["first"], figures["nothing_new"], figures["one_percent"]
    assert first["ok"]
    assert idle["ok"]
    assert busy["ok"]
    assert idle["exported"] == 0
    assert busy["exported"] == busy["new"] > 0
    assert idle["requests"] <= NOTHING_NEW.get(vendor, first["list"])
    if vendor in ("pazy", "revolut"):
        assert idle["per_record"] == 0
        assert idle["list"] <= first["list"]
    assert busy["per_record"] == busy["new_per_record"]
    carry = math.ceil(busy["new"] / PAGE[vendor])
    assert busy["requests"] <= idle["requests"] + busy["new_per_record"] + carry
    if vendor in ("brex", "prospend"):
        assert idle["mode"] == busy["mode"] == "incremental"
