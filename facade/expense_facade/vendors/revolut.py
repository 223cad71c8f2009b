"""Revolut adapter: Revolut Business expenses as ``ExpenseClient`` (list approved, get
expense), with a static token or a token provider. Its field mapping is in
docs/field_mapping.md; paging, the ignored ``since``, and authentication in
docs/adapter_guide.md, "Vendor notes".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from expense_clients.revolut.api.expenses import get_expense, get_expenses
from expense_clients.revolut.types import UNSET

from expense_facade._http.redaction import get_logger
from expense_facade._http.session import RateLimit
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import ConfigurationError
from expense_facade.listing import KnownRecords, RawPage
from expense_facade.mapping.agreement import agreed_value
from expense_facade.mapping.dimensions import Dimension, dimensions_from
from expense_facade.mapping.fields import (
    JsonScalar,
    LenientFields,
    StatusMap,
    is_object,
    raw_object,
    text,
)
from expense_facade.mapping.paging import timestamp_pages
from expense_facade.mapping.shapes import (
    list_or_empty,
    object_or_empty,
    require_list,
    require_object,
)
from expense_facade.mapping.timeparse import TimestampParseError, format_timestamp, parse_timestamp
from expense_facade.operations import Operation
from expense_facade.records import (
    Employee,
    Expense,
    ExpenseStatus,
    LineItem,
    Merchant,
    ReceiptRef,
)

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.revolut.shapes import (
        ExpenseLabelsView,
        ExpenseSplitView,
        ExpenseView,
        GetExpensesResponse200View,
    )

log = get_logger(__name__)

STATUS = StatusMap(
    {
        "missing_info": ExpenseStatus.DRAFT,
        "awaiting_review": ExpenseStatus.PENDING_APPROVAL,
        "approved": ExpenseStatus.APPROVED,
        # A reimbursement that was approved and waits to be paid out.
        "pending_reimbursement": ExpenseStatus.APPROVED,
        "rejected": ExpenseStatus.REJECTED,
        # Rejected, and the employee asked to pay the business back.
        "refund_requested": ExpenseStatus.REJECTED,
        # The employee paid it back, or the merchant reverted the transaction: nothing
        # remains to account for.
        "refunded": ExpenseStatus.VOID,
        "reverted": ExpenseStatus.VOID,
    }
)
"""Revolut expense ``state`` -> the common status; unlisted states are ``UNKNOWN``."""

APPROVED = "approved"
MAX_COUNT = 500

TokenProvider = Callable[[], str]
"""A callable returning the current Revolut access token."""


def _array(body: Any) -> GetExpensesResponse200View:
    items: GetExpensesResponse200View = require_list(body, "the expense list")
    return items


def _object(body: Any) -> ExpenseView:
    expense: ExpenseView = require_object(body, "an expense")
    return expense


def _expense_date(item: ExpenseView) -> dt.datetime | None:
    """The paging timestamp of a listed item; ``None`` when unreadable (not a boundary)."""
    if not is_object(item):
        return None
    try:
        return parse_timestamp(item.get("expense_date"))
    except TimestampParseError:
        return None


class RevolutClient(ExpenseClient):
    """Revolut Business expenses client; ``connect("revolut", token=<str or callable>)``."""

    vendor = "revolut"
    capabilities = frozenset({Operation.LIST_APPROVED, Operation.GET_EXPENSE})
    default_base_url = "https://b2b.revolut.com/api/1.0"
    credential_specs = (Credential("token", Kind.SECRET, required=True),)
    max_page_size = MAX_COUNT
    rate_limit = RateLimit(60, 60.0)

    def __init__(self, settings: ConnectionSettings) -> None:
        token = settings.credentials.get("token")
        if not (callable(token) or (isinstance(token, str) and token.strip())):
            raise ConfigurationError(
                "revolut: token must be an access token string or a callable returning one"
            )
        super().__init__(settings)

    # ---- auth -------------------------------------------------------------------------
    def _token(self) -> str:
        token = self._credential("token")
        if callable(token):
            token = token()
            if not isinstance(token, str) or not token.strip():
                raise ConfigurationError("revolut: the token provider returned no token")
        return str(token).strip()

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._token()}"}

    def _refresh_auth(self) -> bool:
        # A static token cannot get better; a provider is asked again (by _auth_headers,
        # for the one retry the session allows after a 401).
        if callable(self._credential("token")):
            log.info("revolut: access token refused; asking the token provider again")
            return True
        return False

    # ---- list and detail --------------------------------------------------------------
    def _approved_pages(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Iterator[RawPage]:
        self._ignore_since(
            since,
            "Revolut has no update-time filter (from/to bound expense_date, which would drop "
            "late approvals); listing every approved expense",
        )

        def fetch(
            lower: dt.datetime | None, upper: dt.datetime | None, count: int
        ) -> GetExpensesResponse200View:
            kwargs = get_expenses._get_kwargs(
                from_=format_timestamp(lower) if lower is not None else UNSET,
                to=format_timestamp(upper) if upper is not None else UNSET,
                count=count,
                state=APPROVED,
            )
            items: GetExpensesResponse200View = self._call(kwargs, unwrap=_array)
            return items

        pages = timestamp_pages(
            fetch,
            timestamp_of=_expense_date,
            page_size=page_size,
            max_page_size=MAX_COUNT,
            vendor=self.vendor,
        )
        for items in pages:
            yield self._parse_page(items, self._to_expense)

    def _get_expense(self, expense_id: str) -> Expense:
        return self._to_expense(self._call(get_expense._get_kwargs(expense_id), unwrap=_object))

    # ---- mapping ----------------------------------------------------------------------
    def _to_expense(self, item: ExpenseView) -> Expense:
        raw = raw_object(item)  # the record itself: a view only types it
        expense_id = text(item["id"])
        if expense_id is None:
            raise ValueError("the expense has an empty id")
        f = LenientFields()
        status, raw_status = STATUS(item.get("state"))
        spent = object_or_empty(item.get("spent_amount"))
        gross = f.money("spent_amount", spent.get("amount"), spent.get("currency"))
        completed_at = f.timestamp("completed_at", item.get("completed_at"))
        approved = status is ExpenseStatus.APPROVED
        splits = list_or_empty(item.get("splits"))
        lines = tuple(self._line_item(f, n, split) for n, split in enumerate(splits))
        dims = _label_dimensions(item.get("labels"))
        payer = text(item.get("payer"))
        merchant = text(item.get("merchant"))
        return Expense(
            vendor=self.vendor,
            id=expense_id,
            status=status,
            raw_status=raw_status,
            gross=gross,
            currency=gross.currency if gross is not None else None,
            transaction_date=f.timestamp("expense_date", item.get("expense_date")),
            submitted_at=f.timestamp("submitted_at", item.get("submitted_at")),
            approved_at=completed_at if approved else None,
            employee=Employee(name=payer) if payer is not None else None,
            merchant=Merchant(name=merchant) if merchant is not None else None,
            category=agreed_value(line.category for line in lines),
            gl_code=agreed_value(line.gl_code for line in lines),
            tax_code=agreed_value(line.tax_code for line in lines),
            department=dims.get("department"),
            location=dims.get("location"),
            project=dims.get("project"),
            cost_centre=dims.get("cost_centre"),
            description=text(item.get("description")),
            receipts=_receipts(item.get("receipt_ids")),
            line_items=lines,
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw,
        )

    @staticmethod
    def _line_item(f: LenientFields, n: int, split: ExpenseSplitView) -> LineItem:
        raw: dict[str, Any] = split if isinstance(split, dict) else {}
        view = object_or_empty(split)
        amount = object_or_empty(view.get("amount"))
        category = object_or_empty(view.get("category"))
        tax_rate = object_or_empty(view.get("tax_rate"))
        rate: Decimal | None = f.decimal(f"splits[{n}].tax_rate", tax_rate.get("percentage"))
        return LineItem(
            amount=f.money(f"splits[{n}].amount", amount.get("amount"), amount.get("currency")),
            category=text(category.get("name")),
            gl_code=text(category.get("code")),
            tax_code=text(tax_rate.get("name")),
            tax_rate=rate,
            raw=raw,
        )


def _receipts(ids: list[str] | None) -> tuple[ReceiptRef, ...]:
    return tuple(ReceiptRef(id=r) for r in map(text, list_or_empty(ids)) if r)


def _label_dimensions(labels: ExpenseLabelsView | None) -> Mapping[Dimension, str]:
    return dimensions_from(
        (group, _selected(chosen)) for group, chosen in object_or_empty(labels).items()
    )


def _selected(chosen: list[str]) -> JsonScalar:
    """A label group's selected label: a one-element list (a bare string is read too)."""
    value: object = chosen
    if isinstance(value, list):
        return cast("JsonScalar", value[0]) if value else None  # text() refuses a non-scalar
    return cast("JsonScalar", value)
