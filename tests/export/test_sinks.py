"""Sinks: JSON Lines and CSV content, durable appends, stdout, and tail repair."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from expense_facade.export.sinks import (
    EXPENSE_COLUMNS,
    LINE_COLUMNS,
    CsvFormat,
    FileSink,
    JsonLinesFormat,
    SinkError,
    StreamSink,
    format_by_name,
    open_sink,
    repair_sink,
)
from expense_facade.records import Employee, Expense, Merchant, Money, ReceiptRef
from support.export_fakes import line_item, make_expense

PLUS_TWO = dt.timezone(dt.timedelta(hours=2))


def rich_expense() -> Expense:
    return make_expense(
        "brex",
        "x-1",
        amount="1234.50",
        net=Money(Decimal("1000.00"), "EUR"),
        tax=Money(Decimal("234.5"), "EUR"),
        exchange_rate=Decimal("1E-7"),
        approved_at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=PLUS_TWO),
        employee=Employee(id="u1", name="Ada, L.", email="ada@example.com"),
        merchant=Merchant(name='Caf\u00e9 "Z"', mcc="5812"),
        receipts=(ReceiptRef("r1"), ReceiptRef("r2")),
        line_items=(line_item("1000.00", "room"), line_item("234.50", "tax\nline")),
        parse_warnings=("submitted_at: not a date",),
    )


def test_jsonl_record_amounts_are_strings_and_dates_have_offsets() -> None:
    line = JsonLinesFormat().encode(rich_expense())
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    record = json.loads(line)
    assert record["gross"] == {"amount": "1234.50", "currency": "EUR"}
    assert record["tax"] == {"amount": "234.5", "currency": "EUR"}
    assert record["exchange_rate"] == "0.0000001"
    assert record["approved_at"] == "2026-03-05T09:00:00+02:00"
    assert record["transaction_date"] == "2026-03-04T10:30:00+00:00"
    assert record["line_items"][1]["amount"] == {"amount": "234.50", "currency": "EUR"}
    assert record["receipts"][0] == {"id": "r1", "name": None, "content_type": None}
    assert record["merchant"]["name"] == 'Caf\u00e9 "Z"'
    assert "raw" not in record
    assert list(record)[:4] == ["vendor", "account", "id", "status"]


def test_jsonl_raw_payload_on_request_keeps_decimals_exact() -> None:
    expense = make_expense("pazy", "p1")
    fmt = JsonLinesFormat(include_raw=True)
    record = json.loads(fmt.encode(expense))
    assert record["raw"] == {"id": "p1", "amount": "12.30"}


def test_csv_header_is_the_documented_column_list() -> None:
    # The columns are an interface: this list may only grow at the end.
    assert EXPENSE_COLUMNS == (
        "vendor", "account", "expense_id", "status", "raw_status",
        "transaction_date", "submitted_at", "approved_at", "updated_at", "currency",
        "gross_amount", "gross_currency", "net_amount", "net_currency",
        "tax_amount", "tax_currency", "exchange_rate",
        "employee_id", "employee_name", "employee_email", "merchant_name", "merchant_mcc",
        "category", "gl_code", "tax_code", "department", "location", "project",
        "cost_centre", "description", "receipt_count", "receipt_ids", "line_item_count",
        "parse_warnings",
    )  # fmt: skip
    assert LINE_COLUMNS == (
        "line_number", "line_count", "line_amount", "line_currency", "line_description",
        "line_category", "line_gl_code", "line_tax_code", "line_tax_amount",
        "line_tax_currency", "line_tax_rate",
    )  # fmt: skip
    header = next(csv.reader(io.StringIO(CsvFormat().header().decode())))
    assert tuple(header) == EXPENSE_COLUMNS
    lines_header = next(csv.reader(io.StringIO(CsvFormat(lines=True).header().decode())))
    assert tuple(lines_header) == EXPENSE_COLUMNS + LINE_COLUMNS


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_one_row_per_expense() -> None:
    fmt = CsvFormat()
    rows = _rows(fmt.header() + fmt.encode(rich_expense()))
    assert len(rows) == 1
    row = rows[0]
    assert row["gross_amount"] == "1234.50"
    assert row["gross_currency"] == "EUR"
    assert row["exchange_rate"] == "0.0000001"
    assert row["employee_name"] == "Ada, L."
    assert row["approved_at"] == "2026-03-05T09:00:00+02:00"
    assert row["receipt_ids"] == "r1|r2"
    assert row["line_item_count"] == "2"
    assert row["submitted_at"] == ""


def test_csv_one_row_per_line_item() -> None:
    fmt = CsvFormat(lines=True)
    data = fmt.header() + fmt.encode(rich_expense()) + fmt.encode(make_expense("brex", "bare"))
    rows = _rows(data)
    assert [(r["expense_id"], r["line_number"], r["line_count"]) for r in rows] == [
        ("x-1", "1", "2"),
        ("x-1", "2", "2"),
        ("bare", "", "0"),
    ]
    assert rows[1]["line_description"] == "tax\nline"
    assert rows[1]["line_amount"] == "234.50"
    assert rows[0]["gross_amount"] == rows[1]["gross_amount"] == "1234.50"


def test_file_sink_appends_with_fsync_and_writes_the_header_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    path = tmp_path / "out" / "x.csv"
    fmt = CsvFormat()
    with FileSink(path, fmt) as sink:
        assert sink.offset() == 0
        sink.append([fmt.encode(make_expense("brex", "a"))])
        first_size = sink.offset()
        assert first_size == path.stat().st_size
    assert synced  # the data (and the new file's folder) were synced
    count = len(synced)
    with FileSink(path, fmt) as sink:
        sink.append([fmt.encode(make_expense("brex", "b"))])
    assert len(synced) > count
    assert [r["expense_id"] for r in _rows(path.read_bytes())] == ["a", "b"]


def test_csv_file_with_other_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("some,other,columns\r\n1,2,3\r\n")
    with pytest.raises(SinkError, match="columns"):
        FileSink(path, CsvFormat())
    per_line = tmp_path / "lines.csv"
    with FileSink(per_line, CsvFormat(lines=True)) as sink:
        sink.append([CsvFormat(lines=True).encode(make_expense("brex", "a"))])
    with pytest.raises(SinkError, match="columns"):
        FileSink(per_line, CsvFormat())


def test_stream_sink_writes_header_once_and_flushes() -> None:
    stream = io.BytesIO()
    fmt = CsvFormat()
    sink = StreamSink(fmt, stream)
    sink.append([fmt.encode(make_expense("brex", "a"))])
    sink.append([fmt.encode(make_expense("brex", "b"))])
    assert [r["expense_id"] for r in _rows(stream.getvalue())] == ["a", "b"]
    assert sink.identity == "-"
    assert not sink.durable


def test_open_sink_targets(tmp_path: Path) -> None:
    fmt = JsonLinesFormat()
    assert isinstance(open_sink("-", fmt, stream=io.BytesIO()), StreamSink)
    with open_sink(tmp_path, fmt, vendor="pazy") as sink:
        assert sink.identity == str(tmp_path / "pazy.jsonl")
    with open_sink(f"{tmp_path}/new/", fmt, vendor="brex") as sink:
        assert sink.identity == str(tmp_path / "new" / "brex.jsonl")
    with open_sink(tmp_path / "all.jsonl", fmt, vendor="brex") as sink:
        assert sink.identity == str(tmp_path / "all.jsonl")
    with pytest.raises(SinkError, match="vendor"):
        open_sink(tmp_path, fmt)


def test_unwritable_sink_is_a_sink_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SinkError, match="cannot open"):
        FileSink(blocker / "out.jsonl", JsonLinesFormat())


@pytest.mark.parametrize("name", ["jsonl", "csv", "csv-lines"])
@pytest.mark.parametrize("cut", [0, 1, 7, -1])
def test_repair_cuts_an_interrupted_batch(tmp_path: Path, name: str, cut: int) -> None:
    """Whatever part of a batch reached the file, repair restores the committed prefix."""
    fmt = format_by_name(name)
    path = tmp_path / f"out.{fmt.extension}"
    committed = [make_expense("brex", "a", line_items=(line_item("1", "x"),))]
    batch = [
        make_expense("brex", "b", line_items=(line_item("1", "y"), line_item("2", "z"))),
        make_expense("brex", "c", description="multi\nline"),
    ]
    with FileSink(path, fmt) as sink:
        sink.append([fmt.encode(e) for e in committed])
        offset = sink.offset()
    before = path.read_bytes()
    tail = b"".join(fmt.encode(e) for e in batch)
    partial = tail if cut == -1 else tail[: len(tail) * cut // 8]
    with open(path, "ab") as handle:
        handle.write(partial)
    result = repair_sink(str(path), name, offset, {("brex", "b"), ("brex", "c")})
    assert path.read_bytes() == before
    assert result.truncated_bytes == len(partial)


def test_repair_of_a_first_batch_removes_a_partial_header(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    fmt = CsvFormat()
    path.write_bytes((fmt.header() + fmt.encode(make_expense("pazy", "a")))[:25])
    FileSink(path, fmt).close()  # a cut-off header does not make the file "foreign"
    repair_sink(str(path), "csv", 0, {("pazy", "a")})
    assert path.read_bytes() == b""


def test_repair_refuses_a_tail_it_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    fmt = JsonLinesFormat()
    path.write_bytes(fmt.encode(make_expense("brex", "a")) + fmt.encode(make_expense("brex", "zz")))
    size = path.stat().st_size
    with pytest.raises(SinkError, match="'zz'"):
        repair_sink(str(path), "jsonl", 0, {("brex", "a")})
    assert path.stat().st_size == size


def test_repair_of_missing_short_or_stream_sinks_changes_nothing(tmp_path: Path) -> None:
    assert repair_sink(str(tmp_path / "gone.jsonl"), "jsonl", 10, set()).note
    short = tmp_path / "short.jsonl"
    short.write_bytes(b"{}\n")
    assert repair_sink(str(short), "jsonl", 100, set()).truncated_bytes == 0
    assert short.read_bytes() == b"{}\n"
    assert repair_sink("-", "jsonl", 0, set()).note


def test_a_raw_number_far_from_one_keeps_its_exponent_in_the_raw_payload() -> None:
    # Decoded exactly from the vendor's bytes (docs/limits.md); written out as plain digits
    # 1e999999999 would be a gigabyte of zeros.
    from expense_facade.mapping.json_values import loads
    from expense_facade.record_data import jsonable

    raw = loads(b'{"odd": 1e999999999, "tiny": 1e-999999999, "fine": 12.50, "big": 1E+2}')
    assert jsonable(raw) == {"odd": "1E+999999999", "tiny": "1E-999999999", "fine": "12.50",
                             "big": "100"}  # fmt: skip
