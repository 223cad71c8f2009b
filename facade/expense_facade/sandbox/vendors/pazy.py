"""Simulator of the Pazy expense APIs (list and detail), with the quirks kept on purpose.
How it generates and pages its data: docs/sandbox.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from expense_facade.clock import Clock
from expense_facade.sandbox import data
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import SimRequest, SimResponse, json_response

if TYPE_CHECKING:  # types only: an answer is a plain dict built as the spec's shape
    from expense_clients.pazy.shapes import (
        ExpenseDetail,
        ExpenseDetailResponse,
        ExpenseListResponse,
        ExpenseSummary,
        LineItem,
        Merchant,
        PageContext,
    )

KEY = "pazy"
STATES = ("DRAFTED", "PENDING", "APPROVED", "OUT_OF_POLICY")
LIST_SPELLING: Mapping[str, str] = {"PENDING": "APPROVAL_PENDING"}
_STATE_TABLE = tuple(zip(STATES, (15, 20, 50, 15), strict=True))
EXPENSE_TYPES = ("REIMBURSEMENT", "CARD", "VENDOR_PAYMENT", "PETTY_CASH")
PAYMENT_STATES = ("UNPAID", "PAID", "PARTIALLY_PAID", "PROCESSING")
SOURCES = ("WEB", "WEB", "WEB", "EMAIL", "SLACK")
CURRENCIES = ("INR",) * 17 + ("USD", "AED", "SGD")
MAX_LIMIT = 100
DEFAULT_LIMIT = 30
SPAN_MS = 330 * 86_400_000
DATE_PARAM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ERROR_CODES: Mapping[int, str] = {
    400: "VALIDATION_ERROR",
    401: "INVALID_API_KEY",
    403: "ACCESS_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}
MCC_GROUPS: Mapping[str, tuple[str, str]] = {
    "Travel": ("travel", "Travel"),
    "Accommodation": ("travel", "Travel"),
    "Ground transport": ("transport", "Transport"),
    "Fuel": ("fuel", "Fuel"),
    "Meals": ("food-and-beverages", "Food & Beverages"),
    "Client entertainment": ("food-and-beverages", "Food & Beverages"),
}
TAGS = ("tag_travel", "tag_client", "tag_q3", "tag_offsite", "tag_hiring")


class PazySim(VendorSim):
    """Pazy: an enveloped, cursor-paged expense list and a detailed expense view."""

    key: ClassVar[str] = KEY
    mount: ClassVar[str] = "/pazy/v1.0"
    list_route: ClassVar[str] = "GET /expenses"
    rate_limit: ClassVar[tuple[int, float] | None] = None
    enum_fields: ClassVar[tuple[str, ...]] = ("state", "syncState", "paymentState", "source")
    date_fields: ClassVar[tuple[str, ...]] = (
        "expenseDate",
        "dateCreated",
        "approvedDate",
        "paymentDate",
    )
    amount_fields: ClassVar[tuple[str, ...]] = ("totalAmount", "amount", "amountPaid")
    next_cursor_field: ClassVar[str | None] = "data.context.nextCursor"

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self.codec = data.IdCodec(seed, KEY)
        self._api_key = f"pzk_sbx_{data.mix(seed, KEY, 'api-key'):016x}"
        self._step_ms = max(1, SPAN_MS // max(1, size))
        self._base_ms = int(data.EPOCH.timestamp() * 1000)
        self._people = max(1, min(200, size // 6 + 1))
        self._state: dict[int, str] = {}
        # Records a test gave a state Pazy does not document: answers carrying them are
        # marked injected (wrong on purpose, so conformance checks skip them).
        self._unlisted: set[int] = set()
        self.router.add("GET", "/expenses", self._list)
        self.router.add("GET", "/expense", self._missing_id)
        self.router.add("GET", "/expense/", self._missing_id)
        self.router.add("GET", "/expense/{expenseId}", self._get)

    # -- contract ---------------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """``{"api_key": ...}``."""
        return {"api_key": self._api_key}

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """401 MISSING_CREDENTIALS without ``Authorization: Api-Key <key>``, INVALID_API_KEY
        with a wrong one."""
        header = (req.header("authorization") or "").strip()
        if not header:
            return self._error(401, "MISSING_CREDENTIALS", "API key is required")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "api-key" or value.strip() != self._api_key:
            return self._error(401, "INVALID_API_KEY", "Invalid API key")
        return None

    def handle(self, req: SimRequest) -> SimResponse:
        """Route an authenticated request."""
        return self.router.answer(
            req,
            not_allowed=lambda: self._error(405, "METHOD_NOT_ALLOWED", "Method not allowed"),
            not_found=lambda: self._error(404, "NOT_FOUND", "Route not found"),
        )

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """Pazy's error envelope with a code chosen by status."""
        return self._error(status, ERROR_CODES.get(status, "INTERNAL_ERROR"), message, headers)

    @staticmethod
    def _error(
        status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        return json_response(
            status, {"ok": False, "error": {"code": code, "message": message}}, headers
        )

    def record_lists(self, body: Any) -> list[list[Any]]:
        """``data.expenses`` of a list, or ``data`` itself for a detail."""
        payload = body.get("data") if isinstance(body, dict) else None
        if isinstance(payload, dict):
            if isinstance(payload.get("expenses"), list):
                return [payload["expenses"]]
            if "id" in payload:
                return [[payload]]
        return []

    # -- generation -------------------------------------------------------------------------

    def expense_id(self, index: int) -> str:
        """The slug of expense ``index``."""
        return self.codec.token(index, "exp_")

    def index_of(self, expense_id: str) -> int | None:
        """The index of a slug this sandbox issued, else None."""
        index = self.codec.from_token(expense_id, "exp_")
        return index if index is not None and 0 <= index < self.size else None

    def _created_ms(self, index: int) -> int:
        jitter = data.mix(self.seed, KEY, index, "created") % self._step_ms
        return self._base_ms + index * self._step_ms + jitter

    def state_of(self, index: int) -> str:
        """The detail spelling of the state of expense ``index``."""
        override = self._state.get(index)
        if override is not None:
            return override
        return data.weighted(data.mix(self.seed, KEY, index, "state"), _STATE_TABLE)

    def detail(self, index: int) -> ExpenseDetail:
        """Expense ``index`` as ``GET /expense/{id}`` shows it (inside ``data``)."""
        rng = data.rng_for(self.seed, KEY, index)
        state = self.state_of(index)
        currency = data.pick(rng, CURRENCIES)
        as_string = rng.random() < 0.35
        created = dt.datetime.fromtimestamp(self._created_ms(index) / 1000, dt.UTC)
        expense_date = created - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
        person_n = rng.randrange(self._people)
        person = data.person(self.seed, KEY, person_n, "acme.in")
        merchant = data.pick(rng, data.MERCHANTS)
        expense_type = data.pick(rng, EXPENSE_TYPES)
        items: list[LineItem] = []
        total = decimal.Decimal(0)
        for n in range(1 + (rng.random() < 0.3) + (rng.random() < 0.15)):
            item, net_payable = self._line_item(rng, index, n, currency, as_string)
            items.append(item)
            total += net_payable

        def money(value: decimal.Decimal) -> decimal.Decimal | str:
            return str(value) if as_string else value

        payment_state = data.pick(rng, PAYMENT_STATES) if state == "APPROVED" else "UNPAID"
        paid = total if payment_state == "PAID" else decimal.Decimal(0)
        if payment_state == "PARTIALLY_PAID":
            paid = (total / 2).quantize(data.quantum(currency))
        synced = state == "APPROVED" and rng.random() < 0.3
        approved = data.iso_z(created + dt.timedelta(days=1)) if state == "APPROVED" else None
        payment_date = (
            data.iso_z(created + dt.timedelta(days=3)) if payment_state == "PAID" else None
        )
        # Drawn in the order the fields are sent (the data stays the same for a seed).
        remarks = "" if rng.random() < 0.7 else "Approved as per travel policy"
        source = data.pick(rng, SOURCES)
        document = f"doc_{index:08d}" if rng.random() < 0.4 else None
        sync_mode = "AUTO" if rng.random() < 0.5 else "MANUAL"
        shop: Merchant = {"name": merchant.name}
        if rng.random() < 0.5:
            shop["vpa"] = f"{merchant.name.lower().replace(' ', '')}@okhdfcbank"
        # Absent, never null: the vendor leaves out what it does not have.
        record: ExpenseDetail = {
            "id": self.expense_id(index),
            "expenseType": expense_type,
            "description": f"{merchant.name} - {merchant.category.lower()}",
            "itemCount": len(items),
            "expenseDate": data.iso_z(expense_date),
            "dueDate": data.iso_z(created + dt.timedelta(days=30)),
            "accountingDate": data.iso_z(created),
            "recipientId": f"emp_{person_n:05d}",
            "recipientType": "EMPLOYEE" if expense_type != "VENDOR_PAYMENT" else "VENDOR",
            "amount": money(total),
            "currency": currency,
            "state": state,
            "paymentState": payment_state,
            "amountPaid": money(paid),
            "dateCreated": data.iso_z(created),
            "remarks": remarks,
            "source": source,
            "syncState": "SYNCED" if synced else "NOT_SYNCED",
            "syncMode": sync_mode,
            "selfUrl": f"https://app.pazy.io/expenses/{self.expense_id(index)}",
            "identifier": f"EXP-{index + 1:06d}",
            "cardInfo": {},
            "transaction": {},
            "initiator": {
                "slug": f"usr_{person_n:05d}",
                "name": person.name,
                "email": person.email,
            },
            "merchant": shop,
            "vendor": {},
            "lineItems": items,
        }
        if approved is not None:
            record["approvedDate"] = approved
        if payment_date is not None:
            record["paymentDate"] = payment_date
        if synced:
            record["syncedReferenceId"] = f"BILL-{index + 5000}"
        if document is not None:
            record["documentId"] = document
        if synced:
            record["accountingPlatform"] = "Tally" if rng.random() < 0.5 else "Zoho Books"
        if rng.random() < 0.8:
            group_slug, group_name = MCC_GROUPS.get(merchant.category, ("others", "Others"))
            shop["mcc"] = {
                "code": merchant.mcc,
                "groupSlug": group_slug,
                "groupName": group_name,
                "groupDescription": None,
                "groupExtra": None,
            }
        if expense_type == "CARD":
            record["cardInfo"] = {
                "name": f"{person.first_name}'s card",
                "slug": f"card_{person_n:05d}",
                "maskedCardNumber": f"XXXX XXXX XXXX {1000 + person_n % 9000}",
                "description": "Corporate card",
                "dateCreated": data.iso_z(data.EPOCH - dt.timedelta(days=90)),
                "provider": "VISA",
            }
        if payment_state == "PAID" or expense_type == "CARD":
            record["transaction"] = {
                "utr": f"UTR{data.mix(self.seed, KEY, index, 'utr') % 10**12:012d}",
                "dateConfirmed": data.iso_z(created + dt.timedelta(days=3)),
                "narration": f"NEFT/{merchant.name.upper()}",
                "ledgerId": None if rng.random() < 0.5 else f"ldg_{rng.randrange(100):03d}",
            }
        if expense_type == "VENDOR_PAYMENT":
            record["vendor"] = {
                "slug": f"ven_{data.mix(merchant.name) % 10**6:06d}",
                "name": merchant.name,
                "email": f"accounts@{merchant.name.lower().replace(' ', '')}.example",
            }
        if source == "EMAIL" and rng.random() < 0.5:
            record["processingStatus"] = {
                "processingId": f"proc_{index:08d}",
                "status": "COMPLETED",
                "isReady": True,
            }
        return record

    def _line_item(
        self, rng: Any, index: int, n: int, currency: str, as_string: bool
    ) -> tuple[LineItem, decimal.Decimal]:
        """Line item ``n`` of expense ``index``, and its net payable amount."""
        q = data.quantum(currency)
        quantity = decimal.Decimal(rng.randrange(1, 4))
        rate = (
            data.amount(rng, currency, 50, 4000)
            if currency == "INR"
            else data.amount(rng, currency, 2, 300)
        )
        sub_total = (rate * quantity).quantize(q)
        gst = data.pick(rng, (decimal.Decimal(5), decimal.Decimal(12), decimal.Decimal(18)))
        tax = (sub_total * gst / 100).quantize(q, rounding=decimal.ROUND_HALF_UP)
        gross = sub_total + tax
        wht = (sub_total / 100).quantize(q) if rng.random() < 0.2 else None
        net = gross - (wht or 0)

        def num(value: decimal.Decimal) -> decimal.Decimal | str:
            return str(value) if as_string else value

        item: LineItem = {
            "id": f"li_{data.mix(self.seed, KEY, index, n) % 10**10:010d}",
            "description": f"Item {n + 1}",
            "amount": gross,
            "rate": rate,
            "quantity": quantity,
            "ledgerType": "EXPENSE",
            "ledgerId": f"ldg_{rng.randrange(40):03d}",
            "skuId": None,
            "trxTax": {
                "type": "GST",
                "amount": num(tax),
                "name": f"GST {gst}%",
                "deductionType": None,
                "deductionValue": None,
                "id": int(gst) if rng.random() < 0.5 else f"gst_{gst}",
            },
            "whtTax": {},
            "amountBreakdown": {"subTotal": sub_total, "grossTotal": gross, "netPayable": net},
        }
        if wht is not None:
            item["whtTax"] = {
                "type": "TDS",
                "amount": num(wht),
                "name": "TDS 194J",
                "deductionType": "PERCENTAGE",
                "deductionValue": decimal.Decimal(1),
                "id": 194,
            }
        return item, net

    def summary(self, index: int) -> ExpenseSummary:
        """Expense ``index`` as the list shows it."""
        full = self.detail(index)
        state = full.get("state") or ""
        summary: ExpenseSummary = {
            "id": full["id"],
            "state": LIST_SPELLING.get(state, state),
            "syncState": full.get("syncState"),
            "expenseType": full.get("expenseType"),
            "paymentState": full.get("paymentState"),
            "currency": full.get("currency"),
            "totalAmount": full.get("amount"),
            "itemCount": full.get("itemCount"),
        }
        return summary

    def _tags(self, index: int) -> frozenset[str]:
        value = data.mix(self.seed, KEY, index, "tags")
        return frozenset(t for n, t in enumerate(TAGS) if (value >> n) & 7 == 0)

    # -- routes -----------------------------------------------------------------------------

    def _invalid(self, message: str) -> SimResponse:
        return self._error(400, "VALIDATION_ERROR", message)

    def _list(self, req: SimRequest, params: PathParams) -> SimResponse:
        limit = DEFAULT_LIMIT
        text = req.param("limit")
        if text not in (None, ""):
            # isascii: str.isdigit() also accepts "²", which int() refuses.
            if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
                return self._invalid(f"limit must be an integer between 1 and {MAX_LIMIT}")
            limit = int(text)
        start = 0
        cursor = req.param("cursor")
        if cursor not in (None, ""):
            if not (cursor.isascii() and cursor.isdigit()):
                return self._invalid("cursor is invalid")
            start = int(cursor)
        state = req.param("state")
        if state not in (None, ""):
            state = {"APPROVAL_PENDING": "PENDING"}.get(state, state)
            if state not in STATES:
                return self._invalid(f"state must be one of {', '.join(STATES)}")
        window: dict[str, int | None] = {}
        for name in ("startDate", "endDate"):
            value = req.param(name)
            window[name] = None
            if value not in (None, ""):
                parsed = data.parse_time(value) if DATE_PARAM.match(value) else None
                if parsed is None:
                    return self._invalid(f"{name} must be formatted YYYY-MM-DDTHH:mm:ssZ")
                window[name] = int(parsed.timestamp() * 1000)
        bounds: dict[str, decimal.Decimal | None] = {}
        for name in ("minAmount", "maxAmount"):
            value = req.param(name)
            bounds[name] = None
            if value not in (None, ""):
                try:
                    bound = decimal.Decimal(value)
                except decimal.InvalidOperation:
                    return self._invalid(f"{name} must be a number")
                if not bound.is_finite():  # "NaN" parses, then cannot be compared
                    return self._invalid(f"{name} must be a number")
                bounds[name] = bound
        employee = (req.param("employeeName") or "").strip().lower()
        tag = req.param("tagId") or ""

        lo, hi = 0, self.size
        if window["startDate"] is not None:
            lo = self._bisect(window["startDate"])
        if window["endDate"] is not None:
            hi = self._bisect(window["endDate"] + 1)
        found: list[ExpenseSummary] = []
        odd = False
        index = max(start, lo)
        budget = max(5000, limit * 60)
        while index < hi and len(found) < limit and budget > 0:
            budget -= 1
            current = index
            index += 1
            if state and self.state_of(current) != state:
                continue
            if tag and tag not in self._tags(current):
                continue
            if employee or bounds["minAmount"] is not None or bounds["maxAmount"] is not None:
                full = self.detail(current)
                name = (full.get("initiator") or {}).get("name") or ""
                if employee and employee not in name.lower():
                    continue
                total = decimal.Decimal(str(full.get("amount")))
                low, high = bounds["minAmount"], bounds["maxAmount"]
                if (low is not None and total < low) or (high is not None and total > high):
                    continue
            found.append(self.summary(current))
            odd = odd or current in self._unlisted
        has_more = index < hi
        # The last page carries no nextCursor (the spec allows it absent or null).
        context: PageContext = {"hasMore": has_more}
        if has_more:
            context["nextCursor"] = index
        page: ExpenseListResponse = {"ok": True, "data": {"expenses": found, "context": context}}
        response = json_response(200, page)
        return attrs.evolve(response, injected=True) if odd else response

    def _bisect(self, millis: int) -> int:
        import bisect

        return bisect.bisect_left(range(self.size), millis, key=self._created_ms)

    def _missing_id(self, req: SimRequest, params: PathParams) -> SimResponse:
        return self._error(400, "MISSING_REQUIRED_FIELD", "Expense ID is required")

    def _get(self, req: SimRequest, params: PathParams) -> SimResponse:
        index = self.index_of(params["expenseId"])
        if index is None:
            return self._error(404, "EXPENSE_NOT_FOUND", "Expense not found")
        answer: ExpenseDetailResponse = {"ok": True, "data": self.detail(index)}
        response = json_response(200, answer)
        return attrs.evolve(response, injected=True) if index in self._unlisted else response

    # -- introspection ----------------------------------------------------------------------

    def approve_waiting(self, count: int) -> None:
        """Approve about ``count`` pending expenses, oldest first (``VendorSim``)."""
        for expense_id in list(self.ids_in_state("PENDING"))[:count]:
            self.set_state(expense_id, "APPROVED")

    def approved_ids(self) -> Iterator[str]:
        """Ids in state APPROVED, in list order."""
        return self.ids_in_state("APPROVED")

    def ids_in_state(self, state: str) -> Iterator[str]:
        """Ids whose (detail-spelled) state is ``state``, in list order."""
        return (self.expense_id(i) for i in range(self.size) if self.state_of(i) == state)

    def get(self, expense_id: str) -> ExpenseDetail | None:
        """The detail of ``expense_id`` (None when unknown)."""
        index = self.index_of(expense_id)
        return None if index is None else self.detail(index)

    def set_state(self, expense_id: str, state: str) -> None:
        """Change one expense's state (a record changing between pages). A state Pazy does
        not document is allowed (a new value); answers carrying the record are then marked
        ``injected``."""
        index = self.index_of(expense_id)
        if index is None:
            raise KeyError(expense_id)
        self._state[index] = state
        if state in STATES:
            self._unlisted.discard(index)
        else:
            self._unlisted.add(index)
