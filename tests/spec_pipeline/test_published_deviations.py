"""A published-style Revolut spec stays green: the vendor's reference requires ``labels``,
``splits[].category`` and ``splits[].tax_rate``, real answers (and the sandbox) omit them.

specs/revolut/prepare.yaml declares those deviations once. With the published file
dropped in unchanged, regeneration gives exactly the committed client, and the sandbox's
answers conform to the file through those declarations alone; the rest of the preparation
(open enums, lenient formats) is not applied by the conformance check, so a simulator's
mistake there is still caught.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import regenerate
from expense_facade.sandbox import Exchange
from specprep import apply_deviations, load_config, prepare
from support.conformance import VendorSpec, declared_document
from support.sandbox import connect, make
from support.spec_mutations import copy_spec, save
from support.spec_pipeline import GENERATED, SPECS

VENDOR = "revolut"
OMITTED = {"Expense": ["labels"], "ExpenseSplit": ["category", "tax_rate"]}


def published() -> dict[str, Any]:
    """specs/revolut/openapi.yaml as the vendor publishes it: the omitted fields required."""
    document = copy.deepcopy(declared_document(VENDOR))
    schemas = document["components"]["schemas"]
    for name, fields in OMITTED.items():
        schemas[name]["required"] = [*schemas[name].get("required", []), *fields]
    return document


def with_declared_deviations(document: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(document)
    apply_deviations(result, load_config(SPECS / VENDOR / "prepare.yaml").deviations)
    return result


@pytest.fixture(scope="module")
def answers() -> list[Exchange]:
    """Every answer of a Revolut sandbox to a full listing and a few details."""
    seen: list[Exchange] = []
    sb = make(VENDOR, size=120)
    sb.add_observer(seen.append)
    with connect(sb, VENDOR) as client:
        listed = list(client.list_approved(page_size=25))
        for expense in listed[:10]:
            client.get_expense(expense.id)
    return [e for e in seen if e.api and not e.exempt]


def violations(spec: VendorSpec, exchanges: list[Exchange]) -> list[str]:
    found = []
    for e in exchanges:
        content_type = e.response.headers.get("content-type")
        reason = spec.check(
            e.request.method, e.path, e.response.status, content_type, e.response.body
        )
        if reason is not None:
            found.append(reason)
    return found


def test_the_published_file_regenerates_to_the_committed_client(tmp_path: Path) -> None:
    save(copy_spec(VENDOR, tmp_path / "specs"), published())
    out = tmp_path / "out"
    regenerate.write_package_files(out)
    result = regenerate.generate_vendor(VENDOR, tmp_path / "specs", out)
    assert result.error is None
    assert result.preparation is not None
    assert len(result.preparation.deviation_messages) == 2
    assert regenerate.compare_trees(out, GENERATED / "expense_clients", [VENDOR], False) == []


def test_the_deviations_are_declared_once_and_apply_to_the_published_file() -> None:
    messages = apply_deviations(
        published(), load_config(SPECS / VENDOR / "prepare.yaml").deviations
    )
    assert messages == [
        "#/components/schemas/Expense: ['labels'] not required (real answers omit them)",
        "#/components/schemas/ExpenseSplit: ['category', 'tax_rate'] not required "
        "(real answers omit them)",
    ]
    # The committed file already leaves them optional: nothing to do there.
    assert prepare(SPECS / VENDOR / "prepare.yaml").deviation_messages == []


def test_sandbox_answers_conform_to_the_published_file_through_the_deviations(
    answers: list[Exchange],
) -> None:
    assert len(answers) > 10
    assert violations(VendorSpec(VENDOR, with_declared_deviations(published())), answers) == []


@pytest.mark.parametrize(("schema", "field"), [(s, f) for s, fs in OMITTED.items() for f in fs])
def test_without_its_deviation_the_published_file_rejects_those_answers(
    answers: list[Exchange], schema: str, field: str
) -> None:
    document = with_declared_deviations(published())
    target = document["components"]["schemas"][schema]
    target["required"] = [*target.get("required", []), field]  # this one not declared
    found = violations(VendorSpec(VENDOR, document), answers)
    assert found
    assert all(f"'{field}' is a required property" in reason for reason in found)


def test_the_rest_of_the_preparation_does_not_hide_a_simulator_mistake(
    answers: list[Exchange],
) -> None:
    detail = next(e for e in answers if e.route == "GET /expenses/{expense_id}")
    body = json.loads(detail.response.body)
    body["state"] = "approved_twice"  # not one of the documented states
    wrong = json.dumps(body).encode()
    content_type = detail.response.headers.get("content-type")
    declared = VendorSpec(VENDOR, with_declared_deviations(published()))
    reason = declared.check("GET", detail.path, 200, content_type, wrong)
    assert reason is not None
    assert "approved_twice" in reason
    # The prepared spec (enums opened for the generator) would have let it through.
    prepared = VendorSpec(VENDOR, prepare(SPECS / VENDOR / "prepare.yaml").document)
    assert prepared.check("GET", detail.path, 200, content_type, wrong) is None
