"""The async driver of the one send logic (issue 25): the bounds and faults of the sandbox
on both drivers at the session level, downloads and pre-signed uploads on both, and what
only the async driver has: pacing and one refresh across tasks, cancellation, the
in-process async transport and the loopback server under an ``httpx.AsyncClient``.
Sleeps are on fake clocks; nothing here waits for real."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import logging
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from expense_facade._http.async_session import (
    AsyncHttpSession,
    AsyncPresignedClient,
    SharedRefresh,
)
from expense_facade._http.downloads import DownloadTarget
from expense_facade._http.error_mapping import attempts_of, decode_json
from expense_facade._http.pacing import TokenBucket
from expense_facade._http.session import HttpSession, recording_request_ids
from expense_facade._http.uploads import (
    PresignedClient,
    UploadFile,
    aread_upload_file,
)
from expense_facade.clock import FakeClock
from expense_facade.errors import (
    APITimeoutError,
    ClientClosedError,
    MalformedResponseError,
    ResponseTooLargeError,
)
from expense_facade.sandbox import Fault, Sandbox
from support.routes import LIST
from support.sandbox import BACKOFF, LIST_PATHS, NO_JITTER, auth_headers, hits, make, sleeps
from support.scripted_http import SECRET, Driven, Script, reply, session

MB = 1024 * 1024
PDF = b"%PDF-1.4 receipt " * 100


def sandbox_session(sb: Sandbox, vendor: str, driver: str, **settings: Any) -> HttpSession:
    """A session of ``driver`` on ``sb``'s in-process transport of that color."""
    headers = auth_headers(sb, vendor)
    common: dict[str, Any] = {
        "base_url": sb.base_url(vendor),
        "auth_headers": lambda: headers,
        "clock": sb.clock,
        "retry_policy": NO_JITTER,
        **settings,
    }
    if driver == "async":
        driven: Any = Driven(AsyncHttpSession(vendor, transport=sb.async_transport(), **common))
        return driven  # type: ignore[no-any-return]
    return HttpSession(vendor, transport=sb.transport(), **common)


# ---- the sandbox's faults, on both drivers --------------------------------------------------


@pytest.mark.parametrize(
    "fault", [Fault.oversized(5 * MB), Fault.gzip_bomb(64 * MB)], ids=["oversized", "bomb"]
)
def test_a_body_past_the_bound_stops_with_a_typed_error(driver: str, fault: Fault) -> None:
    sb = make("brex", size=20)
    sb.faults.add("brex", LIST["brex"], fault, times=None)
    s = sandbox_session(sb, "brex", driver, max_response_bytes=MB)
    with pytest.raises(ResponseTooLargeError) as caught:
        s.send("GET", LIST_PATHS["brex"])
    assert (caught.value.status, caught.value.limit, caught.value.attempts) == (200, MB, 1)
    assert hits(sb, LIST["brex"]) == 1
    assert sleeps(sb) == []


def test_a_dripping_body_ends_at_the_deadline_and_is_retried_as_a_timeout(driver: str) -> None:
    sb = make("brex", size=20)
    sb.faults.add("brex", LIST["brex"], Fault.drip(0.7), times=None)
    s = sandbox_session(sb, "brex", driver, deadline=5.0)
    with pytest.raises(APITimeoutError, match="deadline") as caught:
        s.send("GET", LIST_PATHS["brex"])
    assert caught.value.attempts == 4
    assert hits(sb, LIST["brex"]) == 4
    backoffs = [w for w in sleeps(sb) if w != 0.7]  # the rest: the drip between two bytes
    assert backoffs == BACKOFF


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
        ("identity", lambda b: b),
    ],
)
def test_a_streamed_body_is_decoded_in_bounded_pieces(
    driver: str, encoding: str, encode: Any
) -> None:
    body = b'{"items": [' + b'{"id": "x"},' * 5000 + b"{}]}"

    def streamed(request: httpx.Request) -> httpx.Response:
        headers = {"content-encoding": encoding, "content-type": "application/json"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(encode(body)))

    script = Script(streamed)
    response = session(script, driver=driver).send("GET", "/expenses")
    assert response.content == body
    assert "content-encoding" not in response.headers
    small = session(script, driver=driver, max_response_bytes=len(body) - 1)
    with pytest.raises(ResponseTooLargeError):
        small.send("GET", "/expenses")


def test_a_body_nested_too_deep_is_a_malformed_response(driver: str) -> None:
    sb = make("brex", size=20)
    sb.faults.add("brex", LIST["brex"], Fault.deep_nesting(100_000))
    response = sandbox_session(sb, "brex", driver).send("GET", LIST_PATHS["brex"])
    with pytest.raises(MalformedResponseError):
        decode_json(response, vendor="brex")


def test_connection_faults_latency_and_the_vendor_clock_on_both_drivers(driver: str) -> None:
    sb = make("brex", size=20)
    route = LIST["brex"]
    sb.faults.add("brex", route, Fault.reset(), times=1)
    sb.faults.add("brex", route, Fault.status(503), times=1)
    sb.faults.add("brex", route, Fault.latency(2.5), times=1)
    s = sandbox_session(sb, "brex", driver)
    ids: list[str] = []
    with recording_request_ids(ids):
        response = s.send("GET", LIST_PATHS["brex"], params={"limit": 5})
    assert attempts_of(response) == 3
    assert len(response.json()["items"]) == 5
    assert sleeps(sb) == [0.5, 1.0, 2.5]
    assert s.vendor_date is not None
    assert hits(sb, route) == 3


def test_the_async_transport_serves_what_the_sync_one_does() -> None:
    sb = make("pazy", size=30)
    sync = sandbox_session(sb, "pazy", "sync").send("GET", LIST_PATHS["pazy"])
    served = sandbox_session(sb, "pazy", "async").send("GET", LIST_PATHS["pazy"])
    assert served.json() == sync.json()
    assert served.status_code == sync.status_code == 200


# ---- downloads and pre-signed uploads, on both drivers --------------------------------------


def presigned(script: Script, driver: str, **settings: Any) -> Any:
    """A pre-signed client of ``driver`` with its calls made plain (``asyncio.run``)."""
    common = {"transport": script.transport(), "clock": FakeClock(), **settings}
    common["retry_policy"] = NO_JITTER
    if driver == "sync":
        return PresignedClient("brex", **common)
    client = AsyncPresignedClient("brex", **common)

    class Plain:
        def put(self, *args: Any, **kwargs: Any) -> httpx.Response:
            return asyncio.run(client.put(*args, **kwargs))

        def get(self, *args: Any, **kwargs: Any) -> httpx.Response:
            return asyncio.run(client.get(*args, **kwargs))

    return Plain()


@pytest.mark.parametrize("to", ["path", "file object"])
def test_a_download_is_written_checked_and_hashed(driver: str, to: str, tmp_path: Any) -> None:
    script = Script(
        reply(503), reply(200, content=PDF, headers={"content-type": "application/pdf"})
    )
    out = io.BytesIO()
    path = tmp_path / "r.pdf"
    target = DownloadTarget(path if to == "path" else out, max_bytes=MB)
    response = presigned(script, driver).get("https://bucket.test/r.pdf?X-Amz-Signature=s", target)
    done = target.commit() if driver == "sync" else asyncio.run(target.acommit())
    assert attempts_of(response) == 2
    assert (path.read_bytes() if to == "path" else out.getvalue()) == PDF
    assert (done.size, done.sha256, done.content_type) == (
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
        "application/pdf",
    )
    assert [p.name for p in tmp_path.iterdir()] == (["r.pdf"] if to == "path" else [])


def test_a_download_past_its_cap_or_of_the_wrong_type_is_refused(driver: str) -> None:
    big = Script(reply(200, content=PDF, headers={"content-type": "application/pdf"}))
    target = DownloadTarget(io.BytesIO(), max_bytes=100)
    with pytest.raises(ResponseTooLargeError, match="max_bytes"):
        presigned(big, driver).get("https://bucket.test/r.pdf", target)
    html = Script(reply(200, content=b"<html>", headers={"content-type": "text/html"}))
    with pytest.raises(MalformedResponseError, match="expected a receipt file"):
        presigned(html, driver).get(
            "https://bucket.test/r.pdf", DownloadTarget(io.BytesIO(), max_bytes=MB)
        )
    target.discard()


def test_a_presigned_put_sends_its_length_and_is_retried_as_a_safe_write(driver: str) -> None:
    script = Script(httpx.ReadTimeout("slow"), reply(200))
    upload = UploadFile(content=PDF, filename="r.pdf", content_type="application/pdf")
    response = presigned(script, driver).put("https://bucket.test/up?sig=1", upload)
    assert attempts_of(response) == 2
    assert [r.headers["content-length"] for r in script.requests] == [str(len(PDF))] * 2
    assert all("authorization" not in r.headers for r in script.requests)


def test_an_upload_file_is_read_off_the_event_loop(tmp_path: Any) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(PDF)
    upload = asyncio.run(aread_upload_file(path))
    assert (upload.content, upload.filename, upload.content_type) == (
        PDF,
        "r.pdf",
        "application/pdf",
    )


# ---- across tasks ---------------------------------------------------------------------------


class PausedClock(FakeClock):
    """Records each async wait without moving time: every task reserves from the bucket
    before any wait ends, as tasks started together do."""

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)


def test_one_bucket_paces_concurrent_tasks() -> None:
    clock = PausedClock()
    bucket = TokenBucket(rate=1.0, capacity=1.0, clock=clock)
    script = Script(reply(200, json=[]))
    s = AsyncHttpSession(
        "testvendor",
        base_url="https://api.vendor.test",
        clock=clock,
        rate_limiter=bucket,
        transport=script.transport(),
    )

    async def main() -> None:
        await asyncio.gather(*(s.send("GET", f"/x/{n}") for n in range(4)))

    asyncio.run(main())
    assert sorted(clock.sleeps) == [1.0, 2.0, 3.0]  # one request a second, across tasks
    assert len(script.requests) == 4


def test_tasks_meeting_one_expired_token_share_one_refresh() -> None:
    token = {"value": "old-token-aaaa"}
    refreshes: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer old-token-aaaa":
            return httpx.Response(401, json={"message": "expired"})
        return httpx.Response(200, json={"ok": True})

    async def refresh() -> bool:
        refreshes.append(1)
        await asyncio.sleep(0)  # the token request: other tasks meet the 401 meanwhile
        token["value"] = "new-token-bbbb"
        return True

    s = AsyncHttpSession(
        "testvendor",
        base_url="https://api.vendor.test",
        auth_headers=lambda: {"Authorization": f"Bearer {token['value']}"},
        refresh_auth=SharedRefresh(refresh),
        clock=FakeClock(),
        transport=httpx.MockTransport(answer),
    )

    async def main() -> list[httpx.Response]:
        return await asyncio.gather(*(s.send("GET", f"/x/{n}") for n in range(5)))

    responses = asyncio.run(main())
    assert refreshes == [1]
    assert [attempts_of(r) for r in responses] == [2] * 5


def test_async_auth_headers_are_awaited_for_each_attempt() -> None:
    fetched: list[str] = []
    token = {"value": "first-token-aaaa"}

    async def auth() -> dict[str, str]:
        await asyncio.sleep(0)  # a token fetched over the network
        fetched.append(token["value"])
        return {"Authorization": f"Bearer {token['value']}"}

    async def refresh() -> bool:
        token["value"] = "second-token-bbbb"
        return True

    script = Script(reply(401, json={"message": "expired"}), reply(503), reply(200, json=[]))
    s = AsyncHttpSession(
        "testvendor",
        base_url="https://api.vendor.test",
        auth_headers=auth,
        refresh_auth=refresh,
        retry_policy=NO_JITTER,
        clock=FakeClock(),
        transport=script.transport(),
    )
    response = asyncio.run(s.send("GET", "/x"))
    assert attempts_of(response) == 3
    assert fetched == ["first-token-aaaa", "second-token-bbbb", "second-token-bbbb"]
    assert [r.headers["authorization"] for r in script.requests] == [
        "Bearer first-token-aaaa",
        "Bearer second-token-bbbb",
        "Bearer second-token-bbbb",
    ]


def test_request_ids_are_recorded_per_task_context() -> None:
    script = Script(reply(200, json=[], headers={"x-request-id": "req-1"}))
    s = AsyncHttpSession(
        "testvendor", base_url="https://api.vendor.test", transport=script.transport()
    )

    async def listing() -> list[str]:
        ids: list[str] = []
        with recording_request_ids(ids):
            await s.send("GET", "/a")
            await s.send("GET", "/b")
        return ids

    async def main() -> list[list[str]]:
        return list(await asyncio.gather(listing(), listing()))

    assert asyncio.run(main()) == [["req-1", "req-1"], ["req-1", "req-1"]]


def test_a_closed_async_session_says_so() -> None:
    s = session(Script(reply(200)), driver="async")
    s.close()
    with pytest.raises(ClientClosedError, match="closed"):
        s.send("GET", "/x")


# ---- cancellation ----------------------------------------------------------------------------


class Held:
    """An async transport that takes each request and answers only when told (never, in
    these tests): the request has left, its answer is still coming."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.arrived.set()
        await asyncio.Event().wait()
        raise AssertionError("never answered")


def held_session(held: Held) -> AsyncHttpSession:
    return AsyncHttpSession(
        "testvendor",
        base_url="https://api.vendor.test",
        auth_headers=lambda: {"Authorization": f"Bearer {SECRET}"},
        retry_policy=NO_JITTER,
        clock=FakeClock(),
        transport=httpx.MockTransport(held.handle),
    )


def test_a_cancelled_write_propagates_is_not_retried_and_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)

    async def main() -> tuple[Held, BaseException]:
        held = Held()
        s = held_session(held)
        task = asyncio.create_task(s.send("POST", "/expenses", json={"amount": "1.00"}))
        await held.arrived.wait()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError as exc:
            return held, exc
        raise AssertionError("not cancelled")

    held, cancelled = asyncio.run(main())
    assert len(held.requests) == 1  # never sent again
    assert "may have reached the vendor" in caplog.text
    assert any("POST /expenses" in note for note in getattr(cancelled, "__notes__", []))
    assert SECRET not in caplog.text


def test_a_task_group_cancelling_a_write_leaves_it_accounted_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    held = Held()

    async def fail_once_sent() -> None:
        await held.arrived.wait()
        raise ValueError("a sibling failed")

    async def main() -> None:
        s = held_session(held)
        async with asyncio.TaskGroup() as group:
            group.create_task(s.send("POST", "/card-transactions", json={"id": "t1"}))
            group.create_task(fail_once_sent())

    with pytest.raises(ExceptionGroup) as caught:
        asyncio.run(main())
    assert caught.group_contains(ValueError)
    assert len(held.requests) == 1
    assert "POST /card-transactions was stopped (CancelledError)" in caplog.text


def test_a_cancelled_read_closes_its_stream_and_says_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    closed: list[bool] = []
    first_chunk = asyncio.Event()

    class Endless(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b'{"items": ['
            first_chunk.set()
            await asyncio.Event().wait()

        async def aclose(self) -> None:
            closed.append(True)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Endless())

    async def main() -> None:
        s = AsyncHttpSession(
            "testvendor",
            base_url="https://api.vendor.test",
            clock=FakeClock(),
            transport=httpx.MockTransport(answer),
        )
        task = asyncio.create_task(s.send("GET", "/expenses"))
        await first_chunk.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert closed == [True]
    assert "was stopped" not in caplog.text  # a read may be repeated: nothing to report


# ---- the loopback server --------------------------------------------------------------------


def test_an_async_client_reads_the_loopback_server_as_the_in_process_transport() -> None:
    sb = make("prospend", size=20)
    in_process = sandbox_session(sb, "prospend", "sync").send("GET", LIST_PATHS["prospend"])
    headers = auth_headers(sb, "prospend")

    async def over_http(base: str) -> httpx.Response:
        s = AsyncHttpSession("prospend", base_url=base, auth_headers=lambda: headers)
        try:
            return await s.send("GET", LIST_PATHS["prospend"])
        finally:
            await s.aclose()

    with sb.serve() as server:
        served = asyncio.run(over_http(server.base_url("prospend")))
    assert served.status_code == 200
    assert served.json() == in_process.json()


def test_an_idle_connection_the_server_closed_is_replaced_not_retried() -> None:
    # The session's pool asks the socket whether an idle connection was closed by the
    # server (async_pool._Stream): such a connection is dropped before the next request,
    # which goes out once on a new connection instead of failing and being retried.
    accepted: list[int] = []
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

    async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)  # keep-alive by default, then closed while idle
        await writer.drain()
        writer.close()

    async def main() -> list[int]:
        server = await asyncio.start_server(once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        s = AsyncHttpSession("brex", base_url=f"http://127.0.0.1:{port}", retry_policy=NO_JITTER)
        try:
            attempts = []
            for _ in range(2):
                attempts.append(attempts_of(await s.send("GET", "/v1/x")))
                await asyncio.sleep(0.05)  # the server's close reaches the client
            return attempts
        finally:
            await s.aclose()
            server.close()

    assert asyncio.run(main()) == [1, 1]
    assert len(accepted) == 2
