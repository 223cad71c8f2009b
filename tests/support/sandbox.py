"""Helpers for the sandbox tests: sandboxes on a fake clock, authenticated httpx clients on
the in-process transport, and a check that each response matches specs/<vendor>."""

from __future__ import annotations

import httpx
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Sandbox

from support.conformance import check_response


def make(*vendors: str, size: int = 200, seed: int = 7) -> Sandbox:
    """A sandbox with ``vendors`` (all when none) on a ``FakeClock``."""
    chosen = vendors or ("capture", "brex", "revolut", "prospend", "pazy")
    return Sandbox(seed=seed, size=size, clock=FakeClock(), vendors=chosen)


def auth_headers(sb: Sandbox, vendor: str) -> dict[str, str]:
    """The headers that authenticate against ``vendor`` in ``sb``."""
    creds = sb.credentials(vendor)
    if vendor == "capture":
        return {"X-API-Key": creds["api_key"]}
    if vendor == "pazy":
        return {"Authorization": f"Api-Key {creds['api_key']}"}
    return {"Authorization": f"Bearer {creds['token']}"}


def conformance_error(vendor: str, mount: str, response: httpx.Response) -> str | None:
    """Why ``response`` breaks specs/<vendor>/openapi.yaml, or None when it conforms.

    A thin wrapper over ``tests.support.conformance`` (the one checker): ``mount`` is
    stripped from the request path, and a path no operation serves is a violation
    whatever the status (these tests only call described operations)."""
    request = response.request
    return check_response(
        vendor,
        request.method,
        request.url.raw_path.split(b"?", 1)[0].decode("ascii").removeprefix(mount),
        response.status_code,
        response.headers.get("content-type"),
        response.read(),
        unrouted=frozenset(),
    )


def client(sb: Sandbox, vendor: str, *, auth: bool = True, check: bool = True) -> httpx.Client:
    """An httpx client for ``vendor`` on the in-process transport; with ``check``, every
    response is validated against the vendor's spec (except answers the sandbox marks
    injected: wrong on purpose)."""
    mount = sb.vendor(vendor).mount

    def conforms(response: httpx.Response) -> None:
        response.read()
        log = sb.requests
        if log and log[-1].injected:
            return
        problem = conformance_error(vendor, mount, response)
        assert problem is None, problem

    return httpx.Client(
        transport=sb.transport(),
        base_url=sb.base_url(vendor),
        headers=auth_headers(sb, vendor) if auth else {},
        event_hooks={"response": [conforms]} if check else {},
    )


def clock_of(sb: Sandbox) -> FakeClock:
    """The sandbox's fake clock."""
    assert isinstance(sb.clock, FakeClock)
    return sb.clock
