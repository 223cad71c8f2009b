"""A read field retyped to any other JSON type is a mypy error where the adapter reads it.

Per vendor of ``support.spec_mutations.RETYPE_PROBES``: three string fields the adapter
reads (through readers typed to the spec's type: ``text``, ``LenientFields.timestamp``...)
are retyped, all three at once, to each other JSON type in turn (number, boolean, object,
array); the vendor is regenerated in a temporary copy and mypy --strict runs on its
adapter and simulator. Every line of the adapter that reads one of the fields has an
error, and the simulator has one naming each field (the answer it builds no longer fits).
A control run on the unedited copy is clean (test_wire_shapes_proof.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.spec_mutations import OTHER_JSON_TYPES, RETYPE_PROBES, copy_spec, load, retype_to, save
from support.spec_pipeline import GENERATED
from test_wire_shapes_proof import mypy_errors, reading_lines, regenerate

pytestmark = pytest.mark.slow  # a regeneration and a mypy run per vendor and JSON type


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache-retype")


@pytest.mark.parametrize("json_type", sorted(OTHER_JSON_TYPES))
@pytest.mark.parametrize("vendor", sorted(RETYPE_PROBES))
def test_a_read_field_retyped_is_an_error_at_the_reading_line(
    vendor: str, json_type: str, tmp_path: Path, mypy_cache: Path
) -> None:
    probe = RETYPE_PROBES[vendor]
    specs, generated = tmp_path / "specs", tmp_path / "generated"
    folder = copy_spec(vendor, specs)
    shutil.copytree(GENERATED, generated, ignore=shutil.ignore_patterns("__pycache__"))
    document = load(folder)
    for field in probe.fields:
        retype_to(document, probe.schema, field, json_type)
    save(folder, document)
    regenerate(vendor, specs, generated)
    errors = mypy_errors(probe, generated, mypy_cache)
    for field in probe.fields:
        lines = reading_lines(probe.adapter, field)
        assert lines, f"{probe.adapter} does not read {field!r}: pick another probe field"
        unreported = [n for n in lines if f"{probe.adapter}:{n}" not in errors]
        assert not unreported, f"{field} as {json_type}: no error at {probe.adapter} {unreported}"
        assert any(
            f'"{field}"' in message
            for where, messages in errors.items()
            if where.startswith(f"{probe.simulator}:")
            for message in messages
        ), f"{field} as {json_type}: no error in {probe.simulator}: {dict(errors)}"
