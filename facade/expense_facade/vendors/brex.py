"""Brex adapter: the Brex Expenses API as ``ExpenseClient`` (list approved, get expense,
upload receipt). Its field mapping is in docs/field_mapping.md; paging, filters, uploads
and choices in docs/adapter_guide.md, "Vendor notes".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from expense_clients.brex.api.expenses import (
    create_receipt_match,
    create_receipt_upload,
    get_expense,
    list_expenses,
)
from expense_clients.brex.models.receipt_match_request import ReceiptMatchRequest
from expense_clients.brex.models.receipt_upload_request import ReceiptUploadRequest
from expense_clients.brex.types import UNSET

from expense_facade._http.downloads import DownloadTarget
from expense_facade._http.redaction import get_logger
from expense_facade._http.session import RateLimit
from expense_facade._http.uploads import UploadFile
from expense_facade.client import ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import PermissionDeniedError, ValidationError
from expense_facade.listing import KnownRecords
from expense_facade.mapping import parties
from expense_facade.mapping.dimensions import NO_DIMENSIONS, Dimension, dimensions_from
from expense_facade.mapping.fields import (
    LenientFields,
    StatusMap,
    identifier,
    is_object,
    present,
    raw_object,
    text,
)
from expense_facade.mapping.paging import CursorPage, cursor_walk, walk_steps
from expense_facade.mapping.shapes import (
    UnexpectedShape,
    list_or_empty,
    object_or_empty,
    require_list,
    require_object,
)
from expense_facade.mapping.timeparse import format_timestamp
from expense_facade.operations import Operation
from expense_facade.records import (
    Employee,
    Expense,
    ExpenseStatus,
    Merchant,
    Money,
    ReceiptFlow,
    ReceiptRef,
    ReceiptUpload,
    new_expense,
    new_merchant,
    new_receipt_ref,
)
from expense_facade.steps import Call, Emit, PresignedGet, PresignedPut, Step

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.brex.shapes import (
        CreateReceiptUploadResponse200View,
        ExpenseView,
        ListExpensesResponse200View,
    )

log = get_logger(__name__)

STATUS = StatusMap(
    {
        "DRAFT": ExpenseStatus.DRAFT,
        "SUBMITTED": ExpenseStatus.PENDING_APPROVAL,
        "OUT_OF_POLICY": ExpenseStatus.PENDING_APPROVAL,
        "APPROVED": ExpenseStatus.APPROVED,
        "SETTLED": ExpenseStatus.PAID,
        "VOID": ExpenseStatus.VOID,
        "CANCELED": ExpenseStatus.VOID,
        "CANCELLED": ExpenseStatus.VOID,
        "SPLIT": ExpenseStatus.VOID,
    }
)
"""Brex ``ExpenseStatus`` words -> the common status (docs/field_mapping.md)."""

EXPAND = ["merchant", "location", "department", "user", "receipts"]
"""``expand[]`` values sent with every read, so the common fields are filled."""

DOWNLOAD_EXPAND = ["receipts.download_uris"]
"""The ``expand[]`` value that makes a detail carry its receipts' pre-signed download URIs
(valid about 15 minutes, so asked for just before a download, never kept)."""

APPROVED = "APPROVED"


@attrs.frozen(slots=True)
class _UploadSlot:
    receipt_id: str
    uri: str = attrs.field(repr=False)  # pre-signed: its query string is a credential


def _page(body: Any) -> CursorPage[ExpenseView]:
    page: ListExpensesResponse200View = require_object(body, "the page")
    items = require_list(page["items"], "items")
    cursor = page.get("next_cursor")
    return CursorPage(items, str(cursor) if cursor is not None else None)


def _expense_body(body: Any) -> ExpenseView:
    expense: ExpenseView = require_object(body, "an expense")
    return expense


def _upload_slot(body: Any) -> _UploadSlot:
    answer: CreateReceiptUploadResponse200View = require_object(body, "an upload answer")
    receipt_id, uri = text(answer.get("id")), text(answer.get("uri"))
    if receipt_id is None or uri is None:
        raise UnexpectedShape("an upload answer needs an id and a uri")
    return _UploadSlot(receipt_id, uri)


class BrexClient(ExpenseClient):
    """Brex Expenses API client; ``connect("brex", token=...)``."""

    vendor = "brex"
    # Ids are Brex's global object ids (`expense_...`): GET /v1/expenses/{id} finds one by
    # its id alone on a host serving every customer (and its older host serves the same).
    ids_unique_across_accounts = True
    capabilities = frozenset(
        {
            Operation.LIST_APPROVED,
            Operation.GET_EXPENSE,
            Operation.UPLOAD_RECEIPT,
            Operation.DOWNLOAD_RECEIPT,
        }
    )
    default_base_url = "https://api.brex.com"
    credential_specs = (Credential("token", Kind.SECRET, required=True, header=True),)
    max_page_size = 100
    rate_limit = RateLimit(1000, 60.0)  # documented; a 429 carries no header
    max_upload_bytes = 50 * 1024 * 1024
    filters_by_update_time = True

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._credential('token')}"}

    # ---- list and detail --------------------------------------------------------------
    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        updated_at_start = format_timestamp(since) if since is not None else UNSET

        def fetch(cursor: str | None) -> Step[CursorPage[ExpenseView]]:
            kwargs = list_expenses._get_kwargs(
                status=[APPROVED],
                expand=EXPAND,
                load_custom_fields=True,
                updated_at_start=updated_at_start,
                cursor=cursor if cursor is not None else UNSET,
                limit=page_size,
            )
            page: CursorPage[ExpenseView] = yield Call(kwargs, unwrap=_page)
            return page

        def each(items: Sequence[ExpenseView]) -> Step[None]:
            yield Emit(self._page(items, self._to_expense))

        # A record whose updated_at changes mid-listing could come round again on a
        # later page; yield it once.
        yield from walk_steps(cursor_walk(vendor=self.vendor), fetch, each)

    def _get_expense_steps(self, expense_id: str) -> Step[Expense]:
        kwargs = get_expense._get_kwargs(expense_id, expand=EXPAND, load_custom_fields=True)
        return self._to_expense((yield Call(kwargs, unwrap=_expense_body)))

    # ---- receipts ---------------------------------------------------------------------
    def _upload_receipt_steps(
        self, upload: UploadFile, expense_id: str | None
    ) -> Step[ReceiptUpload]:
        slot = yield from self._new_upload_url(upload, expense_id)
        refreshes = 0
        try:
            yield PresignedPut(slot.uri, upload)
        except PermissionDeniedError:
            # Pre-signed URLs live 30 minutes; S3 answers 403 after that. Retrying the
            # same URL cannot help: ask Brex once for a new one.
            log.info("brex: the upload URL for receipt %s was refused; asking for a new one",
                     slot.receipt_id)  # fmt: skip
            slot = yield from self._new_upload_url(upload, expense_id)
            refreshes = 1
            yield PresignedPut(slot.uri, upload)
        return ReceiptUpload(
            receipt_id=slot.receipt_id,
            flow=ReceiptFlow.ATTACH if expense_id is not None else ReceiptFlow.MATCH,
            expense_id=expense_id,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            url_refreshes=refreshes,
        )

    def _download_receipt_steps(
        self, expense_id: str, receipt_id: str, target: DownloadTarget
    ) -> Step[int]:
        uri = yield from self._download_uri(expense_id, receipt_id)
        try:
            yield PresignedGet(uri, target)
            return 0
        except PermissionDeniedError:
            # A download URI lives about 15 minutes; S3 answers 403 after that. The same
            # URI cannot succeed: ask for a fresh detail once.
            log.info("brex: the download URL of receipt %s was refused; asking for a new one",
                     receipt_id)  # fmt: skip
            yield PresignedGet((yield from self._download_uri(expense_id, receipt_id)), target)
            return 1

    def _download_uri(self, expense_id: str, receipt_id: str) -> Step[str]:
        """A fresh pre-signed download URI of the receipt (from the expense's detail)."""
        kwargs = get_expense._get_kwargs(expense_id, expand=DOWNLOAD_EXPAND)
        uri: str | None = yield Call(
            kwargs, unwrap=lambda body: _download_uri_of(_expense_body(body), receipt_id)
        )
        if uri is None:
            raise ValidationError(
                f"brex: expense {expense_id} has no receipt {receipt_id}", field="receipt"
            )
        return uri

    def _new_upload_url(self, upload: UploadFile, expense_id: str | None) -> Step[_UploadSlot]:
        # One key per URL asked for: a retry of this POST gets the same slot back, a
        # refresh after an expired URL (a new key) gets a new one.
        key = str(uuid.uuid4())
        if expense_id is not None:
            kwargs = create_receipt_upload._get_kwargs(
                expense_id,
                body=ReceiptUploadRequest(receipt_name=upload.filename),
                idempotency_key=key,
            )
        else:
            kwargs = create_receipt_match._get_kwargs(
                body=ReceiptMatchRequest(receipt_name=upload.filename), idempotency_key=key
            )
        slot: _UploadSlot = yield Call(kwargs, retry_safe=True, unwrap=_upload_slot)
        return slot

    # ---- mapping ----------------------------------------------------------------------
    def _to_expense(self, item: ExpenseView) -> Expense:
        raw = raw_object(item)  # the record itself: a view only types it
        expense_id = identifier(item["id"])
        if expense_id is None:
            raise ValueError("the expense has an empty id")
        f = LenientFields()
        status, raw_status = STATUS(item.get("status"))
        updated_at = f.timestamp("updated_at", item.get("updated_at"))
        if updated_at is None and present(item.get("updated_at")) is None:
            f.warn("updated_at", "missing (Brex documents it as always present)")
        gross = self._gross(f, item)
        dims = self._custom_dimensions(item)
        return new_expense(
            self.vendor,
            expense_id,
            status,
            raw_status,
            gross=gross,
            currency=gross.currency if gross is not None else None,
            transaction_date=f.timestamp("purchased_at", item.get("purchased_at")),
            updated_at=updated_at,
            employee=_employee(item),
            merchant=_merchant(item),
            category=text(item.get("category")),
            department=text(object_or_empty(item.get("department")).get("name"))
            or text(item.get("department_id"))
            or dims.get("department"),
            location=text(object_or_empty(item.get("location")).get("name"))
            or text(item.get("location_id"))
            or dims.get("location"),
            project=dims.get("project"),
            cost_centre=dims.get("cost_centre"),
            description=text(item.get("memo")),
            receipts=_receipts(item),
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw,
        )

    @staticmethod
    def _gross(f: LenientFields, item: ExpenseView) -> Money | None:
        amounts = (
            ("original_amount", item.get("original_amount")),
            ("billing_amount", item.get("billing_amount")),
        )
        for name, value in amounts:
            if value is None:
                continue
            if not is_object(value):
                f.warn(name, f"not a money object: {value!r}")
                continue
            money = f.money_minor(name, value.get("amount"), value.get("currency"))
            if money is None:
                continue
            if money.currency is None:
                f.warn(name, "the currency is null; the amount was read with 2 decimals")
            return money
        return None

    @staticmethod
    def _custom_dimensions(item: ExpenseView) -> Mapping[Dimension, str]:
        fields = list_or_empty(item.get("custom_fields"))
        if not fields:
            return NO_DIMENSIONS  # most expenses have none: no pairs to build
        return dimensions_from(
            [
                (field.get("key"), object_or_empty(field.get("value")).get("data"))
                for field in map(object_or_empty, fields)
            ]
        )


def _employee(item: ExpenseView) -> Employee | None:
    user = object_or_empty(item.get("user"))
    user_id = text(user.get("id")) or text(item.get("user_id"))
    first, last = text(user.get("first_name")), text(user.get("last_name"))
    name = f"{first} {last}" if first and last else first or last
    if user_id is None and name is None:
        return None
    return parties.employee(user_id, name, None)


def _merchant(item: ExpenseView) -> Merchant | None:
    merchant = object_or_empty(item.get("merchant"))
    name, mcc = text(merchant.get("raw_descriptor")), text(merchant.get("mcc"))
    if name is None and mcc is None:
        return None
    # Not shared: a card descriptor carries the store's number (one per purchase, nearly).
    return new_merchant(name=name, mcc=mcc)


def _download_uri_of(expense: ExpenseView, receipt_id: str) -> str | None:
    """The first download URI of receipt ``receipt_id`` (None when the expense has no
    such receipt; ``UnexpectedShape`` when it has it without a URI)."""
    for receipt in map(object_or_empty, list_or_empty(expense.get("receipts"))):
        if text(receipt.get("id")) == receipt_id:
            for uri in list_or_empty(receipt.get("download_uris")):
                if text(uri):
                    return str(uri)
            raise UnexpectedShape(f"receipt {receipt_id} came without a download URI")
    return None


def _receipts(item: ExpenseView) -> tuple[ReceiptRef, ...]:
    refs = []
    for receipt in list_or_empty(item.get("receipts")):
        receipt_id = text(object_or_empty(receipt).get("id"))
        if receipt_id is not None:
            refs.append(new_receipt_ref(id=receipt_id))
    return tuple(refs)
