"""One test (at least) per generic repair."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from specprep import REPAIR_NAMES, PrepareError, load_config, run_repairs


def _doc(schemas: dict[str, Any], version: str = "3.0.3", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "paths": {}, "components": {"schemas": schemas}, **extra}


def _repair(name: str, document: dict[str, Any]) -> list[str]:
    return run_repairs(document, [name])[name]


def test_numeric_keywords_drop_non_numbers_and_convert_numeric_strings() -> None:
    document = _doc(
        {
            "A": {
                "type": "string",
                "minimum": "now + 1 day",
                "maximum": "10",
                "maxLength": 5,
                "minLength": -1,
                "minItems": 1.5,
                "multipleOf": 0,
                "exclusiveMinimum": True,
                "exclusiveMaximum": "never",
            },
            "B": {"properties": {"n": {"type": "integer", "maxProperties": None}}},
        }
    )
    messages = _repair("numeric-keywords", document)
    schema = document["components"]["schemas"]["A"]
    assert schema == {"type": "string", "maximum": 10, "maxLength": 5, "exclusiveMinimum": True}
    assert document["components"]["schemas"]["B"]["properties"]["n"] == {"type": "integer"}
    assert "#/components/schemas/A: dropped minimum='now + 1 day'" in messages
    assert len(messages) == 7


def test_schema_types_fix_unknown_types_and_arrays_without_items() -> None:
    document = _doc({"A": {"type": "file"}, "B": {"type": "strnig"}, "C": {"type": "array"}})
    messages = _repair("schema-types", document)
    assert document["components"]["schemas"] == {
        "A": {"type": "string", "format": "binary"},
        "B": {},
        "C": {"type": "array", "items": {}},
    }
    assert len(messages) == 3


def test_discriminator_without_property_name_is_dropped() -> None:
    good = {"propertyName": "kind"}
    document = _doc(
        {"A": {"discriminator": {"mapping": {"a": "#/x"}}}, "B": {"discriminator": good}}
    )
    assert _repair("discriminators", document) == [
        "#/components/schemas/A: dropped discriminator without propertyName"
    ]
    assert document["components"]["schemas"] == {"A": {}, "B": {"discriminator": good}}


def test_required_that_is_not_a_list_of_property_names_is_fixed() -> None:
    document = _doc(
        {
            "A": {
                "type": "object",
                "required": ["id", "true", 3, "id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string", "required": ["true"]},
                    "flag": {"type": "boolean", "required": True},
                },
            },
            "Composed": {"allOf": [{"$ref": "#/components/schemas/A"}], "required": ["name"]},
            "Fine": {"type": "object", "required": ["x"], "properties": {"x": {}}},
        }
    )
    messages = _repair("required", document)
    schemas = document["components"]["schemas"]
    assert schemas["A"]["required"] == ["id"]
    assert "required" not in schemas["A"]["properties"]["name"]
    assert "required" not in schemas["A"]["properties"]["flag"]
    assert schemas["Composed"]["required"] == ["name"]
    assert schemas["Fine"]["required"] == ["x"]
    assert len(messages) == 3


def test_nullable_allof_is_collapsed_for_30_and_31() -> None:
    ref = {"$ref": "#/components/schemas/Status"}
    prop = {"allOf": [ref, {"nullable": True, "description": "d"}]}
    document = _doc({"A": {"properties": {"s": prop}}})
    assert len(_repair("nullable-allof", document)) == 1
    assert prop == {"allOf": [ref], "nullable": True, "description": "d"}

    prop31 = {"allOf": [{"type": "null"}, ref]}
    document = _doc({"A": {"properties": {"s": prop31}}}, version="3.1.0")
    _repair("nullable-allof", document)
    assert prop31 == {"anyOf": [ref, {"type": "null"}]}


def test_allof_of_a_reference_and_annotations_is_collapsed() -> None:
    ref = {"$ref": "#/components/schemas/Status"}
    prop = {"allOf": [ref, {"description": "d", "x-note": 1}]}
    document = _doc({"A": {"properties": {"s": prop}}})
    assert _repair("nullable-allof", document) == [
        "#/components/schemas/A/properties/s: allOf with annotation-only parts around"
        " #/components/schemas/Status collapsed"
    ]
    assert prop == {"allOf": [ref], "description": "d", "x-note": 1}


def test_allof_merging_real_objects_is_left_alone() -> None:
    prop = {"allOf": [{"$ref": "#/a"}, {"type": "object", "properties": {"x": {}}}]}
    document = _doc({"A": {"properties": {"s": prop}}})
    assert _repair("nullable-allof", document) == []


def test_nullable_optionals() -> None:
    properties = {
        "id": {"type": "string"},
        "note": {"type": "string"},
        "money": {"$ref": "#/components/schemas/Money", "description": "ignored in 3.0"},
        "items": {"type": "array", "items": {}},
        "already": {"type": "string", "nullable": True},
        "anything": {},
    }
    document = _doc({"A": {"required": ["id"], "properties": properties}})
    messages = _repair("nullable-optionals", document)
    assert messages == ["#/components/schemas/A: optional note, money, items made nullable"]
    assert properties["id"] == {"type": "string"}
    assert properties["note"] == {"type": "string", "nullable": True}
    assert properties["money"] == {
        "description": "ignored in 3.0",
        "allOf": [{"$ref": "#/components/schemas/Money"}],
        "nullable": True,
    }
    assert properties["anything"] == {}

    properties31 = {
        "a": {"type": "string"},
        "b": {"$ref": "#/x"},
        "c": {"type": ["string", "null"]},
    }
    _repair("nullable-optionals", _doc({"A": {"properties": properties31}}, version="3.1.0"))
    assert properties31 == {
        "a": {"type": ["string", "null"]},
        "b": {"anyOf": [{"$ref": "#/x"}, {"type": "null"}]},
        "c": {"type": ["string", "null"]},
    }


def test_enums_are_opened_everywhere() -> None:
    parameter = {"name": "s", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}
    document = _doc(
        {
            "Status": {"type": "string", "enum": ["OPEN", "CLOSED", None]},
            "Level": {"enum": [1, 2]},
            "A": {"properties": {"kind": {"type": "array", "items": {"enum": ["x"]}}}},
        },
        paths={"/a": {"get": {"parameters": [parameter], "responses": {}}}},
    )
    messages = _repair("open-enums", document)
    schemas = document["components"]["schemas"]
    assert schemas["Status"] == {
        "type": "string",
        "nullable": True,
        "x-known-values": ["OPEN", "CLOSED"],
    }
    assert schemas["Level"] == {"type": "integer", "x-known-values": [1, 2]}
    assert schemas["A"]["properties"]["kind"]["items"] == {
        "type": "string",
        "x-known-values": ["x"],
    }
    assert parameter["schema"] == {"type": "string", "x-known-values": ["a", "b"]}
    assert len(messages) == 4


def test_lenient_formats_move_to_x_format() -> None:
    document = _doc(
        {
            "A": {
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "on": {"type": "string", "format": "date"},
                    "id": {"type": "string", "format": "uuid"},
                    "file": {"type": "string", "format": "binary"},
                    "n": {"type": "integer", "format": "int64"},
                }
            }
        }
    )
    assert len(_repair("lenient-formats", document)) == 3
    properties = document["components"]["schemas"]["A"]["properties"]
    assert properties["at"] == {"type": "string", "x-format": "date-time"}
    assert properties["id"] == {"type": "string", "x-format": "uuid"}
    assert properties["file"]["format"] == "binary"
    assert properties["n"]["format"] == "int64"


def test_defaults_that_do_not_fit_the_type_are_dropped() -> None:
    document = _doc(
        {
            "A": {"type": "integer", "default": "none"},
            "B": {"type": "integer", "default": "5"},
            "C": {"type": "boolean", "default": "yes"},
            "D": {"type": ["integer", "null"], "default": 1.5},
            "E": {"type": "string", "default": "x"},
        }
    )
    assert len(_repair("defaults", document)) == 3
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if "default" in schema] == ["B", "E"]


def test_media_types_become_bytes_or_extra_ones_are_dropped() -> None:
    binary = {"type": "string", "format": "binary"}
    responses = {
        "200": {"description": "file", "content": {"image/png": {}, "application/pdf": {}}},
        "201": {"description": "j", "content": {"application/json": {}, "application/xml": {}}},
        "202": {"description": "t", "content": {"text/csv": {}}},
    }
    document = _doc(
        {},
        paths={
            "/r": {
                "post": {
                    "requestBody": {"content": {"image/jpeg": {"schema": {}}}},
                    "responses": responses,
                }
            }
        },
    )
    messages = _repair("media-types", document)
    operation = document["paths"]["/r"]["post"]
    assert operation["requestBody"]["content"] == {"application/octet-stream": {"schema": binary}}
    assert responses["200"]["content"] == {"application/octet-stream": {"schema": binary}}
    assert list(responses["201"]["content"]) == ["application/json"]
    assert list(responses["202"]["content"]) == ["text/csv"]
    assert len(messages) == 3


def test_responses_without_description_get_one() -> None:
    document = _doc(
        {},
        paths={"/r": {"get": {"responses": {"200": {}, "404": {"$ref": "#/c"}}}}},
    )
    document["components"]["responses"] = {"E": {"content": {}}}
    assert len(_repair("response-descriptions", document)) == 2
    assert document["paths"]["/r"]["get"]["responses"]["200"] == {"description": ""}
    assert document["components"]["responses"]["E"]["description"] == ""


def test_path_parameters_match_the_template() -> None:
    shared = {"name": "a", "in": "path", "required": True, "schema": {"type": "string"}}
    operation: dict[str, Any] = {
        "parameters": [
            {"name": "b", "in": "path", "schema": {"type": "string"}},
            {"name": "gone", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {},
    }
    document = _doc({}, paths={"/x/{a}/{b}/{c}": {"parameters": [shared], "get": operation}})
    messages = _repair("path-parameters", document)
    names = [(p["name"], p.get("required")) for p in operation["parameters"]]
    assert names == [("b", True), ("q", None), ("c", True)]
    assert len(messages) == 3


def test_repairs_are_silent_on_a_clean_document() -> None:
    document = _doc(
        {"A": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}},
        paths={"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    )
    assert all(messages == [] for messages in run_repairs(document, list(REPAIR_NAMES)).values())


def test_example_values_are_never_repaired() -> None:
    example = {"status": "X", "enum": ["a"], "format": "date-time"}
    document = _doc({"A": {"type": "object", "example": example}})
    run_repairs(document, list(REPAIR_NAMES))
    assert document["components"]["schemas"]["A"]["example"] == {
        "status": "X",
        "enum": ["a"],
        "format": "date-time",
    }


@pytest.mark.parametrize(
    ("repairs", "expected"),
    [
        ("all", list(REPAIR_NAMES)),
        ("none", []),
        (["open-enums", "required"], ["required", "open-enums"]),
        ({"all": True, "skip": ["open-enums"]}, [n for n in REPAIR_NAMES if n != "open-enums"]),
    ],
)
def test_repair_selection_in_prepare_yaml(
    tmp_path: Path, repairs: Any, expected: list[str]
) -> None:
    import yaml

    path = tmp_path / "prepare.yaml"
    path.write_text(yaml.safe_dump({"source": "openapi.yaml", "repairs": repairs}))
    assert list(load_config(path).repairs) == expected


def test_unknown_repair_or_key_in_prepare_yaml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "prepare.yaml"
    path.write_text("source: openapi.yaml\nrepairs: {all: true, skip: [open-enum]}\n")
    with pytest.raises(PrepareError, match="unknown repair"):
        load_config(path)
    path.write_text("source: openapi.yaml\nkeeps: []\n")
    with pytest.raises(PrepareError, match="unknown key"):
        load_config(path)
