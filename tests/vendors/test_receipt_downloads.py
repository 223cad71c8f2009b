"""``client.download_receipt`` (docs/library.md, "Receipts"): Brex through the receipt's
pre-signed download URI (no Authorization header, a fresh detail when it has expired),
Revolut through its receipt content endpoint; streamed to a path or a file object,
size-capped, type-checked, hashed; hostile files refused with nothing written; the
pre-signed URL in no log line, no request log and no recorded cassette."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault, Sandbox
from support.sandbox import connect, connecting, drivers_fixture, make

_driver = drivers_fixture(globals())  # every test on both clients (issue 25)

VENDORS = [v for v in ef.available_vendors() if ef.Operation.DOWNLOAD_RECEIPT in ef.capabilities(v)]
BUCKET = "GET /s3/brex-receipts"
ROUTE = {
    "brex": BUCKET,
    "revolut": "GET /expenses/{expense_id}/receipts/{receipt_id}/content",
}


def with_receipts(client: ef.ExpenseClient) -> ef.Expense:
    return next(e for e in client.list_approved() if e.receipts)


def served_bytes(sb: Sandbox, vendor: str, expense: ef.Expense, receipt_id: str) -> bytes:
    """The file the sandbox holds for the receipt (its ground truth)."""
    sim = sb.vendor(vendor)
    if vendor == "brex":
        found = sim.receipt_file(receipt_id)  # type: ignore[attr-defined]
        assert found is not None
        return bytes(found[0])
    index = sim.index_of(expense.id)  # type: ignore[attr-defined]
    position = [r.id for r in expense.receipts].index(receipt_id)
    return bytes(sim.receipt_content(index, position)[0])  # type: ignore[attr-defined]


def test_the_vendors_that_serve_receipt_files_have_the_capability() -> None:
    assert VENDORS == ["brex", "revolut"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_receipt_downloads_to_a_path_and_to_a_file_object(
    vendor: str, tmp_path: Path
) -> None:
    sb = make(vendor, size=30)
    with connect(sb, vendor) as client:
        expenses = [e for e in client.list_approved() if e.receipts][:4]
        assert expenses
        for expense in expenses:
            for receipt in expense.receipts:
                expected = served_bytes(sb, vendor, expense, receipt.id)
                path = tmp_path / f"{receipt.id}.bin"
                got = client.download_receipt(expense, receipt, path)
                assert path.read_bytes() == expected
                assert (got.size, got.sha256) == (
                    len(expected),
                    hashlib.sha256(expected).hexdigest(),
                )
                assert got.content_type in ("application/pdf", "image/png")
                assert (got.expense_id, got.receipt_id, got.path) == (
                    expense.id,
                    receipt.id,
                    str(path),
                )
                buffer = io.BytesIO()
                again = client.download_receipt(expense.id, receipt.id, buffer)
                assert buffer.getvalue() == expected
                assert again.path is None
                assert again.sha256 == got.sha256
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_served_sandbox_serves_the_same_files(tmp_path: Path, client_driver: str) -> None:
    sb = make("brex", "revolut", size=20)
    with sb.serve(port=0) as server:
        for vendor in VENDORS:
            credentials: dict[str, Any] = sb.credentials(vendor)
            with connecting(client_driver)(
                vendor, base_url=server.base_url(vendor), rate_limit=False, **credentials
            ) as client:
                expense = with_receipts(client)
                receipt = expense.receipts[0]
                got = client.download_receipt(expense, receipt, tmp_path / vendor)
                assert (tmp_path / vendor).read_bytes() == served_bytes(
                    sb, vendor, expense, receipt.id
                )
                assert got.size > 0


def test_brex_downloads_without_the_token_and_keeps_the_url_out_of_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sb = make("brex", size=20)
    caplog.set_level(logging.DEBUG, logger="expense_facade")
    caplog.set_level(logging.DEBUG, logger="httpx")
    with connect(sb, "brex") as client:
        expense = with_receipts(client)
        client.download_receipt(expense, expense.receipts[0], io.BytesIO())
    [download] = [r for r in sb.requests if r.route == BUCKET]
    headers = {k.lower() for k in download.headers}
    assert "authorization" not in headers
    assert "X-Amz-Signature=" not in download.url or "[REDACTED]" in download.url
    assert "X-Amz-Signature" not in caplog.text
    # The receipts came with the detail asked for with expand[]=receipts.download_uris.
    detail = [r for r in sb.requests if r.route == "GET /v1/expenses/{expense_id}"]
    assert len(detail) == 1
    assert "receipts.download_uris" in detail[0].url


def test_an_expired_brex_url_means_a_fresh_detail_not_a_retry() -> None:
    sb = make("brex", size=20)
    sb.faults.add("brex", BUCKET, Fault.status(403, body=b"<Error>expired</Error>"), times=1)
    with connect(sb, "brex") as client:
        expense = with_receipts(client)
        got = client.download_receipt(expense, expense.receipts[0], io.BytesIO())
    assert got.url_refreshes == 1
    routes = [r.route for r in sb.requests if r.route != "GET /v1/expenses"]
    assert routes == ["GET /v1/expenses/{expense_id}", BUCKET] * 2


def test_a_url_that_keeps_expiring_is_permission_denied_after_one_refresh(
    tmp_path: Path,
) -> None:
    sb = make("brex", size=20)
    sb.vendor("brex").download_ttl = dt.timedelta(seconds=-1)  # type: ignore[attr-defined]
    with connect(sb, "brex") as client:
        expense = with_receipts(client)
        with pytest.raises(ef.PermissionDeniedError) as caught:
            client.download_receipt(expense, expense.receipts[0], tmp_path / "r.pdf")
    assert "Request has expired" in (caught.value.body or "")
    assert [r.status for r in sb.requests if r.route == BUCKET] == [403, 403]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_huge_receipt_stops_at_the_cap_and_writes_nothing(vendor: str, tmp_path: Path) -> None:
    sb = make(vendor, size=20)
    sb.faults.add(
        vendor, ROUTE[vendor], Fault.oversized(8 * 1024 * 1024, content_type="application/pdf")
    )
    with connect(sb, vendor) as client:
        expense = with_receipts(client)
        with pytest.raises(ef.ResponseTooLargeError, match="max_bytes") as caught:
            client.download_receipt(
                expense, expense.receipts[0], tmp_path / "r.pdf", max_bytes=1000
            )
    assert caught.value.limit == 1000
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_receipt_of_the_wrong_type_is_refused_unretried(vendor: str, tmp_path: Path) -> None:
    sb = make(vendor, size=20)
    sb.faults.add(vendor, ROUTE[vendor], Fault.html(status=200), times=None)
    with connect(sb, vendor) as client:
        expense = with_receipts(client)
        target = tmp_path / "r.pdf"
        target.write_bytes(b"kept")
        with pytest.raises(ef.MalformedResponseError, match="text/html"):
            client.download_receipt(expense, expense.receipts[0], target)
    assert target.read_bytes() == b"kept"  # the destination is untouched
    assert len([r for r in sb.requests if r.route == ROUTE[vendor]]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


@pytest.mark.slow
def test_a_slow_receipt_ends_at_the_deadline(tmp_path: Path, client_driver: str) -> None:
    sb = make("revolut", size=20)
    sb.faults.add("revolut", ROUTE["revolut"], Fault.drip(0.05), times=None)
    credentials: dict[str, Any] = sb.credentials("revolut")
    with (
        sb.serve(port=0) as server,
        connecting(client_driver)(
            "revolut",
            base_url=server.base_url("revolut"),
            rate_limit=False,
            max_retries=0,
            deadline=0.5,
            **credentials,
        ) as client,
    ):
        expense = with_receipts(client)
        with pytest.raises(ef.APITimeoutError):
            client.download_receipt(expense, expense.receipts[0], tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_receipt_the_expense_does_not_have(tmp_path: Path) -> None:
    sb = make("brex", "revolut", size=20)
    with connect(sb, "brex") as brex:
        expense = with_receipts(brex)
        with pytest.raises(ef.ValidationError, match="has no receipt receipt_nope"):
            brex.download_receipt(expense, "receipt_nope", io.BytesIO())
    with connect(sb, "revolut") as revolut:
        expense = with_receipts(revolut)
        with pytest.raises(ef.NotFoundError):
            revolut.download_receipt(expense, "6818a43b-0000-0000-0000-000000000000", io.BytesIO())


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, e, d: c.download_receipt(e, e.receipts[0], d, max_bytes=0), "max_bytes"),
        (lambda c, e, d: c.download_receipt(e, e.receipts[0], d.parent), "dest"),
        (lambda c, e, d: c.download_receipt(e, e.receipts[0], d / "no" / "r.pdf"), "dest"),
        (lambda c, e, d: c.download_receipt(e, e.receipts[0], 42), "dest"),
        (lambda c, e, d: c.download_receipt(e, " ", d), "receipt"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    call: object, field: str, tmp_path: Path
) -> None:
    sb = make("revolut", size=20)
    with connect(sb, "revolut") as client:
        expense = with_receipts(client)
        before = len(sb.requests)
        with pytest.raises(ef.ValidationError) as caught:
            call(client, expense, tmp_path / "r.pdf")  # type: ignore[operator]
    assert caught.value.field == field
    assert len(sb.requests) == before


def test_an_expense_of_another_vendor_is_refused() -> None:
    sb = make("brex", "revolut", size=20)
    with connect(sb, "brex") as brex, connect(sb, "revolut") as revolut:
        expense = with_receipts(brex)
        with pytest.raises(ef.ValidationError, match="belongs to brex"):
            revolut.download_receipt(expense, expense.receipts[0], io.BytesIO())


def test_a_recorded_download_keeps_no_presigned_signature(
    tmp_path: Path, client_driver: str
) -> None:
    pytest.importorskip("vcr")
    from expense_facade.testing.cassettes import Scrubber, SecretScanner, make_vcr

    sb = make("brex", size=20)
    token = sb.credentials("brex")["token"]
    with sb.serve(port=0) as server:
        scrubber = Scrubber()
        scrubber.register_secret(token)
        recorder = make_vcr(str(tmp_path), record_mode="all", scrubber=scrubber)
        with (
            recorder.use_cassette("download"),
            connecting(client_driver)(
                "brex", base_url=server.base_url("brex"), rate_limit=False, token=token
            ) as client,
        ):
            expense = next(e for e in client.list_approved(page_size=20) if e.receipts)
            client.download_receipt(expense, expense.receipts[0], io.BytesIO())
    text = (tmp_path / "download.yaml").read_text()
    assert "/download" in text
    assert "X-Amz-Signature" not in text
    assert SecretScanner([token]).scan_tree(str(tmp_path)) == []


def test_an_uploaded_brex_receipt_downloads_as_it_was_sent() -> None:
    sb = make("brex", size=20)
    content = b"%PDF-1.4\n% uploaded, then downloaded\n"
    with connect(sb, "brex") as client:
        expense_id = next(iter(sb.vendor("brex").approved_ids()))
        upload = client.upload_receipt(content, expense_id=expense_id, filename="taxi.pdf")
        buffer = io.BytesIO()
        got = client.download_receipt(expense_id, upload.receipt_id, buffer)
    assert buffer.getvalue() == content
    assert got.content_type == "application/pdf"
    assert got.sha256 == hashlib.sha256(content).hexdigest()
