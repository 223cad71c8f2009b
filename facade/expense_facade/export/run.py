"""``export_approved``: the whole export in one call, for schedulers and integration code.

It is what the ``expense-facade export`` command runs: open the ledger, repair what a
killed run left behind, open the output (one file, one file per vendor in a folder, or
standard output), and export each client's approved expenses with
``expense_facade.export.pipeline.export_vendor`` (list → write durably → mark exported).
docs/library.md ("Exporting from Python") shows it in use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack

import attrs

from expense_facade.clock import Clock, SystemClock
from expense_facade.errors import ValidationError
from expense_facade.export.account_identity import identify
from expense_facade.export.delivery import DeliverySink, Destination
from expense_facade.export.ledger import Ledger
from expense_facade.export.pipeline import (
    ExportClient,
    ExportOptions,
    ExportSummary,
    ProgressCallback,
    export_vendor,
    held_elsewhere,
)
from expense_facade.export.postgres.connection import is_postgres_url
from expense_facade.export.postgres.table_sink import TableSink
from expense_facade.export.sinks import (
    FileSink,
    RecordFormat,
    Sink,
    is_directory_target,
    open_sink,
    record_format_for,
)


@attrs.frozen(slots=True)
class OpenClient:
    """A client ``export_approved`` opens when its turn comes and closes right after (with
    its output file, in a folder): with thousands of accounts, memory holds one client at
    a time, not all of them."""

    vendor: str
    open: Callable[[], ExportClient]
    """Returns the client; its ``close()``, if it has one, is called after its export."""


def refuse_colliding(clients: Iterable[tuple[str, ExportClient]], key: bytes) -> None:
    """Refuse two accounts that are one account (the same vendor, canonical base URL and
    credentials): one would be taken for the other (docs/export.md, "Account identity")."""
    seen: dict[tuple[str, str, str], str] = {}
    for name, client in clients:
        identity = identify(client, key)
        same = (identity.vendor, identity.base_url, identity.credentials)
        if same in seen:
            raise ValidationError(
                f"{seen[same]} and {name} are the same {identity.vendor} account (the same "
                f"base URL, {identity.base_url}, and the same credentials): configure it once",
                field="clients",
            )
        seen[same] = name


def _opened_in_turn(
    chosen: Iterable[tuple[str, ExportClient | OpenClient]],
) -> Iterator[tuple[str, ExportClient]]:
    """Each client, an ``OpenClient`` opened for its turn only and closed after (memory stays
    flat in the number of accounts)."""
    for name, source in chosen:
        if not isinstance(source, OpenClient):
            yield name, source
            continue
        client = source.open()
        try:
            yield name, client
        finally:
            getattr(client, "close", lambda: None)()


def export_approved(
    clients: ExportClient
    | OpenClient
    | Iterable[ExportClient | OpenClient]
    | Mapping[str, ExportClient | OpenClient],
    out: str | os.PathLike[str] | Destination,
    *,
    ledger: str | os.PathLike[str] | Ledger,
    format: str | RecordFormat | None = None,
    include_raw: bool = False,
    options: ExportOptions | None = None,
    on_progress: ProgressCallback | None = None,
    on_vendor_done: Callable[[ExportSummary], None] | None = None,
    clock: Clock | None = None,
    wait: bool = False,
    receipts: str | os.PathLike[str] | None = None,
) -> ExportSummary:
    """Export the approved expenses of one client (or several, in turn) into ``out``, each
    exactly once across runs, and return what was done.

    ``out`` is a file (appended to; CSV when its name ends in ``.csv``), a folder (an
    existing one, or a path ending in ``/``: one ``<vendor>.jsonl`` or ``.csv`` per
    client; ``clients`` given as a mapping ``{name: client}`` names them
    ``<name>.jsonl`` instead) or ``"-"`` for standard output. ``ledger`` is the export
    ledger's file (made when missing) or an open ``Ledger``; the command's default is
    ``expense_facade.export.ledger.default_ledger_path()``. ``format`` is a name in
    ``sinks.FORMATS`` (``"jsonl"``, ``"csv"``, ``"csv-lines"``: one row per line item, or
    one ``register_format`` added), or a ``RecordFormat``;
    ``include_raw`` adds the vendor payload to JSON Lines. ``options`` (``ExportOptions``)
    says ``since``, whether to mark exported at the vendor, to re-export, the page size.
    ``on_progress`` gets an ``ExportProgress`` after each page; ``on_vendor_done`` each
    client's summary. ``receipts`` is a folder (made when missing) to download each
    exported expense's receipt files into, once each, named by their SHA-256 and linked
    from the record (``ExportOptions.receipts``; docs/export.md, "Receipts").

    Past one machine (docs/scale.md): ``ledger`` may be a ``postgresql://`` URL, and then
    ``out`` may be a table in that database, ``postgresql://…#schema.table``, written in
    the ledger's own transaction. An account another process is exporting from the same
    PostgreSQL ledger is skipped (``summary.held_elsewhere``), or waited for with
    ``wait=True``. ``out`` may also be the user's own ``Destination``
    (``expense_facade.export.delivery``): records are delivered at least once, each
    under a stable idempotency key, and recorded once acknowledged.

    Vendor errors, refused marks and malformed records do not raise: they are in the
    summary (``summary.ok`` is False, ``summary.errors``, ``.failed``, ``.malformed``).
    Raises ``SinkError`` or ``LedgerError`` when the output or the ledger cannot be used
    (locked by another run, a full disk, an output that does not match the ledger), and
    ``ValidationError`` for a bad argument, before anything is written.
    """
    # A client is not iterable; a list, tuple or generator of clients is, and a mapping
    # names each client's file in a folder.
    chosen: list[tuple[str, ExportClient | OpenClient]]
    if isinstance(clients, Mapping):
        chosen = list(clients.items())
    elif isinstance(clients, Iterable):
        chosen = [(client.vendor, client) for client in clients]
    else:
        chosen = [(clients.vendor, clients)]
    if not chosen:
        raise ValidationError("no client to export from", field="clients")
    # The user's own system (export.delivery): every client delivers there.
    destination = None if isinstance(out, str | os.PathLike) else DeliverySink(out)
    target = "" if destination is not None else os.fspath(out)  # type: ignore[arg-type]
    if format is None or isinstance(format, str):
        record_format = record_format_for(target or "-", format, include_raw=include_raw)
    else:
        record_format = format  # a RecordFormat of the caller's (include_raw is its own)
    the_options = options or ExportOptions()
    if receipts is not None:
        the_options = attrs.evolve(the_options, receipts=receipts)
    the_clock = clock or SystemClock()
    started = the_clock.monotonic()
    per_vendor = destination is None and is_directory_target(target)
    summaries: list[ExportSummary] = []
    with ExitStack() as stack:
        book = (
            ledger
            if isinstance(ledger, Ledger)
            else stack.enter_context(open_ledger(ledger, wait=wait))
        )
        refuse_colliding(_opened_in_turn(chosen), book.identity_key())
        # Repair what a killed run left behind before any sink is opened (a CSV file cut
        # off inside its header would otherwise look like somebody else's file).
        repaired = book.recover()
        shared: Sink | None = None
        for name, source in chosen:
            with ExitStack() as turn:  # this client's own: closed before the next one's turn
                client = source.open() if isinstance(source, OpenClient) else source
                if isinstance(source, OpenClient):
                    turn.callback(getattr(client, "close", lambda: None))
                if not book.hold(client.vendor, client.account):
                    # Another process exports this account from the same ledger: its
                    # output is that process's now (opening it would find it locked).
                    summary = held_elsewhere(client)
                else:
                    sink: Sink
                    if destination is not None:
                        sink = destination
                    elif is_postgres_url(target):
                        if shared is None:
                            shared = TableSink(target, book.store)
                        sink = shared
                    elif per_vendor:
                        sink = turn.enter_context(open_sink(target, record_format, vendor=name))
                    else:
                        if shared is None:
                            shared = stack.enter_context(open_sink(target, record_format))
                        sink = shared
                    summary = export_vendor(
                        client, sink, book, the_options, on_progress=on_progress, clock=the_clock
                    )
                    if summary.errors and isinstance(sink, FileSink) and sink is not shared:
                        # An account stopped early leaves no empty file behind (discard
                        # removes it only when this run created it and wrote nothing).
                        sink.discard()
            if on_vendor_done is not None:
                on_vendor_done(summary)
            summaries.append(summary)
        if isinstance(shared, FileSink) and any(s.errors for s in summaries):
            shared.discard()  # removed only when this run created it and wrote nothing
    total = ExportSummary(vendors=())
    for summary in summaries:
        total = total.merge(summary)
    return attrs.evolve(
        total,
        repaired=tuple(repaired) + total.repaired,
        elapsed=the_clock.monotonic() - started,
    )


def open_ledger(ledger: str | os.PathLike[str], *, wait: bool = False, lock: bool = True) -> Ledger:
    """The ledger a file path or a ``postgresql://`` URL names. ``wait``: an account
    another process exports from a PostgreSQL ledger is waited for (else skipped);
    ``lock=False`` reads an SQLite file another run holds (``ledger show``)."""
    if is_postgres_url(ledger):
        from expense_facade.export.postgres.account_lock import Contention
        from expense_facade.export.postgres.store import PostgresStore

        contention = Contention.WAIT if wait else Contention.SKIP
        return Ledger(store=PostgresStore(str(ledger), contention=contention))
    return Ledger(ledger) if lock else Ledger(ledger, lock=False)


__all__ = [
    "OpenClient",
    "export_approved",
    "open_ledger",
    "record_format_for",
    "refuse_colliding",
]
