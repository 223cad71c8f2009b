"""The simulators' one error idiom: a request helper raises ``Refusal`` with the error
answer, and the router answers with it."""

from __future__ import annotations

import pytest
from expense_facade.sandbox.vendor import PathParams, Router
from expense_facade.sandbox.wire import Refusal, SimRequest, SimResponse, json_response


def _limit(req: SimRequest) -> int:
    raw = req.param("limit") or "10"
    if not raw.isdigit():
        raise Refusal(json_response(400, {"message": "limit must be an integer"}))
    return int(raw)


def _list(req: SimRequest, _: PathParams) -> SimResponse:
    return json_response(200, {"limit": _limit(req)})


def _router() -> Router:
    router = Router()
    router.add("GET", "/items", _list)
    return router


def test_a_refusal_raised_by_a_helper_is_the_answer() -> None:
    answer = _router().dispatch(SimRequest("GET", "/items", (("limit", "ten"),)))
    assert answer is not None
    assert (answer.status, answer.body) == (400, b'{"message":"limit must be an integer"}')


def test_a_handler_that_does_not_refuse_answers_normally() -> None:
    answer = _router().dispatch(SimRequest("GET", "/items", (("limit", "3"),)))
    assert answer is not None
    assert (answer.status, answer.body) == (200, b'{"limit":3}')


def test_other_exceptions_are_not_swallowed() -> None:
    def broken(req: SimRequest, _: PathParams) -> SimResponse:
        raise KeyError("bug")

    router = Router()
    router.add("GET", "/broken", broken)
    with pytest.raises(KeyError):
        router.dispatch(SimRequest("GET", "/broken"))
