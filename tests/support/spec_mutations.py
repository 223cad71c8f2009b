"""Spec edits a maintainer meets after a vendor update, applied to a copy of a vendor's spec.

Used by tests/spec_pipeline/test_wire_shapes_proof.py (does the type checker point at the
adapter and the simulator?) and by the change-report tests (does the report say what
changed?). ``PROBES`` names, per vendor, the response fields the proof edits: each must be
read by the adapter and written by the simulator (docs/adapter_guide.md, "Wire shapes").
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import attrs
import yaml

from .spec_pipeline import SPECS

RETYPED_TO = {"type": "object", "properties": {"code": {"type": "string"}}}
"""What a retyped field becomes: a string turned into an object."""


@attrs.frozen
class FieldProbe:
    """The fields of one response schema that the proof renames, removes and retypes."""

    vendor: str
    schema: str  # a name under components/schemas
    renamed: str
    removed: str
    retyped: str  # a string property (it becomes an object)

    @property
    def adapter(self) -> str:
        """The adapter's path, as mypy names it when run from the repository."""
        return f"facade/expense_facade/vendors/{self.vendor}.py"

    @property
    def simulator(self) -> str:
        """The simulator's path, as mypy names it when run from the repository."""
        return f"facade/expense_facade/sandbox/vendors/{self.vendor}.py"

    @property
    def fields(self) -> tuple[str, str, str]:
        """The three edited fields, in the order rename, remove, retype."""
        return self.renamed, self.removed, self.retyped


#: One probe per vendor (its adapter and simulator read and build through the shapes).
PROBES: dict[str, FieldProbe] = {
    "capture": FieldProbe(
        "capture", "ExportExpense", renamed="grossAmount", removed="personName", retyped="isoCode"
    ),
    "brex": FieldProbe(
        "brex", "Expense", renamed="memo", removed="category", retyped="purchased_at"
    ),
    "pazy": FieldProbe(
        "pazy", "ExpenseDetail", renamed="expenseDate", removed="documentId", retyped="approvedDate"
    ),
    "prospend": FieldProbe(
        "prospend", "Claim", renamed="claimantName", removed="claimantId", retyped="employeeNumber"
    ),
    "revolut": FieldProbe(
        "revolut", "Expense", renamed="description", removed="payer", retyped="merchant"
    ),
}


def copy_spec(vendor: str, target: Path) -> Path:
    """Copy ``specs/<vendor>`` (spec, prepare.yaml, overlays) into ``target/<vendor>``."""
    destination = target / vendor
    shutil.copytree(SPECS / vendor, destination)
    return destination


def load(folder: Path) -> dict[str, Any]:
    """The spec document of a copied vendor folder."""
    document: dict[str, Any] = yaml.safe_load((folder / "openapi.yaml").read_text())
    return document


def save(folder: Path, document: dict[str, Any]) -> None:
    """Write ``document`` back as the folder's openapi.yaml."""
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    (folder / "openapi.yaml").write_text(text, encoding="utf-8")


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    """``components/schemas/<name>`` of ``document``."""
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def rename(document: dict[str, Any], name: str, old: str, new: str) -> None:
    """Rename property ``old`` of schema ``name`` to ``new`` (required-ness kept)."""
    target = schema(document, name)
    target["properties"] = {
        (new if key == old else key): value for key, value in target["properties"].items()
    }
    if old in target.get("required", ()):
        target["required"] = [new if r == old else r for r in target["required"]]


def remove(document: dict[str, Any], name: str, field: str) -> None:
    """Remove property ``field`` of schema ``name``."""
    target = schema(document, name)
    del target["properties"][field]
    if field in target.get("required", ()):
        target["required"] = [r for r in target["required"] if r != field]


def retype(document: dict[str, Any], name: str, field: str) -> None:
    """Turn property ``field`` of schema ``name`` into an object (:data:`RETYPED_TO`)."""
    schema(document, name)["properties"][field] = dict(RETYPED_TO)


def apply_probe(document: dict[str, Any], probe: FieldProbe, suffix: str = "V2") -> None:
    """All three edits of ``probe`` at once (each on its own field)."""
    rename(document, probe.schema, probe.renamed, probe.renamed + suffix)
    remove(document, probe.schema, probe.removed)
    retype(document, probe.schema, probe.retyped)


OTHER_JSON_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "object": dict(RETYPED_TO),
    "array": {"type": "array", "items": {"type": "string"}},
}
"""What a string field is retyped to: each other JSON type."""


@attrs.frozen
class RetypeProbe:
    """Three string fields of one response schema that the adapter reads (each through a
    reader typed to the spec's string) and the simulator builds."""

    vendor: str
    schema: str
    fields: tuple[str, str, str]

    @property
    def adapter(self) -> str:
        """The adapter's path, as mypy names it when run from the repository."""
        return f"facade/expense_facade/vendors/{self.vendor}.py"

    @property
    def simulator(self) -> str:
        """The simulator's path, as mypy names it when run from the repository."""
        return f"facade/expense_facade/sandbox/vendors/{self.vendor}.py"


#: Per vendor, three read fields retyped to each other JSON type (test_retype_proof.py).
RETYPE_PROBES: dict[str, RetypeProbe] = {
    "capture": RetypeProbe(
        "capture", "ExportExpense", ("categoryName", "nominalAccount", "claimDate")
    ),
    "brex": RetypeProbe("brex", "Expense", ("memo", "category", "purchased_at")),
    "pazy": RetypeProbe("pazy", "ExpenseDetail", ("documentId", "approvedDate", "expenseDate")),
    "prospend": RetypeProbe("prospend", "Claim", ("claimantName", "claimantId", "employeeNumber")),
    "revolut": RetypeProbe("revolut", "Expense", ("payer", "merchant", "submitted_at")),
}


def retype_to(document: dict[str, Any], name: str, field: str, json_type: str) -> None:
    """Turn property ``field`` of schema ``name`` into ``OTHER_JSON_TYPES[json_type]``."""
    schema(document, name)["properties"][field] = dict(OTHER_JSON_TYPES[json_type])
