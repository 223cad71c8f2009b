"""The spec-conformance checker (tests/support/conformance.py), the sandbox's observer hook
and the session-wide check built on them (tests/support/session_conformance.py).

Tests that make the sandbox answer outside its spec on purpose run with the process-wide
``OBSERVERS`` swapped for an empty list, so the session check does not count them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
from expense_facade.sandbox import Exchange, Fault, Route, Sandbox, SimRequest, SimResponse, app
from expense_facade.sandbox.wire import dumps, json_response
from support.conformance import VendorSpec, check_response, spec
from support.sandbox import client, connecting, make
from support.session_conformance import ResponseCollector

JSON = "application/json; charset=utf-8"
TESTS_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Sandboxes report to a fresh process-wide observer list (not the session's)."""
    observers: list[Any] = []
    monkeypatch.setattr(app, "OBSERVERS", observers)
    return observers


def broken_pazy_detail(sb: Sandbox) -> None:
    """Make pazy's detail answer ``data.id`` as a number: a sandbox bug, not a fault."""

    def handler(req: SimRequest, params: Any) -> Any:
        return json_response(200, {"ok": True, "data": {"id": 42}})

    sb.vendor("pazy").router.routes.insert(0, Route("GET", "/expense/{expenseId}", handler))


# -- the checker -----------------------------------------------------------------------------


def test_a_real_sandbox_page_conforms() -> None:
    sb = make("brex")
    with client(sb, "brex", check=False) as c:
        response = c.get("/v1/expenses", params={"expand[]": ["merchant", "location"]})
    assert response.status_code == 200
    assert check_response("brex", "GET", "/v1/expenses", 200, JSON, response.content) is None


def test_a_broken_body_is_reported_with_where_and_why() -> None:
    page = {"next_cursor": None, "items": [{"id": "expense_1", "updated_at": "yesterday"}]}
    reason = check_response("brex", "GET", "/v1/expenses", 200, JSON, dumps(page))
    assert reason is not None
    assert "/items/0/updated_at" in reason
    assert "date-time" in reason
    missing = check_response("brex", "GET", "/v1/expenses", 200, JSON, b'{"next_cursor": null}')
    assert missing is not None
    assert "'items' is a required property" in missing


def test_enum_values_and_types_are_checked() -> None:
    body: dict[str, Any] = {"id": "e", "updated_at": "2025-01-01T00:00:00Z", "status": "PAUSED"}
    reason = check_response("brex", "GET", "/v1/expenses/e", 200, JSON, dumps(body))
    assert reason is not None
    assert "/status" in reason
    assert "PAUSED" in reason
    body = {"id": 7, "updated_at": "2025-01-01T00:00:00Z"}
    reason = check_response("brex", "GET", "/v1/expenses/7", 200, JSON, dumps(body))
    assert reason is not None
    assert "/id" in reason


def test_a_status_the_operation_does_not_describe_is_reported() -> None:
    reason = check_response("brex", "GET", "/v1/expenses", 418, JSON, b"{}")
    assert reason == "status 418 is not described for GET /v1/expenses"


def test_error_responses_follow_component_refs() -> None:
    # brex 404 -> #/components/responses/NotFound -> #/components/schemas/Error
    ok = check_response("brex", "GET", "/v1/expenses/x", 404, JSON, b'{"message": "no"}')
    assert ok is None
    bad = check_response("brex", "GET", "/v1/expenses/x", 404, JSON, b'{"message": 5}')
    assert bad is not None
    assert "/message" in bad


def test_unrouted_paths_may_only_be_refused() -> None:
    assert check_response("brex", "GET", "/v2/nothing", 404, JSON, b"{}") is None
    assert check_response("brex", "DELETE", "/v1/expenses", 405, JSON, b"{}") is None
    assert check_response("brex", "GET", "/v2/nothing", 200, JSON, b"{}") == (
        "no operation for GET /v2/nothing"
    )
    strict = check_response("brex", "GET", "/v2/nothing", 404, JSON, b"{}", unrouted=frozenset())
    assert strict == "no operation for GET /v2/nothing"


def test_an_empty_path_parameter_is_the_operation_with_a_missing_id() -> None:
    route = spec("pazy").route("GET", "/expense/")
    assert route is not None
    assert route.operation_id == "getExpense"
    body = b'{"ok": false, "error": {"code": "MISSING_REQUIRED_FIELD", "message": "x"}}'
    assert check_response("pazy", "GET", "/expense/", 400, JSON, body) is None


def test_literal_paths_win_over_templated_ones() -> None:
    brex = spec("brex")
    match = brex.route("POST", "/v1/expenses/card/receipt_match")
    assert match is not None
    assert match.operation_id == "createReceiptMatch"
    upload = brex.route("POST", "/v1/expenses/card/expense_1/receipt_upload")
    assert upload is not None
    assert upload.operation_id == "createReceiptUpload"
    # Declared templated-first: the literal path still wins, whatever the order.
    document = {
        "paths": {
            "/things/{id}": {"get": {"operationId": "getThing", "responses": {}}},
            "/things/latest": {"get": {"operationId": "latest", "responses": {}}},
        }
    }
    found = VendorSpec("inline", document).route("GET", "/things/latest")
    assert found is not None
    assert found.operation_id == "latest"


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    """A response object with ``schema`` as its JSON body."""
    return {"description": "", "content": {"application/json": {"schema": schema}}}


def test_range_and_default_responses() -> None:
    responses = {
        "200": json_content({"type": "object", "required": ["a"]}),
        "2XX": json_content({"type": "object", "required": ["b"]}),
        "default": json_content({"$ref": "#/components/schemas/Err"}),
    }
    document = {
        "paths": {"/x": {"get": {"responses": responses}}},
        "components": {"schemas": {"Err": {"type": "object", "required": ["error"]}}},
    }
    inline = VendorSpec("inline", document)
    assert inline.check("GET", "/x", 200, JSON, b'{"a": 1}') is None
    assert inline.check("GET", "/x", 201, JSON, b'{"b": 1}') is None
    assert inline.check("GET", "/x", 201, JSON, b'{"a": 1}') is not None
    assert inline.check("GET", "/x", 503, JSON, b'{"error": "down"}') is None
    assert inline.check("GET", "/x", 503, JSON, b'{"message": "down"}') is not None


def test_receipt_bytes_are_checked_by_media_type() -> None:
    path = "/expenses/e/receipts/r/content"
    pdf = b"%PDF-1.4\n..."
    assert check_response("revolut", "GET", path, 200, "application/pdf", pdf) is None
    assert check_response("revolut", "GET", path, 200, "image/png", b"\x89PNG") is None
    html = check_response("revolut", "GET", path, 200, "text/html", b"<html>")
    assert html is not None
    assert "text/html" in html
    assert check_response("revolut", "GET", path, 200, "application/pdf", b"") is not None


def test_a_json_media_type_needs_a_json_body() -> None:
    reason = check_response("brex", "GET", "/v1/expenses", 200, JSON, b'{"items": [')
    assert reason is not None
    assert reason.startswith("body is not JSON")
    wrong_type = check_response("brex", "GET", "/v1/expenses", 200, "text/plain", b"{}")
    assert wrong_type is not None


def test_nullable_follows_oas_3_0() -> None:
    pazy = spec("pazy")
    context = {"$ref": "#/components/schemas/PageContext"}
    # nullable inside a oneOf branch (specs/pazy) admits null; numbers and strings too.
    for cursor in (None, 30, "30"):
        assert pazy.validate(context, {"hasMore": False, "nextCursor": cursor}) == []
    assert pazy.validate(context, {"hasMore": False, "nextCursor": True}) != []
    brex = spec("brex")
    expense = {"$ref": "#/components/schemas/Expense"}
    assert brex.validate(expense, {"id": "e", "updated_at": "2025-01-01T00:00:00Z",
                                   "memo": None}) == []  # fmt: skip
    assert brex.validate(expense, {"id": None, "updated_at": "2025-01-01T00:00:00Z"}) != []
    # OAS 3.0.3: nullable only counts beside a type; beside oneOf/allOf alone it does not.
    document: dict[str, Any] = {"paths": {}}
    inline = VendorSpec("inline", document)
    assert inline.validate({"nullable": True, "oneOf": [{"type": "number"}]}, None) != []
    assert inline.validate({"type": "number", "nullable": True}, None) == []


# -- the observer hook -----------------------------------------------------------------------


def test_observers_see_each_answer_with_vendor_path_and_route(isolated: list[Any]) -> None:
    sb = make("brex", "pazy")
    seen: list[Exchange] = []
    sb.add_observer(seen.append)
    with client(sb, "pazy", check=False) as c:
        c.get("/expenses", params={"limit": 1})
        c.get("/expense/nope")
    with client(sb, "brex", check=False) as c:
        c.get("/nothing/here")
    with httpx.Client(transport=sb.transport()) as c:
        c.get("https://sandbox.invalid/unmounted")
    assert [(e.vendor, e.path, e.route, e.response.status, e.api) for e in seen] == [
        ("pazy", "/expenses", "GET /expenses", 200, True),
        ("pazy", "/expense/nope", "GET /expense/{expenseId}", 404, True),
        ("brex", "/nothing/here", None, 404, True),
        (None, "/unmounted", None, 404, False),
    ]
    sb.remove_observer(seen.append)
    with client(sb, "pazy", check=False) as c:
        c.get("/expenses")
    assert len(seen) == 4


def test_faulted_answers_are_exempt_and_dropped_ones_unseen(isolated: list[Any]) -> None:
    sb = make("pazy")
    seen: list[Exchange] = []
    sb.add_observer(seen.append)
    sb.faults.add("pazy", "GET /expenses", Fault.status(503, body=b"not even json"))
    sb.faults.add("pazy", "GET /expenses", Fault.mutate_records(amount_as_string=True))
    sb.faults.add("pazy", "GET /expenses", Fault.latency(0.5))
    sb.faults.add("pazy", "GET /expenses", Fault.reset())
    with client(sb, "pazy", check=False) as c:
        for _ in range(3):
            c.get("/expenses")
        with pytest.raises(httpx.ConnectError):
            c.get("/expenses")
    assert [(e.response.status, e.exempt) for e in seen] == [(503, True), (200, True), (200, False)]


def test_observers_see_answers_served_on_loopback(isolated: list[Any]) -> None:
    sb = make("revolut")
    collector = ResponseCollector()
    sb.add_observer(collector.observe)
    with sb.serve(port=0) as server, httpx.Client(timeout=10) as c:
        base = server.base_url("revolut")
        refused = c.get(base + "/expenses", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401
    assert [(s.vendor, s.path, s.status) for s in collector.samples] == [
        ("revolut", "/expenses", 401)
    ]
    assert collector.check() == []


def test_the_process_wide_list_sees_sandboxes_made_by_connect(
    isolated: list[Any], driver: str
) -> None:
    seen: list[Exchange] = []
    isolated.append(seen.append)
    with connecting(driver)("capture", sandbox=True) as facade:  # aconnect's too
        listed = list(facade.list_approved())
    assert listed
    assert seen
    assert {e.vendor for e in seen} == {"capture"}


def test_the_upload_bucket_is_not_an_api_answer(isolated: list[Any]) -> None:
    sb = make("brex")
    collector = ResponseCollector()
    sb.add_observer(collector.observe)
    with client(sb, "brex") as c:
        expense_id = next(
            x["id"]
            for x in c.get("/v1/expenses").json()["items"]
            if x.get("expense_type") == "CARD"
        )
        uri = c.post(f"/v1/expenses/card/{expense_id}/receipt_upload",
                     json={"receipt_name": "r.pdf"}).json()["uri"]  # fmt: skip
    with httpx.Client(transport=sb.transport()) as raw:
        assert raw.put(uri, content=b"%PDF-1.4").status_code == 200
    assert collector.seen == 3
    assert [s.path for s in collector.samples] == [
        "/v1/expenses",
        f"/v1/expenses/card/{expense_id}/receipt_upload",
    ]
    assert collector.check() == []


# -- the session collector -------------------------------------------------------------------


def test_the_collector_reports_a_sandbox_bug_and_names_the_test(isolated: list[Any]) -> None:
    sb = make("pazy")
    broken_pazy_detail(sb)
    collector = ResponseCollector()
    isolated.append(collector.observe)
    collector.current = "tests/x.py::test_y"
    with client(sb, "pazy", check=False) as c:
        c.get("/expenses", params={"limit": 5})
        c.get("/expense/exp_any")
    violations = collector.check()
    assert len(violations) == 1
    (violation,) = violations
    assert (violation.vendor, violation.method, violation.path, violation.status) == (
        "pazy", "GET", "/expense/exp_any", 200,
    )  # fmt: skip
    assert "/data/id" in violation.reason
    assert "tests/x.py::test_y" in str(violation)


def test_the_collector_is_bounded_per_route_and_status(isolated: list[Any]) -> None:
    sb = make("revolut")
    collector = ResponseCollector(per_key=3)
    sb.add_observer(collector.observe)
    with client(sb, "revolut") as c:
        for count in range(1, 7):
            c.get("/expenses", params={"count": count})
        for _ in range(4):
            c.get("/expenses", params={"count": 1})  # the same body: counted once
    assert collector.seen == 10
    assert len(collector.samples) == 3
    assert collector.skipped == 3
    assert collector.check() == []


def test_big_bodies_are_bounded_by_bytes_the_first_always_kept(isolated: list[Any]) -> None:
    sb = make("revolut")
    collector = ResponseCollector(bytes_per_key=1)
    sb.add_observer(collector.observe)
    with client(sb, "revolut") as c:
        for count in (50, 1, 2):
            c.get("/expenses", params={"count": count})
    assert [len(s.body) > 1 for s in collector.samples] == [True]
    assert collector.skipped == 2


def test_an_observer_failure_is_reported_not_raised(isolated: list[Any]) -> None:
    collector = ResponseCollector()
    exchange = Exchange(
        request=SimRequest("GET", "/pazy/v1.0/expenses"),
        response=SimResponse(200, body=None),  # type: ignore[arg-type]  # a malformed answer
        vendor="pazy",
        path="/expenses",
        route="GET /expenses",
        api=True,
        fault=None,
    )
    collector.observe(exchange)
    (violation,) = collector.check()
    assert violation.vendor == "collector"
    assert "observer failed" in violation.reason


def test_a_violation_fails_the_session_and_is_listed(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.append({str(TESTS_DIR)!r})
        pytest_plugins = ("support.session_conformance",)
        """)
    )
    (tmp_path / "test_broken.py").write_text(
        textwrap.dedent("""
        import httpx
        from expense_facade.sandbox import Route, Sandbox
        from expense_facade.sandbox.wire import json_response

        def test_passes_but_the_sandbox_misbehaves():
            sb = Sandbox(seed=1, size=20, vendors=("pazy",))
            handler = lambda req, params: json_response(200, {"ok": True, "data": {"id": 42}})
            sb.vendor("pazy").router.routes.insert(0, Route("GET", "/expense/{expenseId}", handler))
            key = sb.credentials("pazy")["api_key"]
            with httpx.Client(transport=sb.transport(), base_url=sb.base_url("pazy"),
                              headers={"Authorization": f"Api-Key {key}"}) as c:
                assert c.get("/expense/exp_1").status_code == 200
                assert c.get("/expenses").status_code == 200
        """)
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "sandbox responses outside the vendor specs" in result.stdout
    assert "pazy GET /expense/exp_1 -> 200" in result.stdout
    assert "test_broken.py::test_passes_but_the_sandbox_misbehaves" in result.stdout


def test_sandbox_support_client_checks_and_skips_injected_answers(isolated: list[Any]) -> None:
    sb = make("pazy")
    broken_pazy_detail(sb)
    with client(sb, "pazy") as c, pytest.raises(AssertionError, match="/data/id"):
        c.get("/expense/exp_any")
    sb.faults.add("pazy", None, Fault.status(500, body=b"<html>"))
    with client(sb, "pazy") as c:
        assert c.get("/expenses").status_code == 500  # injected: not checked
