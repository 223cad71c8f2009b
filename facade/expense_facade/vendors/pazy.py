"""Pazy adapter: the Pazy expense APIs as ``ExpenseClient`` (list approved, read complete
from each expense's detail unless ``details=False``; get expense). Its field mapping is in
docs/field_mapping.md; the envelope, paging, fan-out and the ignored ``since`` in
docs/adapter_guide.md, "Vendor notes".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import attrs
from expense_clients.pazy.api.expenses import get_expense, list_expenses
from expense_clients.pazy.types import UNSET

from expense_facade._http.error_mapping import VendorFailure
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
)
from expense_facade.listing import KnownRecords, RawPage
from expense_facade.mapping import parties
from expense_facade.mapping.agreement import agreed_value
from expense_facade.mapping.fields import (
    LenientFields,
    StatusMap,
    identifier,
    is_object,
    raw_object,
    text,
)
from expense_facade.mapping.money import exact_sum
from expense_facade.mapping.paging import CursorPage, cursor_walk, walk_steps
from expense_facade.mapping.shapes import (
    UnexpectedShape,
    object_or_empty,
    object_or_warn,
    require_list,
    require_object,
)
from expense_facade.operations import Operation
from expense_facade.records import (
    Employee,
    Expense,
    ExpenseStatus,
    LineItem,
    Merchant,
    Money,
    new_expense,
    new_line_item,
    new_receipt_ref,
)
from expense_facade.steps import Call, Concurrently, Emit, Step

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.pazy.shapes import (
        ErrorResponseView,
        ExpenseDetailView,
        ExpenseListDataView,
        ExpenseSummaryView,
        GetExpenseResponse200View,
        InitiatorView,
        LineItemView,
        ListExpensesResponse200View,
        MerchantView,
        PageContextView,
    )

STATUS = StatusMap(
    {
        "DRAFTED": ExpenseStatus.DRAFT,
        "PENDING": ExpenseStatus.PENDING_APPROVAL,
        "APPROVAL_PENDING": ExpenseStatus.PENDING_APPROVAL,
        "OUT_OF_POLICY": ExpenseStatus.PENDING_APPROVAL,
        "APPROVED": ExpenseStatus.APPROVED,
    }
)
"""Pazy states (both spellings of pending) -> ``ExpenseStatus``."""

ERROR_CLASSES: Mapping[str, type[APIError]] = {
    "EXPENSE_NOT_FOUND": NotFoundError,
    "NOT_FOUND": NotFoundError,
    "INVALID_API_KEY": AuthenticationError,
    "MISSING_CREDENTIALS": AuthenticationError,
    "ACCESS_DENIED": PermissionDeniedError,
    "INSUFFICIENT_PERMISSIONS": PermissionDeniedError,
}
"""Error class for an ``{ok: false}`` body, by Pazy error code (default ``BadRequestError``)."""

APPROVED_STATE = "APPROVED"


def _check_envelope(body: Any) -> None:
    """``VendorFailure`` for a Pazy envelope with ``ok: false`` (any HTTP status)."""
    failure: ErrorResponseView = require_object(body, "the {ok, data} envelope")
    if failure.get("ok") is not False:
        return
    error = failure.get("error")
    if isinstance(error, str):  # not the documented object: its text is the message
        code, message = None, text(error)
    else:
        detail = object_or_empty(error)
        code, message = text(detail.get("code")), text(detail.get("message"))
    raise VendorFailure(code, message, error_class=ERROR_CLASSES.get(code or "", BadRequestError))


def _list_data(body: Any) -> ExpenseListDataView:
    """``data`` of a list answer (see ``_check_envelope``)."""
    _check_envelope(body)
    envelope: ListExpensesResponse200View = body
    return require_object(envelope["data"], "data")


def _detail_data(body: Any) -> ExpenseDetailView:
    """``data`` of a detail answer (see ``_check_envelope``)."""
    _check_envelope(body)
    envelope: GetExpenseResponse200View = body
    return require_object(envelope["data"], "data")


def _summary_id(summary: ExpenseSummaryView) -> str | None:
    return identifier(summary.get("id")) if is_object(summary) else None


def _cursor_text(value: object) -> str | None:
    """A ``nextCursor`` (number or string) as the string the ``cursor`` parameter takes."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise UnexpectedShape(f"nextCursor is not a cursor: {value!r}")
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))  # 30.0 from a serialiser that writes floats: send "30"
    if isinstance(value, int | float | Decimal | str):
        return str(value).strip() or None
    raise UnexpectedShape(f"nextCursor is not a cursor: {value!r}")


def _list_page(body: Any) -> CursorPage[ExpenseSummaryView]:
    data = _list_data(body)
    expenses = require_list(data["expenses"], "data.expenses")
    no_context = cast("PageContextView", {})  # absent or null: no paging information
    context = require_object(data.get("context") or no_context, "data.context")
    next_cursor = _cursor_text(context.get("nextCursor"))
    has_more = context.get("hasMore")
    if has_more is False:
        next_cursor = None
    elif has_more is True and next_cursor is None:
        raise UnexpectedShape("data.context.hasMore is true but there is no nextCursor")
    return CursorPage(expenses, next_cursor)


class PazyClient(ExpenseClient):
    """Pazy: approved expenses (complete, from their details) and expense details."""

    vendor = "pazy"
    # "The unique slug identifier of the expense" (the seed), found by GET /expense/{id}
    # alone on one host serving every customer.
    ids_unique_across_accounts = True
    capabilities = frozenset({Operation.LIST_APPROVED, Operation.GET_EXPENSE})
    default_base_url = "https://api.pazy.io/v1.0"
    credential_specs = (
        Credential("api_key", Kind.SECRET, required=True, header=True),
        Credential("details", Kind.BOOL, default=True),
    )
    max_page_size = 100

    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings)
        details = self._credential("details")
        if not isinstance(details, bool):
            self.close()
            raise ConfigurationError(f"pazy: details must be True or False, not {details!r}")
        self._details = details

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Api-Key {self._credential('api_key')}"}

    # -- list approved ----------------------------------------------------------------------

    def _check_access_steps(self) -> Step[None]:
        # One summary page of one expense: the listing would read its details too.
        yield Call(list_expenses._get_kwargs(limit=1, state=APPROVED_STATE), unwrap=_list_page)

    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        self._ignore_since(
            since,
            "Pazy has no update-time filter (startDate bounds the expense date); listing "
            "every approved expense",
        )

        def fetch(cursor: str | None) -> Step[CursorPage[ExpenseSummaryView]]:
            kwargs = list_expenses._get_kwargs(
                limit=page_size,
                cursor=UNSET if cursor is None else cursor,
                state=APPROVED_STATE,
            )
            page: CursorPage[ExpenseSummaryView] = yield Call(kwargs, unwrap=_list_page)
            return page

        def each(items: Sequence[ExpenseSummaryView]) -> Step[None]:
            if self._details:
                # No detail request for what the caller already has.
                found = known.among([i for i in map(_summary_id, items) if i is not None])
                items = [i for i in items if _summary_id(i) not in found] if found else items
                yield Emit((yield from self._with_details(items)))
            else:  # the summaries, by the detail's mapping (see _as_detail)
                details = cast("Sequence[ExpenseDetailView]", items)
                yield Emit(self._page(details, self._to_expense))

        yield from walk_steps(cursor_walk(vendor=self.vendor), fetch, each)

    def _with_details(self, summaries: Sequence[ExpenseSummaryView]) -> Step[RawPage]:
        """A list page with each expense read from its detail (see module docs), up to
        ``connect(concurrency=)`` details at once, in list order."""

        def read(summary: ExpenseSummaryView) -> Step[tuple[ExpenseDetailView, str | None]]:
            """(the record to parse, its id when its detail was gone)."""
            ident = _summary_id(summary)
            if ident is None:
                return _as_detail(summary), None  # reported as malformed by _parse_page
            try:
                detail: ExpenseDetailView = yield Call(
                    get_expense._get_kwargs(ident), unwrap=_detail_data
                )
            except NotFoundError:
                return _as_detail(summary), ident
            return detail, None

        records: list[ExpenseDetailView] = []
        gone: set[str] = set()
        for record, missing in (yield Concurrently(map(read, summaries))):
            records.append(record)
            if missing is not None:
                gone.add(missing)
        expenses, malformed = self._parse_page(records, self._to_expense)
        if gone:
            note = "detail: the expense was not found after it was listed; summary fields only"
            expenses = tuple(
                attrs.evolve(e, parse_warnings=(*e.parse_warnings, note)) if e.id in gone else e
                for e in expenses
            )
        return expenses, malformed

    # -- get expense ------------------------------------------------------------------------

    def _get_expense_steps(self, expense_id: str) -> Step[Expense]:
        # Mapped inside the envelope check: a detail that is not an expense (no id, not an
        # object) becomes a MalformedResponseError with an excerpt of the body.
        expense: Expense = yield Call(
            get_expense._get_kwargs(expense_id),
            unwrap=lambda body: self._to_expense(_detail_data(body)),
        )
        return expense

    # -- mapping ----------------------------------------------------------------------------

    def _to_expense(self, item: ExpenseDetailView) -> Expense:
        """An expense from a detail or (fewer fields) from a list summary."""
        raw = raw_object(require_object(item, "an expense"))
        ident = identifier(item.get("id"))
        if ident is None:
            raise UnexpectedShape("the expense has no id")
        f = LenientFields()
        status, raw_status = STATUS(item.get("state"))
        currency = f.currency("currency", item.get("currency"))
        # A record read as a list summary (details=False, or a detail that was gone) has
        # its amount in totalAmount. (The ignore, not cast(): a call, for every record.)
        summary: ExpenseSummaryView = item  # type: ignore[assignment]
        amount = item.get("amount") if "amount" in raw else summary.get("totalAmount")
        # A list summary has no line items, initiator or merchant: each is read only when
        # given (no empty objects made and read for every summary). In this order: the
        # parse warnings' order.
        given_lines = item.get("lineItems")
        lines = _line_items(f, given_lines, currency) if given_lines is not None else []
        initiator, shop = item.get("initiator"), item.get("merchant")
        employee = _employee(f, initiator) if initiator is not None else None
        merchant = _merchant(f, shop) if shop is not None else None
        document = text(item.get("documentId"))
        return new_expense(
            self.vendor,
            ident,
            status,
            raw_status,
            gross=f.money_number_or_string("gross", amount, currency),
            # (A list summary has no line items: skip the per-line work then.)
            net=_total([line.net for line in lines], currency) if lines else None,
            tax=_total([line.tax for line in lines], currency) if lines else None,
            currency=currency,
            transaction_date=f.timestamp("transaction_date", item.get("expenseDate")),
            approved_at=f.timestamp("approved_at", item.get("approvedDate")),
            employee=employee,
            merchant=merchant,
            gl_code=agreed_value(line.item.gl_code for line in lines) if lines else None,
            tax_code=agreed_value(line.item.tax_code for line in lines) if lines else None,
            description=text(item.get("description")),
            receipts=(new_receipt_ref(id=document),) if document else (),
            line_items=tuple(line.item for line in lines) if lines else (),
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw,
        )


def _employee(f: LenientFields, value: InitiatorView) -> Employee | None:
    """The initiator, built only when it names someone (``text()`` is None or non-empty)."""
    initiator = object_or_warn(f, "initiator", value)
    slug, name = text(initiator.get("slug")), text(initiator.get("name"))
    email = text(initiator.get("email"))
    return parties.employee(slug, name, email) if slug or name or email else None


def _merchant(f: LenientFields, value: MerchantView) -> Merchant | None:
    """The merchant, built only when it has a name or a category code."""
    merchant = object_or_warn(f, "merchant", value)
    mcc = object_or_warn(f, "merchant.mcc", merchant.get("mcc"))
    name, code = text(merchant.get("name")), text(mcc.get("code"))
    return parties.merchant(name, code) if name or code else None


@attrs.frozen(slots=True)
class _Line:
    """A parsed line item and its parts for the expense totals (None: not given/readable)."""

    item: LineItem
    net: Decimal | None
    tax: Decimal | None


def _line_items(
    f: LenientFields, value: list[LineItemView] | None, currency: str | None
) -> list[_Line]:
    if value is None:
        return []
    if not isinstance(value, list):
        f.warn("line_items", "lineItems is not a list")
        return []
    lines: list[_Line] = []
    for n, line in enumerate(value):
        where = f"line_items[{n}]"
        if not is_object(line):
            f.warn(where, "not an object")
            continue
        trx = object_or_warn(f, f"{where}.trxTax", line.get("trxTax"))
        breakdown = object_or_warn(f, f"{where}.amountBreakdown", line.get("amountBreakdown"))
        tax = f.money_number_or_string(f"{where}.tax_amount", trx.get("amount"), currency)
        item = new_line_item(
            amount=f.money_number_or_string(f"{where}.amount", line.get("amount"), currency),
            description=text(line.get("description")),
            gl_code=text(line.get("ledgerId")),
            tax_code=text(trx.get("name")),
            tax_amount=tax,
            raw=raw_object(line),
        )
        net = f.decimal(f"{where}.net", breakdown.get("subTotal"))
        # A line without a transaction tax (trxTax {}) adds nothing to the expense's tax.
        tax_part = tax.amount if tax is not None else (Decimal(0) if not trx else None)
        lines.append(_Line(item, net, tax_part))
    return lines


def _total(parts: Sequence[Decimal | None], currency: str | None) -> Money | None:
    """The exact sum of ``parts``, or None when there are none or one is unknown."""
    if not parts or any(part is None for part in parts):
        return None
    return Money(exact_sum(p for p in parts if p is not None), currency)


def _as_detail(summary: ExpenseSummaryView) -> ExpenseDetailView:
    """A list summary mapped by the detail's mapping: the fields it lacks read as absent."""
    return cast("ExpenseDetailView", summary)
