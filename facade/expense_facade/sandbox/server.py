"""The sandbox served over real HTTP on loopback (a ``ThreadingHTTPServer`` in a thread),
where connection faults happen on the wire (docs/sandbox.md, "Reference").
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import struct
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from expense_facade.sandbox.app import Dispatch
from expense_facade.sandbox.faults import FaultKind
from expense_facade.sandbox.wire import SimRequest, SimResponse, json_response

if TYPE_CHECKING:
    from expense_facade.sandbox.app import Sandbox

MAX_BODY = 64 * 1024 * 1024  # above brex's 50 MB receipt limit, so the vendor can answer 400


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, every keep-alive request then
    # waits ~40 ms for a delayed ACK (17 s instead of 0.7 s for a pazy export on loopback).
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the sandbox keeps its own (redacted) request log

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is not None:
            size = int(length)
            if size > MAX_BODY:
                return None
            return self.rfile.read(size)
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        return b""

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            self.send_error(413)
            return
        path, _, query = self.path.partition("?")
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.port}"
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        request = SimRequest(
            method=self.command,
            path=path,
            query=tuple(parse_qsl(query, keep_blank_values=True)),
            headers=headers,
            body=body,
            url=f"http://{host}{self.path}",
        )
        try:
            outcome = self.server.sandbox.dispatch(request)
        except Exception:
            # A simulator bug: answer 500 (and print it) rather than leave the client
            # waiting on a dead connection. In-process, the exception propagates instead.
            traceback.print_exc()
            outcome = Dispatch(json_response(500, {"message": "sandbox internal error"}))
        fault = outcome.fault
        if outcome.response is None:
            kind = fault.kind if fault is not None else FaultKind.RESET
            if kind in (FaultKind.HANG, FaultKind.CONNECT_TIMEOUT):
                bound = fault.seconds if fault is not None else 30.0
                self.server.stopping.wait(bound)
            self._abort()
            return
        if outcome.latency > 0:
            time.sleep(outcome.latency)
        response = outcome.response
        # Not send_response: it adds a Date from the machine's clock beside the app's (the
        # sandbox's clock), and a vendor sends one; two make the header unreadable.
        self.send_response_only(response.status)
        self.send_header("Server", self.version_string())
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        if response.chunks is not None:
            self._send_streamed(response)
            return
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _send_streamed(self, response: SimResponse) -> None:
        """A hostile answer: dripped (Content-Length announced, a byte at a time) or too
        large (chunked, never held whole). Ends quietly when the client hangs up."""
        assert response.chunks is not None
        chunked = response.length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(response.length))
        self.end_headers()
        try:
            for index, chunk in enumerate(response.chunks()):
                if index and response.drip > 0 and self.server.stopping.wait(response.drip):
                    break  # shutting down
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                self.wfile.flush()
            else:
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client gave up (what the fault is for)
        self.close_connection = True

    def _abort(self) -> None:
        # SO_LINGER 0 makes close() send a RST: the client sees "connection reset".
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a client opening more
    # connections at once (eight asyncio tasks do, in the same millisecond): each dropped
    # one is retransmitted a second later, a stall no real vendor's server shows.
    request_queue_size = 128

    def __init__(self, sandbox: Sandbox, address: tuple[str, int]) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)
        self.host, self.port = self.server_address[0], int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (its timeout, a test's fault) closed the connection while
        # the answer was being written: expected, not worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """Close idle keep-alive connections so their handler threads end now."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """A running loopback server; use through ``Sandbox.serve()``."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sandbox = sandbox
        self._server = _Server(sandbox, (host, port))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name="sandbox-server", daemon=True,
        )  # fmt: skip

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._server.host)

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 was asked)."""
        return self._server.port

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    def base_url(self, vendor: str) -> str:
        """The base URL of ``vendor`` on this server."""
        return self.url + self.sandbox.vendor(vendor).mount

    def start(self) -> None:
        """Start serving in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, release hanging handlers, close open connections, join."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.close_open_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
