"""Helpers for the sandbox tests: sandboxes on a fake clock, authenticated httpx clients on
the in-process transport, and a check that each response matches specs/<vendor>."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import httpx
import yaml
from expense_facade.clock import FakeClock
from expense_facade.sandbox import Sandbox
from openapi_schema_validator import OAS30ReadValidator

SPECS = Path(__file__).resolve().parents[2] / "specs"


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


@functools.cache
def _spec(vendor: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / vendor / "openapi.yaml").read_text())
    return loaded


def conformance_error(vendor: str, mount: str, response: httpx.Response) -> str | None:
    """Why ``response`` breaks specs/<vendor>/openapi.yaml, or None when it conforms."""
    document = _spec(vendor)
    path = response.request.url.path.removeprefix(mount)
    method = response.request.method.lower()
    templates = sorted(document["paths"], key=lambda t: t.count("{"))
    for template in templates:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) and method in document["paths"][template]:
            operation = document["paths"][template][method]
            break
    else:
        return f"no operation for {method} {path}"
    described = operation["responses"].get(str(response.status_code))
    if described is None:
        return f"{response.status_code} not described for {method} {path}"
    while "$ref" in described:
        described = document["components"]["responses"][described["$ref"].split("/")[-1]]
    media = described.get("content", {}).get("application/json")
    if media is None or "json" not in response.headers.get("content-type", ""):
        return None
    schema = {**media["schema"], "components": document["components"]}
    errors = list(OAS30ReadValidator(schema).iter_errors(response.json()))
    return None if not errors else f"{method} {path}: {errors[0].message[:300]}"


def client(sb: Sandbox, vendor: str, *, auth: bool = True, check: bool = True) -> httpx.Client:
    """An httpx client for ``vendor`` on the in-process transport; with ``check``, every
    response is validated against the vendor's spec."""
    mount = sb.vendor(vendor).mount

    def conforms(response: httpx.Response) -> None:
        response.read()
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
