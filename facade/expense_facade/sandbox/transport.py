"""The sandbox as in-process ``httpx`` transports, sync and async, over the one dispatch:
no sockets, no threads, no waiting beyond the sandbox clock (docs/sandbox.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import httpx

from expense_facade._http.pacing import asleep
from expense_facade.sandbox.faults import FaultKind
from expense_facade.sandbox.wire import SimRequest

if TYPE_CHECKING:
    from expense_facade.sandbox.app import Sandbox
    from expense_facade.sandbox.wire import SimResponse


def _headers(raw: httpx.Headers) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in raw.multi_items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


class _Dispatching:
    """What both transports share: a request to ``Sandbox.dispatch``, a connection fault
    to the httpx error a real network would raise (``ConnectError``, ``ConnectTimeout``,
    ``ReadTimeout``) at once, an answer to its status, headers and latency."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def _dispatch(
        self, request: httpx.Request, body: bytes
    ) -> tuple[SimResponse, list[tuple[str, str]], float]:
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
        response = outcome.response
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        if response.chunks is None:
            headers.append(("content-length", str(len(response.body))))
        elif response.length is not None:
            headers.append(("content-length", str(response.length)))
        return response, headers, outcome.latency


def _paced(chunks: Iterator[bytes], drip: float) -> Iterator[tuple[float, bytes]]:
    """Each chunk with the seconds to wait before it (``drip`` between two chunks)."""
    for index, chunk in enumerate(chunks):
        yield (drip if index and drip > 0 else 0.0), chunk


class SandboxTransport(_Dispatching, httpx.BaseTransport):
    """Hands each request of an ``httpx.Client`` to ``Sandbox.dispatch``; latency and a
    dripped body sleep on the sandbox clock."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response, headers, latency = self._dispatch(request, request.read())
        if latency > 0:
            self.sandbox.clock.sleep(latency)
        # A stream, not content: httpx would read and decode content at once, and the
        # client must see the body as a network would hand it over (a gzip bomb too).
        stream: httpx.SyncByteStream = httpx.ByteStream(response.body)
        if response.chunks is not None:
            stream = _Chunks(_paced(response.chunks(), response.drip), self.sandbox.clock.sleep)
        return httpx.Response(
            status_code=response.status, headers=headers, stream=stream, request=request
        )


class AsyncSandboxTransport(_Dispatching, httpx.AsyncBaseTransport):
    """``SandboxTransport`` for an ``httpx.AsyncClient``: the same dispatch and faults;
    latency and drip are awaited on the sandbox clock, so concurrent tasks overlap them."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response, headers, latency = self._dispatch(request, await request.aread())
        if latency > 0:
            await asleep(self.sandbox.clock, latency)
        stream: httpx.AsyncByteStream = httpx.ByteStream(response.body)
        if response.chunks is not None:
            stream = _AsyncChunks(_paced(response.chunks(), response.drip), self.sandbox)
        return httpx.Response(
            status_code=response.status, headers=headers, stream=stream, request=request
        )


class _Chunks(httpx.SyncByteStream):
    """A streamed answer's chunks, each after its wait on the sandbox clock."""

    def __init__(
        self, paced: Iterator[tuple[float, bytes]], sleep: Callable[[float], None]
    ) -> None:
        self._paced = paced
        self._sleep = sleep

    def __iter__(self) -> Iterator[bytes]:
        for wait, chunk in self._paced:
            if wait:
                self._sleep(wait)
            yield chunk


class _AsyncChunks(httpx.AsyncByteStream):
    """``_Chunks`` for an async client: the waits are awaited."""

    def __init__(self, paced: Iterator[tuple[float, bytes]], sandbox: Sandbox) -> None:
        self._paced = paced
        self._sandbox = sandbox

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for wait, chunk in self._paced:
            if wait:
                await asleep(self._sandbox.clock, wait)
            yield chunk
