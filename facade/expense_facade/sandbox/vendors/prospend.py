"""Simulator of the ProSpend Expense Management API (beta): claims, expenses, splits and
card transaction import. How it generates and pages its data: docs/sandbox.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, overload

from expense_facade.clock import Clock
from expense_facade.sandbox import data
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import BadBody, Refusal, SimRequest, SimResponse, json_response

if TYPE_CHECKING:  # types only: an answer is a plain dict built as the spec's shape
    from expense_clients.prospend.shapes import (
        Approver,
        Claim,
        ClaimExpense,
        ClaimExpensePage,
        ClaimPage,
        CurrencyTotal,
        Error,
        ExpenseSplit,
        ExpenseSplitPage,
        Transaction,
    )

KEY = "prospend"

STATUSES = ("None", "NotSubmitted", "PendingApproval", "Approved", "Finalised", "Rejected")
READY_STATUSES = ("Finalised", "Approved")
UNSET = "1970-01-01T00:00:00Z"
VERSION = "beta"
DEFAULT_COMPANY = "1"
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_SCAN = 10_000
CLAIM_ID_BASE = 3000
EXPENSE_ID_BASE = 1_000_000
SPLIT_ID_BASE = 20_000_000
TRANSACTION_ID_BASE = 12345
_PER_CLAIM = 6
_DAY = 86_400
# Claims are created between ORIGIN and ORIGIN + SPAN; all later dates of a claim fall
# within MAX_LIFETIME of its creation (so everything lies before 2026-01-01).
ORIGIN = dt.datetime(2023, 12, 1, tzinfo=dt.UTC)
_ORIGIN_S = int(ORIGIN.timestamp())
_SPAN_S = 700 * _DAY
MAX_LIFETIME = 45 * _DAY

ERROR_CODES: Mapping[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "ACCESS_FORBIDDEN",
    404: "RESOURCE_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "RESOURCE_CONFLICT",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}

_STATUS_WEIGHTS = (
    ("Finalised", 35),
    ("Approved", 15),
    ("PendingApproval", 15),
    ("NotSubmitted", 13),
    ("Rejected", 9),
    ("None", 5),
)
_CLAIM_TYPES = ("Master Card", "Visa", "AMEX", "Reimbursement")
CLAIM_CURRENCY = "AUD"
# Units of AUD per unit of the transaction currency.
_AUD_PER: Mapping[str, decimal.Decimal] = {
    "AUD": decimal.Decimal("1"),
    "USD": decimal.Decimal("1.52"),
    "GBP": decimal.Decimal("1.95"),
    "NZD": decimal.Decimal("0.91"),
    "SGD": decimal.Decimal("1.13"),
    "EUR": decimal.Decimal("1.66"),
    "JPY": decimal.Decimal("0.0101"),
}
_FOREIGN = ("USD", "GBP", "NZD", "SGD", "EUR", "JPY")
# Tax code and rate by transaction currency: domestic GST, foreign purchases GST-free.
_TAX: Mapping[str, tuple[str, int]] = {"AUD": ("GST", 10)}
_GST_FREE = ("FRE", 0)
_CODE_RE = re.compile(r"^[A-Z]{3}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# cardProgramCode → cardProgramType of the programs this company has.
DEFAULT_CARD_PROGRAMS: Mapping[str, str] = {
    "AR_AU": "AR",
    "VISA_AU": "Visa",
    "MC_AU": "MasterCard",
    "AMEX_AU": "AMEX",
}
_REQUIRED_STRINGS = (
    "transactionId",
    "transactionDate",
    "postingDate",
    "merchantName",
    "mcc",
    "currencyCode",
    "cardHolderName",
    "cardSuffix",
    "transactionStatus",
    "cardProgramCode",
    "cardProgramType",
)
_OPTIONAL_STRINGS = ("cardId", "externalCardId", "foreignCurrencyCode")


def _fmt(seconds: int | None) -> str:
    if seconds is None:
        return UNSET
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> SimResponse:
    body: Error = {"code": ERROR_CODES.get(status, "ERROR"), "message": message}
    return json_response(status, body, headers)


def _money(value: decimal.Decimal) -> float:
    # ProSpend writes amounts as JSON doubles (1143.3, 300): what a .NET double prints.
    return float(value)


def _total(gross: int, tax: int, currency: str) -> CurrencyTotal:
    return {
        "grossAmount": _money(data.from_minor(gross, currency)),
        "netAmount": _money(data.from_minor(gross - tax, currency)),
        "taxAmount": _money(data.from_minor(tax, currency)),
        "currencyCode": currency,
    }


class _Expense:
    """The generated facts of one expense (before rendering), kept small."""

    __slots__ = (
        "claim_gross",
        "claim_tax",
        "created",
        "index",
        "omitted",
        "personal",
        "rng_seed",
        "splits",
        "tax_code",
        "tx_currency",
        "tx_gross",
        "tx_tax",
        "updated",
    )

    def __init__(self) -> None:
        self.index = 0
        self.rng_seed = 0
        self.tx_currency = CLAIM_CURRENCY
        self.tx_gross = 0
        self.tx_tax = 0
        self.claim_gross = 0
        self.claim_tax = 0
        self.tax_code = "GST"
        self.personal = False
        self.omitted = False
        self.splits = 0
        self.created: int | None = None
        self.updated: int | None = None


class _Claim:
    """The generated facts of one claim (dates in epoch seconds, None = unset)."""

    __slots__ = (
        "approved",
        "claim_type",
        "claimant",
        "created",
        "finalised",
        "index",
        "status",
        "submitted",
        "updated",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.status = "None"
        self.claimant = 0
        self.claim_type = ""
        self.created = 0
        self.submitted: int | None = None
        self.approved: int | None = None
        self.finalised: int | None = None
        self.updated = 0


class ProspendSim(VendorSim):
    """The ProSpend beta API, generated per index on demand, plus the posted transactions."""

    key: ClassVar[str] = KEY
    mount: ClassVar[str] = "/prospend"
    list_route: ClassVar[str] = "GET /{version}/company/{companyId}/claim"
    unknown_expense_id: ClassVar[str] = "999999:999999"  # the facade's claim:expense id
    rate_limit: ClassVar[tuple[int, float] | None] = None  # "Rate limits are off in beta"
    enum_fields: ClassVar[tuple[str, ...]] = ("status",)
    date_fields: ClassVar[tuple[str, ...]] = ("createdDate", "updatedDate", "finalisedDate")
    amount_fields: ClassVar[tuple[str, ...]] = (
        "claimCurrencyTotal.grossAmount",
        "transactionTotal.grossAmount",
    )
    next_cursor_field: ClassVar[str | None] = "nextCursor"

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self.company_id = DEFAULT_COMPANY
        self.card_programs: dict[str, str] = dict(DEFAULT_CARD_PROGRAMS)
        self._jitter_key = data.mix(seed, KEY, "claim-start")
        self._status_key = data.mix(seed, KEY, "status")
        self._time_key = data.mix(seed, KEY, "created")
        self._token = "ps_" + data.IdCodec(seed, KEY).token(0x5EED)
        self._cursors = data.IdCodec(seed, "prospend-cursor")
        self.claim_count = self._count_claims()
        self._claim_step = max(60, _SPAN_S // max(self.claim_count, 1))
        self._status_overrides: dict[int, tuple[str, int]] = {}
        self._transactions: list[Transaction] = []
        self._transaction_keys: set[tuple[str, str]] = set()
        base = "/{version}/company/{companyId}"
        routes: list[tuple[str, str, Callable[[SimRequest, PathParams], SimResponse]]] = [
            ("GET", "/claim", self._list_claims),
            ("GET", "/claim/{claimId}", self._get_claim),
            ("GET", "/claim/{claimId}/expense", self._list_expenses),
            ("GET", "/claim/{claimId}/expense/{expenseId}", self._get_expense),
            ("GET", "/claim/{claimId}/expense/{expenseId}/split", self._list_splits),
            ("GET", "/claim/{claimId}/expense/{expenseId}/split/{splitId}", self._get_split),
            ("POST", "/transaction", self._post_transaction),
        ]
        for method, tail, handler in routes:
            self.router.add(method, base + tail, self._scoped(handler))

    # -- the contract -------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """``{"token", "company_id", "version"}`` for ``connect("prospend", ...)``."""
        return {"token": self._token, "company_id": self.company_id, "version": VERSION}

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """Bearer token check; ProSpend answers 401 UNAUTHORIZED."""
        header = req.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip() == self._token:
            return None
        return _error(401, "Authorization has been denied for this request.")

    def handle(self, req: SimRequest) -> SimResponse:
        """Route the request; unknown paths answer 404 RESOURCE_NOT_FOUND, a known path
        with another method 405."""
        return self.router.answer(
            req,
            not_allowed=lambda: _error(405, "The requested resource does not support this method."),
            not_found=lambda: _error(404, "Resource not found"),
        )

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """ProSpend's ``{code, message}`` error body."""
        return _error(status, message, headers)

    def record_lists(self, body: Any) -> list[list[Any]]:
        """A list's ``page``, or the one record of a detail answer (not its approvers)."""
        if isinstance(body, dict) and isinstance(body.get("page"), list):
            return [body["page"]]
        if isinstance(body, dict) and "id" in body:
            return [[body]]
        return []

    def _scoped(
        self, handler: Callable[[SimRequest, PathParams], SimResponse]
    ) -> Callable[[SimRequest, PathParams], SimResponse]:
        def check(req: SimRequest, params: PathParams) -> SimResponse:
            if params["version"] != VERSION:
                return _error(404, f"API version {params['version']!r} not found")
            # Company ids are numbers: 01234 is company 1234 (int() refuses "²").
            asked, own = params["companyId"], self.company_id
            numbers = asked.isascii() and asked.isdigit() and own.isascii() and own.isdigit()
            if asked != own and not (numbers and int(asked) == int(own)):
                return _error(403, "Access to this company is forbidden")
            return handler(req, params)

        return check

    # -- layout -------------------------------------------------------------------------

    def _start(self, c: int) -> int:
        """First expense index of claim ``c`` (may exceed size for the last claims)."""
        if c <= 0:
            return 0
        return _PER_CLAIM * c + data.splitmix64(self._jitter_key ^ c) % _PER_CLAIM

    def _count_claims(self) -> int:
        if self.size <= 0:
            return 0
        c = max(0, (self.size - _PER_CLAIM) // _PER_CLAIM - 1)
        while self._start(c) < self.size:
            c += 1
        return c

    def expense_range(self, c: int) -> range:
        """The expense indices of claim ``c``."""
        return range(self._start(c), min(self._start(c + 1), self.size))

    def claim_of(self, e: int) -> int:
        """The claim index owning expense index ``e`` (O(1))."""
        c = e // _PER_CLAIM
        while c > 0 and self._start(c) > e:
            c -= 1
        while self._start(c + 1) <= e:
            c += 1
        return c

    def _created(self, c: int) -> int:
        jitter = data.splitmix64(self._time_key ^ c) % self._claim_step
        return _ORIGIN_S + c * self._claim_step + jitter

    def _status(self, c: int) -> str:
        if c < len(STATUSES):
            return ("Finalised", "Approved", "PendingApproval", "NotSubmitted", "Rejected",
                    "None")[c]  # fmt: skip
        return data.weighted(data.splitmix64(self._status_key ^ c), _STATUS_WEIGHTS)

    def _claim(self, c: int) -> _Claim:
        claim = _Claim(c)
        rng = data.rng_for(self.seed, KEY, c, "claim")
        claim.status = self._status(c)
        claim.claimant = rng.randrange(40)
        claim.claim_type = data.pick(rng, _CLAIM_TYPES)
        claim.created = self._created(c)
        last = claim.created + rng.randrange(3600, _DAY)
        if claim.status not in ("None", "NotSubmitted"):
            claim.submitted = last = claim.created + rng.randrange(_DAY, 5 * _DAY)
            if claim.status in ("Approved", "Finalised", "Rejected"):
                decided = claim.submitted + rng.randrange(_DAY, 10 * _DAY)
                last = decided
                if claim.status != "Rejected":
                    claim.approved = decided
                if claim.status == "Finalised":
                    claim.finalised = last = decided + rng.randrange(_DAY, 20 * _DAY)
        claim.updated = last + rng.randrange(0, 5 * _DAY)
        override = self._status_overrides.get(c)
        if override is not None:
            claim.status, claim.updated = override
            if claim.status in ("Approved", "Finalised") and claim.approved is None:
                claim.approved = override[1]
            if claim.status == "Finalised" and claim.finalised is None:
                claim.finalised = override[1]
        return claim

    def _expense(self, e: int, claim: _Claim) -> _Expense:
        rng = data.rng_for(self.seed, KEY, e, "expense")
        out = _Expense()
        out.index = e
        out.rng_seed = rng.randrange(1 << 62)
        roll = rng.random()
        out.tx_currency = CLAIM_CURRENCY if roll < 0.75 else data.pick(rng, _FOREIGN)
        gross = data.amount(rng, out.tx_currency, 3.0, 1500.0)
        out.tx_gross = data.to_minor(gross, out.tx_currency)
        out.tax_code, rate = _TAX.get(out.tx_currency, _GST_FREE)
        rate_d = decimal.Decimal(rate)
        out.tx_tax = data.to_minor(data.tax_part(gross, rate_d, out.tx_currency), out.tx_currency)
        claim_gross = (gross * _AUD_PER[out.tx_currency]).quantize(
            data.quantum(CLAIM_CURRENCY), rounding=decimal.ROUND_HALF_UP
        )
        out.claim_gross = data.to_minor(claim_gross, CLAIM_CURRENCY)
        out.claim_tax = data.to_minor(
            data.tax_part(claim_gross, rate_d, CLAIM_CURRENCY), CLAIM_CURRENCY
        )
        out.personal = rng.random() < 0.04
        out.omitted = rng.random() < 0.04
        out.splits = 0 if rng.random() < 0.85 or out.tx_gross < 10 else rng.randrange(2, 4)
        if rng.random() < 0.05:
            out.created = out.updated = None  # imported from an old system: "no date"
        else:
            out.created = claim.created - rng.randrange(0, 10 * _DAY)
            out.updated = out.created + rng.randrange(0, max(1, claim.updated - out.created))
        return out

    def _claim_expenses(self, claim: _Claim) -> list[_Expense]:
        return [self._expense(e, claim) for e in self.expense_range(claim.index)]

    # -- rendering ----------------------------------------------------------------------

    def _render_claim(self, claim: _Claim) -> Claim:
        rng = data.rng_for(self.seed, KEY, claim.index, "claim-render")
        person = data.person(self.seed, KEY, claim.claimant, "prospend.example")
        expenses = [x for x in self._claim_expenses(claim) if not x.omitted]
        claim_gross = sum(x.claim_gross for x in expenses)
        claim_tax = sum(x.claim_tax for x in expenses)
        by_currency: dict[str, list[int]] = {}
        for x in expenses:
            acc = by_currency.setdefault(x.tx_currency, [0, 0])
            acc[0] += x.tx_gross
            acc[1] += x.tx_tax
        approvers: list[Approver] = []
        if claim.approved is not None:
            for k in range(1 + (claim.index % 3 == 0)):
                boss = data.person(self.seed, KEY, 40 + (claim.claimant + k) % 8)
                approvers.append(
                    {
                        "id": str(4700 + boss.index),
                        "name": boss.name,
                        "approvedDate": _fmt(claim.approved - (1 - k) * rng.randrange(0, _DAY)),
                    }
                )
        card = claim.claim_type != "Reimbursement"
        month = dt.datetime.fromtimestamp(claim.created, tz=dt.UTC).replace(
            day=1, hour=0, minute=0, second=0
        )
        month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(seconds=1)
        return {
            "id": str(CLAIM_ID_BASE + claim.index),
            "companyId": self.company_id,
            "claimantId": str(4600 + claim.claimant),
            "employeeNumber": f"E{claim.claimant + 1:05d}",
            "claimantName": person.name,
            "claimantExternalCode": f"EXT{claim.claimant + 1:03d}",
            "claimType": claim.claim_type,
            "status": claim.status,
            "claimCurrencyTotals": [_total(claim_gross, claim_tax, CLAIM_CURRENCY)],
            "transactionTotals": [_total(g, t, cur) for cur, (g, t) in by_currency.items()],
            "summary": "" if rng.random() < 0.5 else f"{person.department} expenses",
            "notes": "" if rng.random() < 0.8 else "Receipts attached",
            "approvers": approvers,
            "fromDate": _fmt(int(month.timestamp())) if card else UNSET,
            "toDate": _fmt(int(month_end.timestamp())) if card else UNSET,
            "approvedDate": _fmt(claim.approved),
            "finalisedDate": _fmt(claim.finalised),
            "createdDate": _fmt(claim.created),
            "updatedDate": _fmt(claim.updated),
            "customFields": [
                {"type": "text", "name": "Business purpose", "value": person.department}
            ],
        }

    def _codes(self, rng: random.Random) -> tuple[str, str, str]:
        """portfolioCode, projectCode and costCenterCode of an expense or split line."""
        return (
            data.pick(rng, ("PORT_AU", "PORT_NZ", "PORT_GLOBAL")),
            data.pick(rng, data.PROJECTS).split(" ")[0],
            data.pick(rng, data.COST_CENTRES),
        )

    def _render_expense(self, claim: _Claim, x: _Expense) -> ClaimExpense:
        rng = random.Random(x.rng_seed)
        merchant = data.pick(rng, data.MERCHANTS)
        claim_id = str(CLAIM_ID_BASE + claim.index)
        expense_id = str(EXPENSE_ID_BASE + x.index)
        qty = 1 if rng.random() < 0.8 else rng.randrange(2, 6)
        net = data.from_minor(x.tx_gross - x.tx_tax, x.tx_currency)
        unit = (net / qty).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
        split_ids = [self._split_id(x.index, k) for k in range(x.splits)]
        guest = rng.random() < 0.2
        who = data.person(self.seed, KEY, rng.randrange(40))
        # Drawn in the order the answer has always drawn them (the data stays the same).
        entity = data.pick(rng, ("ENT1", "ENT2"))
        description = f"{merchant.name} - {merchant.category}" if rng.random() < 0.9 else ""
        portfolio, project, cost_centre = self._codes(rng)
        out: ClaimExpense = {
            "id": expense_id,
            "companyId": self.company_id,
            "entityId": entity,
            "description": description,
            "glCode": "GL" + data.GL_CODES[merchant.category],
            "isSplit": bool(split_ids),
            "splitChildren": [
                {
                    "splitId": sid,
                    "_link": f"/company/{self.company_id}/claim/{claim_id}/expense/"
                    f"{expense_id}/split/{sid}",
                }
                for sid in split_ids
            ],
            "taxCode": x.tax_code,
            "itemQty": float(qty),
            "netUnitRate": _money(unit),
            "claimCurrencyTotal": _total(x.claim_gross, x.claim_tax, CLAIM_CURRENCY),
            "transactionTotal": _total(x.tx_gross, x.tx_tax, x.tx_currency),
            "portfolioCode": portfolio,
            "projectCode": project,
            "costCenterCode": cost_centre,
            "externalCode": "",
            "isOmitted": x.omitted,
            "isPersonal": x.personal,
            "recipient": {
                "type": "Guest" if guest else "Employee",
                "code": "",
                "name": data.pick(rng, data.FIRST_NAMES) + " Guest" if guest else who.name,
                "employeeId": "" if guest else f"EM{who.index + 10000}",
                "employeeNumber": "" if guest else f"HR{who.index + 10000}",
            },
            "createdDate": _fmt(x.created),
            "updatedDate": _fmt(x.updated),
            "customFields": [{"type": "text", "name": "City", "value": merchant.country}],
        }
        return out

    def _split_id(self, e: int, k: int) -> str:
        return str(SPLIT_ID_BASE + 4 * e + k)

    def _render_splits(self, claim: _Claim, x: _Expense) -> list[ExpenseSplit]:
        rng = random.Random(x.rng_seed ^ 0x5B117)
        n = x.splits
        if n == 0:
            return []
        # Gross and tax are partitioned (last line takes the remainder) so lines add up.
        cuts = sorted(rng.sample(range(1, x.tx_gross), n - 1)) if n > 1 else []
        tx_parts = [b - a for a, b in zip([0, *cuts], [*cuts, x.tx_gross], strict=True)]

        def share(total: int, part: int) -> int:
            return total * part // x.tx_gross if x.tx_gross else 0

        out: list[ExpenseSplit] = []
        sums = [0, 0, 0, 0]
        for k, part in enumerate(tx_parts):
            last = k == n - 1
            tx_tax = x.tx_tax - sums[0] if last else share(x.tx_tax, part)
            c_gross = x.claim_gross - sums[1] if last else share(x.claim_gross, part)
            c_tax = x.claim_tax - sums[2] if last else share(x.claim_tax, part)
            sums[0] += tx_tax
            sums[1] += c_gross
            sums[2] += c_tax
            category, gl = data.pick(rng, data.CATEGORIES)
            portfolio, project, cost_centre = self._codes(rng)
            out.append(
                {
                    "id": self._split_id(x.index, k),
                    "companyId": self.company_id,
                    "entityId": "ENT1",
                    "splitParentId": str(EXPENSE_ID_BASE + x.index),
                    "description": category,
                    "glCode": "GL" + gl,
                    "taxCode": x.tax_code,
                    "claimCurrencyTotal": _total(c_gross, c_tax, CLAIM_CURRENCY),
                    "transactionTotal": _total(part, tx_tax, x.tx_currency),
                    "portfolioCode": portfolio,
                    "projectCode": project,
                    "costCenterCode": cost_centre,
                    "externalCode": "",
                    "createdDate": _fmt(x.created),
                    "updatedDate": _fmt(x.updated),
                    "customFields": [],
                }
            )
        return out

    # -- request helpers ----------------------------------------------------------------

    def _limit(self, req: SimRequest) -> int:
        raw = req.param("limit")
        if raw is None:
            return DEFAULT_LIMIT
        try:
            limit = int(raw)
        except ValueError:
            raise Refusal(_error(400, "limit must be an integer")) from None
        if not 1 <= limit <= MAX_LIMIT:
            raise Refusal(_error(400, f"limit must be between 1 and {MAX_LIMIT}"))
        return limit

    def _cursor(self, req: SimRequest) -> int:
        raw = req.param("cursor")
        if raw is None or raw == "":
            return 0
        position = self._cursors.from_token(raw)
        if position is None:
            raise Refusal(_error(400, "Invalid cursor"))
        return position

    def _next_cursor(self, position: int | None) -> str | None:
        return None if position is None else self._cursors.token(position)

    @staticmethod
    def _time_param(req: SimRequest, name: str) -> int | None:
        raw = req.param(name)
        if raw is None or raw == "":
            return None
        parsed = data.parse_time(raw)
        if parsed is None:
            raise Refusal(_error(400, f"{name} must be a date (2024-08-27) or a date-time in UTC"))
        return int(parsed.timestamp())

    @staticmethod
    def _bool_param(req: SimRequest, name: str) -> bool:
        raw = req.param(name)
        if raw is None or raw == "":
            return False
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise Refusal(_error(400, f"{name} must be true or false"))

    def _claim_index(self, claim_id: str) -> int | None:
        if not (claim_id.isascii() and claim_id.isdigit()):  # int() refuses "²"
            return None
        c = int(claim_id) - CLAIM_ID_BASE
        return c if 0 <= c < self.claim_count else None

    def _expense_index(self, c: int, expense_id: str) -> int | None:
        if not (expense_id.isascii() and expense_id.isdigit()):
            return None
        e = int(expense_id) - EXPENSE_ID_BASE
        return e if e in self.expense_range(c) else None

    def _first_claim_created_after(self, seconds: int) -> int:
        """The first claim index whose createdDate could lead to a date >= ``seconds``."""
        lo, hi = 0, self.claim_count
        while lo < hi:
            mid = (lo + hi) // 2
            if self._created(mid) + MAX_LIFETIME < seconds:
                lo = mid + 1
            else:
                hi = mid
        return lo

    # -- handlers -----------------------------------------------------------------------

    def _list_claims(self, req: SimRequest, _: PathParams) -> SimResponse:
        limit = self._limit(req)
        position = self._cursor(req)
        status = req.param("status")
        if status is not None and status not in STATUSES:
            return _error(400, f"Invalid status {status!r}")
        finalised_from = self._time_param(req, "finalisedDate")
        updated_from = self._time_param(req, "minUpdatedDate")
        lower = max(finalised_from or 0, updated_from or 0)
        claims: list[Claim] = []
        c = position
        scanned = 0
        for index in self._claim_candidates(position, lower):
            if len(claims) >= limit or scanned >= MAX_SCAN:
                c = index
                break
            claim = self._claim(index)
            c = index + 1
            scanned += 1
            if status is not None and claim.status != status:
                continue
            if finalised_from is not None and (
                claim.finalised is None or claim.finalised < finalised_from
            ):
                continue
            if updated_from is not None and claim.updated < updated_from:
                continue
            claims.append(self._render_claim(claim))
        else:
            c = self.claim_count  # every candidate visited
        more = c < self.claim_count
        page: ClaimPage = {"page": claims, "nextCursor": self._next_cursor(c if more else None)}
        return json_response(200, page)

    def _claim_candidates(self, position: int, lower: int) -> Iterator[int]:
        """Claim indices from ``position`` on that may have a date >= ``lower``, in order.

        Generated dates lie within ``MAX_LIFETIME`` of creation, so the scan starts at a
        binary-searched index; a claim changed since (``set_claim_status``) carries a later
        ``updatedDate`` wherever it is, so those below the start are visited too (without
        that, ``minUpdatedDate`` would hide a late approval of an old claim)."""
        start = max(position, self._first_claim_created_after(lower)) if lower else position
        yield from sorted(c for c in self._status_overrides if position <= c < start)
        yield from range(start, self.claim_count)

    def _find_claim(self, params: PathParams) -> _Claim:
        c = self._claim_index(params["claimId"])
        if c is None:
            raise Refusal(_error(404, f"Claim {params['claimId']} not found"))
        return self._claim(c)

    def _find_expense(self, params: PathParams) -> tuple[_Claim, _Expense]:
        claim = self._find_claim(params)
        e = self._expense_index(claim.index, params["expenseId"])
        if e is None:
            raise Refusal(_error(404, f"Expense {params['expenseId']} not found in this claim"))
        return claim, self._expense(e, claim)

    def _get_claim(self, _: SimRequest, params: PathParams) -> SimResponse:
        claim = self._find_claim(params)
        return json_response(200, self._render_claim(claim))

    def _list_expenses(self, req: SimRequest, params: PathParams) -> SimResponse:
        claim = self._find_claim(params)
        limit = self._limit(req)
        position = self._cursor(req)
        personal = self._bool_param(req, "includePersonal")
        omitted = self._bool_param(req, "includeOmitted")
        updated_from = self._time_param(req, "minUpdatedDate")
        expenses = self._claim_expenses(claim)
        rendered: list[ClaimExpense] = []
        k = position
        while k < len(expenses) and len(rendered) < limit:
            x = expenses[k]
            k += 1
            if (x.personal and not personal) or (x.omitted and not omitted):
                continue
            if updated_from is not None and (x.updated is None or x.updated < updated_from):
                continue
            rendered.append(self._render_expense(claim, x))
        more = k < len(expenses)
        page: ClaimExpensePage = {
            "page": rendered,
            "nextCursor": self._next_cursor(k if more else None),
        }
        return json_response(200, page)

    def _get_expense(self, _: SimRequest, params: PathParams) -> SimResponse:
        found = self._find_expense(params)
        return json_response(200, self._render_expense(*found))

    def _list_splits(self, req: SimRequest, params: PathParams) -> SimResponse:
        found = self._find_expense(params)
        limit = self._limit(req)
        position = self._cursor(req)
        splits = self._render_splits(*found)
        lines = splits[position : position + limit]
        end = position + len(lines)
        more = end < len(splits)
        page: ExpenseSplitPage = {
            "page": lines,
            "nextCursor": self._next_cursor(end if more else None),
        }
        return json_response(200, page)

    def _get_split(self, _: SimRequest, params: PathParams) -> SimResponse:
        found = self._find_expense(params)
        for split in self._render_splits(*found):
            if split["id"] == params["splitId"]:
                return json_response(200, split)
        return _error(404, f"Split {params['splitId']} not found on this expense")

    def _post_transaction(self, req: SimRequest, _: PathParams) -> SimResponse:
        try:
            body = req.json()
        except BadBody as exc:
            return _error(400, f"The request body is not valid JSON ({exc})")
        if not isinstance(body, dict):
            return _error(400, "The request body must be a JSON object")
        problem = self._validate_transaction(body)
        if problem is not None:
            return _error(400, problem)
        key = (body["cardProgramCode"], body["transactionId"])
        if key in self._transaction_keys:
            return _error(
                409,
                f"Transaction {body['transactionId']} already exists in card program "
                f"{body['cardProgramCode']}",
            )
        foreign = body.get("foreignCurrencyAmount")
        rate = None
        if foreign is not None and foreign != 0:
            rate = _exchange_rate(
                decimal.Decimal(body["transactionAmount"]), decimal.Decimal(foreign)
            )
        stored: Transaction = {
            "id": str(TRANSACTION_ID_BASE + len(self._transactions)),
            "transactionId": body["transactionId"],
            "transactionDate": body["transactionDate"],
            "postingDate": body["postingDate"],
            "merchantName": body["merchantName"],
            "mcc": body["mcc"],
            "transactionAmount": body["transactionAmount"],
            "currencyCode": body["currencyCode"],
            "cardHolderName": body["cardHolderName"],
            "cardSuffix": body["cardSuffix"],
            "cardId": body.get("cardId"),
            "externalCardId": body.get("externalCardId"),
            "transactionStatus": body["transactionStatus"],
            "cardProgramCode": body["cardProgramCode"],
            "cardProgramType": body["cardProgramType"],
            "companyId": self.company_id,
            "createdDate": self.clock.now().date().isoformat(),
            "foreignCurrencyCode": body.get("foreignCurrencyCode"),
            "exchangeRate": rate,
            "foreignCurrencyAmount": foreign,
        }
        self._transactions.append(stored)
        self._transaction_keys.add(key)
        return json_response(201, stored)

    def _validate_transaction(self, body: Mapping[str, Any]) -> str | None:
        missing = [name for name in (*_REQUIRED_STRINGS, "transactionAmount")
                   if body.get(name) is None]  # fmt: skip
        if missing:
            return "Missing required field(s): " + ", ".join(missing)
        for name in _REQUIRED_STRINGS:
            if not isinstance(body[name], str) or not body[name].strip():
                return f"{name} must be a non-empty string"
        for name in _OPTIONAL_STRINGS:
            if body.get(name) is not None and not isinstance(body[name], str):
                return f"{name} must be a string"
        for name in ("transactionAmount", "foreignCurrencyAmount"):
            value = body.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | decimal.Decimal)
            ):
                return f"{name} must be a number"
            if value is not None and not math.isfinite(float(value)):
                # ProSpend reads amounts as doubles: 1E+400 does not fit one.
                return f"{name} is out of range"
        has_amount = body.get("foreignCurrencyAmount") is not None
        has_code = body.get("foreignCurrencyCode") is not None
        if has_amount != has_code:
            return "foreignCurrencyAmount and foreignCurrencyCode must be provided together"
        for name in ("transactionDate", "postingDate"):
            if not _DATE_RE.match(body[name]) or _parse_date(body[name]) is None:
                return f"{name} must be a date (YYYY-MM-DD)"
        for name in ("currencyCode", "foreignCurrencyCode"):
            value = body.get(name)
            if value is not None and not _CODE_RE.match(value):
                return f"{name} must be an ISO 4217 code"
        if body["transactionStatus"] != "COMPLETED":
            return "transactionStatus must be COMPLETED"
        program = body["cardProgramCode"]
        if program not in self.card_programs:
            return f"Unknown card program code {program!r}"
        return None

    # -- introspection and switches -----------------------------------------------------

    def approve_waiting(self, count: int) -> None:
        """Finalise claims pending approval until about ``count`` expenses are approved
        (``VendorSim``)."""
        approved = 0
        for claim_id in list(self.claim_ids_with_status("PendingApproval")):
            if approved >= count:
                break
            approved += len(self.expense_ids_of_claim(claim_id))
            self.set_claim_status(claim_id, "Finalised")

    def approved_ids(
        self,
        ready_status: str = "Finalised",
        *,
        include_personal: bool = False,
        include_omitted: bool = False,
    ) -> Iterator[str]:
        """Composite ids ``"<claimId>:<expenseId>"`` of every expense in a claim with
        ``ready_status`` (``"Finalised"`` or ``"Approved"``), in list order. Personal and
        omitted expenses are left out, as the expense list leaves them out by default."""
        if ready_status not in READY_STATUSES:
            raise ValueError(f"ready_status must be one of {READY_STATUSES}")
        for c in range(self.claim_count):
            override = self._status_overrides.get(c)
            if (override[0] if override else self._status(c)) != ready_status:
                continue
            claim = self._claim(c)
            for x in self._claim_expenses(claim):
                if (x.personal and not include_personal) or (x.omitted and not include_omitted):
                    continue
                yield f"{CLAIM_ID_BASE + c}:{EXPENSE_ID_BASE + x.index}"

    @property
    def transactions(self) -> list[Transaction]:
        """The card transactions stored so far (a copy), in arrival order."""
        return [t.copy() for t in self._transactions]

    @property
    def claims(self) -> Sequence[Claim]:
        """Every claim as the API renders it: a lazy sequence (nothing is held)."""
        return _ClaimView(self)

    def claim(self, claim_id: str) -> Claim:
        """One claim as ``GET .../claim/{claimId}`` answers it (KeyError if none)."""
        c = self._claim_index(claim_id)
        if c is None:
            raise KeyError(claim_id)
        return self._render_claim(self._claim(c))

    def expense(self, composite_id: str) -> ClaimExpense:
        """One expense by ``"<claimId>:<expenseId>"`` (KeyError if none)."""
        claim_id, _, expense_id = composite_id.partition(":")
        c = self._claim_index(claim_id)
        e = None if c is None else self._expense_index(c, expense_id)
        if c is None or e is None:
            raise KeyError(composite_id)
        claim = self._claim(c)
        return self._render_expense(claim, self._expense(e, claim))

    def claim_ids_of(self, composite_id: str) -> tuple[str, str]:
        """Split a composite id into ``(claimId, expenseId)``."""
        claim_id, _, expense_id = composite_id.partition(":")
        return claim_id, expense_id

    def set_claim_status(
        self, claim_id: str, status: str, *, at: dt.datetime | None = None
    ) -> None:
        """Change a claim's status; its updatedDate becomes ``at`` (whole seconds), by
        default the sandbox clock's now (the vendor's clock: give the sandbox a clock of
        its own to make it run ahead of or behind the client's)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        c = self._claim_index(claim_id)
        if c is None:
            raise KeyError(claim_id)
        when = self.clock.now() if at is None else at
        self._status_overrides[c] = (status, int(when.timestamp()))

    def claim_ids_with_status(self, status: str) -> Iterator[str]:
        """Ids of the claims whose status is ``status``, in list order."""
        for c in range(self.claim_count):
            override = self._status_overrides.get(c)
            if (override[0] if override else self._status(c)) == status:
                yield str(CLAIM_ID_BASE + c)

    def expense_ids_of_claim(self, claim_id: str) -> list[str]:
        """Composite ids of a claim's listed expenses (not personal, not omitted)."""
        c = self._claim_index(claim_id)
        if c is None:
            raise KeyError(claim_id)
        claim = self._claim(c)
        return [
            f"{claim_id}:{EXPENSE_ID_BASE + x.index}"
            for x in self._claim_expenses(claim)
            if not (x.personal or x.omitted)
        ]


class _ClaimView(Sequence["Claim"]):
    """A read-only, lazily rendered sequence of the simulator's claims."""

    def __init__(self, sim: ProspendSim) -> None:
        self._sim = sim

    def __len__(self) -> int:
        return self._sim.claim_count

    @overload
    def __getitem__(self, index: int) -> Claim: ...

    @overload
    def __getitem__(self, index: slice) -> list[Claim]: ...

    def __getitem__(self, index: int | slice) -> Claim | list[Claim]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._sim.claim(str(CLAIM_ID_BASE + index))


def _exchange_rate(amount: decimal.Decimal, foreign: decimal.Decimal) -> decimal.Decimal:
    """``amount / foreign`` to six decimal places; a rate too large for that within the
    context's 28 digits keeps 17 significant digits (a double's) instead of raising."""
    rate = amount / foreign
    try:
        return rate.quantize(decimal.Decimal("0.000001"))
    except decimal.InvalidOperation:
        with decimal.localcontext() as context:
            context.prec = 17
            return +rate


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
