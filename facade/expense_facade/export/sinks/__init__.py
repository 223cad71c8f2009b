"""Sinks: where the export writes records (JSON Lines or CSV, a file or standard output),
durably, and how a half-written batch is repaired after a crash (docs/export.md, "Crash
safety").
"""

from expense_facade.export.sinks.files import (
    STDOUT,
    FileSink,
    OutputRefused,
    RepairResult,
    Sink,
    SinkError,
    StreamSink,
    is_directory_target,
    open_sink,
    repair_sink,
)
from expense_facade.export.sinks.formats import (
    EXPENSE_COLUMNS,
    FORMATS,
    LINE_COLUMNS,
    CsvFormat,
    FormatEntry,
    JsonLinesFormat,
    RecordFormat,
    TailScan,
    format_by_name,
    format_names,
    record_format_for,
    register_format,
)

__all__ = [
    "EXPENSE_COLUMNS",
    "FORMATS",
    "LINE_COLUMNS",
    "STDOUT",
    "CsvFormat",
    "FileSink",
    "FormatEntry",
    "JsonLinesFormat",
    "OutputRefused",
    "RecordFormat",
    "RepairResult",
    "Sink",
    "SinkError",
    "StreamSink",
    "TailScan",
    "format_by_name",
    "format_names",
    "is_directory_target",
    "open_sink",
    "record_format_for",
    "register_format",
    "repair_sink",
]
