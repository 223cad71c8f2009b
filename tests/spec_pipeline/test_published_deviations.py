"""Revolut's published file stays green: its reference requires ``labels``,
``splits[].category`` and ``splits[].tax_rate``, real answers (and the sandbox) omit them.

specs/revolut/openapi.yaml is the published file, unchanged; specs/revolut/prepare.yaml
declares those deviations once. The sandbox's answers conform to the file (with its
overlays, the project's additions) through those declarations alone; the rest of the
preparation (open enums, lenient formats) is not applied by the conformance check, so a
simulator's mistake there is still caught.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from expense_facade.sandbox import Exchange
from specprep import apply_deviations, apply_overlay, load_config, prepare
from specprep.documents import load_mapping
from support.conformance import VendorSpec, spec
from support.sandbox import connect, make
from support.spec_pipeline import SPECS

VENDOR = "revolut"
OMITTED = {"Expense": ["labels"], "ExpenseSplit": ["category", "tax_rate"]}


def published() -> dict[str, Any]:
    """specs/revolut/openapi.yaml with its overlays (the project's additions), as
    published otherwise: the omitted fields required."""
    config = load_config(SPECS / VENDOR / "prepare.yaml")
    document = load_mapping(config.source, "OpenAPI document")
    for overlay in config.overlays:
        apply_overlay(document, load_mapping(overlay, "overlay"), source=overlay.name)
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


def test_the_committed_file_holds_none_of_the_projects_additions() -> None:
    source = load_mapping(SPECS / VENDOR / "openapi.yaml", "OpenAPI document")
    assert "/auth/token" not in source["paths"]
    schemas = source["components"]["schemas"]
    assert not {"AccessToken", "OAuthError", "RefreshTokenRequest", "ExpenseLabels"} & set(schemas)
    assert schemas["Expense"]["properties"]["labels"]["type"] == "object"
    for name, fields in OMITTED.items():
        assert set(fields) <= set(schemas[name]["required"])  # as published


def test_the_deviations_are_declared_once_and_apply_to_the_published_file() -> None:
    messages = apply_deviations(
        published(), load_config(SPECS / VENDOR / "prepare.yaml").deviations
    )
    assert messages == [
        "#/components/schemas/Expense: ['labels'] not required (real answers omit them)",
        "#/components/schemas/ExpenseSplit: ['category', 'tax_rate'] not required "
        "(real answers omit them)",
    ]
    assert prepare(SPECS / VENDOR / "prepare.yaml").deviation_messages == messages


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


@pytest.mark.parametrize("field", ["splits", "receipt_ids", "spent_amount"])
def test_the_conformance_check_holds_the_sandbox_to_the_published_required_fields(
    answers: list[Exchange], field: str
) -> None:
    detail = next(e for e in answers if e.route == "GET /expenses/{expense_id}")
    body = json.loads(detail.response.body)
    assert field in body  # the simulator sends it
    del body[field]
    content_type = detail.response.headers.get("content-type")
    reason = spec(VENDOR).check("GET", detail.path, 200, content_type, json.dumps(body).encode())
    assert reason is not None
    assert f"'{field}' is a required property" in reason
