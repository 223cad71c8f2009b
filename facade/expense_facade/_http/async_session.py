"""``AsyncHttpSession``: the async driver of the one send logic (``session.SendLogic``)
over ``httpx.AsyncClient``: the same retries, refresh, pacing, bounds, error mapping and
redaction as ``HttpSession``, performed with ``await`` (docs/http.md, "One logic, two
drivers").
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from typing import Any

import httpx

from expense_facade._http.async_pool import pooled_transport
from expense_facade._http.downloads import DownloadTarget
from expense_facade._http.limits import aiter_bounded
from expense_facade._http.pacing import asleep
from expense_facade._http.session import (
    Authorize,
    Effect,
    Open,
    Pause,
    Refresh,
    SendLogic,
    SendStepper,
)
from expense_facade._http.uploads import UploadFile, _Presigned

AsyncAuthHeaders = Callable[[], Mapping[str, str] | Awaitable[Mapping[str, str]]]
"""``session.AuthHeaders`` for the async session: it may return an awaitable (a token
fetched over the network, Revolut's), awaited per attempt."""

AsyncRefreshAuth = Callable[[], Awaitable[bool]]
"""Awaited once after a 401; True if the credential changed and a retry makes sense. Wrap
it in ``SharedRefresh`` when tasks share the credential."""

AsyncConsume = Callable[[httpx.Response, AsyncIterator[bytes]], Awaitable[None]]
"""``session.Consume`` for the async session: awaited once per attempt with a successful
answer and its body as an async iterator of pieces already size- and deadline-bounded
(``DownloadTarget.aconsume``); it may raise ``limits.BodyRefused`` on the headers."""


class SharedRefresh:
    """An async refresh shared by concurrent tasks: one refresh at a time under an
    ``asyncio.Lock``, and tasks that asked while it ran take its answer instead of
    refreshing again (eight tasks meeting one expired token make one token request)."""

    def __init__(self, refresh: AsyncRefreshAuth) -> None:
        self._refresh = refresh
        self._lock = asyncio.Lock()
        self._done = 0  # refreshes completed
        self._last = False

    async def __call__(self) -> bool:
        asked_after = self._done
        async with self._lock:
            if self._done != asked_after:  # one finished while this task waited
                return self._last
            self._last = await self._refresh()
            self._done += 1
            return self._last


class AsyncHttpSession(
    SendLogic[
        httpx.AsyncClient,
        httpx.AsyncBaseTransport,
        AsyncAuthHeaders,
        AsyncRefreshAuth,
        AsyncConsume,
        Coroutine[Any, Any, httpx.Response],
    ]
):
    """The async driver of ``SendLogic``: one vendor session's ``httpx.AsyncClient``,
    effects awaited. The constructor takes ``HttpSession``'s parameters, with
    ``auth_headers`` that may return an awaitable, an async ``refresh_auth``
    (``SharedRefresh`` when tasks share the credential), an ``httpx.AsyncBaseTransport``
    and an ``httpx.AsyncClient`` to share; ``send`` has ``HttpSession.send``'s
    parameters and is awaited, with an ``AsyncConsume``. One ``TokenBucket`` paces every
    task (and thread) that sends through it.
    """

    def _new_client(self, settings: dict[str, Any]) -> httpx.AsyncClient:
        if settings["transport"] is None:  # a real network: the session's own pool
            settings = {**settings, "transport": pooled_transport(settings["verify"])}
        return httpx.AsyncClient(**settings)

    async def aclose(self) -> None:
        """Close the connection pool, if this session made it."""
        if self._owns_client:
            await self._client.aclose()

    async def _drive(self, stepper: SendStepper, consume: AsyncConsume | None) -> httpx.Response:
        while (effect := stepper.next()) is not None:
            await stepper.asettle(self._perform(effect, consume))
        return stepper.response()

    async def _perform(self, effect: Effect, consume: AsyncConsume | None) -> Any:
        if isinstance(effect, Pause):
            await asleep(self.clock, effect.seconds)
        elif isinstance(effect, Authorize):
            headers = self._auth_headers() if self._auth_headers is not None else None
            return await headers if inspect.isawaitable(headers) else headers
        elif isinstance(effect, Refresh):
            return self._refresh_auth is not None and await self._refresh_auth()
        elif isinstance(effect, Open):
            return await self._client.send(effect.request, stream=True)
        else:
            async with contextlib.aclosing(effect.response):
                chunks = aiter_bounded(
                    effect.response, max_bytes=effect.max_bytes, expired=effect.expired
                )
                if effect.hand_over and consume is not None:
                    await consume(effect.response, chunks)
                    return b""
                return b"".join([piece async for piece in chunks])
        return None


class AsyncPresignedClient(_Presigned[AsyncHttpSession, httpx.AsyncBaseTransport]):
    """``PresignedClient`` for async clients: the same requests through an
    ``AsyncHttpSession``."""

    def _new_session(self, vendor: str, settings: dict[str, Any]) -> AsyncHttpSession:
        return AsyncHttpSession(vendor, **settings)

    async def put(
        self, url: str, upload: UploadFile, *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """``PresignedClient.put``, awaited."""
        return await self._session.send(
            "PUT",
            url,
            content=upload.content,
            headers=self._put_headers(upload, headers),
            retry_safe=True,
        )

    async def get(self, url: str, target: DownloadTarget) -> httpx.Response:
        """``PresignedClient.get``, awaited (``target.aconsume`` takes the body)."""
        return await self._session.send(
            "GET", url, consume=target.aconsume, max_body_bytes=target.max_bytes
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._session.aclose()
