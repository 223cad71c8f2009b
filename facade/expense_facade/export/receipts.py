"""Receipt files out (``export --receipts DIR``): each exported expense's receipts are
downloaded once, named by their SHA-256, recorded in the ledger's ``receipts`` table
(``ledger_receipts``) and linked from the record (``ReceiptRef.file``), across kills
(docs/export.md, "Receipts", has the protocol and what a kill at each step leaves).

Per batch of records, before the records are written (the record names the files, so
they must exist first): (1) intent: the receipts not yet done are ``pending`` in the
ledger; (2) each is downloaded into ``DIR/.partial/<key>`` (streamed, capped, type-checked,
fsync'd, renamed into place by ``download_receipt``); (3) recorded: its hash and name
are ``stored``; (4) placed: renamed to ``DIR/<sha256>.<ext>`` and the folder fsync'd;
(5) done. A receipt that cannot be downloaded costs that receipt only: it stays
``pending``, is counted, and is retried by the next run.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from expense_facade._http.downloads import DownloadDestination
from expense_facade._http.redaction import redact
from expense_facade.errors import ExpenseFacadeError
from expense_facade.export import ledger_receipts
from expense_facade.export.ledger_receipts import Key, Stored
from expense_facade.export.ledger_units import describe
from expense_facade.export.sinks import SinkError
from expense_facade.records import Expense, ReceiptDownload, ReceiptRef

if TYPE_CHECKING:
    from expense_facade.export.ledger import Ledger

STAGING = ".partial"
"""The folder inside ``DIR`` where downloads land before they are recorded and placed."""

_MIME = mimetypes.MimeTypes()  # Python's own table only: the same name on every machine
_SUBTYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,15}")


class ReceiptSource(Protocol):
    """What the export needs of a client to download receipts (``ExpenseClient``)."""

    def download_receipt(
        self,
        expense: Expense | str,
        receipt: ReceiptRef | str,
        dest: DownloadDestination,
        *,
        max_bytes: int | None = None,
    ) -> ReceiptDownload: ...


@runtime_checkable
class _Downloads(ReceiptSource, Protocol):
    pass


def receipt_source(client: object) -> ReceiptSource | None:
    """``client`` when it can download receipts, else None."""
    return client if isinstance(client, _Downloads) else None


@attrs.frozen(slots=True)
class ReceiptFailure:
    """A receipt that could not be downloaded this run (retried by the next one)."""

    vendor: str
    expense_id: str
    receipt_id: str
    reason: str


@attrs.frozen(slots=True)
class ReceiptCounts:
    """What a run did with receipt files."""

    downloaded: int = 0
    """Downloaded, recorded and placed by this run."""
    skipped: int = 0
    """Already downloaded by an earlier run (recorded, and the file in the folder)."""
    failed: tuple[ReceiptFailure, ...] = ()
    """Could not be downloaded (too large, too slow, not a receipt file, an HTTP error)."""

    def merge(self, other: ReceiptCounts) -> ReceiptCounts:
        return ReceiptCounts(
            self.downloaded + other.downloaded,
            self.skipped + other.skipped,
            self.failed + other.failed,
        )


def file_name(sha256: str, content_type: str) -> str:
    """``<sha256>.<ext>``, the extension from the checked content type (``.pdf``,
    ``.png``, ``.jpg``; an image type Python does not know keeps its subtype)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    extension = _MIME.guess_extension(kind)
    if extension is None:
        subtype = kind.partition("/")[2]
        extension = f".{subtype}" if _SUBTYPE.fullmatch(subtype) else ".bin"
    return f"{sha256}{extension}"


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform can)."""
    if os.name == "nt":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


Step = Callable[[str], None]
"""Called after each step of the protocol with its name (tests stop a run there)."""


class ReceiptRun:
    """One vendor account's receipt downloads into ``folder`` (made by the pipeline when
    the export is asked for receipts and the client can download them)."""

    def __init__(
        self,
        ledger: Ledger,
        vendor: str,
        scope: str,
        folder: str | os.PathLike[str],
        source: ReceiptSource,
        *,
        max_bytes: int | None = None,
        on_step: Step | None = None,
    ) -> None:
        self.ledger = ledger
        self.vendor = vendor
        self.scope = scope
        self.folder = Path(folder)
        self.staging = self.folder / STAGING
        self.source = source
        self.max_bytes = max_bytes
        self.on_step = on_step or (lambda _step: None)
        self.downloaded = 0
        self.skipped = 0
        self.failed: list[ReceiptFailure] = []
        try:
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SinkError(
                f"cannot create the receipts folder {self.folder}: {exc.strerror}"
            ) from exc

    @property
    def counts(self) -> ReceiptCounts:
        return ReceiptCounts(self.downloaded, self.skipped, tuple(self.failed))

    # -- what a killed run left ------------------------------------------------------------

    def recover(self) -> None:
        """Finish what a killed run left ``stored`` (recorded, perhaps not placed): place
        the staged file when it is the recorded one, else download it again."""
        rows = self.ledger.store.rows
        stored = ledger_receipts.in_state(rows, self.vendor, self.scope, "stored")
        if not stored:
            return
        placed: list[Key] = []
        lost: list[Key] = []
        for row in stored:
            key = (row.expense_id, row.receipt_id)
            assert row.file is not None  # set with 'stored'
            assert row.sha256 is not None
            if self._place(key, row.file, row.sha256):
                placed.append(key)
            else:
                lost.append(key)
        with self.ledger.store.transaction() as tx:
            ledger_receipts.set_done(tx, self.vendor, self.scope, placed)
            ledger_receipts.set_pending(tx, self.vendor, self.scope, lost)
        if placed:
            _fsync_folder(self.folder)

    def retry_exported(self) -> None:
        """Download the receipts of records already exported that an earlier run could not
        download (or was killed before recording). The records keep the link they were
        written with; the ledger holds the file (docs/export.md, "Receipts")."""
        rows = self.ledger.store.rows
        pending = ledger_receipts.pending_of_exported(rows, self.vendor, self.scope)
        if pending:
            self._download([(r.expense_id, r.receipt_id) for r in pending])

    # -- the receipts of a batch -----------------------------------------------------------

    def attach(self, expenses: Sequence[Expense]) -> list[Expense]:
        """The receipts of ``expenses`` downloaded once (steps 1 to 5), and the records with
        each downloaded receipt's file linked (``ReceiptRef.file``)."""
        with_receipts = [e for e in expenses if e.receipts]
        if not with_receipts:
            return list(expenses)
        known = ledger_receipts.of_expenses(
            self.ledger.store.rows, self.vendor, self.scope, (e.id for e in with_receipts)
        )
        files: dict[Key, str] = {}
        wanted: list[Key] = []
        for expense in with_receipts:
            for receipt in expense.receipts:
                key = (expense.id, receipt.id)
                if key in files or key in wanted:
                    continue  # the same receipt listed twice in one record
                row = known.get(key)
                if (
                    row is not None
                    and row.state == "done"
                    and row.file is not None
                    and (self.folder / row.file).is_file()
                ):
                    files[key] = row.file
                    self.skipped += 1
                    continue
                wanted.append(key)  # new, failed before, or its file is gone
        files.update(self._download(wanted))
        return [
            attrs.evolve(
                e,
                receipts=tuple(
                    attrs.evolve(r, file=files.get((e.id, r.id), r.file)) for r in e.receipts
                ),
            )
            if e.receipts
            else e
            for e in expenses
        ]

    def _download(self, keys: Sequence[Key]) -> dict[Key, str]:
        """Steps 1 to 5 for ``keys``; the file of each downloaded one."""
        if not keys:
            return {}
        with self.ledger.store.transaction() as tx:
            ledger_receipts.set_pending(tx, self.vendor, self.scope, keys)
        self.on_step("intent")
        stored: list[Stored] = []
        failed: list[tuple[Key, str]] = []
        for key in keys:
            try:
                got = self._fetch(key)
            except SinkError:
                raise  # the receipts folder itself: the whole run stops, as for the output
            except ExpenseFacadeError as exc:  # this receipt only: retried by the next run
                reason = redact(describe(exc))  # never a pre-signed URL
                failed.append((key, reason))
                self.failed.append(ReceiptFailure(self.vendor, *key, reason))
                continue
            stored.append(
                Stored(
                    key,
                    got.sha256,
                    file_name(got.sha256, got.content_type),
                    got.size,
                    got.content_type,
                )
            )
        self.on_step("downloaded")
        with self.ledger.store.transaction() as tx:
            ledger_receipts.set_stored(tx, self.vendor, self.scope, stored)
            ledger_receipts.set_failed(tx, self.vendor, self.scope, failed)
        self.on_step("recorded")
        for item in stored:
            self._place(item.key, item.file, item.sha256, verify=False)
        if stored:
            _fsync_folder(self.folder)
        self.on_step("placed")
        with self.ledger.store.transaction() as tx:
            ledger_receipts.set_done(tx, self.vendor, self.scope, [s.key for s in stored])
        self.on_step("done")
        self.downloaded += len(stored)
        return {s.key: s.file for s in stored}

    def _staged(self, key: Key) -> Path:
        """Where ``key``'s download lands first: one name per receipt, so a download
        repeated after a kill replaces the earlier one instead of adding a file."""
        digest = hashlib.sha256(
            "\x1f".join((self.vendor, self.scope, *key)).encode("utf-8", "surrogatepass")
        ).hexdigest()
        return self.staging / digest[:40]

    def _fetch(self, key: Key) -> ReceiptDownload:
        staged = self._staged(key)
        # A download killed mid-stream leaves its own temporary file beside the staged
        # name (``download_receipt`` writes ``.<name>.<random>.part``): this receipt's.
        for leftover in self.staging.glob(f".{staged.name}.*.part"):
            leftover.unlink(missing_ok=True)
        try:
            return self.source.download_receipt(key[0], key[1], staged, max_bytes=self.max_bytes)
        except OSError as exc:  # the folder itself: stops the run like a full disk would
            raise SinkError(f"cannot write a receipt into {self.staging}: {exc.strerror}") from exc

    def _place(self, key: Key, name: str, sha256: str, *, verify: bool = True) -> bool:
        """Step 4: the staged file of ``key`` becomes ``DIR/<name>`` (an atomic rename; a
        file of that name already holds the same bytes: the receipt is deduplicated).
        ``verify`` (after a kill) checks the bytes against the recorded hash first. False
        when neither the staged file nor the placed one is the recorded file."""
        staged = self._staged(key)
        target = self.folder / name
        try:
            if staged.is_file():
                if not verify or _sha256_of(staged) == sha256:
                    os.replace(staged, target)
                    return True
                staged.unlink()  # a later download of the receipt, not the recorded one
            return target.is_file() and _sha256_of(target) == sha256
        except OSError as exc:
            raise SinkError(f"cannot place a receipt in {self.folder}: {exc.strerror}") from exc


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = [
    "STAGING",
    "ReceiptCounts",
    "ReceiptFailure",
    "ReceiptRun",
    "ReceiptSource",
    "file_name",
    "receipt_source",
]
