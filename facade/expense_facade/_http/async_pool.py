"""The async session's own connection pool: httpx's ``AsyncHTTPTransport`` with httpcore's
asyncio network backend (anyio), loaded when the session is made rather than inside its
first request, and with the idle-connection check httpcore makes on every pool pass
answered from the socket directly (docs/http.md, "Session"; the figures:
docs/benchmarks.md, async fan-out).
"""

from __future__ import annotations

import ssl
from typing import Any

# Imported here, with the session: httpcore imports its asyncio backend, and anyio its
# own, on the first connection, so a client made by aconnect would pay it (25-100 ms on a
# busy machine) in its first request.
import anyio._backends._asyncio  # noqa: F401
import httpcore
import httpx
from httpcore._utils import is_socket_readable


class _Stream(httpcore.AsyncNetworkStream):
    """httpcore's anyio stream, but ``is_readable`` asked of the socket it was made with:
    httpcore asks it of every idle connection each time it assigns a request or gets one
    back (8 connections: about 20 times per request), and anyio answers by rebuilding its
    table of socket attributes, a ``getpeername`` call included, each time."""

    __slots__ = ("_inner", "_socket")

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_socket_readable(self._socket)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's ``AnyIOBackend`` handing out ``_Stream``s."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        return _Stream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(
            path, timeout=timeout, socket_options=socket_options
        )
        return _Stream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pooled_transport(verify: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    """The transport ``httpx.AsyncClient`` would make for ``verify`` (its default limits,
    HTTP/1.1), over ``_Backend``."""
    transport = httpx.AsyncHTTPTransport(verify=verify)
    limits = httpx.Limits()  # httpx's defaults, as AsyncHTTPTransport takes them
    # httpx offers no parameter for httpcore's network backend: its pool is made again
    # with one (the same arguments AsyncHTTPTransport gives it).
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
