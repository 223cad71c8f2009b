"""Sinks: where the export writes records (JSON Lines or CSV, a file or standard output),
durably, and how a half-written batch is repaired after a crash (docs/export.md, "Crash
safety").
"""

from expense_facade.export.sinks.files import (
    STDOUT,
    FileSink,
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
    LINE_COLUMNS,
    CsvFormat,
    JsonLinesFormat,
    RecordFormat,
    TailScan,
    format_by_name,
)

__all__ = [
    "EXPENSE_COLUMNS",
    "LINE_COLUMNS",
    "STDOUT",
    "CsvFormat",
    "FileSink",
    "JsonLinesFormat",
    "RecordFormat",
    "RepairResult",
    "Sink",
    "SinkError",
    "StreamSink",
    "TailScan",
    "format_by_name",
    "is_directory_target",
    "open_sink",
    "repair_sink",
]
