"""docs/command.md's table of settings is the adapters' declarations, row for row: a
credential added, renamed or retyped in an adapter fails here until the page says so."""

from __future__ import annotations

import re
from pathlib import Path

from expense_facade.config import env_name
from expense_facade.registry import adapter_class, available_vendors

PAGE = Path(__file__).resolve().parents[2] / "docs" / "command.md"
ROW = re.compile(
    r"^\| (\w+) \| `(\w+)` \((required|optional|default `[^`]*`)\) \| (\w+) \| `(\w+)` \|$"
)


def test_the_settings_table_is_the_declared_credentials() -> None:
    shown = [m.groups() for m in map(ROW.match, PAGE.read_text().splitlines()) if m]
    declared = [
        (vendor, spec.name, _need(spec.required, spec.default), spec.kind.value,
         env_name(vendor, spec.name))
        for vendor in available_vendors()
        for spec in adapter_class(vendor).credential_specs
    ]  # fmt: skip
    assert shown == declared


def _need(required: bool, default: object) -> str:
    if required:
        return "required"
    if default is None:
        return "optional"  # no default: one of several ways (Revolut: token or refresh)
    return f"default `{str(default).lower() if isinstance(default, bool) else default}`"
