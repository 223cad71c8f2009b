"""Overlay 1.0 application: update (merge, append) and remove."""

from __future__ import annotations

from typing import Any

import pytest
from specprep import PrepareError, apply_overlay


def _doc() -> dict[str, Any]:
    return {
        "paths": {
            "/a": {"get": {"responses": {"200": {"description": "ok"}}, "tags": ["x"]}},
            "/b": {"get": {"responses": {}}, "post": {"responses": {}}},
        },
        "tags": [{"name": "x"}, {"name": "y"}],
    }


def _overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": list(actions)}


def test_update_deep_merges_objects_and_appends_to_nested_arrays() -> None:
    document = _doc()
    apply_overlay(
        document,
        _overlay(
            {
                "target": "$.paths['/a'].get",
                "update": {"responses": {"200": {"x-extra": 1}}, "tags": ["z"], "summary": "S"},
            }
        ),
    )
    operation = document["paths"]["/a"]["get"]
    assert operation["responses"]["200"] == {"description": "ok", "x-extra": 1}
    assert operation["tags"] == ["x", "z"]
    assert operation["summary"] == "S"


def test_update_of_an_array_target_appends() -> None:
    document = _doc()
    apply_overlay(document, _overlay({"target": "$.tags", "update": {"name": "z"}}))
    apply_overlay(document, _overlay({"target": "$.tags", "update": [{"name": "w"}]}))
    assert [tag["name"] for tag in document["tags"]] == ["x", "y", "z", "w"]


def test_update_copies_the_value_into_each_target() -> None:
    document = _doc()
    apply_overlay(document, _overlay({"target": "$.paths['/b'].*", "update": {"x-a": {"b": 1}}}))
    first, second = (document["paths"]["/b"][m]["x-a"] for m in ("get", "post"))
    assert first == second == {"b": 1}
    assert first is not second


def test_remove_object_members_and_array_items() -> None:
    document = _doc()
    messages = apply_overlay(
        document,
        _overlay(
            {"target": "$.paths['/b'].post", "remove": True},
            {"target": "$.tags[*]", "remove": True},
        ),
    )
    assert list(document["paths"]["/b"]) == ["get"]
    assert document["tags"] == []
    assert messages[1].endswith("removed 2 node(s) at $.tags[*]")


def test_remove_with_a_filter() -> None:
    document = _doc()
    apply_overlay(document, _overlay({"target": "$.tags[?(@.name == 'x')]", "remove": True}))
    assert document["tags"] == [{"name": "y"}]


def test_actions_apply_in_order() -> None:
    document = _doc()
    apply_overlay(
        document,
        _overlay(
            {"target": "$.paths['/a']", "remove": True},
            {"target": "$.paths", "update": {"/a": {"get": {"responses": {}}}}},
        ),
    )
    assert document["paths"]["/a"] == {"get": {"responses": {}}}


def test_a_target_matching_nothing_is_reported() -> None:
    messages = apply_overlay(_doc(), _overlay({"target": "$.nothing", "remove": True}))
    assert messages == ["overlay action 1: target $.nothing matched nothing"]


@pytest.mark.parametrize(
    ("overlay", "error"),
    [
        ({"overlay": "2.0.0", "actions": [{"target": "$", "remove": True}]}, "1.0.0"),
        (_overlay(), "non-empty"),
        (_overlay({"update": {}}), "target"),
        (_overlay({"target": "$.tags"}), "update"),
        (_overlay({"target": "$", "remove": True}), "root"),
        (_overlay({"target": "$.paths['/a'].get.tags[0]", "update": "q"}), "objects or arrays"),
    ],
)
def test_malformed_overlays_raise(overlay: dict[str, Any], error: str) -> None:
    with pytest.raises(PrepareError, match=error):
        apply_overlay(_doc(), overlay)
