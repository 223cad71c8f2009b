"""The sandbox served on loopback: a real socket, real threads."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from expense_facade.clock import FakeClock
from expense_facade.sandbox import ALL, Fault, Sandbox
from support.sandbox import LIST_PATHS, auth_headers, connecting


@pytest.fixture(scope="module")
def sb() -> Sandbox:
    # The real clock: served latency and hangs are real (and kept tiny here).
    return Sandbox(seed=3, size=60)


def test_one_call_per_vendor_over_a_real_socket(sb: Sandbox) -> None:
    with sb.serve(port=0) as server, httpx.Client(timeout=5) as c:
        assert server.url == f"http://127.0.0.1:{server.port}"
        for vendor in ALL:
            base = server.base_url(vendor)
            assert base == server.url + sb.vendor(vendor).mount
            response = c.get(base + LIST_PATHS[vendor], headers=auth_headers(sb, vendor))
            assert response.status_code == 200, (vendor, response.text[:200])
            assert c.get(base + LIST_PATHS[vendor]).status_code == 401


def test_concurrent_requests_are_served_in_parallel(sb: Sandbox) -> None:
    # A persistent hang on one route would block a single-threaded server for good.
    sb.faults.add("pazy", "GET /expense/{expenseId}", Fault.hang(2.0), times=None)
    try:
        with sb.serve(port=0) as server:
            headers = auth_headers(sb, "brex")
            url = server.base_url("brex") + "/v1/expenses"
            hung = server.base_url("pazy") + "/expense/exp_x"

            def hang() -> type[Exception] | None:
                with httpx.Client(timeout=1.0) as c:
                    try:
                        c.get(hung, headers=auth_headers(sb, "pazy"))
                    except httpx.TimeoutException as exc:
                        return type(exc)
                return None

            def fetch(n: int) -> int:
                with httpx.Client(timeout=5) as c:
                    return c.get(url, headers=headers, params={"limit": n + 1}).status_code

            with ThreadPoolExecutor(max_workers=9) as pool:
                waiting = pool.submit(hang)
                results = list(pool.map(fetch, range(16)))
                assert waiting.result() is httpx.ReadTimeout
        assert results == [200] * 16
    finally:
        sb.faults.clear()


def test_reset_closes_the_connection_without_an_answer(sb: Sandbox) -> None:
    sb.faults.add("brex", "GET /v1/expenses", Fault.reset())
    with sb.serve(port=0) as server, httpx.Client(timeout=5) as c:
        url = server.base_url("brex") + "/v1/expenses"
        with pytest.raises(httpx.TransportError) as caught:
            c.get(url, headers=auth_headers(sb, "brex"))
        assert not isinstance(caught.value, httpx.TimeoutException)
        assert c.get(url, headers=auth_headers(sb, "brex")).status_code == 200


def test_hang_holds_until_the_client_times_out(sb: Sandbox) -> None:
    sb.faults.add("capture", None, Fault.hang(5.0))
    with sb.serve(port=0) as server, httpx.Client(timeout=0.3) as c:
        url = server.base_url("capture") + "/api/Expenses/Export"
        with pytest.raises(httpx.ReadTimeout):
            c.get(url, headers=auth_headers(sb, "capture"))


def test_shutdown_is_clean_even_with_a_hanging_connection(sb: Sandbox) -> None:
    sb.faults.add("capture", None, Fault.hang(30.0))
    before = threading.active_count()
    errors: list[BaseException] = []
    with sb.serve(port=0) as server:
        port = server.port

        def stuck() -> None:
            try:
                with httpx.Client(timeout=30) as c:
                    c.get(server.base_url("capture") + "/api/Expenses/Export",
                          headers=auth_headers(sb, "capture"))  # fmt: skip
            except httpx.TransportError as exc:
                errors.append(exc)

        client_thread = threading.Thread(target=stuck)
        client_thread.start()
        while not any(e.fault == "hang" for e in sb.requests):
            threading.Event().wait(0.01)
    client_thread.join(timeout=10)
    assert not client_thread.is_alive()  # the hang was released by the shutdown
    assert len(errors) == 1
    with socket.socket() as probe:
        probe.settimeout(1)
        with pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", port))
    assert threading.active_count() <= before


def test_upload_over_the_wire_needs_content_length(sb: Sandbox) -> None:
    brex_id = next(iter(sb.vendor("brex").approved_ids()))
    with sb.serve(port=0) as server, httpx.Client(timeout=5) as c:
        made = c.post(
            server.base_url("brex") + f"/v1/expenses/card/{brex_id}/receipt_upload",
            json={"receipt_name": "taxi.jpg"},
            headers=auth_headers(sb, "brex"),
        )
        uri = made.json()["uri"]
        assert uri.startswith(server.url + "/s3/brex-receipts/")
        assert c.put(uri, content=iter([b"ab", b"cd"])).status_code == 411
        assert c.put(uri, content=b"abcd").status_code == 200


def test_a_client_that_times_out_leaves_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    big = Sandbox(seed=3, size=300, vendors=("brex",))
    big.faults.add("brex", "GET /v1/expenses", Fault.latency(0.4), times=3)
    with big.serve(port=0) as server:
        url = server.base_url("brex") + LIST_PATHS["brex"]
        for _ in range(3):  # the answer is written to a closed connection each time
            with httpx.Client(timeout=0.1) as c, pytest.raises(httpx.ReadTimeout):
                c.get(url, headers=auth_headers(big, "brex"), params={"limit": 100})
        waited = threading.Event()
        waited.wait(0.8)  # the handlers finish writing into the closed connections
        with httpx.Client(timeout=5) as c:  # and the server goes on serving
            assert c.get(url, headers=auth_headers(big, "brex")).status_code == 200
    _, err = capfd.readouterr()
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err


def test_an_answer_carries_one_date_from_the_sandbox_clock(driver: str) -> None:
    # A vendor sends one Date; the client takes the vendor's clock from it (it bounds an
    # export's position). The HTTP server's own Date beside the app's made it unreadable.
    then = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    sb = Sandbox(seed=3, size=10, clock=FakeClock(then))
    with sb.serve(port=0) as server:
        with httpx.Client(timeout=5) as c:
            answer = c.get(
                server.base_url("brex") + LIST_PATHS["brex"], headers=auth_headers(sb, "brex")
            )
        assert answer.headers.get_list("date") == ["Tue, 06 May 2031 07:08:09 GMT"]
        token = sb.credentials("brex")["token"]
        with connecting(driver)("brex", base_url=server.base_url("brex"), token=token) as client:
            assert client.vendor_time is None  # either client reads the served Date
            next(iter(client.list_approved()))
            assert client.vendor_time == then
