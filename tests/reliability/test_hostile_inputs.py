"""RELIABILITY.md's bounded-input rows (issue 12), for every vendor each row applies to,
through the public API against the in-process sandbox with the hostile fault injected.

Rows here: a body far larger than any page and a gzip bomb (stopped at the size bound, a
typed error, not retried); a server dripping one byte a second (the deadline ends each
attempt; retried as a timeout, then a typed timeout error); JSON nested 100,000 levels
(a typed malformed-response error); invalid UTF-8 inside one record (that record
reported, the rest goes on); a cursor that changes on every page with nothing new
(PaginationError after a few pages); amounts with more digits than a double or the
default Decimal context keeps (exact); a receipt that is an endless stream or a device.
Sleeps are on the sandbox's fake clock; attempts and outcomes are asserted exactly. The
rows whose point is memory (a gigabyte gzip bomb, a 200 MB body at the default limit)
run in a subprocess in test_hostile_memory.py.
"""

from __future__ import annotations

import io
import os
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import expense_facade as ef
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.mapping.json_values import InvalidText
from expense_facade.mapping.money import currency_exponent, shift
from expense_facade.mapping.paging import MAX_STALE_PAGES
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.faults import INVALID_UTF8, LONG_AMOUNT, LONG_MINOR_UNITS
from expense_facade.sandbox.vendors.brex import BrexSim
from support.routes import CURSOR_VENDORS, LIST, RECORDS
from support.sandbox import connect, connecting, drivers_fixture, hits, make, sleeps

_driver = drivers_fixture(globals())  # every test on both clients (issue 25)

MB = 1024 * 1024

VENDORS = tuple(LIST)


def truth(sb: Sandbox, vendor: str) -> list[str]:
    return [str(i) for i in sb.vendor(vendor).approved_ids()]


# ---- size: a huge body, a gzip bomb -------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize(
    "fault",
    [Fault.oversized(5 * MB), Fault.gzip_bomb(64 * MB)],
    ids=["oversized", "gzip-bomb"],
)
def test_a_body_past_the_size_bound_is_stopped_with_a_typed_error(
    vendor: str, fault: Fault
) -> None:
    sb = make(vendor, size=60)
    sb.faults.add(vendor, LIST[vendor], fault, times=None)
    with (
        connect(sb, vendor, max_response_bytes=MB) as client,
        pytest.raises(ef.ResponseTooLargeError) as caught,
    ):
        list(client.list_approved())
    error = caught.value
    assert isinstance(error, ef.MalformedResponseError)
    assert (error.status, error.limit, error.attempts) == (200, MB, 1)  # never retried
    assert f"larger than {MB} bytes" in str(error)
    assert hits(sb, LIST[vendor]) == 1
    assert sleeps(sb) == []


def test_an_announced_length_past_the_bound_is_refused_before_the_body_is_read() -> None:
    sb = make("brex", size=60)
    body = b'{"items": [], "padding": "' + b"x" * (2 * MB) + b'"}'
    sb.faults.add("brex", LIST["brex"], Fault.status(200, body=body))
    with (
        connect(sb, "brex", max_response_bytes=MB) as client,
        pytest.raises(ef.ResponseTooLargeError, match=f"{len(body)} announced"),
    ):
        list(client.list_approved())


def test_the_default_bound_holds_a_whole_capture_queue_of_100_000_rows() -> None:
    # docs/limits.md: the sandbox's 100,000-row queue is 46.3 MB; the default leaves twice.
    from expense_facade._http.limits import DEFAULT_MAX_RESPONSE_BYTES

    assert DEFAULT_MAX_RESPONSE_BYTES >= 2 * 46_270_498


# ---- time: a server that drips ----------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_dripping_body_ends_at_the_deadline_and_is_retried_as_a_timeout(vendor: str) -> None:
    sb = make(vendor, size=60)
    sb.faults.add(vendor, LIST[vendor], Fault.drip(1.0), times=None)
    with (
        connect(sb, vendor, timeout=10) as client,  # a number: also the deadline
        pytest.raises(ef.APITimeoutError) as caught,
    ):
        list(client.list_approved())
    assert caught.value.attempts == 4
    assert "deadline" in str(caught.value)
    assert hits(sb, LIST[vendor]) == 4
    # Each attempt: a byte a second until the 10 s deadline passes; then the backoff.
    drip = [1.0] * 10
    assert sleeps(sb) == [*drip, 0.5, *drip, 1.0, *drip, 2.0, *drip]


@pytest.mark.parametrize("vendor", VENDORS)
def test_after_a_dripping_attempt_the_retry_gets_everything(vendor: str) -> None:
    sb = make(vendor, size=60)
    sb.faults.add(vendor, LIST[vendor], Fault.drip(1.0), times=1)
    with connect(sb, vendor, timeout=10) as client:
        listing = client.list_approved()
        assert [e.id for e in listing] == truth(sb, vendor)
    assert listing.malformed == []
    assert sleeps(sb) == [*[1.0] * 10, 0.5]


def test_a_dripping_server_on_the_network_is_cut_off_by_the_deadline(client_driver: str) -> None:
    # The real thing on loopback: real time, a short deadline (0.5 s) and one retry.
    sb = Sandbox(seed=7, size=60, vendors=("brex",))
    sb.faults.add("brex", LIST["brex"], Fault.drip(0.05), times=None)
    with (
        sb.serve() as server,
        connecting(client_driver)(
            "brex",
            base_url=server.base_url("brex"),
            timeout=0.5,
            max_retries=1,
            retry_policy=RetryPolicy(backoff_base=0.01, jitter=0.0),
            token=sb.credentials("brex")["token"],
        ) as client,
        pytest.raises(ef.APITimeoutError) as caught,
    ):
        list(client.list_approved())
    assert caught.value.attempts == 2
    assert hits(sb, LIST["brex"]) == 2


# ---- depth ------------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_json_nested_100_000_levels_is_a_malformed_response(vendor: str) -> None:
    sb = make(vendor, size=60)
    sb.faults.add(vendor, LIST[vendor], Fault.deep_nesting(100_000), times=None)
    with connect(sb, vendor) as client, pytest.raises(ef.MalformedResponseError) as caught:
        list(client.list_approved())
    assert not isinstance(caught.value.__cause__, RecursionError)
    assert "nested deeper than the parser goes" in str(caught.value)
    assert (caught.value.status, caught.value.attempts) == (200, 1)
    assert caught.value.body is not None
    assert caught.value.body.startswith("[[[[")
    assert hits(sb, LIST[vendor]) == 1


# ---- invalid UTF-8 in one record -------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_invalid_utf8_in_one_record_costs_that_record_only(vendor: str) -> None:
    sb = make(vendor, size=60)
    expected = truth(sb, vendor)
    sb.faults.add(vendor, RECORDS[vendor], Fault.mutate_records(invalid_utf8=True, limit=1))
    with connect(sb, vendor) as client:
        listing = client.list_approved()
        listed = [e.id for e in listing]
    [reported] = listing.malformed
    assert reported.record_id is not None
    assert listed == [i for i in expected if i != reported.record_id]
    assert reported.record_id in expected
    assert "not valid UTF-8" in reported.reason
    # The bytes the vendor sent are kept with the record.
    raw = reported.raw["expense"] if vendor == "prospend" else reported.raw
    field = sb.vendor(vendor).text_fields[0]
    assert isinstance(raw[field], InvalidText)
    assert raw[field].raw == INVALID_UTF8


# ---- a cursor that changes on every page and brings nothing new -------------------------------


@pytest.mark.parametrize("vendor", CURSOR_VENDORS)
def test_fresh_cursors_that_bring_nothing_new_stop_with_a_pagination_error(vendor: str) -> None:
    sb = make(vendor, size=400)
    sb.faults.add(vendor, LIST[vendor], Fault.fresh_cursor_loop(), times=None)
    seen: list[str] = []

    def read_all(client: ef.ExpenseClient) -> None:
        for page in client.list_approved(page_size=20).pages():
            seen.extend(e.id for e in page.expenses)

    with (
        connect(sb, vendor) as client,
        pytest.raises(ef.PaginationError, match="brought no record not seen before"),
    ):
        read_all(client)
    # The first page once, then MAX_STALE_PAGES answers that repeat it.
    assert hits(sb, LIST[vendor]) == 1 + MAX_STALE_PAGES
    assert seen
    assert len(seen) == len(set(seen))
    assert set(seen) <= set(truth(sb, vendor))


# ---- amounts with more digits than a double holds ----------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_amounts_with_more_digits_than_a_double_stay_exact(vendor: str) -> None:
    sb = make(vendor, size=60)
    sb.faults.add(vendor, RECORDS[vendor], Fault.mutate_records(long_amounts=True, limit=1))
    with connect(sb, vendor) as client:
        listing = client.list_approved()
        expenses = list(listing)
    assert listing.malformed == []
    assert [e.id for e in expenses] == truth(sb, vendor)
    first = expenses[0]
    assert first.gross is not None
    if vendor == "brex":  # integer minor units: 31 digits
        exponent = currency_exponent(first.gross.currency)
        assert first.gross.amount == shift(Decimal(LONG_MINOR_UNITS), -exponent)
        assert str(first.gross.amount).replace(".", "") == str(LONG_MINOR_UNITS)
    else:
        assert first.gross.amount == LONG_AMOUNT
        assert str(first.gross.amount) == "123456789012345678901234567890.123456789"
    assert not any("amount" in w or "gross" in w for w in first.parse_warnings)
    assert all(e.gross is None or abs(e.gross.amount) < 10**12 for e in expenses[1:])


# ---- receipts: an endless stream, a device, a pipe ----------------------------------------------


class Endless(io.RawIOBase):
    """A binary file object that never ends; counts what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        view[:] = b"\0" * len(view)
        self.given += len(view)
        return len(view)


def brex_client(sb: Sandbox) -> ef.ExpenseClient:
    return connect(sb, "brex")


def test_an_endless_receipt_stream_is_read_to_the_limit_plus_one_byte() -> None:
    sb = make("brex", size=20)
    stream = Endless()
    with brex_client(sb) as client, pytest.raises(ef.ValidationError) as caught:
        client.upload_receipt(io.BufferedReader(stream, buffer_size=4096), filename="r.pdf")
    limit = client.max_upload_bytes
    assert caught.value.field == "file"
    assert f"larger than {limit} bytes" in str(caught.value)
    # What the reader asked of the stream: the limit plus one byte, and a buffer's worth.
    assert limit + 1 <= stream.given <= limit + 1 + 4096
    assert sb.requests == []
    assert cast(BrexSim, sb.vendor("brex")).receipts == []


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_as_a_receipt_is_refused_at_the_limit() -> None:
    sb = make("brex", size=20)
    with brex_client(sb) as client, pytest.raises(ef.ValidationError) as caught:
        client.upload_receipt("/dev/zero")
    assert caught.value.field == "file"
    assert f"larger than {client.max_upload_bytes} bytes" in str(caught.value)
    assert sb.requests == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_that_never_ends_is_refused_at_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "receipt.pdf"
    os.mkfifo(fifo)
    written = 0

    def writer() -> None:
        nonlocal written
        block = b"\0" * 65536
        try:
            with fifo.open("wb") as out:
                while True:
                    out.write(block)
                    written += len(block)
        except (BrokenPipeError, OSError):
            pass  # the reader stopped: what the test wants

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    sb = make("brex", size=20)
    with brex_client(sb) as client, pytest.raises(ef.ValidationError) as caught:
        client.upload_receipt(fifo)
    thread.join(timeout=10)
    limit = client.max_upload_bytes
    assert caught.value.field == "file"
    assert not thread.is_alive()
    # The writer got ahead of the reader by at most the pipe's buffer and one block.
    assert limit + 1 <= written <= limit + 1 + 2 * MB
    assert sb.requests == []
