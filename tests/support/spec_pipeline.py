"""Shared paths for the spec pipeline tests (a plain module: test folders here are not packages)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
REGENERATE = REPO / "scripts" / "regenerate.py"
VENDORS = sorted(path.parent.name for path in SPECS.glob("*/prepare.yaml"))
