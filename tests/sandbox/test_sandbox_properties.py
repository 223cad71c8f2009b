"""Property-based run: generated requests for every operation of every vendor's spec, sent
to the sandbox in-process; no answer may be a 5xx and every answer must match the spec.

Requests are drawn from the spec itself (tests/support/oas_strategies.py): path parameters
from ids the sandbox really has mixed with junk, query parameters from their schemas mixed
with invalid text, JSON bodies from the request-body schema plus broken variants and raw
bytes, with valid, wrong or missing credentials; writes are sometimes sent twice (a retry).
Each example runs against a fresh sandbox, so examples are independent and shrink well.

Bounded and reproducible for CI: ``derandomize=True`` (the same examples every run, no
example database), ``deadline=None`` (a slow shared machine is not a failure),
``MAX_EXAMPLES`` per operation. A second test sends every junk value to every parameter
(and junk bodies to every write) one by one: the rare inputs random draws may miss.
"""

from __future__ import annotations

import functools
import os
import string
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import attrs
import httpx
import pytest
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.wire import dumps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.conformance import VENDORS, Route, check_response, spec
from support.oas_strategies import (
    EXTREME_NUMBERS,
    JUNK_TEXTS,
    any_json,
    as_query_text,
    example,
    junk_text,
    member_paths,
    mutated,
    replaced,
    values,
)
from support.sandbox import auth_headers, make

SEED = 3
SIZE = 60
# Per operation. A deeper exploratory run: SANDBOX_PROPERTY_EXAMPLES=1000 pytest <this file>.
MAX_EXAMPLES = int(os.environ.get("SANDBOX_PROPERTY_EXAMPLES", "60"))
RAW_BODIES = (b"", b"{", b"null", b"[]", b"{}", b"\xff\xfe", b'{"a": NaN}')
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=24)

OPERATIONS = [(vendor, route.key) for vendor in VENDORS for route in spec(vendor).routes]


def fresh(vendor: str) -> Sandbox:
    """A sandbox with only ``vendor``, on a fake clock (same seed and size every time)."""
    return make(vendor, seed=SEED, size=SIZE)


@attrs.frozen
class Known:
    """Real values of one vendor's sandbox: coherent path parameters, and per parameter or
    body property name, values to mix into generated ones."""

    paths: list[dict[str, str]]
    names: Mapping[str, list[Any]]


@functools.cache
def known(vendor: str) -> Known:
    """Real ids, cursors and dates, read from a sandbox like the ones the test uses."""
    sb = fresh(vendor)
    with httpx.Client(
        transport=sb.transport(), base_url=sb.base_url(vendor), headers=auth_headers(sb, vendor)
    ) as c:
        if vendor == "capture":
            rows = c.get("/api/Expenses/Export").json()["data"][:12]
            return Known([], {"id": [r["id"] for r in rows], "transactionType": [0, 1, 2]})
        if vendor == "brex":
            page = c.get("/v1/expenses", params={"limit": 15, "expand[]": ["user", "budget"]})
            items = page.json()["items"]
            return Known(
                [{"expense_id": x["id"]} for x in items],
                {
                    "cursor": [page.json()["next_cursor"]],
                    "user_id[]": [x["user_id"] for x in items if x.get("user_id")],
                    "budget_id[]": [x["budget_id"] for x in items if x.get("budget_id")],
                    "updated_at_start": [x["updated_at"] for x in items],
                    "updated_at_end": [x["updated_at"] for x in items],
                    "expand[]": ["merchant", "location", "receipts", "payment", "user"],
                    "receipt_name": ["receipt.pdf", "a b/ü.png"],
                },
            )
        if vendor == "revolut":
            listed = c.get("/expenses", params={"count": 12}).json()
            paths: list[dict[str, str]] = [{"expense_id": x["id"]} for x in listed]
            paths += [{"expense_id": x["id"], "receipt_id": r} for x in listed
                      for r in x["receipt_ids"]]  # fmt: skip
            dates = [x["expense_date"] for x in listed]
            return Known(paths, {"from": dates, "to": dates})
        if vendor == "prospend":
            base = "/beta/company/1/claim"
            claims = c.get(base, params={"limit": 12}).json()
            paths = []
            for claim in claims["page"]:
                expenses = c.get(f"{base}/{claim['id']}/expense", params={"limit": 100})
                for x in expenses.json()["page"]:
                    ids = {"version": "beta", "companyId": "1", "claimId": claim["id"],
                           "expenseId": x["id"]}  # fmt: skip
                    paths.append(ids)
                    paths += [{**ids, "splitId": s["splitId"]} for s in x["splitChildren"]]
            return Known(
                paths,
                {
                    "cursor": [claims["nextCursor"]],
                    "cardProgramCode": ["AR_AU", "VISA_AU"],
                    "cardProgramType": ["AR", "Visa"],
                    "currencyCode": ["AUD", "USD"],
                    "foreignCurrencyCode": ["EUR", "USD"],
                    "transactionId": ["tx-1", "tx-2"],
                    "merchantName": ["Telstra"],
                    "mcc": ["5943"],
                    "cardHolderName": ["Kylie Magenta"],
                    "cardSuffix": ["1111"],
                },
            )
        listed = c.get("/expenses", params={"limit": 12}).json()["data"]
        return Known(
            [{"expenseId": x["id"]} for x in listed["expenses"]],
            {"cursor": [str(listed["context"]["nextCursor"])], "tagId": ["tag_travel"]},
        )


@attrs.frozen
class Call:
    """One generated request."""

    method: str
    path: str  # relative to the vendor's server URL, percent-encoded
    params: list[tuple[str, str | int | float | bool | None]]
    headers: dict[str, str]
    body: bytes | None
    times: int  # 2: the same request again, as a retry would


def _mixed(real: list[Any], own: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(real), own) if real else own


@st.composite
def calls(draw: st.DrawFn, vendor: str, route: Route) -> Call:
    """A request for ``route`` of ``vendor``: mostly sensible, sometimes not at all."""
    the_spec, real = spec(vendor), known(vendor)
    parameters = the_spec.parameters(route)
    # Path: a coherent set of real ids, some of them swapped for other values.
    chosen: dict[str, str] = dict(draw(st.sampled_from(real.paths))) if real.paths else {}
    path = route.template
    for param in (p for p in parameters if p["in"] == "path"):
        name = param["name"]
        if name not in chosen or draw(st.integers(0, 4)) == 0:
            own = st.one_of(values(the_spec, param["schema"]), junk_text())
            chosen[name] = str(draw(_mixed(real.names.get(name, []), own)))
        path = path.replace("{" + name + "}", quote(chosen[name], safe=""))
    # Query: each parameter present or not; from its schema, real values or junk.
    params: list[tuple[str, str | int | float | bool | None]] = []
    for param in (p for p in parameters if p["in"] == "query"):
        if not draw(st.booleans()):
            continue
        name, schema = param["name"], the_spec.deref(param["schema"])
        if schema.get("type") == "array":
            item = _mixed(real.names.get(name, []), values(the_spec, schema["items"]))
            picked = draw(st.lists(st.one_of(item, junk_text()), min_size=1, max_size=3))
            params += [(name, as_query_text(v)) for v in picked]
        else:
            own = st.one_of(values(the_spec, schema), junk_text())
            params.append((name, as_query_text(draw(_mixed(real.names.get(name, []), own)))))
    headers = {
        p["name"]: draw(HEADER_TEXT)
        for p in parameters
        if p["in"] == "header" and draw(st.booleans())
    }
    # Body: valid, broken, any JSON or raw bytes.
    body: bytes | None = None
    request_schema = the_spec.request_schema(route)
    if request_schema is not None:
        hints = {k: st.sampled_from(v) for k, v in real.names.items() if v}
        valid = values(the_spec, request_schema, hints)
        kind = draw(st.sampled_from(["valid", "valid", "valid", "broken", "json", "raw"]))
        if kind == "raw":
            body = draw(st.sampled_from(RAW_BODIES))
        else:
            strategy = {"valid": valid, "broken": mutated(valid), "json": any_json()}[kind]
            body = dumps(draw(strategy))
        headers["Content-Type"] = "application/json"
    times = 2 if route.method != "GET" and draw(st.booleans()) else 1
    return Call(route.method, path, params, headers, body, times)


def credentials(sb: Sandbox, vendor: str, how: str) -> dict[str, str]:
    """Valid, wrong or no credentials."""
    if how == "none":
        return {}
    headers = auth_headers(sb, vendor)
    if how == "wrong":
        return {name: value[:-3] + "bad" for name, value in headers.items()}
    return headers


@pytest.mark.parametrize(("vendor", "operation"), OPERATIONS)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_generated_requests_get_answers_inside_the_spec(
    vendor: str, operation: str, data: st.DataObject
) -> None:
    route = next(r for r in spec(vendor).routes if r.key == operation)
    call = data.draw(calls(vendor, route), label="request")
    how = data.draw(st.sampled_from(["valid"] * 4 + ["wrong", "none"]), label="credentials")
    sb = fresh(vendor)
    mount = sb.vendor(vendor).mount
    headers = {**call.headers, **credentials(sb, vendor, how)}
    with httpx.Client(transport=sb.transport(), base_url=sb.base_url(vendor)) as c:
        for _ in range(call.times):
            response = c.request(
                call.method, call.path, params=call.params, headers=headers, content=call.body
            )
            sent = response.request.url.raw_path.split(b"?", 1)[0].decode("ascii")
            status, content = response.status_code, response.content
            assert status < 500, f"{call}: {status} {content[:300]!r}"
            problem = check_response(
                vendor,
                call.method,
                sent.removeprefix(mount),
                status,
                response.headers.get("content-type"),
                content,
            )
            assert problem is None, f"{call}: {problem}"


# -- every parameter against every junk value (systematic, no randomness) ---------------------

JUNK_BODIES: tuple[Any, ...] = (None, 0, "x", [], {}, [None], {"": None}, [{}], {"a": [1, {}]})


def _base_path(vendor: str, route: Route, real: Known) -> dict[str, str]:
    names = [p["name"] for p in spec(vendor).parameters(route) if p["in"] == "path"]
    for values_ in real.paths:
        if all(n in values_ for n in names):
            return {n: values_[n] for n in names}
    return dict.fromkeys(names, "x")


def _variants(vendor: str, route: Route) -> list[Call]:
    """The route called with a complete request (real ids, every body member), then with
    one parameter or one body member at a time replaced by each junk value or removed."""
    real = known(vendor)
    base = _base_path(vendor, route, real)

    def call(path_values: Mapping[str, str], params: list[Any], body: bytes | None) -> Call:
        path = route.template
        for name, value in path_values.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        headers = {} if body is None else {"Content-Type": "application/json"}
        return Call(route.method, path, params, headers, body, 1)

    schema = spec(vendor).request_schema(route)
    full = None if schema is None else example(spec(vendor), schema, first_known(real))
    body = None if full is None else dumps(full)
    out: list[Call] = [call(base, [], body)]
    for param in spec(vendor).parameters(route):
        for junk in JUNK_TEXTS:
            if param["in"] == "path":
                out.append(call({**base, param["name"]: junk}, [], body))
            elif param["in"] == "query":
                out.append(call(base, [(param["name"], junk)], body))
    if full is not None:
        out += [call(base, [], raw) for raw in RAW_BODIES]
        out += [call(base, [], dumps(value)) for value in JUNK_BODIES]
        for path in member_paths(full):
            out.append(call(base, [], dumps(replaced(full, path))))
            for junk in (*JUNK_TEXTS, *EXTREME_NUMBERS, *JUNK_BODIES):
                out.append(call(base, [], dumps(replaced(full, path, junk))))
    return out


def first_known(real: Known) -> dict[str, Any]:
    """The first real value of each name (for a complete, plausible request body)."""
    return {name: found[0] for name, found in real.names.items() if found}


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_parameter_and_body_survives_junk(vendor: str) -> None:
    failures: list[str] = []
    for route in spec(vendor).routes:
        for call in _variants(vendor, route):
            sb = fresh(vendor)
            mount = sb.vendor(vendor).mount
            with httpx.Client(transport=sb.transport(), base_url=sb.base_url(vendor),
                              headers=auth_headers(sb, vendor)) as c:  # fmt: skip
                try:
                    response = c.request(call.method, call.path, params=call.params,
                                         headers=call.headers, content=call.body)  # fmt: skip
                except Exception as exc:  # a simulator crash: collect them all, then fail
                    failures.append(f"{call}: raised {exc!r}")
                    continue
            sent = response.request.url.raw_path.split(b"?", 1)[0].decode("ascii")
            if response.status_code >= 500:
                failures.append(f"{call}: {response.status_code}")
                continue
            problem = check_response(vendor, call.method, sent.removeprefix(mount),
                                     response.status_code, response.headers.get("content-type"),
                                     response.content)  # fmt: skip
            if problem is not None:
                failures.append(f"{call}: {problem}")
    assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:15])
