"""Record formats for the sinks, and their one table (``FORMATS``: name -> format). A
format says how an expense becomes bytes and reads its own files back: a tail for crash
repair (``scan``), a whole file for ``ledger rebuild`` and the output checks (``read``),
whether a file is one of its own (``detects``) and whether it may append to an existing
one (``refuses``). The command's ``--format`` choices, the default by file name and
``ledger rebuild``'s detection all come from ``FORMATS`` (docs/export.md, "Formats").
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Protocol

import attrs

from expense_facade.errors import ValidationError
from expense_facade.record_data import datetime_to_str, decimal_to_str
from expense_facade.records import Expense, LineItem

EXPENSE_COLUMNS: tuple[str, ...] = (
    "vendor",
    "account",
    "expense_id",
    "status",
    "raw_status",
    "transaction_date",
    "submitted_at",
    "approved_at",
    "updated_at",
    "currency",
    "gross_amount",
    "gross_currency",
    "net_amount",
    "net_currency",
    "tax_amount",
    "tax_currency",
    "exchange_rate",
    "employee_id",
    "employee_name",
    "employee_email",
    "merchant_name",
    "merchant_mcc",
    "category",
    "gl_code",
    "tax_code",
    "department",
    "location",
    "project",
    "cost_centre",
    "description",
    "receipt_count",
    "receipt_ids",
    "line_item_count",
    "parse_warnings",
)
"""CSV columns describing the expense (every row of both CSV formats starts with these)."""

LINE_COLUMNS: tuple[str, ...] = (
    "line_number",
    "line_count",
    "line_amount",
    "line_currency",
    "line_description",
    "line_category",
    "line_gl_code",
    "line_tax_code",
    "line_tax_amount",
    "line_tax_currency",
    "line_tax_rate",
)
"""Extra CSV columns of the ``csv-lines`` format, one row per line item or split."""

# Several values in one cell (receipt ids, parse warnings) are joined with this.
LIST_SEPARATOR = "|"


@attrs.frozen(slots=True)
class TailScan:
    """What a sink tail holds: the (vendor, expense id) of every complete record in it."""

    records: tuple[tuple[str, str], ...]
    ends_cleanly: bool  # False when the tail ends inside a record (a cut-off write)


class RecordFormat(Protocol):
    """How one sink format encodes expenses and reads its own output back."""

    name: str
    extension: str

    def header(self) -> bytes:
        """Bytes that start a new file (empty for formats without a header)."""
        ...

    def encode(self, expense: Expense) -> bytes:
        """One expense as complete bytes (one or more whole lines)."""
        ...

    def scan(self, data: bytes, *, at_start: bool) -> TailScan:
        """The records in ``data``, a tail of this format's output; ``at_start``: offset 0."""
        ...

    def read(self, handle: IO[bytes]) -> Iterator[StoredRecord]:
        """Every record of a whole file of this format, streamed from ``handle``; a line
        that is not a record, or a last one cut off, comes back with ``problem`` set."""
        ...

    def detects(self, first_line: bytes) -> bool:
        """Whether a file starting with ``first_line`` is of this format (for ``ledger
        rebuild``, which finds a file's format itself)."""
        ...

    def refuses(self, first_line: bytes) -> str | None:
        """Why this format may not append to a non-empty file starting with
        ``first_line`` (said after the file's name), or None when it may."""
        ...


class JsonLinesFormat:
    """JSON Lines: one common record per line."""

    name = "jsonl"
    extension = "jsonl"

    def __init__(self, *, include_raw: bool = False) -> None:
        self.include_raw = include_raw

    def header(self) -> bytes:
        return b""

    def encode(self, expense: Expense) -> bytes:
        # The very shape of Expense.to_json (docs/library.md, "Records as data").
        return (expense.to_json(include_raw=self.include_raw) + "\n").encode()

    def scan(self, data: bytes, *, at_start: bool) -> TailScan:
        records: list[tuple[str, str]] = []
        lines = data.split(b"\n")
        # The piece after the last newline is a cut-off line (or empty when data ends well).
        for line in lines[:-1]:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                records.append((str(item["vendor"]), str(item["id"])))
            except (ValueError, KeyError, TypeError):
                records.append(("", line[:80].decode("utf-8", "replace")))
        return TailScan(records=tuple(records), ends_cleanly=lines[-1] == b"")

    def read(self, handle: IO[bytes]) -> Iterator[StoredRecord]:
        return _read_json_lines(handle)

    def detects(self, first_line: bytes) -> bool:
        return first_line.lstrip().startswith(b"{")

    def refuses(self, first_line: bytes) -> str | None:
        return None  # what each line holds is the output check's (export.outputs)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _expense_cells(expense: Expense) -> list[str]:
    def money(which: str) -> tuple[str, str]:
        value = getattr(expense, which)
        if value is None:
            return "", ""
        return decimal_to_str(value.amount) or "", _cell(value.currency)

    gross, net, tax = money("gross"), money("net"), money("tax")
    employee, merchant = expense.employee, expense.merchant
    return [
        expense.vendor,
        _cell(expense.account),
        expense.id,
        expense.status.value,
        _cell(expense.raw_status),
        _cell(datetime_to_str(expense.transaction_date)),
        _cell(datetime_to_str(expense.submitted_at)),
        _cell(datetime_to_str(expense.approved_at)),
        _cell(datetime_to_str(expense.updated_at)),
        _cell(expense.currency),
        *gross,
        *net,
        *tax,
        _cell(decimal_to_str(expense.exchange_rate)),
        _cell(employee.id if employee else None),
        _cell(employee.name if employee else None),
        _cell(employee.email if employee else None),
        _cell(merchant.name if merchant else None),
        _cell(merchant.mcc if merchant else None),
        _cell(expense.category),
        _cell(expense.gl_code),
        _cell(expense.tax_code),
        _cell(expense.department),
        _cell(expense.location),
        _cell(expense.project),
        _cell(expense.cost_centre),
        _cell(expense.description),
        str(len(expense.receipts)),
        LIST_SEPARATOR.join(r.id for r in expense.receipts),
        str(len(expense.line_items)),
        LIST_SEPARATOR.join(expense.parse_warnings),
    ]


def _line_cells(item: LineItem | None, number: int | None, count: int) -> list[str]:
    if item is None:
        return ["", str(count)] + [""] * (len(LINE_COLUMNS) - 2)
    amount, tax = item.amount, item.tax_amount
    return [
        _cell(number),
        str(count),
        _cell(decimal_to_str(amount.amount) if amount else None),
        _cell(amount.currency if amount else None),
        _cell(item.description),
        _cell(item.category),
        _cell(item.gl_code),
        _cell(item.tax_code),
        _cell(decimal_to_str(tax.amount) if tax else None),
        _cell(tax.currency if tax else None),
        _cell(decimal_to_str(item.tax_rate)),
    ]


class CsvFormat:
    """CSV for accounting imports: one row per expense, or per line item with ``lines``."""

    extension = "csv"

    def __init__(self, *, lines: bool = False) -> None:
        self.lines = lines
        self.name = "csv-lines" if lines else "csv"
        self.columns: tuple[str, ...] = EXPENSE_COLUMNS + (LINE_COLUMNS if lines else ())

    @staticmethod
    def _rows_to_bytes(rows: Sequence[Sequence[str]]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")

    def header(self) -> bytes:
        return self._rows_to_bytes([self.columns])

    def encode(self, expense: Expense) -> bytes:
        cells = _expense_cells(expense)
        if not self.lines:
            return self._rows_to_bytes([cells])
        count = len(expense.line_items)
        if count == 0:
            return self._rows_to_bytes([cells + _line_cells(None, None, 0)])
        return self._rows_to_bytes(
            [
                cells + _line_cells(item, number, count)
                for number, item in enumerate(expense.line_items, start=1)
            ]
        )

    def scan(self, data: bytes, *, at_start: bool) -> TailScan:
        text = data.decode("utf-8", "replace")
        rows: list[list[str]] = []
        ends_cleanly = text.endswith("\n") or text == ""
        try:
            rows.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            # A quoted cell cut off by the crash; the rows read so far are still good.
            ends_cleanly = False
        if not ends_cleanly and rows:
            rows.pop()  # the last row is incomplete
        if at_start and rows and tuple(rows[0]) == self.columns:
            rows.pop(0)
        vendor_at, id_at = EXPENSE_COLUMNS.index("vendor"), EXPENSE_COLUMNS.index("expense_id")
        records: list[tuple[str, str]] = []
        for row in rows:
            if len(row) > id_at:
                records.append((row[vendor_at], row[id_at]))
            else:
                records.append(("", ",".join(row)[:80]))
        # Several rows of one expense (csv-lines) name it once.
        return TailScan(records=tuple(dict.fromkeys(records)), ends_cleanly=ends_cleanly)

    def header_matches(self, first_line: bytes) -> bool:
        """Whether an existing file's first line is this format's header."""
        return first_line.rstrip(b"\r\n") == self.header().rstrip(b"\r\n")

    def read(self, handle: IO[bytes]) -> Iterator[StoredRecord]:
        return _read_csv(handle, self)

    def detects(self, first_line: bytes) -> bool:
        return self.header_matches(first_line)

    def refuses(self, first_line: bytes) -> str | None:
        # A first line that is a prefix of the header was cut off by a crash during the
        # very first append; the ledger's repair removes it before anything is written.
        if self.header_matches(first_line) or self.header().startswith(first_line):
            return None
        return f"already holds data whose columns are not those of the {self.name} format"


@attrs.frozen(slots=True)
class StoredRecord:
    """One record read back from a whole output file (``read_records``)."""

    line: int  # where it starts, 1-based
    vendor: str
    account: str
    expense_id: str
    problem: str | None = None  # why it is not a readable record (then the ids are "")


MAX_LINE = 16 * 1024 * 1024
"""Longest line ``read_records`` reads as a record (a longer one is reported, not read)."""


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes, bool]]:
    """``(number, line, complete)`` for each line, each read with a bound."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE)
        if not line:
            return
        number += 1
        if len(line) == MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = handle.readline(MAX_LINE)
            yield number, b"", False
            continue
        yield number, line, line.endswith(b"\n")


def _read_json_lines(handle: IO[bytes]) -> Iterator[StoredRecord]:
    for number, line, complete in _lines(handle):
        if not complete:
            problem = "a line longer than any record" if not line else "a record cut off"
            yield StoredRecord(number, "", "", "", problem)
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            vendor, account, expense_id = item["vendor"], item["account"], item["id"]
        except (ValueError, KeyError, TypeError, RecursionError):
            yield StoredRecord(number, "", "", "", "not a JSON Lines record")
            continue
        if not (_is_text(vendor) and _is_text(expense_id) and _is_text(account, optional=True)):
            yield StoredRecord(
                number, "", "", "", "a record whose vendor, account or id is not text"
            )
            continue
        yield StoredRecord(number, vendor, _text(account), expense_id)


def _is_text(value: object, *, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _read_csv(handle: IO[bytes], record_format: CsvFormat) -> Iterator[StoredRecord]:
    vendor_at = EXPENSE_COLUMNS.index("vendor")
    account_at = EXPENSE_COLUMNS.index("account")
    id_at = EXPENSE_COLUMNS.index("expense_id")
    last: tuple[str, str, str] | None = None
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")
    reader = csv.reader(text, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            yield StoredRecord(line, "", "", "", "a row cut off or not CSV")
            break
        if line == 1 and tuple(row) == record_format.columns:
            continue
        if len(row) != len(record_format.columns):
            yield StoredRecord(line, "", "", "", "not a row of this CSV format")
            continue
        key = (row[vendor_at], row[account_at], row[id_at])
        if key != last:
            yield StoredRecord(line, *key)
        last = key
    text.detach()


# -- the table of formats ------------------------------------------------------------------


@attrs.frozen(slots=True)
class FormatEntry:
    """One line of ``FORMATS``: how to make the format, and when it is chosen."""

    build: Callable[[bool], RecordFormat]
    """Makes the format; its argument is ``include_raw``."""
    suffix: str | None = None
    """An output whose name ends in it (``.csv``) gets this format unless told otherwise."""
    takes_raw: bool = False
    """Whether ``include_raw`` (the vendor's payload in each record) means anything to it."""


DEFAULT_FORMAT = "jsonl"
"""The format of an output no name or suffix chooses, and of a file no format detects."""

FORMATS: dict[str, FormatEntry] = {
    "jsonl": FormatEntry(lambda raw: JsonLinesFormat(include_raw=raw), takes_raw=True),
    "csv": FormatEntry(lambda _: CsvFormat(), suffix=".csv"),
    "csv-lines": FormatEntry(lambda _: CsvFormat(lines=True)),
}
"""Every output format by name, in the order the command offers them: the one place a
format is added (``register_format``)."""


def register_format(name: str, entry: FormatEntry) -> None:
    """Add an output format: ``export --format``, ``ledger rebuild`` and
    ``export_approved(format=...)`` take it from then on."""
    if name in FORMATS:
        raise ValueError(f"the format {name!r} is already registered")
    FORMATS[name] = entry


def format_names() -> tuple[str, ...]:
    """The names of every format (the command's ``--format`` choices)."""
    return tuple(FORMATS)


def format_by_name(name: str, *, include_raw: bool = False) -> RecordFormat:
    """The format ``name`` names; raises ValueError for a name not in ``FORMATS``."""
    entry = FORMATS.get(name)
    if entry is None:
        raise ValueError(f"unknown sink format {name!r} (expected {', '.join(FORMATS)})")
    return entry.build(include_raw)


def record_format_for(
    out: str | os.PathLike[str], format: str | None = None, *, include_raw: bool = False
) -> RecordFormat:
    """The record format for ``out``: ``format`` when given, else the format whose suffix
    ``out`` ends in, else ``DEFAULT_FORMAT``. ``include_raw`` is for the formats that take
    it. ``ValidationError`` (naming the argument) for anything else."""
    name = format
    if name is None:
        text = os.fspath(out).lower()
        suffixed = (n for n, e in FORMATS.items() if e.suffix and text.endswith(e.suffix))
        name = next(suffixed, DEFAULT_FORMAT)
    entry = FORMATS.get(name)
    if entry is None:
        raise ValidationError(
            f"format must be one of {', '.join(FORMATS)}, not {name!r}", field="format"
        )
    if include_raw and not entry.takes_raw:
        takers = ", ".join(n for n, e in FORMATS.items() if e.takes_raw)
        raise ValidationError(f"include_raw is for the {takers} format", field="include_raw")
    return entry.build(include_raw)


def detect_format(first_line: bytes) -> RecordFormat:
    """The format of a file starting with ``first_line``: the first in ``FORMATS`` other
    than the default that detects it, else the default."""
    for name, entry in FORMATS.items():
        if name != DEFAULT_FORMAT:
            fmt = entry.build(False)
            if fmt.detects(first_line):
                return fmt
    return format_by_name(DEFAULT_FORMAT)


__all__ = [
    "DEFAULT_FORMAT",
    "EXPENSE_COLUMNS",
    "FORMATS",
    "LINE_COLUMNS",
    "LIST_SEPARATOR",
    "CsvFormat",
    "FormatEntry",
    "JsonLinesFormat",
    "RecordFormat",
    "StoredRecord",
    "TailScan",
    "detect_format",
    "format_by_name",
    "format_names",
    "record_format_for",
    "register_format",
]
