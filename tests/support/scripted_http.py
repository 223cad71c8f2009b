"""Test doubles for the facade core: a scripted transport and a small fake adapter."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import httpx
from expense_facade._http.async_session import AsyncHttpSession
from expense_facade._http.error_mapping import ErrorFormat, VendorFailure
from expense_facade._http.pacing import TokenBucket
from expense_facade._http.retry import RetryPolicy
from expense_facade._http.session import HttpSession
from expense_facade.client import ExpenseClient
from expense_facade.clock import FakeClock
from expense_facade.listing import KnownRecords
from expense_facade.mapping.fields import LenientFields, StatusMap, text
from expense_facade.mapping.paging import CursorPage, cursor_walk, walk_steps
from expense_facade.operations import Operation
from expense_facade.records import Expense, ExpenseStatus
from expense_facade.steps import Call, Emit
from expense_facade.steps import Step as StepOf

SECRET = "sk_live_CANARY_9f8e7d6c5b4a"
BASE = "https://api.vendor.test/v1"

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(
    status: int = 200,
    *,
    json: Any = None,
    text: str | None = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Callable[[httpx.Request], httpx.Response]:
    """A step answering with a fresh response each time it is used."""

    def make(request: httpx.Request) -> httpx.Response:
        if json is not None:
            return httpx.Response(status, json=json, headers=headers)
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, content=content or b"", headers=headers)

    return make


class Script:
    """A transport playing ``steps`` in order (the last one repeats); records requests."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    def transport(self) -> httpx.MockTransport:
        """Serves ``httpx.Client`` and ``httpx.AsyncClient`` alike."""
        return httpx.MockTransport(self._handle)


DRIVERS = ("sync", "async")
"""The two drivers of the one send logic: a test about the session's behaviour runs on
both (the ``driver`` fixture of tests/http/conftest.py)."""


class Driven:
    """An ``AsyncHttpSession`` driven from a plain test: each ``send`` is one
    ``asyncio.run``, so a test reads the same for both drivers."""

    def __init__(self, session: AsyncHttpSession) -> None:
        self.session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    def __repr__(self) -> str:
        return repr(self.session)

    def send(self, *args: Any, **kwargs: Any) -> httpx.Response:
        consume = kwargs.get("consume")
        if consume is not None and not inspect.iscoroutinefunction(consume):
            kwargs["consume"] = as_async_consume(consume)
        return asyncio.run(self.session.send(*args, **kwargs))

    def close(self) -> None:
        asyncio.run(self.session.aclose())


def as_async_consume(consume: Callable[[httpx.Response, Iterator[bytes]], None]) -> Any:
    """A sync ``consume`` as the async session takes it (the pieces gathered first)."""

    async def consume_async(response: httpx.Response, chunks: Any) -> None:
        consume(response, iter([piece async for piece in chunks]))

    return consume_async


def as_async(fn: Callable[[], Any]) -> Callable[[], Any]:
    """A sync callable (a test's refresh) as the coroutine function the async session awaits."""

    async def call() -> Any:
        return fn()

    return call


def session(
    script: Script,
    *,
    clock: FakeClock | None = None,
    max_retries: int = 3,
    error_format: ErrorFormat | None = None,
    refresh_auth: Callable[[], bool] | None = None,
    auth: Callable[[], Mapping[str, str]] | None = None,
    rate_limiter: TokenBucket | None = None,
    base_url: str | None = BASE,
    driver: str = "sync",
    **settings: Any,
) -> HttpSession:
    """An HttpSession on ``script`` with no jitter (sleeps are exact) and a fake clock;
    with ``driver="async"``, an ``AsyncHttpSession`` behind ``Driven`` (typed as the sync
    one: it answers the same calls)."""
    common: dict[str, Any] = {
        "base_url": base_url,
        "auth_headers": auth or (lambda: {"Authorization": f"Bearer {SECRET}"}),
        "error_format": error_format,
        "retry_policy": RetryPolicy(max_retries=max_retries, jitter_source=lambda: 0.0),
        "rate_limiter": rate_limiter,
        "clock": clock or FakeClock(),
        "transport": script.transport(),
        **settings,
    }
    if driver == "async":
        refresh = as_async(refresh_auth) if refresh_auth is not None else None
        driven: Any = Driven(AsyncHttpSession("testvendor", refresh_auth=refresh, **common))
        return driven  # type: ignore[no-any-return]
    return HttpSession("testvendor", refresh_auth=refresh_auth, **common)


_STATUS = StatusMap({"APPROVED": ExpenseStatus.APPROVED, "DRAFT": ExpenseStatus.DRAFT})


def _unwrap(body: Any) -> Any:
    if body.get("ok") is False:
        raise VendorFailure(body["error"]["code"], body["error"]["message"])
    return body["data"]


class FakeClient(ExpenseClient):
    """A minimal adapter on the base class, talking to a scripted transport.

    Wire format: ``GET /expenses?cursor=`` -> ``{ok, data: {items, next}}``; ``GET
    /expenses/{id}`` -> ``{ok, data: item}``; items ``{id, status, amount, currency,
    updated}``.
    """

    vendor = "brex"
    capabilities = frozenset({Operation.LIST_APPROVED, Operation.GET_EXPENSE})
    default_base_url = BASE
    required_credentials = ("token",)
    optional_credentials = {"region": "eu"}
    max_page_size = 50

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._credential('token')}"}

    def _parse(self, item: Any) -> Expense:
        fields = LenientFields()
        status, raw_status = _STATUS(item.get("status"))
        return Expense(
            vendor=self.vendor,
            id=str(item["id"]),
            status=status,
            raw_status=raw_status,
            gross=fields.money_minor("gross", item["amount"], item.get("currency")),
            updated_at=fields.timestamp("updated_at", item.get("updated")),
            description=text(item.get("memo")),
            account=self.account,
            parse_warnings=fields.warnings,
            raw=item,
        )

    # Steps (expense_facade.steps), so both clients drive it: the operation tests of
    # tests/core run on the sync and the async client (issue 25).
    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> StepOf[None]:
        def fetch(cursor: str | None) -> StepOf[CursorPage[Any]]:
            params: dict[str, Any] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            data = yield Call(
                {"method": "get", "url": "/expenses", "params": params}, unwrap=_unwrap
            )
            return CursorPage(data["items"], data.get("next"))

        def each(items: Sequence[Any]) -> StepOf[None]:
            yield Emit(self._page(items, self._parse))

        yield from walk_steps(cursor_walk(vendor=self.vendor), fetch, each)

    def _get_expense_steps(self, expense_id: str) -> StepOf[Expense]:
        data = yield Call({"method": "get", "url": f"/expenses/{expense_id}"}, unwrap=_unwrap)
        return self._parse(data)


def serve_brex_with_fake_client(monkeypatch: Any) -> None:
    """Point the registry's ``brex`` line at :class:`FakeClient` for one test
    (``monkeypatch``: pytest's fixture)."""
    from expense_facade import registry

    table = dict(registry.vendors())
    table["brex"] = attrs.evolve(table["brex"], adapter=f"{__name__}:FakeClient")
    monkeypatch.setattr(registry, "vendors", lambda: table)
