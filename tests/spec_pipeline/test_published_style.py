"""A large published-style file goes through preparation and generation without a warning.

The synthetic file (see support/published_style_spec.py) holds every defect DESIGN.md lists plus
hundreds of unrelated operations. With all repairs it generates under
``--fail-on-warning`` and keeps every model the kept operations use; skipping any one of
the repairs for those defects makes validation or generation fail, so each repair is
shown to be needed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import regenerate
import yaml
from support.published_style_spec import KEPT_MODELS, KEPT_OPERATIONS, build

#: Repair needed for each listed defect (and for the receipt's image/pdf media types).
DEFECT_REPAIRS = ("numeric-keywords", "discriminators", "required", "nullable-allof", "media-types")
#: Skipped, this one is caught by preparation itself, before the validator would recurse.
RECURSION_REPAIR = "recursive-compositions"
FULL = "published_style"


def _variant(skip: str) -> str:
    return f"published_without_{skip.replace('-', '_')}"


@dataclass(frozen=True)
class Workspace:
    """Where the variants were generated, and how each went."""

    root: Path
    results: dict[str, regenerate.VendorResult]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Generate the full variant and one variant per skipped repair, once, in parallel."""
    root = tmp_path_factory.mktemp("published")
    # Only the full variant needs the large file; the others show each repair is needed.
    large = yaml.safe_dump(build(), sort_keys=False)
    small = yaml.safe_dump(build(unrelated_resources=3), sort_keys=False)
    variants: dict[str, list[str]] = {FULL: []}
    variants |= {_variant(skip): [skip] for skip in (*DEFECT_REPAIRS, RECURSION_REPAIR)}
    for name, skip in variants.items():
        folder = root / "specs" / name
        folder.mkdir(parents=True)
        (folder / "openapi.yaml").write_text(large if name == FULL else small)
        prepare = {
            "source": "openapi.yaml",
            "keep": list(KEPT_OPERATIONS),
            "repairs": {"all": True, "skip": skip},
        }
        (folder / "prepare.yaml").write_text(yaml.safe_dump(prepare))
    results = regenerate.generate_all(list(variants), root / "specs", root / "out", jobs=3)
    return Workspace(root, {result.vendor: result for result in results})


def test_the_source_is_large(workspace: Workspace) -> None:
    assert (workspace.root / "specs" / FULL / "openapi.yaml").stat().st_size > 300_000


def test_prepared_and_generated_without_warning(workspace: Workspace) -> None:
    result = workspace.results[FULL]
    assert result.error is None
    assert "3 operation(s)" in result.summary()


def test_every_model_the_kept_operations_use_is_generated(workspace: Workspace) -> None:
    models = workspace.root / "out" / FULL / "models"
    modules = {path.stem for path in models.glob("*.py")} - {"__init__"}
    assert set(KEPT_MODELS) <= modules
    assert not any(name.startswith("resource") for name in modules)
    api = workspace.root / "out" / FULL / "api" / "expenses"
    assert {p.stem for p in api.glob("*.py")} == {
        "__init__",
        "list_expenses",
        "get_expense",
        "get_expense_receipt",
    }


def test_enum_query_parameter_through_a_ref_becomes_a_plain_string(workspace: Workspace) -> None:
    source = (workspace.root / "out" / FULL / "api" / "expenses" / "list_expenses.py").read_text()
    assert "    status: str | Unset = UNSET," in source
    assert "    updated_since: str | Unset = UNSET," in source


def test_generated_model_parses_a_lenient_payload(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(workspace.root / "out"))
    module = importlib.import_module(f"{FULL}.models.expense")
    expense = module.Expense.from_dict(
        {"id": "not-a-uuid", "status": "ARCHIVED", "due_at": "soon", "payment": None, "new": 1}
    )
    assert expense.status == "ARCHIVED"
    assert expense.due_at == "soon"
    assert expense.payment is None


@pytest.mark.parametrize("skipped", DEFECT_REPAIRS)
def test_each_defect_breaks_generation_without_its_repair(
    workspace: Workspace, skipped: str
) -> None:
    error = workspace.results[_variant(skipped)].error
    assert error is not None
    assert "not valid OpenAPI" in error or "openapi-python-client failed" in error


def test_a_union_its_variants_include_regenerates_with_typed_shapes(workspace: Workspace) -> None:
    result = workspace.results[FULL]
    assert result.preparation is not None
    assert len(result.preparation.repairs[RECURSION_REPAIR]) == 2  # both variants
    shapes = (workspace.root / "out" / FULL / "shapes.py").read_text()
    assert 'PaymentInstrument: TypeAlias = "CardInstrument | WalletInstrument"' in shapes
    assert "    funded_by: PaymentInstrument | None" in shapes
    base = shapes.split("class PaymentInstrumentBase(TypedDict, total=False):", 1)[1]
    assert base.split("\n\n", 1)[0].strip() == "type: Required[str]"


def test_without_the_repair_the_recursion_is_one_line_naming_it(workspace: Workspace) -> None:
    error = workspace.results[_variant(RECURSION_REPAIR)].error
    assert error is not None
    assert "\n" not in error
    assert "include themselves through allOf/oneOf/anyOf" in error
    assert "#/components/schemas/PaymentInstrument/oneOf/0" in error
    assert "#/components/schemas/CardInstrument/allOf/0" in error
