"""Canned responses for the client-cost benchmark: record once, replay from a dict.

``record(vendor, size, ...)`` lists a vendor's approved expenses once through the facade
against the in-process sandbox, with a transport that keeps every answer. The three
contenders then read the *same* answers from ``ReplayTransport`` (a dict lookup, no
sandbox generation, no sockets), so what differs between them is only the client:

* ``run_facade``: ``connect(...).list_approved()`` iterated to the end;
* ``run_generated``: the plain loop plus the generated model's ``from_dict`` per record;
* ``run_plain``: a loop of ``httpx`` requests over the recorded URLs and ``json.loads``.

Used by ``scripts/bench.py``; not part of the package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import expense_facade as ef
import httpx
from expense_facade.clock import FakeClock
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Sandbox

Key = tuple[str, str]
"""(method, absolute URL) of a recorded request."""


@attrs.frozen
class Canned:
    """A recorded answer."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to ``inner`` and keeps each answer, and the request order."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.answers: dict[Key, Canned] = {}
        self.order: list[Key] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        key = (request.method, str(request.url))
        self.answers[key] = Canned(response.status_code, tuple(response.headers.items()), body)
        self.order.append(key)
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


class ReplayTransport(httpx.BaseTransport):
    """Answers each request from the recording (an unrecorded request is a KeyError: the
    contenders must make exactly the recorded requests)."""

    def __init__(self, answers: Mapping[Key, Canned]) -> None:
        self.answers = answers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        canned = self.answers[(request.method, str(request.url))]
        return httpx.Response(
            canned.status, headers=list(canned.headers), content=canned.body, request=request
        )


@attrs.frozen
class Recording:
    """One vendor's recorded listing and what is needed to replay it."""

    vendor: str
    size: int
    listed: int  # expenses the facade handed out
    answers: Mapping[Key, Canned] = attrs.field(repr=False)
    order: Sequence[Key] = attrs.field(repr=False)
    base_url: str
    credentials: Mapping[str, Any] = attrs.field(repr=False)
    options: Mapping[str, Any]

    @property
    def requests(self) -> int:
        """Requests one listing makes."""
        return len(self.order)

    @property
    def body_bytes(self) -> int:
        """Bytes of all answers."""
        return sum(len(c.body) for c in self.answers.values())


def record(vendor: str, size: int, *, seed: int = 1, **options: Any) -> Recording:
    """List ``vendor``'s approved expenses from a ``size``-expense sandbox once, keeping
    every answer. ``options`` go to ``connect`` (e.g. ``details=False`` for Pazy)."""
    sandbox = Sandbox(seed=seed, size=size, vendors=(vendor,), clock=FakeClock())
    recorder = RecordingTransport(sandbox.transport())
    with ef.connect(
        normalise_vendor(vendor), sandbox=sandbox, transport=recorder, **options
    ) as client:
        listed = sum(1 for _ in client.list_approved())
    return Recording(
        vendor=vendor,
        size=size,
        listed=listed,
        answers=recorder.answers,
        order=tuple(recorder.order),
        base_url=sandbox.base_url(vendor),
        credentials=sandbox.credentials(vendor),
        options=options,
    )


def run_facade(rec: Recording) -> int:
    """The facade's listing over the recording; returns the expenses handed out."""
    with ef.connect(
        normalise_vendor(rec.vendor),
        base_url=rec.base_url,
        transport=ReplayTransport(rec.answers),
        rate_limit=False,
        **rec.credentials,
        **rec.options,
    ) as client:
        return sum(1 for _ in client.list_approved())


def auth_headers(vendor: str, base_url: str, credentials: Mapping[str, Any]) -> dict[str, str]:
    """The headers the vendor's adapter authenticates with (the plain loops send them too):
    asked of the adapter itself, so every vendor, a plug-in's too, is covered."""
    with ef.connect(
        normalise_vendor(vendor), base_url=base_url, rate_limit=False, **credentials
    ) as client:
        return dict(client._auth_headers())


def run_plain(rec: Recording, per_body: Callable[[str, Any], int] | None = None) -> int:
    """``httpx`` + ``json.loads`` over the recorded requests, in order; with ``per_body``,
    that function runs on each parsed body (``run_generated``). Returns a count, so the
    work cannot be skipped."""
    headers = auth_headers(rec.vendor, rec.base_url, rec.credentials)
    count = 0
    with httpx.Client(transport=ReplayTransport(rec.answers), headers=headers) as client:
        for method, url in rec.order:
            body = json.loads(client.request(method, url).content)
            count += 1 if per_body is None else per_body(url, body)
    return count


def run_generated(rec: Recording) -> int:
    """The plain loop plus the generated model's ``from_dict`` on every record."""
    records = generated_records(rec.vendor)
    if records is None:
        raise ValueError(f"no generated models known for {rec.vendor!r}")

    def per_body(url: str, body: Any) -> int:
        n = 0
        for model, item in records(url, body):
            model.from_dict(item)
            n += 1
        return n

    return run_plain(rec, per_body)


Records = Callable[[str, Any], list[tuple[Any, Any]]]


def generated_records(vendor: str) -> Records | None:
    """For ``vendor``: a function from (URL, body) to the records in it, each with the
    generated model class that reads it; None for a vendor added by a plug-in."""
    if vendor == "capture":
        from expense_clients.capture.models.export_expense import ExportExpense

        return lambda url, body: [(ExportExpense, r) for r in body["data"]]
    if vendor == "brex":
        from expense_clients.brex.models.expense import Expense as BrexExpense

        return lambda url, body: [(BrexExpense, r) for r in body["items"]]
    if vendor == "revolut":
        from expense_clients.revolut.models.expense import Expense as RevolutExpense

        return lambda url, body: [(RevolutExpense, r) for r in body]
    if vendor == "prospend":
        from expense_clients.prospend.models.claim import Claim
        from expense_clients.prospend.models.claim_expense import ClaimExpense
        from expense_clients.prospend.models.expense_split import ExpenseSplit

        def prospend(url: str, body: Any) -> list[tuple[Any, Any]]:
            path = httpx.URL(url).path
            model = (
                ExpenseSplit
                if path.endswith("/split")
                else ClaimExpense
                if path.endswith("/expense")
                else Claim
            )
            return [(model, r) for r in body["page"]]

        return prospend
    if vendor == "pazy":
        from expense_clients.pazy.models.expense_detail import ExpenseDetail
        from expense_clients.pazy.models.expense_summary import ExpenseSummary

        detail = re.compile(r"/expense/[^/]+$")

        def pazy(url: str, body: Any) -> list[tuple[Any, Any]]:
            if detail.search(httpx.URL(url).path):
                return [(ExpenseDetail, body["data"])]
            return [(ExpenseSummary, r) for r in body["data"]["expenses"]]

        return pazy
    return None
