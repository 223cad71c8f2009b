"""The sandbox as an in-process ``httpx`` transport: no sockets, no threads, no waiting
(docs/sandbox.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import httpx

from expense_facade.sandbox.faults import FaultKind
from expense_facade.sandbox.wire import SimRequest

if TYPE_CHECKING:
    from expense_facade.sandbox.app import Sandbox


def _headers(raw: httpx.Headers) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in raw.multi_items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


class SandboxTransport(httpx.BaseTransport):
    """Hands each request to ``Sandbox.dispatch``. Connection faults raise the httpx error a
    real network would (``ConnectError``, ``ConnectTimeout``, ``ReadTimeout``) immediately;
    latency sleeps on the sandbox clock."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        raw_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        query = tuple(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))
        sim_request = SimRequest(
            method=request.method,
            path=raw_path,
            query=query,
            headers=_headers(request.headers),
            body=body,
            url=str(request.url),
        )
        outcome = self.sandbox.dispatch(sim_request)
        fault = outcome.fault
        if outcome.response is None:
            kind = fault.kind if fault is not None else FaultKind.RESET
            if kind is FaultKind.CONNECT_TIMEOUT:
                raise httpx.ConnectTimeout("sandbox: injected connect timeout", request=request)
            if kind is FaultKind.HANG:
                raise httpx.ReadTimeout("sandbox: injected hang (no answer)", request=request)
            raise httpx.ConnectError("sandbox: injected connection reset", request=request)
        if outcome.latency > 0:
            self.sandbox.clock.sleep(outcome.latency)
        response = outcome.response
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        if response.chunks is None:
            headers.append(("content-length", str(len(response.body))))
            # A stream, not content: httpx would read and decode content at once, and the
            # client must see the body as a network would hand it over (a gzip bomb too).
            stream: httpx.SyncByteStream = httpx.ByteStream(response.body)
        else:
            if response.length is not None:
                headers.append(("content-length", str(response.length)))
            stream = _Chunks(response.chunks(), response.drip, self.sandbox.clock.sleep)
        return httpx.Response(
            status_code=response.status, headers=headers, stream=stream, request=request
        )


class _Chunks(httpx.SyncByteStream):
    """A streamed answer's chunks, ``drip`` seconds apart on the sandbox clock."""

    def __init__(
        self, chunks: Iterator[bytes], drip: float, sleep: Callable[[float], None]
    ) -> None:
        self._chunks = chunks
        self._drip = drip
        self._sleep = sleep

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self._chunks):
            if index and self._drip > 0:
                self._sleep(self._drip)
            yield chunk
