"""Capture adapter: Cintra Capture Expense's export queue as ``ExpenseClient`` (list
approved: the queue read once and handed out in pages; mark exported: batched status
updates), read through the generated wire shapes. Its field mapping is in
docs/field_mapping.md; the queue, the ignored ``since`` and marking in
docs/adapter_guide.md, "Vendor notes".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from expense_clients.capture.api.expenses import list_export_expenses, update_export_status
from expense_clients.capture.models.export_status import ExportStatus
from expense_clients.capture.models.export_status_update_request import (
    ExportStatusUpdateRequest,
)

from expense_facade._http.error_mapping import VendorFailure
from expense_facade._http.redaction import get_logger
from expense_facade._http.retry import SLOW_READ_TIMEOUT
from expense_facade.client import ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import ExpenseFacadeError, PaginationError
from expense_facade.listing import KnownRecords
from expense_facade.mapping import parties
from expense_facade.mapping.fields import (
    JsonScalar,
    LenientFields,
    identifier,
    is_object,
    raw_object,
    text,
)
from expense_facade.mapping.shapes import UnexpectedShape, require_list, require_object
from expense_facade.operations import Operation
from expense_facade.records import (
    Expense,
    ExpenseStatus,
    ExportOutcome,
    MarkExportedResult,
    new_expense,
)
from expense_facade.steps import Call, Confirmed, Emit, Step

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.capture.shapes import (
        ExportExpenseView,
        ExportStatusResultView,
        ListExportExpensesResponse200View,
        UpdateExportStatusResponse200View,
    )

log = get_logger(__name__)

PAGE_SIZE = 100
"""Rows per page of the listing (and the default): an integrator's documented batch."""

MARK_BATCH_SIZE = 100
"""Ids per ``ExportStatusUpdate`` request."""

EXPORTED_MESSAGE = "Exported by expense-facade"
"""The ``message`` sent with ``success: true`` (kept by the vendor as the export note)."""

NOT_IN_QUEUE = "not in the export queue (already exported, or not approved); nothing sent"


@attrs.frozen(slots=True)
class _Queue:
    """One read of the Export queue: its rows and the ``totalCount`` the vendor gave."""

    rows: Sequence[ExportExpenseView]
    total: int | None

    @property
    def truncated(self) -> bool:
        """True when the vendor says the queue holds more rows than it returned."""
        return self.total is not None and len(self.rows) < self.total


@attrs.frozen(slots=True)
class _UpdateAnswer:
    """The body of an ``ExportStatusUpdate`` answer: overall flag, message, per-item list."""

    success: bool
    message: str | None
    items: Sequence[ExportStatusResultView] | None


def _unwrap_queue(body: Any) -> _Queue:
    """The Export answer, once its ``success`` flag says the call worked."""
    answer: ListExportExpensesResponse200View = require_object(body, "the body")
    success = answer.get("success")
    if success is False:
        raise VendorFailure(None, text(answer.get("message")))
    if success is not True:
        raise UnexpectedShape("the body has no success flag")
    rows = answer.get("data")
    if rows is None:
        rows = []  # an empty queue may come as null
    rows = require_list(rows, "data")
    total = answer.get("totalCount")
    if isinstance(total, bool) or not isinstance(total, int):
        total = None  # absent or unreadable: the documented call returns every row
    return _Queue(rows, total)


def _unwrap_update(body: Any) -> _UpdateAnswer:
    answer: UpdateExportStatusResponse200View = require_object(body, "the body")
    success = answer.get("success")
    if not isinstance(success, bool):
        raise UnexpectedShape("the body has no success flag")
    message = text(answer.get("message"))
    items = answer.get("data")
    per_item = items if isinstance(items, list) else None
    if not success and per_item is None:
        # Refused as a whole and no word on any item: the call failed.
        raise VendorFailure(None, message)
    return _UpdateAnswer(success, message, per_item)


def _transaction_type(value: JsonScalar) -> int | None:
    """``transactionType`` as the integer to echo back, or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _key(expense_id: str) -> str:
    # Row ids are GUIDs: the vendor may write them in another case than we were given.
    return expense_id.strip().lower()


def _row_key(row: ExportExpenseView | ExportStatusResultView) -> str | None:
    """The key of a queue row or an update result; None for one that is no object or has
    no id (the row is then reported as malformed, the result ignored)."""
    if not is_object(row):
        return None
    ident = identifier(row.get("id"))
    return None if ident is None else _key(ident)


def _row_id(row: ExportExpenseView) -> str | None:
    """A row's id as given, to name a malformed row."""
    return identifier(row.get("id")) if is_object(row) else None


class CaptureClient(ExpenseClient):
    """Cintra Capture Expense: the export queue and its status update (see module docs)."""

    vendor = "capture"
    # Row ids are GUIDs (Capture's API documentation): unique across every Capture customer.
    ids_unique_across_accounts = True
    capabilities = frozenset({Operation.LIST_APPROVED, Operation.MARK_EXPORTED})
    default_base_url = "https://eo-appservice-api.azurewebsites.net"
    credential_specs = (Credential("api_key", Kind.SECRET, required=True, header=True),)
    read_timeout = SLOW_READ_TIMEOUT
    max_page_size = PAGE_SIZE

    def _auth_headers(self) -> Mapping[str, str]:
        return {"X-API-Key": str(self._credential("api_key"))}

    # -- list approved ----------------------------------------------------------------------

    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        self._ignore_since(
            since,
            "the Export queue has no filter and holds only rows not yet exported; listing "
            "the whole queue",
        )
        handed_out: set[str] = set()
        while True:
            queue = yield from self._read_queue()
            fresh = []
            for row in queue.rows:
                key = _row_key(row)
                if key is not None:
                    if key in handed_out:
                        continue
                    handed_out.add(key)
                fresh.append(row)
            for start in range(0, len(fresh), page_size):
                page = fresh[start : start + page_size]
                yield Emit(self._page(page, self._to_expense, id_of=_row_id))
            if not queue.truncated:
                return
            if not fresh:
                raise PaginationError(
                    f"the Export call returns {len(queue.rows)} of {queue.total} queued rows "
                    "and no paging is documented; the rows already listed are still queued "
                    "ahead of the rest: mark them exported, then list again",
                    vendor=self.vendor,
                )
            log.info(
                "capture: the Export call returned %d of %d queued rows; reading it again",
                len(queue.rows),
                queue.total,
            )

    def _read_queue(self) -> Step[_Queue]:
        result: _Queue = yield Call(list_export_expenses._get_kwargs(), unwrap=_unwrap_queue)
        return result

    def _to_expense(self, row: ExportExpenseView) -> Expense:
        raw = raw_object(row)  # the row itself: a view only types it
        get = row.get
        ident = identifier(get("id"))
        if ident is None:
            raise UnexpectedShape("the row has no id")
        f = LenientFields()
        currency = f.currency("currency", get("isoCode"))
        employee_id, name = text(get("employeeId")), text(get("personName"))
        return new_expense(
            self.vendor,
            ident,
            ExpenseStatus.APPROVED,  # in the queue = fully approved
            None,  # raw_status: the queue has none
            gross=f.money("gross", get("grossAmount"), currency),
            net=f.money("net", get("netAmount"), currency),
            tax=f.money("tax", get("taxAmount"), currency),
            currency=currency,
            exchange_rate=f.decimal("exchange_rate", get("exchangeRate")),
            transaction_date=f.timestamp("transaction_date", get("claimDate")),
            employee=parties.employee(employee_id, name, None) if employee_id or name else None,
            category=text(get("categoryName")),
            gl_code=text(get("nominalAccount")),
            tax_code=text(get("taxCode")),
            department=text(get("department")),
            location=text(get("location")),
            project=text(get("project")),
            cost_centre=text(get("costcentre")),
            description=text(get("description")) or text(get("details")),
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw,
        )

    # -- mark exported ----------------------------------------------------------------------

    def _mark_exported_steps(self, items: tuple[Expense | str, ...]) -> Step[MarkExportedResult]:
        # One entry per distinct id, in the order given; the transactionType to echo back
        # (None: not known yet, to be looked up in the queue).
        wanted: dict[str, int | None] = {}
        for item in items:
            if isinstance(item, Expense):
                row: ExportExpenseView = item.raw  # the queue row the record was read from
                ident, tx_type = item.id, _transaction_type(row.get("transactionType"))
            else:
                ident, tx_type = item, None
            if wanted.get(ident) is None:
                wanted[ident] = tx_type
        outcomes: dict[str, ExportOutcome] = {}
        if any(tx_type is None for tx_type in wanted.values()):
            yield from self._look_up_transaction_types(wanted, outcomes)
        to_send = [(i, t) for i, t in wanted.items() if t is not None and i not in outcomes]
        sent_any = False
        for start in range(0, len(to_send), MARK_BATCH_SIZE):
            batch = to_send[start : start + MARK_BATCH_SIZE]
            try:
                confirmed = yield from self._send_statuses(batch)
            except ExpenseFacadeError as exc:
                if not sent_any:
                    raise  # nothing is known to be marked: the call failed as a whole
                # Earlier batches are confirmed and must not be hidden behind an exception.
                reason = f"not confirmed: {exc}"
                for expense_id, _ in to_send[start:]:
                    outcomes[expense_id] = ExportOutcome(expense_id, False, reason)
                break
            outcomes.update(confirmed)
            yield Confirmed(MarkExportedResult(tuple(confirmed[i] for i, _ in batch)))
            sent_any = True
        return MarkExportedResult(tuple(outcomes[i] for i in wanted))

    def _look_up_transaction_types(
        self, wanted: dict[str, int | None], outcomes: dict[str, ExportOutcome]
    ) -> Step[None]:
        """Fill in ``wanted``'s unknown transactionTypes from the queue; ids the queue does
        not hold (or holds without a usable transactionType) fail in ``outcomes``."""
        queue = yield from self._read_queue()
        found: dict[str, int | None] = {}
        for row in queue.rows:
            key = _row_key(row)
            if key is not None:
                found[key] = _transaction_type(row.get("transactionType"))
        for expense_id, tx_type in wanted.items():
            if tx_type is not None:
                continue
            key = _key(expense_id)
            if key not in found:
                message = NOT_IN_QUEUE
                if queue.truncated:
                    message += (
                        f" (the Export call returned {len(queue.rows)} of {queue.total} "
                        "queued rows)"
                    )
                outcomes[expense_id] = ExportOutcome(expense_id, False, message)
            elif found[key] is None:
                outcomes[expense_id] = ExportOutcome(
                    expense_id,
                    False,
                    "the queued row has no transactionType to echo back; nothing sent",
                )
            else:
                wanted[expense_id] = found[key]

    def _send_statuses(self, batch: Sequence[tuple[str, int]]) -> Step[dict[str, ExportOutcome]]:
        """One status update; the outcome per id in ``batch``."""
        request = ExportStatusUpdateRequest(
            export_statuses=[
                ExportStatus(
                    id=expense_id,
                    success=True,
                    message=EXPORTED_MESSAGE,
                    transaction_type=tx_type,
                )
                for expense_id, tx_type in batch
            ]
        )
        answer: _UpdateAnswer = yield Call(
            update_export_status._get_kwargs(body=request),
            retry_safe=True,  # the vendor applies the same status twice harmlessly
            unwrap=_unwrap_update,
        )
        per_item: dict[str, ExportStatusResultView] = {}
        for item in answer.items or ():
            key = _row_key(item)
            if key is not None:
                per_item[key] = item
        outcomes: dict[str, ExportOutcome] = {}
        for expense_id, _ in batch:
            result = per_item.get(_key(expense_id))
            flag = None if result is None else result.get("success")
            if result is not None and isinstance(flag, bool):
                ok = flag is True
                note = text(result.get("message"))
                outcomes[expense_id] = ExportOutcome(
                    expense_id, ok, None if ok else note or "refused without a reason"
                )
            elif answer.success:
                outcomes[expense_id] = ExportOutcome(expense_id, True)  # the batch succeeded
            else:
                outcomes[expense_id] = ExportOutcome(
                    expense_id,
                    False,
                    "no outcome for this item in a batch the vendor did not fully accept"
                    + (f": {answer.message}" if answer.message else ""),
                )
        return outcomes
