"""Generic repairs: named, individually skippable fixes that apply to any OpenAPI file.

Each repair edits the document in place and returns short messages saying what it
changed. They run in the order of :data:`REPAIRS` (structural fixes first, so that later
repairs see well-formed schemas).
"""

from __future__ import annotations

from typing import Any

from .base import Repair
from .compositions import repair_recursive_compositions
from .keywords import (
    repair_defaults,
    repair_discriminators,
    repair_numeric_keywords,
    repair_required,
    repair_schema_types,
)
from .operations import repair_media_types, repair_path_parameters, repair_response_descriptions
from .values import (
    repair_lenient_formats,
    repair_nullable_allof,
    repair_nullable_optionals,
    repair_open_enums,
)

__all__ = ["REPAIRS", "REPAIR_NAMES", "Repair", "run_repairs"]

REPAIRS: tuple[Repair, ...] = (
    Repair(
        "numeric-keywords",
        "numeric keywords holding non-numbers dropped (numeric strings converted)",
        repair_numeric_keywords,
    ),
    Repair(
        "schema-types",
        "unknown types dropped ('file' -> binary string); arrays without items get items: {}",
        repair_schema_types,
    ),
    Repair(
        "discriminators",
        "discriminator without propertyName dropped",
        repair_discriminators,
    ),
    Repair(
        "required",
        "required entries that are not property names of their object dropped",
        repair_required,
    ),
    Repair(
        "recursive-compositions",
        "union variants that include their union through allOf point at its base instead",
        repair_recursive_compositions,
    ),
    Repair(
        "nullable-allof",
        "allOf: [{$ref}, {nullable: true} or annotations only] collapsed into a reference",
        repair_nullable_allof,
    ),
    Repair(
        "nullable-optionals",
        "optional properties made nullable (vendors send null for absent values)",
        repair_nullable_optionals,
    ),
    Repair(
        "open-enums",
        "enums opened into plain types, documented values kept under x-known-values",
        repair_open_enums,
    ),
    Repair(
        "lenient-formats",
        "format date-time/date/uuid moved to x-format (values stay strings)",
        repair_lenient_formats,
    ),
    Repair(
        "defaults",
        "defaults that do not fit their schema type dropped",
        repair_defaults,
    ),
    Repair(
        "media-types",
        "unsupported media types dropped, or described as application/octet-stream",
        repair_media_types,
    ),
    Repair(
        "response-descriptions",
        "responses without description given an empty one",
        repair_response_descriptions,
    ),
    Repair(
        "path-parameters",
        "path parameters made to match the path template and required",
        repair_path_parameters,
    ),
)

REPAIR_NAMES = tuple(repair.name for repair in REPAIRS)


def run_repairs(document: dict[str, Any], names: list[str]) -> dict[str, list[str]]:
    """Apply the repairs called ``names`` (in registry order); return messages per repair."""
    selected = set(names)
    return {repair.name: repair.apply(document) for repair in REPAIRS if repair.name in selected}
