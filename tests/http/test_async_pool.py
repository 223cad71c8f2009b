"""The async session's own pool (``_http/async_pool.py``: httpcore over asyncio's
transports) on real sockets: it answers, fails and times out as the sync session's
httpx stack does over the same loopback server, reads a large body in bounded pieces,
writes a large upload, speaks TLS, and notices a connection the server closed."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from pathlib import Path
from typing import Any

import httpx
import pytest
from expense_facade._http.async_pool import pooled_transport
from expense_facade._http.async_session import AsyncHttpSession
from expense_facade._http.error_mapping import attempts_of
from expense_facade._http.session import HttpSession
from expense_facade.sandbox import Fault
from support.routes import LIST
from support.sandbox import LIST_PATHS, NO_JITTER, auth_headers, make

MB = 1024 * 1024


def _outcome(send: Any) -> tuple[str, Any]:
    """What a send came to: the status, body and attempts, or the error's class and
    attempts."""
    try:
        response = send()
    except Exception as exc:
        return type(exc).__name__, getattr(exc, "attempts", None)
    return "ok", (response.status_code, response.content, attempts_of(response))


@pytest.mark.parametrize(
    "fault",
    [
        None,
        Fault.reset(),
        Fault.hang(5.0),
        Fault.oversized(3 * MB),
        Fault.gzip_bomb(8 * MB),
    ],
    ids=["plain", "reset", "hang", "large", "bomb"],  # a drip: tests/reliability
)
def test_the_async_pool_ends_as_the_sync_stack_does(fault: Fault | None) -> None:
    sb = make("brex", size=20)
    if fault is not None:
        sb.faults.add("brex", LIST["brex"], fault, times=None)
    headers = auth_headers(sb, "brex")
    common: dict[str, Any] = {
        "auth_headers": lambda: headers,
        "clock": sb.clock,  # retry waits on the fake clock
        "retry_policy": NO_JITTER,
        "timeout": httpx.Timeout(0.5),
        "deadline": 1.0,
        "max_response_bytes": 4 * MB,
    }
    with sb.serve() as server:
        base = server.base_url("brex")
        sync = HttpSession("brex", base_url=base, **common)
        try:
            expected = _outcome(lambda: sync.send("GET", LIST_PATHS["brex"]))
        finally:
            sync.close()

        async def send() -> httpx.Response:
            s = AsyncHttpSession("brex", base_url=base, **common)
            try:
                return await s.send("GET", LIST_PATHS["brex"])
            finally:
                await s.aclose()

        got = _outcome(lambda: asyncio.run(send()))
    assert got == expected


def test_a_large_upload_is_written_whole() -> None:
    received: list[int] = []
    body = bytes(range(256)) * (8 * 4096)  # 8 MB: more than the kernel takes at once

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await asyncio.sleep(0.2)  # the client's writes wait for the socket to drain
        received.append(len(await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        await writer.drain()
        writer.close()

    async def main() -> int:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        s = AsyncHttpSession("brex", base_url=f"http://127.0.0.1:{port}")
        try:
            response = await s.send("PUT", "/upload", content=body, retry_safe=True)
            return response.status_code
        finally:
            await s.aclose()
            server.close()

    assert asyncio.run(main()) == 204
    assert received == [len(body)]


def test_a_refused_connection_is_a_connect_error_retried_as_the_sync_stack_does() -> None:
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    base = f"http://127.0.0.1:{port}"
    common: dict[str, Any] = {"retry_policy": NO_JITTER, "clock": make("brex", size=1).clock}
    sync = HttpSession("brex", base_url=base, **common)
    expected = _outcome(lambda: sync.send("GET", "/v1/x"))
    sync.close()

    async def send() -> httpx.Response:
        s = AsyncHttpSession("brex", base_url=base, **common)
        try:
            return await s.send("GET", "/v1/x")
        finally:
            await s.aclose()

    assert _outcome(lambda: asyncio.run(send())) == expected == ("APIConnectionError", 4)


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert, pem_key = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    pem_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, pem_key


def test_tls_is_spoken_verified_and_refused_when_the_certificate_is_unknown(
    tmp_path: Path,
) -> None:
    pytest.importorskip("cryptography")
    cert, key = _certificate(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    requests: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                requests.append(head.split(b"\r\n")[0])
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            writer.close()

    async def main() -> tuple[list[str], str]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=served)
        url = f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}/x"
        try:
            async with httpx.AsyncClient(transport=pooled_transport(trusting)) as client:
                bodies = [(await client.get(url)).text for _ in range(2)]
            async with httpx.AsyncClient(
                transport=pooled_transport(ssl.create_default_context())
            ) as stranger:
                try:
                    await stranger.get(url)
                    refused = "no error"
                except httpx.ConnectError as exc:
                    refused = type(exc.__cause__ or exc).__name__
            return bodies, refused
        finally:
            server.close()

    bodies, refused = asyncio.run(main())
    assert bodies == ["ok", "ok"]
    assert requests[:2] == [b"GET /x HTTP/1.1"] * 2  # one connection kept alive
    assert refused != "no error"
