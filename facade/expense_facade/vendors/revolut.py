"""Revolut adapter: Revolut Business expenses (``https://b2b.revolut.com/api/1.0``).

Operations: ``list_approved`` (``GET /expenses?state=approved``) and ``get_expense``
(``GET /expenses/{expense_id}``). Revolut has no mark-exported, upload or card-transaction
endpoint (the export ledger remembers what was exported).

Authentication: ``connect("revolut", token=...)`` where ``token`` is either

* a string: a static access token (Revolut access tokens live 40 minutes), or
* a token provider: a callable taking no arguments and returning the current access
  token as a string. It is called before every request, so it can hand out a refreshed
  token whenever the old one expires (refresh with the refresh token and a signed client
  assertion at ``POST /auth/token``: that is the integration's business, the facade only
  asks). When Revolut answers 401 the provider is asked exactly once more and the
  request retried once; a second 401 raises ``AuthenticationError``.

Listing: the response is a bare array sorted by ``expense_date``, newest first, paged by
``to`` = the last item's ``expense_date``. That rule skips records sharing the boundary
timestamp and never advances past a page made only of ties, so the shared
``timestamp_pages`` strategy is used: it overlaps pages, de-duplicates by id, and reads a
page of ties as one whole-millisecond request (``count=500``, the maximum and the
default page size here). More than 500 approved expenses in one millisecond raises
``PaginationError`` rather than skipping any.

**``since`` is accepted and ignored**, as for Capture and Pazy. Revolut's only date filter
(``from``) bounds ``expense_date``, which is *not* an update time: it is the transaction's
creation time until the transaction completes, then its completion time. An expense
approved today for a purchase made last month has last month's ``expense_date``, so
sending ``since`` as ``from`` would silently drop late approvals from an incremental
export. Every listing therefore reads all approved expenses; the export ledger keeps each
exported once.

Mapping (see docs/field_mapping.md): amounts are JSON doubles and are read exactly
(``12.1`` -> ``Decimal("12.1")``); optional fields are absent, not null. ``gross`` is
``spent_amount`` (billed currency). Each split is a ``LineItem`` (category name and code,
tax rate name and percentage; real splits may carry only ``amount``); the expense-level
category, GL code and tax code are set when every split that has one agrees. Label groups
fill ``department``, ``cost_centre``, ``project`` or ``location`` when the group's name
says so (``expense_facade.mapping.dimensions``: "Cost centre", "Cost center", "Department",
"Project", "Location", ...); other groups stay in ``raw``. ``approved_at`` is
``completed_at`` for approved (and pending-reimbursement) expenses: Revolut completes an
expense when it is approved. A malformed date (``2025-10-6T08:34:18.123Z``) leaves that
field ``None`` with a parse warning; the listing goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from expense_clients.revolut.api.expenses import get_expense, get_expenses
from expense_clients.revolut.types import UNSET

from expense_facade._http.error_mapping import UnexpectedShape
from expense_facade._http.redaction import get_logger
from expense_facade._http.session import RateLimit
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.errors import ConfigurationError
from expense_facade.listing import KnownRecords, RawPage
from expense_facade.mapping.dimensions import dimension_for
from expense_facade.mapping.fields import LenientFields, StatusMap, present, text
from expense_facade.mapping.paging import timestamp_pages
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


def _array(body: Any) -> list[Any]:
    if not isinstance(body, list):
        raise UnexpectedShape("the expense list must be a JSON array")
    return body


def _object(body: Any) -> Any:
    if not isinstance(body, dict):
        raise UnexpectedShape("an expense must be a JSON object")
    return body


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _expense_date(item: Any) -> dt.datetime | None:
    """The paging timestamp of a raw item; ``None`` when unreadable (not a boundary)."""
    if not isinstance(item, dict):
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
    required_credentials = ("token",)
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
        if since is not None:
            log.info(
                "revolut: since=%s ignored: Revolut has no update-time filter (from/to bound "
                "expense_date, which would drop late approvals); listing every approved expense",
                since.isoformat(),
            )

        def fetch(lower: dt.datetime | None, upper: dt.datetime | None, count: int) -> list[Any]:
            kwargs = get_expenses._get_kwargs(
                from_=format_timestamp(lower) if lower is not None else UNSET,
                to=format_timestamp(upper) if upper is not None else UNSET,
                count=count,
                state=APPROVED,
            )
            items: list[Any] = self._call(kwargs, unwrap=_array)
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
    def _to_expense(self, item: Any) -> Expense:
        expense_id = text(item["id"])
        if expense_id is None:
            raise ValueError("the expense has an empty id")
        f = LenientFields()
        status, raw_status = STATUS(item.get("state"))
        spent = _obj(item.get("spent_amount"))
        gross = f.money("spent_amount", spent.get("amount"), spent.get("currency"))
        completed_at = f.timestamp("completed_at", item.get("completed_at"))
        approved = status is ExpenseStatus.APPROVED
        lines = tuple(self._line_item(f, n, split) for n, split in enumerate(_list(item, "splits")))
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
            category=_shared(line.category for line in lines),
            gl_code=_shared(line.gl_code for line in lines),
            tax_code=_shared(line.tax_code for line in lines),
            department=dims.get("department"),
            location=dims.get("location"),
            project=dims.get("project"),
            cost_centre=dims.get("cost_centre"),
            description=text(item.get("description")),
            receipts=tuple(ReceiptRef(id=r) for r in map(text, _list(item, "receipt_ids")) if r),
            line_items=lines,
            account=self.account,
            parse_warnings=f.warnings,
            raw=item,
        )

    @staticmethod
    def _line_item(f: LenientFields, n: int, split: Any) -> LineItem:
        split = _obj(split)
        amount = _obj(split.get("amount"))
        category = _obj(split.get("category"))
        tax_rate = _obj(split.get("tax_rate"))
        rate: Decimal | None = f.decimal(f"splits[{n}].tax_rate", tax_rate.get("percentage"))
        return LineItem(
            amount=f.money(f"splits[{n}].amount", amount.get("amount"), amount.get("currency")),
            category=text(category.get("name")),
            gl_code=text(category.get("code")),
            tax_code=text(tax_rate.get("name")),
            tax_rate=rate,
            raw=split,
        )


def _list(item: Mapping[str, Any], name: str) -> Sequence[Any]:
    value = present(item.get(name))
    return value if isinstance(value, list) else ()


def _shared(values: Iterator[str | None]) -> str | None:
    """The one value every line that has one agrees on; ``None`` if none or they differ."""
    first: str | None = None
    for value in values:  # a plain loop: most expenses have one split (no set needed)
        if value is None:
            continue
        if first is None:
            first = value
        elif value != first:
            return None
    return first


def _label_dimensions(labels: object) -> dict[str, str]:
    found: dict[str, str] = {}
    for group, chosen in _obj(labels).items():
        dimension = dimension_for(group)
        # Each group holds a one-element list (the selected label); be lenient about a
        # bare string too.
        value = text(chosen[0]) if isinstance(chosen, list) and chosen else text(chosen)
        if dimension is not None and value is not None:
            found.setdefault(dimension, value)
    return found
