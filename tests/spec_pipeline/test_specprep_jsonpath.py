"""The JSONPath subset used by overlays."""

from __future__ import annotations

from typing import Any

import pytest
from specprep.jsonpath import JSONPathError, query


def _doc() -> dict[str, Any]:
    return {
        "paths": {
            "/v1/expenses/{id}": {
                "get": {"operationId": "getExpense", "tags": ["a"]},
                "put": {"operationId": "putExpense", "x-internal": True},
            },
            "/v1/users": {"get": {"operationId": "listUsers", "x-internal": False}},
        },
        "components": {
            "schemas": {
                "Expense": {"properties": {"status": {"type": "string", "enum": ["A"]}}},
                "User": {"properties": {"status": {"type": "integer"}}},
            }
        },
        "list": [{"n": 1}, {"n": 2}, {"n": 3}],
    }


def _values(expression: str) -> list[Any]:
    return [node.value for node in query(_doc(), expression)]


def test_root_selects_the_document() -> None:
    assert _values("$") == [_doc()]


def test_dotted_and_bracketed_names() -> None:
    assert _values("$.paths['/v1/users'].get.operationId") == ["listUsers"]
    assert _values('$.paths["/v1/expenses/{id}"].put.operationId') == ["putExpense"]


def test_wildcards() -> None:
    assert _values("$.paths['/v1/expenses/{id}'].*.operationId") == ["getExpense", "putExpense"]
    assert _values("$.list[*].n") == [1, 2, 3]
    assert _values("$.list[-1].n") == [3]


def test_recursive_descent() -> None:
    assert sorted(_values("$..operationId")) == ["getExpense", "listUsers", "putExpense"]
    assert _values("$.components..status.type") == ["string", "integer"]


def test_filters() -> None:
    assert _values("$.list[?(@.n == 2)]") == [{"n": 2}]
    assert _values("$.list[?@.n != 2].n") == [1, 3]
    assert _values("$.paths.*[?(@.x-internal == true)].operationId") == ["putExpense"]
    assert _values("$.paths.*[?(@.x-internal)].operationId") == ["putExpense", "listUsers"]
    assert _values("$..[?(@.type == 'integer')]") == [{"type": "integer"}]
    assert _values("$.list[?(@.n == 1 || @.n == 3 && @.n != 0)].n") == [1, 3]


def test_booleans_do_not_equal_numbers() -> None:
    assert _values("$.list[?(@.n == true)]") == []


def test_nodes_know_their_parent_and_key() -> None:
    document = _doc()
    (node,) = query(document, "$.components.schemas.User")
    assert node.parent is document["components"]["schemas"]
    assert node.key == "User"


def test_missing_names_select_nothing() -> None:
    assert _values("$.nope.deeper") == []


@pytest.mark.parametrize("expression", ["paths", "$.paths[", "$.list[?(@.n ==)]", "$.a[1:2]"])
def test_unsupported_or_malformed_expressions_raise(expression: str) -> None:
    with pytest.raises(JSONPathError, match="JSONPath"):
        query(_doc(), expression)
