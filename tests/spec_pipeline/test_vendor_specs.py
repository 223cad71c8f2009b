"""Every vendor spec is valid OpenAPI as written, and prepares into valid OpenAPI."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from specprep import OperationKey, load_document, prepare
from support.spec_pipeline import SPECS, VENDORS


def test_all_five_vendors_have_specs() -> None:
    assert VENDORS == ["brex", "capture", "pazy", "prospend", "revolut"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_validates(vendor: str) -> None:
    validate(load_document(SPECS / vendor / "openapi.yaml"))


@pytest.mark.parametrize("vendor", VENDORS)
def test_prepared_spec_validates_and_keeps_every_listed_operation(vendor: str) -> None:
    preparation = prepare(SPECS / vendor / "prepare.yaml")
    validate(preparation.document)
    assert preparation.config.keep is not None
    listed = {OperationKey.parse(text) for text in preparation.config.keep}
    assert set(preparation.operations) == listed
