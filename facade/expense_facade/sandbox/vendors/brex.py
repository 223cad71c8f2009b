"""Simulator of the Brex Expenses API, with its pre-signed receipt-upload bucket. How it
generates and pages its data: docs/sandbox.md.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, unquote

import attrs

from expense_facade.clock import Clock
from expense_facade.sandbox import data
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import (
    BadBody,
    Refusal,
    SimRequest,
    SimResponse,
    empty_response,
    json_response,
    xml_response,
)

if TYPE_CHECKING:  # types only: an answer is a plain dict built as the spec's shape
    from expense_clients.brex.shapes import (
        CardExpense,
        Expense,
        ListExpensesResponse200,
        ReceiptUploadResponse,
    )

KEY = "brex"
BUCKET_PREFIX = "/s3/brex-receipts"
MAX_LIMIT = 100
DEFAULT_LIMIT = 100
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_TTL = dt.timedelta(minutes=30)
DOWNLOAD_TTL = dt.timedelta(minutes=15)
SPAN_MS = 330 * 86_400_000  # 2025-01-01 .. 2025-11-27: before any clock in use
ACCOUNT_CURRENCY = "USD"
STATUSES = (
    "DRAFT",
    "SUBMITTED",
    "APPROVED",
    "OUT_OF_POLICY",
    "VOID",
    "CANCELED",
    "SPLIT",
    "SETTLED",
)
# Cumulative weights: APPROVED is the common case, every status appears.
_STATUS_TABLE = tuple(zip(STATUSES, (8, 10, 45, 5, 4, 4, 3, 21), strict=True))
PAYMENT_STATUSES = (
    "NOT_STARTED",
    "PROCESSING",
    "CANCELED",
    "DECLINED",
    "CLEARED",
    "REFUNDING",
    "REFUNDED",
    "CASH_ADVANCE",
    "CREDITED",
    "AWAITING_PAYMENT",
    "SCHEDULED",
)
EXPENSE_TYPES = (
    "CARD",
    "CARD",
    "CARD",
    "CARD",
    "CARD",
    "CARD",
    "CARD",
    "REIMBURSEMENT",
    "REIMBURSEMENT",
    "BILLPAY",
    "CLAWBACK",
)
CATEGORY_OF: Mapping[str, str] = {
    "Travel": "AIRLINE_EXPENSES",
    "Accommodation": "LODGING",
    "Ground transport": "TAXI_AND_RIDESHARE",
    "Fuel": "FUEL",
    "Meals": "RESTAURANTS",
    "Client entertainment": "ENTERTAINMENT",
    "Office supplies": "OFFICE_SUPPLIES",
    "Software": "SOFTWARE_NON_RECURRING",
    "Telephone": "TELEPHONY",
    "Postage": "SHIPPING",
    "Advertising": "ADVERTISING_AND_MARKETING",
    "Rent": "RENT",
    "Equipment": "ELECTRONICS",
    "Training": "EDUCATION",
    "Parking": "PARKING",
}
CITIES = (
    ("United States", "NY", "New York", "10001", "America/New_York", 40.7506, -73.9972),
    ("United States", "CA", "San Francisco", "94105", "America/Los_Angeles", 37.7897, -122.394),
    ("United Kingdom", "", "London", "EC2A 4NE", "Europe/London", 51.5246, -0.0786),
    ("Brazil", "RJ", "Rio de Janeiro", "21941-900", "America/Sao_Paulo", -22.8145, -43.2466),
    ("Japan", "13", "Tokyo", "100-0005", "Asia/Tokyo", 35.6812, 139.7671),
    ("Kuwait", "", "Kuwait City", "13001", "Asia/Kuwait", 29.3759, 47.9774),
)
EXPANDABLE = (
    "merchant",
    "location",
    "department",
    "budget",
    "user",
    "receipts",
    "receipts.download_uris",
    "payment",
)
"""``expand[]`` values; receipts carry their ``download_uris`` only with the last-but-one
(Brex names it ``receipts.download_uris`` in its API reference)."""
RECEIPT_COUNTS = (0, 1, 1, 1, 2)
"""Receipts of a generated record, picked per index: most have one, some two, some none."""


@attrs.frozen
class ReceivedReceipt:
    """A receipt file that arrived at the upload bucket."""

    id: str
    expense_id: str | None  # None for receipt_match
    filename: str
    size: int
    content_type: str | None
    sha256: str
    received_at: dt.datetime


@attrs.define
class _UploadSlot:
    receipt_id: str
    expense_index: int | None
    filename: str
    created_at: dt.datetime
    signature: str
    used_sha256: str | None = None


def _encode_cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"brex:{index}".encode()).decode().rstrip("=")


def _decode_cursor(text: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, number = raw.partition(":")
    if prefix != "brex" or not (number.isascii() and number.isdigit()):
        return None
    return int(number)


class BrexSim(VendorSim):
    """Brex: expenses with cursor paging and filters, memo updates, receipt uploads."""

    key: ClassVar[str] = KEY
    mount: ClassVar[str] = "/brex"
    list_route: ClassVar[str] = "GET /v1/expenses"
    unknown_expense_id: ClassVar[str] = "expense_doesnotexist0000"
    rate_limit: ClassVar[tuple[int, float] | None] = (1000, 60.0)
    enum_fields: ClassVar[tuple[str, ...]] = (
        "status",
        "payment_status",
        "expense_type",
        "category",
    )
    date_fields: ClassVar[tuple[str, ...]] = ("purchased_at", "payment_posted_at")
    amount_fields: ClassVar[tuple[str, ...]] = ("original_amount.amount", "billing_amount.amount")
    protected_fields: ClassVar[tuple[str, ...]] = ("id", "updated_at")
    text_fields: ClassVar[tuple[str, ...]] = ("memo",)
    next_cursor_field: ClassVar[str | None] = "next_cursor"

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self.codec = data.IdCodec(seed, KEY)
        self._token = f"bxt_sbx_{data.mix(seed, KEY, 'token'):016x}{data.mix(seed, 'b'):08x}"
        self._signing_key = f"{data.mix(seed, KEY, 'signing'):016x}".encode()
        self._step_ms = max(1, SPAN_MS // max(1, size))
        self._base_ms = int(data.EPOCH.timestamp() * 1000)
        self._users = max(1, min(300, size // 8 + 1))
        # overlays
        self._memo: dict[int, str | None] = {}
        self._status: dict[int, str] = {}
        # Records a test gave a status Brex does not document: answers carrying them are
        # marked injected (wrong on purpose, so conformance checks skip them).
        self._unlisted: set[int] = set()
        self._touched: dict[int, dt.datetime] = {}
        self._receipt_ids: dict[int, list[str]] = {}
        self._receipt_codec = data.IdCodec(seed, "brex-receipt")
        self._uploaded_files: dict[str, tuple[bytes, str]] = {}
        self.download_ttl = DOWNLOAD_TTL
        """How long a download URI is honoured (a test shortens it to see one expire)."""
        self._slots: dict[str, _UploadSlot] = {}
        self._idempotent: dict[tuple[str, str], SimResponse] = {}
        self.receipts: list[ReceivedReceipt] = []
        self._receipt_counter = 0
        r = self.router
        r.add("GET", "/v1/expenses", self._list)
        r.add("POST", "/v1/expenses/card/receipt_match", self._receipt_match)
        r.add("POST", "/v1/expenses/card/{expense_id}/receipt_upload", self._receipt_upload)
        r.add("PUT", "/v1/expenses/card/{expense_id}", self._update_card)
        r.add("GET", "/v1/expenses/{expense_id}", self._get)

    # -- contract ---------------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """``{"token": ...}``."""
        return {"token": self._token}

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """401 unless ``Authorization: Bearer <token>``."""
        header = req.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), self._token):
            return self.error_response(401, "Unauthorized")
        return None

    def handle(self, req: SimRequest) -> SimResponse:
        """Route an authenticated request."""
        return self.router.answer(
            req,
            not_allowed=lambda: self.error_response(405, "Method Not Allowed"),
            not_found=lambda: self.error_response(404, "Not Found"),
        )

    def rate_limited_response(self, retry_after: float) -> SimResponse:
        """Brex documents no header on its 429."""
        return self.error_response(429, "Too Many Requests")

    def record_lists(self, body: Any) -> list[list[Any]]:
        """A list's ``items``, or the one record of a detail answer (not its receipts)."""
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            return [body["items"]]
        if isinstance(body, dict) and "id" in body:
            return [[body]]
        return []

    def extra_mounts(self) -> Mapping[str, Callable[[SimRequest], SimResponse]]:
        """The receipt bucket the pre-signed URLs point at (uploads and downloads)."""
        return {BUCKET_PREFIX: self._bucket}

    # -- generation -------------------------------------------------------------------------

    def _base_updated_ms(self, index: int) -> int:
        jitter = data.mix(self.seed, KEY, index, "u") % self._step_ms
        return self._base_ms + index * self._step_ms + jitter

    def updated_at(self, index: int) -> dt.datetime:
        """The record's ``updated_at`` (an overlay's time when it was touched)."""
        touched = self._touched.get(index)
        if touched is not None:
            return touched
        return dt.datetime.fromtimestamp(self._base_updated_ms(index) / 1000, dt.UTC)

    def status_of(self, index: int) -> str:
        """The record's status."""
        override = self._status.get(index)
        if override is not None:
            return override
        return data.weighted(data.mix(self.seed, KEY, index, "status"), _STATUS_TABLE)

    def _sparse(self, index: int) -> bool:
        return data.chance(self.seed, KEY, index, "sparse", 0.03)

    def expense(
        self,
        index: int,
        expand: frozenset[str] = frozenset(),
        custom_fields: bool = False,
        origin: str = "https://api.brex.com",
    ) -> Expense:
        """Expense ``index`` as the API shows it (``expand`` = the ``expand[]`` values)."""
        status = self.status_of(index)
        updated = data.iso_z(self.updated_at(index))
        rec: Expense = {"id": self.expense_id(index), "updated_at": updated}
        if self._sparse(index):
            rec["status"] = status
            return rec
        rng = data.rng_for(self.seed, KEY, index)
        merchant = data.pick(rng, data.MERCHANTS)
        user_n = rng.randrange(self._users)
        user = data.person(self.seed, KEY, user_n, "northwind.com")
        expense_type = data.pick(rng, EXPENSE_TYPES)
        roll = rng.random()
        currency: str | None
        if roll < 0.02:
            currency = None
        elif roll < 0.72:
            currency = ACCOUNT_CURRENCY
        elif roll < 0.9:
            currency = data.pick(rng, ("EUR", "GBP", "AUD", "SGD"))
        else:
            currency = data.pick(rng, ("JPY", "KWD", "KRW", "BHD"))
        original = data.amount(rng, currency, 1, 1800)
        usd_rate = {"JPY": 0.0067, "KRW": 0.00073, "KWD": 3.25, "BHD": 2.65}.get(
            currency or "", 1.1 if currency in ("EUR", "GBP") else 0.7
        )
        billing = (
            data.to_minor(original, currency)
            if currency in (ACCOUNT_CURRENCY, None)
            else (int(float(original) * usd_rate * 100))
        )
        # From the generated updated_at, not a touched one: editing a memo must not move
        # the purchase.
        purchased = dt.datetime.fromtimestamp(
            self._base_updated_ms(index) / 1000, dt.UTC
        ) - dt.timedelta(minutes=rng.randrange(30, 60 * 24 * 45))
        city = data.pick(rng, CITIES)
        department = data.DEPARTMENTS.index(user.department)
        location = data.LOCATIONS.index(user.location)
        budget = rng.randrange(12)
        payment_status = (
            "CLEARED"
            if status in ("APPROVED", "SETTLED") and rng.random() < 0.8
            else data.pick(rng, PAYMENT_STATUSES)
        )
        memo = (
            self._memo[index]
            if index in self._memo
            else (None if rng.random() < 0.25 else f"{merchant.category} for {user.department}")
        )
        location_id, department_id = f"loc_{location:04d}", f"dept_{department:04d}"
        user_id, budget_id = f"cuuser_{user_n:06d}", f"budget_{budget:04d}"
        rec.update(
            {
                "memo": memo,
                "location_id": location_id,
                "department_id": department_id,
                "payment_posted_at": None
                if payment_status != "CLEARED"
                else data.iso_z(purchased + dt.timedelta(days=2), millis=False),
                "category": CATEGORY_OF.get(merchant.category, "OTHER"),
                "merchant_id": f"merch_{data.mix(merchant.name) % 10**8:08d}",
                "budget_id": budget_id,
                "expense_type": expense_type,
                "original_amount": {
                    "amount": data.to_minor(original, currency),
                    "currency": currency,
                },
                "billing_amount": {"amount": billing, "currency": ACCOUNT_CURRENCY},
                "budget_amount": {"amount": billing, "currency": ACCOUNT_CURRENCY},
                "purchased_at": data.iso_z(purchased, millis=False),
                "status": status,
                "payment_status": payment_status,
                "user_id": user_id,
                "trip_id": None if rng.random() < 0.9 else f"trip_{rng.randrange(10**6):06d}",
            }
        )
        if "location" in expand:
            rec["location"] = {"id": location_id, "name": user.location}
            rec["address"] = {
                "country": city[0],
                "state": city[1] or None,
                "city": city[2],
                "postal_code": city[3],
                "line1": f"{rng.randrange(1, 300)} Market Street",
                "line2": None,
                "coordinates": {"latitude": city[5], "longitude": city[6]},
                "timezone": city[4],
            }
        if "department" in expand:
            rec["department"] = {"id": department_id, "name": user.department}
        if "merchant" in expand:
            rec["merchant"] = {
                "raw_descriptor": f"{merchant.name.upper()[:18]} *{rng.randrange(10**6):06d}",
                "mcc": merchant.mcc if rng.random() > 0.05 else None,
                "country": merchant.country,
            }
        if "budget" in expand:
            rec["budget"] = {"id": budget_id, "name": f"{user.department} budget {budget}"}
        if "user" in expand:
            rec["user"] = {
                "id": user_id,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "department_id": department_id,
                "location_id": location_id,
            }
        if "receipts.download_uris" in expand:
            rec["receipts"] = [
                {"id": rid, "download_uris": [self._download_uri(origin, rid)]}
                for rid in self.receipts_of(index)
            ]
        elif "receipts" in expand:
            rec["receipts"] = [{"id": rid} for rid in self.receipts_of(index)]
        if "payment" in expand:
            rec["payment"] = {
                "id": f"pay_{data.mix(self.seed, KEY, index, 'pay') % 10**10:010d}",
                "paymentInstrument": {
                    "type": "CARD" if expense_type == "CARD" else "ACH",
                    "id": f"card_{user_n:06d}",
                },
                "statusReason": None if payment_status != "DECLINED" else "OTHER",
            }
        if custom_fields:
            rec["custom_fields"] = [
                {
                    "key": "cost_centre",
                    "value": {
                        "value_type": "SINGLE_VALUE",
                        "data_type": "STRING",
                        "data": data.pick(rng, data.COST_CENTRES),
                    },
                },
            ]
        return rec

    def expense_id(self, index: int) -> str:
        """The id of expense ``index``."""
        return self.codec.token(index, "expense_")

    def index_of(self, expense_id: str) -> int | None:
        """The index of an expense id this sandbox issued, else None."""
        index = self.codec.from_token(expense_id, "expense_")
        return index if index is not None and 0 <= index < self.size else None

    def receipts_of(self, index: int) -> list[str]:
        """The receipt ids of expense ``index``: its generated ones, then uploaded ones."""
        picked = RECEIPT_COUNTS[data.mix(self.seed, KEY, index, "receipts") % len(RECEIPT_COUNTS)]
        count = 0 if self._sparse(index) else picked
        generated = [self._receipt_codec.token(index * 4 + k, "receipt_") for k in range(count)]
        return generated + self._receipt_ids.get(index, [])

    def receipt_file(self, receipt_id: str) -> tuple[bytes, str] | None:
        """The bytes and content type of a receipt (None when there is no such receipt)."""
        uploaded = self._uploaded_files.get(receipt_id)
        if uploaded is not None:
            return uploaded
        number = self._receipt_codec.from_token(receipt_id, "receipt_")
        if number is None or not 0 <= number // 4 < self.size:
            return None
        index, k = divmod(number, 4)
        if receipt_id not in self.receipts_of(index):
            return None
        text = f"Brex receipt {receipt_id} for expense {self.expense_id(index)}"
        if k % 2 == 0:
            return data.tiny_pdf(text), "application/pdf"
        return data.tiny_png(data.mix(self.seed, KEY, index, k)), "image/png"

    def _sign(self, what: str, stamp: str) -> str:
        return hmac.new(self._signing_key, f"{what}|{stamp}".encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _presigned_query(now: dt.datetime, ttl: dt.timedelta, signature: str) -> str:
        return (
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Credential=ASIASANDBOX%2F{now:%Y%m%d}%2Fus-east-1%2Fs3%2Faws4_request"
            f"&X-Amz-Date={now:%Y%m%dT%H%M%SZ}&X-Amz-Expires={int(ttl.total_seconds())}"
            f"&X-Amz-SignedHeaders=host&X-Amz-Signature={signature}"
        )

    def _download_uri(self, origin: str, receipt_id: str) -> str:
        """A pre-signed GET for the receipt's file, valid ``DOWNLOAD_TTL`` from now."""
        now = self.clock.now()
        signature = self._sign(f"download:{receipt_id}", f"{now:%Y%m%dT%H%M%SZ}")
        query = self._presigned_query(now, DOWNLOAD_TTL, signature)
        return f"{origin}{BUCKET_PREFIX}/{receipt_id}/download?{query}"

    # -- list -------------------------------------------------------------------------------

    def _bad(self, message: str) -> SimResponse:
        return self.error_response(400, message)

    def _list(self, req: SimRequest, params: PathParams) -> SimResponse:
        limit_text = req.param("limit")
        limit = DEFAULT_LIMIT
        if limit_text not in (None, ""):
            try:
                limit = int(limit_text)
            except ValueError:
                return self._bad("limit must be an integer")
            if limit > MAX_LIMIT:
                return self._bad(f"limit must be less than or equal to {MAX_LIMIT}")
            if limit < 1:
                return self._bad("limit must be greater than 0")
        bounds: dict[str, dt.datetime | None] = {}
        for name in (
            "updated_at_start",
            "updated_at_end",
            "purchased_at_start",
            "purchased_at_end",
        ):
            text = req.param(name)
            bounds[name] = None
            if text:
                parsed = data.parse_time(text)
                if parsed is None:
                    return self._bad(f"{name} is not a valid date-time")
                bounds[name] = parsed
        statuses = frozenset(req.params("status[]"))
        payment_statuses = frozenset(req.params("payment_status[]"))
        users = frozenset(req.params("user_id[]"))
        budgets = frozenset(req.params("budget_id[]"))
        parents = req.params("parent_expense_id[]")
        expand = frozenset(req.params("expand[]"))
        custom = (req.param("load_custom_fields") or "").lower() == "true"
        start = 0
        cursor = req.param("cursor")
        if cursor:
            decoded = _decode_cursor(cursor)
            if decoded is None:
                return self._bad("invalid cursor")
            start = decoded

        lo, hi = 0, self.size
        after, before = bounds["updated_at_start"], bounds["updated_at_end"]
        if after is not None:
            lo = bisect.bisect_left(range(self.size), self._ms(after), key=self._base_updated_ms)
        if before is not None:
            hi = bisect.bisect_right(range(self.size), self._ms(before), key=self._base_updated_ms)
        items: list[Expense] = []
        odd = False
        budget_left = max(5000, limit * 60)
        next_index: int | None = None
        # Itemised children are not simulated: a parent filter matches nothing.
        candidates = iter(()) if parents else self._candidates(start, lo, hi)
        for index in candidates:
            if len(items) >= limit or budget_left <= 0:
                next_index = index
                break
            budget_left -= 1
            if statuses and self.status_of(index) not in statuses:
                continue
            updated = self.updated_at(index)
            if (after is not None and updated < after) or (before is not None and updated > before):
                continue
            if self._sparse(index) and (
                payment_statuses
                or users
                or budgets
                or bounds["purchased_at_start"]
                or bounds["purchased_at_end"]
            ):
                continue
            record = self.expense(index, expand, custom, req.origin)
            if payment_statuses and record.get("payment_status") not in payment_statuses:
                continue
            if users and record.get("user_id") not in users:
                continue
            if budgets and record.get("budget_id") not in budgets:
                continue
            if not self._purchased_in(record, bounds):
                continue
            items.append(record)
            odd = odd or index in self._unlisted
        page: ListExpensesResponse200 = {
            "next_cursor": None if next_index is None else _encode_cursor(next_index),
            "items": items,
        }
        response = json_response(200, page)
        return attrs.evolve(response, injected=True) if odd else response

    @staticmethod
    def _ms(value: dt.datetime) -> int:
        return int(value.timestamp() * 1000)

    def _candidates(self, start: int, lo: int, hi: int) -> Iterator[int]:
        # Touched records may have left their place in updated_at order: visit those below
        # the window individually, then the window itself.
        yield from sorted(i for i in self._touched if start <= i < lo)
        yield from range(max(start, lo), hi)

    @staticmethod
    def _purchased_in(record: Expense, bounds: Mapping[str, dt.datetime | None]) -> bool:
        start, end = bounds["purchased_at_start"], bounds["purchased_at_end"]
        if start is None and end is None:
            return True
        purchased = data.parse_time(str(record.get("purchased_at") or ""))
        if purchased is None:
            return False
        return not ((start and purchased < start) or (end and purchased > end))

    # -- detail and update ------------------------------------------------------------------

    def _lookup(self, params: PathParams) -> int | None:
        return self.index_of(params["expense_id"])

    def _get(self, req: SimRequest, params: PathParams) -> SimResponse:
        index = self._lookup(params)
        if index is None:
            return self.error_response(404, "Expense not found")
        expand = frozenset(req.params("expand[]"))
        custom = (req.param("load_custom_fields") or "").lower() == "true"
        response = json_response(200, self.expense(index, expand, custom, req.origin))
        return attrs.evolve(response, injected=True) if index in self._unlisted else response

    def _idempotent_replay(self, req: SimRequest, route: str) -> SimResponse | None:
        key = req.header("idempotency-key")
        return None if not key else self._idempotent.get((route, key))

    def _remember(self, req: SimRequest, route: str, response: SimResponse) -> SimResponse:
        key = req.header("idempotency-key")
        if key and response.status < 300:
            self._idempotent[(route, key)] = response
        return response

    def _update_card(self, req: SimRequest, params: PathParams) -> SimResponse:
        index = self._lookup(params)
        if index is None or self._card_type(index) != "CARD":
            return self.error_response(404, "Card expense not found")
        replay = self._idempotent_replay(req, f"memo:{index}")
        if replay is not None:
            return replay
        try:
            body = req.json()
        except BadBody as exc:
            return self._bad(str(exc))
        if not isinstance(body, dict) or not isinstance(body.get("memo", ""), str | None):
            return self._bad("memo must be a string")
        if "memo" in body:
            self._memo[index] = body["memo"]
            self.touch(index)
        full = self.expense(index)
        # The card-expense answer: the expense's own fields (a sparse record has fewer).
        card: CardExpense = {"id": full["id"], "updated_at": full["updated_at"]}
        if "memo" in full:
            card["memo"] = full["memo"]
        if "location_id" in full:
            card["location_id"] = full["location_id"]
        if "department_id" in full:
            card["department_id"] = full["department_id"]
        if "category" in full:
            card["category"] = full["category"]
        if "merchant_id" in full:
            card["merchant_id"] = full["merchant_id"]
        if "budget_id" in full:
            card["budget_id"] = full["budget_id"]
        if "original_amount" in full:
            card["original_amount"] = full["original_amount"]
        if "billing_amount" in full:
            card["billing_amount"] = full["billing_amount"]
        if "purchased_at" in full:
            card["purchased_at"] = full["purchased_at"]
        if "status" in full:
            card["status"] = full["status"]
        if "payment_status" in full:
            card["payment_status"] = full["payment_status"]
        response = json_response(200, card)
        if index in self._unlisted:
            response = attrs.evolve(response, injected=True)
        return self._remember(req, f"memo:{index}", response)

    def _card_type(self, index: int) -> str | None:
        return None if self._sparse(index) else self.expense(index).get("expense_type")

    def touch(self, index: int) -> None:
        """Give record ``index`` a fresh ``updated_at`` (now, strictly after any other)."""
        now = self.clock.now()
        latest = max(self._touched.values(), default=now)
        if latest >= now:
            now = latest + dt.timedelta(milliseconds=1)
        self._touched[index] = now

    # -- receipts ---------------------------------------------------------------------------

    def _receipt_name(self, req: SimRequest) -> str:
        try:
            body = req.json()
        except BadBody as exc:
            raise Refusal(self._bad(str(exc))) from None
        name = body.get("receipt_name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise Refusal(self._bad("receipt_name is required"))
        return name

    def _receipt_upload(self, req: SimRequest, params: PathParams) -> SimResponse:
        index = self._lookup(params)
        if index is None:
            return self.error_response(404, "Expense not found")
        return self._new_upload(req, index, f"upload:{index}")

    def _receipt_match(self, req: SimRequest, params: PathParams) -> SimResponse:
        return self._new_upload(req, None, "match")

    def _new_upload(self, req: SimRequest, index: int | None, route: str) -> SimResponse:
        replay = self._idempotent_replay(req, route)
        if replay is not None:
            return replay
        name = self._receipt_name(req)
        self._receipt_counter += 1
        receipt_id = self.codec.token(10**9 + self._receipt_counter, "receipt_")
        now = self.clock.now()
        object_key = f"{receipt_id}/{quote(name, safe='')}"
        signature = self._sign(object_key, f"{now:%Y%m%dT%H%M%SZ}")
        self._slots[receipt_id] = _UploadSlot(receipt_id, index, name, now, signature)
        query = self._presigned_query(now, UPLOAD_TTL, signature)
        uri = f"{req.origin}{BUCKET_PREFIX}/{object_key}?{query}"
        answer: ReceiptUploadResponse = {"id": receipt_id, "uri": uri}
        return self._remember(req, route, json_response(200, answer))

    def _s3_error(self, status: int, code: str, message: str) -> SimResponse:
        return xml_response(
            status,
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>SANDBOX</RequestId></Error>",
        )

    def _bucket(self, req: SimRequest) -> SimResponse:
        if req.method == "GET" and req.path.endswith("/download"):
            return self._bucket_get(req)
        return self._bucket_put(req)

    def _bucket_get(self, req: SimRequest) -> SimResponse:
        """A pre-signed download: no Authorization header, a valid signature, not expired
        (403 ``Request has expired`` after ``download_ttl`` on the sandbox clock)."""
        receipt_id = req.path.lstrip("/").partition("/")[0]
        if req.header("authorization") is not None:
            return self._s3_error(400, "InvalidArgument", "Only one auth mechanism allowed")
        stamp = req.param("X-Amz-Date") or ""
        expected = self._sign(f"download:{receipt_id}", stamp)
        if not hmac.compare_digest(req.param("X-Amz-Signature") or "", expected):
            return self._s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        issued = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        if self.clock.now() - issued > self.download_ttl:
            return self._s3_error(403, "AccessDenied", "Request has expired")
        found = self.receipt_file(receipt_id)
        if found is None:
            return self._s3_error(404, "NoSuchKey", "The specified key does not exist.")
        body, content_type = found
        return SimResponse(
            status=200,
            body=body,
            headers={"content-type": content_type, "content-length": str(len(body))},
        )

    def _bucket_put(self, req: SimRequest) -> SimResponse:
        if req.method != "PUT":
            return self._s3_error(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
        receipt_id, _, encoded_name = req.path.lstrip("/").partition("/")
        slot = self._slots.get(receipt_id)
        if slot is None or unquote(encoded_name) != slot.filename:
            return self._s3_error(403, "AccessDenied", "Access Denied")
        if req.header("authorization") is not None:
            return self._s3_error(
                400,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm "
                "query parameter, Signature query string parameter or the "
                "Authorization header should be specified",
            )
        if not hmac.compare_digest(req.param("X-Amz-Signature") or "", slot.signature):
            return self._s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        if self.clock.now() - slot.created_at > UPLOAD_TTL:
            return self._s3_error(403, "AccessDenied", "Request has expired")
        if "chunked" in (req.header("transfer-encoding") or "").lower() or (
            req.header("content-length") is None
        ):
            return self._s3_error(
                411, "MissingContentLength", "You must provide the Content-Length HTTP header."
            )
        if len(req.body) > MAX_UPLOAD_BYTES:
            return self._s3_error(
                400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            )
        digest = hashlib.sha256(req.body).hexdigest()
        etag = '"' + hashlib.md5(req.body, usedforsecurity=False).hexdigest() + '"'
        if slot.used_sha256 is not None:
            if slot.used_sha256 == digest:
                return empty_response(200, {"ETag": etag})  # a retried PUT: same object
            return self._s3_error(403, "AccessDenied", "This upload URL was already used")
        slot.used_sha256 = digest
        content_type = req.header("content-type") or "application/octet-stream"
        self._uploaded_files[slot.receipt_id] = (req.body, content_type)
        expense_id = None if slot.expense_index is None else self.expense_id(slot.expense_index)
        self.receipts.append(
            ReceivedReceipt(
                id=slot.receipt_id,
                expense_id=expense_id,
                filename=slot.filename,
                size=len(req.body),
                content_type=req.header("content-type"),
                sha256=digest,
                received_at=self.clock.now(),
            )
        )
        if slot.expense_index is not None:
            self._receipt_ids.setdefault(slot.expense_index, []).append(slot.receipt_id)
            self.touch(slot.expense_index)
        return empty_response(200, {"ETag": etag})

    # -- introspection ----------------------------------------------------------------------

    def approve_waiting(self, count: int) -> None:
        """Approve about ``count`` submitted expenses, oldest first (``VendorSim``)."""
        for expense_id in list(self.ids_with_status("SUBMITTED"))[:count]:
            self.set_status(expense_id, "APPROVED")

    def approved_ids(self) -> Iterator[str]:
        """Ids with status APPROVED, in list order."""
        return (self.expense_id(i) for i in range(self.size) if self.status_of(i) == "APPROVED")

    def ids_with_status(self, *statuses: str) -> Iterator[str]:
        """Ids whose status is one of ``statuses``, in list order."""
        wanted = frozenset(statuses)
        return (self.expense_id(i) for i in range(self.size) if self.status_of(i) in wanted)

    def get(self, expense_id: str) -> Expense | None:
        """The fully expanded record of ``expense_id`` (None when unknown)."""
        index = self.index_of(expense_id)
        return None if index is None else self.expense(index, frozenset(EXPANDABLE), True)

    def memo(self, expense_id: str) -> str | None:
        """The current memo of ``expense_id``."""
        record = self.get(expense_id)
        return None if record is None else record.get("memo")

    def set_status(self, expense_id: str, status: str, *, at: dt.datetime | None = None) -> None:
        """Change a record's status (and bump its ``updated_at``): "changed between pages".
        A status Brex does not document is allowed (a new enum value); answers carrying
        the record are then marked ``injected``. ``at`` sets ``updated_at`` exactly
        (several records may share it); by default it is the sandbox clock's now, the
        vendor's clock (give the sandbox a clock of its own to skew it)."""
        index = self.index_of(expense_id)
        if index is None:
            raise KeyError(expense_id)
        self._status[index] = status
        if status in STATUSES:
            self._unlisted.discard(index)
        else:
            self._unlisted.add(index)
        if at is None:
            self.touch(index)
        else:
            self._touched[index] = at.astimezone(dt.UTC)

    def receipt_ids(self, expense_id: str) -> list[str]:
        """Receipts attached to ``expense_id`` through completed uploads."""
        index = self.index_of(expense_id)
        return [] if index is None else list(self._receipt_ids.get(index, []))

    def expire_all_upload_urls(self) -> None:
        """Make every issued upload URL expired (as if 30 minutes had passed for them)."""
        for slot in self._slots.values():
            slot.created_at -= UPLOAD_TTL + dt.timedelta(seconds=1)
