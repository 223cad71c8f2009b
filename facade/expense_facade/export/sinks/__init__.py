"""Sinks: where the export writes records (JSON Lines or CSV, a file or standard output).

Crash safety: every approved expense ends up in a file sink exactly once
-------------------------------------------------------------------------
The export writes a page at a time, and each batch goes through four durable steps; the
process may be killed (SIGKILL, power loss) between any two of them, or in the middle of
one:

1. **intent** — the ledger commits "these ids are about to be appended to sink S, which is
   N bytes long now" (``Ledger.record_intent``).
2. **append** — the encoded records are written to the file in one piece, flushed, and
   fsync'd (``Sink.append``). The file is opened ``O_APPEND``, so the batch starts at N.
3. **written** — the ledger commits "these ids are in S" and drops their intents, in one
   transaction (``Ledger.record_written``). From here on they count as exported.
4. **mark** — the vendor is told (where it has the capability), and the ledger records
   ``marked`` for the ids the vendor confirmed (``Ledger.record_marked``).

Recovery at the start of the next run:

* A crash before 1 changed nothing.
* A crash between 1 and 3 leaves intents. Whatever reached the file after byte N (nothing,
  a cut-off line, some or all of the batch) belongs to that batch only, because nothing is
  ever appended to a sink while it has intents outstanding. ``repair_sink`` reads that
  tail, checks it holds only the announced ids, and truncates the file back to N; the
  intents are dropped. The ids are neither in the ledger nor marked at the vendor, so the
  vendor lists them again and this run writes them once.
* A crash between 3 and 4 (or a vendor that refused the mark) leaves ``written`` rows:
  ``Ledger.pending_marks`` — they are marked first, and not written again.
* A crash during 4 may leave ids marked at the vendor but not in the ledger; marking them
  again is harmless (the vendors' status updates are idempotent).

So a repaired file holds exactly the batches whose step 3 committed, each once, and every
id listed is marked exactly once. The ledger (not the sink) answers "already exported?",
so the sink never has to be scanned in normal operation, and a second run to another file
does not export the same expenses again (``--reexport`` does, on purpose).

Standard output is a stream, not a file: step 2 flushes it, but what a reader consumed
cannot be truncated, so after a crash the interrupted batch may appear twice there.
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
from expense_facade.export.sinks.serialize import expense_to_dict

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
    "expense_to_dict",
    "format_by_name",
    "is_directory_target",
    "open_sink",
    "repair_sink",
]
