"""prepare(): prepare.yaml + source (YAML or JSON) + overlays + keep + repairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from specprep import PrepareError, prepare


def _source() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"responses": {200: {"description": "ok"}}}},
            "/b": {"get": {"responses": {"200": {"$ref": "#/components/responses/B"}}}},
        },
        "components": {
            "responses": {
                "B": {
                    "description": "b",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}},
                }
            },
            "schemas": {"B": {"type": "string", "enum": ["x"]}, "Unused": {"type": "object"}},
        },
    }


def _write(folder: Path, name: str, data: Any) -> None:
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    (folder / name).write_text(text)


def test_json_source_with_overlay_keep_and_repairs(tmp_path: Path) -> None:
    _write(tmp_path, "vendor.json", _source())
    overlay = {
        "overlay": "1.0.0",
        "info": {"title": "o", "version": "1"},
        "actions": [{"target": "$.paths['/b'].get", "update": {"operationId": "getB"}}],
    }
    _write(tmp_path, "overlay.yaml", overlay)
    _write(
        tmp_path,
        "prepare.yaml",
        {"source": "vendor.json", "keep": ["GET /b"], "overlays": ["overlay.yaml"]},
    )

    preparation = prepare(tmp_path / "prepare.yaml")

    document = preparation.document
    assert [str(op) for op in preparation.operations] == ["GET /b"]
    assert document["paths"]["/b"]["get"]["operationId"] == "getB"
    assert set(document["components"]["schemas"]) == {"B"}
    assert document["components"]["schemas"]["B"] == {"type": "string", "x-known-values": ["x"]}
    assert preparation.overlay_messages == [
        "overlay.yaml action 1: updated 1 node(s) at $.paths['/b'].get"
    ]
    assert preparation.repair_count == 1
    assert preparation.repairs["open-enums"] == [
        "#/components/schemas/B: enum of 1 value(s) opened"
    ]


def test_yaml_response_codes_and_dates_are_read_as_strings(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: 2024-01-31}\n"
        "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"
    )
    _write(tmp_path, "prepare.yaml", {"source": "openapi.yaml", "repairs": "none"})
    document = prepare(tmp_path / "prepare.yaml").document
    assert document["info"]["version"] == "2024-01-31"
    assert list(document["paths"]["/a"]["get"]["responses"]) == ["200"]


@pytest.mark.parametrize(
    ("prepare_yaml", "error"),
    [
        ({"source": "missing.yaml"}, "cannot read"),
        ({"keep": ["GET /a"]}, "'source' must name"),
        ({"source": "openapi.yaml", "keep": []}, "non-empty list"),
        ({"source": "openapi.yaml", "overlays": "o.yaml"}, "list of file names"),
        ({"source": "openapi.yaml", "repairs": "some"}, "'repairs' must be"),
    ],
)
def test_bad_prepare_yaml_is_a_clear_error(
    tmp_path: Path, prepare_yaml: dict[str, Any], error: str
) -> None:
    _write(tmp_path, "openapi.yaml", _source())
    _write(tmp_path, "prepare.yaml", prepare_yaml)
    with pytest.raises(PrepareError, match=error):
        prepare(tmp_path / "prepare.yaml")


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "openapi.yaml", {"swagger": "2.0", "paths": {}})
    _write(tmp_path, "prepare.yaml", {"source": "openapi.yaml"})
    with pytest.raises(PrepareError, match="not an OpenAPI 3"):
        prepare(tmp_path / "prepare.yaml")
