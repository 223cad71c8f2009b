"""The async session's own connection pool: the one ``httpx.AsyncClient`` would make
(httpx's ``AsyncHTTPTransport``, httpcore's pool and HTTP/1.1), over asyncio's own
transports instead of httpcore's anyio backend (docs/http.md, "Session"; the figures:
docs/benchmarks.md, async fan-out).

Why: per request, the anyio backend costs about a third of httpx's async CPU on a
loopback vendor (a cancel scope and an extra event-loop pass per read and per write,
and an attribute table rebuilt, with a ``getpeername`` call, each time httpcore checks
an idle connection: about twenty times per request at a fan-out of eight), and it was
imported inside the first request of a client. ``_Stream`` keeps the anyio stream's
behaviour: the same httpcore errors for the same failures, reads bounded by
``max_bytes`` and paced to the reader (the socket stops being read while a piece waits),
a write waits until the kernel took it, end of stream as ``b""``.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Coroutine, Iterable
from typing import Any

# httpcore's async locks, events and cancel scopes are anyio's, which loads them (and its
# asyncio backend) on first use: inside a client's first request (25-100 ms on a busy
# machine), unless loaded here, with the session.
import anyio._backends._asyncio  # noqa: F401
import httpcore
import httpx
import sniffio  # noqa: F401  (httpcore asks it which event loop runs, per request)
from httpcore._utils import is_socket_readable

_HIGH_WATER = 256 * 1024
"""Bytes received and not yet read past which the socket is not read (the reader's pace)."""

_HAPPY_EYEBALLS_DELAY = 0.25
"""Seconds before trying a host's next address (anyio's, which httpcore used)."""


class _Protocol(asyncio.Protocol):
    """What arrived on one connection, for ``_Stream.read``; whether writing may go on."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.eof = False
        self.error: Exception | None = None
        self.reader: asyncio.Future[None] | None = None  # a read waiting for data
        self.writable: asyncio.Future[None] | None = None  # a write waiting for a drain

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.set_write_buffer_limits(0)  # a write is done once the kernel has it

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
        _wake(self.reader)

    def eof_received(self) -> bool:
        self.eof = True
        _wake(self.reader)
        return True  # the stream is closed by its owner (httpcore), as anyio's is

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        _wake(self.reader)
        _wake(self.writable)

    def pause_writing(self) -> None:
        self.writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        _wake(self.writable)
        self.writable = None


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class _Stream(httpcore.AsyncNetworkStream):
    """One connection for httpcore, on an asyncio transport."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self._socket: socket.socket | None = transport.get_extra_info("socket")
        self._closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        while not protocol.chunks:
            if self._closed:
                raise httpcore.ReadError("the connection was closed")
            if protocol.eof:
                if protocol.error is not None:
                    raise httpcore.ReadError(str(protocol.error)) from protocol.error
                return b""
            protocol.reader = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await protocol.reader
            except TimeoutError as exc:
                raise httpcore.ReadTimeout(str(exc)) from exc
            finally:
                protocol.reader = None
        chunk = protocol.chunks.popleft()
        if len(chunk) > max_bytes:
            protocol.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        protocol.buffered -= len(chunk)
        if protocol.buffered <= _HIGH_WATER and not self._transport.is_reading():
            self._transport.resume_reading()
        return chunk

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        protocol = self._protocol
        if self._closed or protocol.error is not None:
            error = protocol.error
            raise httpcore.WriteError(str(error or "the connection was closed")) from error
        try:
            self._transport.write(buffer)
        except RuntimeError as exc:  # the transport is closing
            raise httpcore.WriteError(str(exc)) from exc
        if protocol.writable is not None:
            try:
                async with asyncio.timeout(timeout):
                    await protocol.writable
            except TimeoutError as exc:
                raise httpcore.WriteTimeout(str(exc)) from exc
            if protocol.error is not None:
                raise httpcore.WriteError(str(protocol.error)) from protocol.error

    async def aclose(self) -> None:
        self._closed = True
        self._transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            await self.aclose()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:  # ssl.SSLError and the connection errors too
            await self.aclose()
            raise httpcore.ConnectError(str(exc)) from exc
        if transport is None:  # the connection was lost during the handshake
            await self.aclose()
            raise httpcore.ConnectError("the connection was lost during the TLS handshake")
        assert isinstance(transport, asyncio.Transport)
        transport.set_write_buffer_limits(0)
        self._protocol.transport = transport
        tls = _Stream(transport, self._protocol)
        tls._socket = self._socket  # the TCP socket under it
        return tls

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of each idle connection: closed by the server?
            protocol = self._protocol
            return protocol.eof or bool(protocol.chunks) or is_socket_readable(self._socket)
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._socket
        return None


SocketOptions = Iterable[Any]
"""``setsockopt`` arguments, as httpcore passes them (its own type is private)."""


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on asyncio's transports (``_Stream``)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions | None = None,
    ) -> httpcore.AsyncNetworkStream:
        opening = asyncio.get_running_loop().create_connection(
            _Protocol,
            host,
            port,
            local_addr=None if local_address is None else (local_address, 0),
            happy_eyeballs_delay=_HAPPY_EYEBALLS_DELAY,
        )
        return await _opened(opening, timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: SocketOptions | None = None
    ) -> httpcore.AsyncNetworkStream:
        opening = asyncio.get_running_loop().create_unix_connection(_Protocol, path)
        return await _opened(opening, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _opened(
    opening: Coroutine[Any, Any, tuple[asyncio.BaseTransport, _Protocol]],
    timeout: float | None,
    options: SocketOptions | None,
) -> _Stream:
    """The stream of a connection being opened, within ``timeout``, failures as httpcore's."""
    try:
        async with asyncio.timeout(timeout):
            transport, protocol = await opening
    except TimeoutError as exc:  # before OSError: it is one
        raise httpcore.ConnectTimeout(str(exc)) from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    assert isinstance(transport, asyncio.Transport)
    stream = _Stream(transport, protocol)
    if stream._socket is not None:
        for option in options or ():
            stream._socket.setsockopt(*option)
    return stream


def pooled_transport(verify: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    """The transport ``httpx.AsyncClient`` would make for ``verify`` (its default limits,
    HTTP/1.1), over ``_Backend``."""
    transport = httpx.AsyncHTTPTransport(verify=verify)
    limits = httpx.Limits()  # httpx's defaults, as AsyncHTTPTransport takes them
    # httpx offers no parameter for httpcore's network backend: its pool is made again
    # with one (the arguments AsyncHTTPTransport gives it).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=verify,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=_Backend(),
    )
    return transport
