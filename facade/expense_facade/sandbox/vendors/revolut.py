"""Simulator of the Revolut Business expenses API, with its timestamp ties, the quirks a
test can switch on and the refresh flow (``POST /auth/token``: tokens expire after 40
minutes of the sandbox clock; needs the ``revolut-refresh`` extra, else it answers 501).
How it generates and pages its data, and how it checks a refresh: docs/sandbox.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl

import attrs

from expense_facade.clock import Clock
from expense_facade.sandbox import data
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import SimRequest, SimResponse, json_response

if TYPE_CHECKING:  # types only: an answer is a plain dict built as the spec's shape
    from expense_clients.revolut.shapes import (
        AccessToken,
        Expense,
        ExpenseSplit,
        GetExpensesResponse200,
        OAuthError,
    )

KEY = "revolut"

STATES = (
    "missing_info",
    "awaiting_review",
    "rejected",
    "pending_reimbursement",
    "refund_requested",
    "refunded",
    "approved",
    "reverted",
)
TRANSACTION_TYPES = (
    "atm",
    "card_payment",
    "fee",
    "transfer",
    "external",
    "mileage_reimbursement",
    "rev_payment",
)
# States in which Revolut fills completed_at.
COMPLETED_STATES = frozenset({"approved", "refunded", "reverted", "pending_reimbursement"})

MAX_COUNT = 500
DEFAULT_COUNT = 100
# The newest expense_date; records go back SPAN from here. Fixed (not the clock) so the
# same seed gives the same bytes; it lies before FakeClock's default start (2026-01-01),
# so the default ``to`` ("now") includes every record.
ANCHOR = dt.datetime(2025, 12, 15, 12, 0, tzinfo=dt.UTC)
_ANCHOR_MS = int(ANCHOR.timestamp()) * 1000
_SPAN_MS = 730 * 86_400_000
_TIE_BLOCK = 16
LONG_TIE_RUN = 650
BUSINESS_NAME = "Northwind Trading Ltd"

ACCESS_TOKEN_SECONDS = 2400
"""An access token from ``POST /auth/token`` lives 40 minutes of the sandbox clock."""
MAX_LIVE_TOKENS = 1000
"""Access tokens remembered at once (expired ones are dropped first)."""
MAX_FORM_BYTES = 16 * 1024
ISSUER = "expense-facade.sandbox.invalid"
"""The redirect URI's domain the sandbox app is registered with (the assertion's iss)."""
AUDIENCE = "https://revolut.com"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EXTRA = "revolut-refresh"

# Revolut's integer error codes, per HTTP status.
ERROR_CODES: Mapping[int, int] = {
    400: 3000,
    401: 9001,
    403: 9002,
    404: 3006,
    405: 3000,
    422: 3470,
    429: 9009,
}

# (transaction type, weight) and the states each type can reach with their weights.
_TYPE_WEIGHTS = (
    ("card_payment", 55),
    ("external", 12),
    ("transfer", 7),
    ("atm", 6),
    ("fee", 6),
    ("mileage_reimbursement", 6),
    ("rev_payment", 8),
)
_COMMON_STATES = (
    ("approved", 40),
    ("awaiting_review", 15),
    ("missing_info", 15),
    ("rejected", 8),
    ("reverted", 5),
)
_STATES_BY_TYPE: Mapping[str, tuple[tuple[str, int], ...]] = {
    "card_payment": (*_COMMON_STATES, ("refund_requested", 6), ("refunded", 6)),
    "atm": (*_COMMON_STATES, ("refund_requested", 6), ("refunded", 6)),
    "rev_payment": (*_COMMON_STATES, ("refund_requested", 4), ("refunded", 4)),
    "external": (*_COMMON_STATES, ("pending_reimbursement", 12)),
    "mileage_reimbursement": (*_COMMON_STATES, ("pending_reimbursement", 12)),
    "fee": _COMMON_STATES,
    "transfer": _COMMON_STATES,
}
# Index → (type, state) for the first records, so every value shows up in any sandbox.
_COVERAGE = (
    ("card_payment", "approved"),
    ("external", "pending_reimbursement"),
    ("atm", "refund_requested"),
    ("card_payment", "refunded"),
    ("transfer", "missing_info"),
    ("fee", "reverted"),
    ("mileage_reimbursement", "awaiting_review"),
    ("rev_payment", "rejected"),
)
_LABEL_GROUPS: Mapping[str, tuple[str, ...]] = {
    "Cost centre": data.DEPARTMENTS,
    "Project": data.PROJECTS,
    "Location": data.LOCATIONS,
}
_TAX_RATES = (
    ("Standard VAT", 20),
    ("Reduced VAT", 5),
    ("Zero VAT", 0),
    ("VAT 23%", 23),
)
_CURRENCY_WEIGHTS = (("GBP", 50), ("EUR", 25), ("USD", 15), ("CHF", 3), ("SEK", 3), ("JPY", 4))


def _fmt_ms(millis: int) -> str:
    whole = dt.datetime.fromtimestamp(millis // 1000, tz=dt.UTC)
    return data.iso_z(whole.replace(microsecond=(millis % 1000) * 1000))


def _malformed(millis: int) -> str:
    """The date without zero padding on its first padded field (``2025-10-6T...``)."""
    t = dt.datetime.fromtimestamp(millis // 1000, tz=dt.UTC)
    fields = [t.day, t.month, t.hour, t.minute, t.second]
    texts = [f"{v:02d}" for v in fields]
    for k, value in enumerate(fields):
        if value < 10:
            texts[k] = str(value)
            break
    else:
        # Nothing to unpad: a second of 60 is just as unparseable.
        texts[4] = "60"
    day, month, hour, minute, second = texts
    return f"{t.year}-{month}-{day}T{hour}:{minute}:{second}.{millis % 1000:03d}Z"


def _day_of(millis: int) -> int:
    return dt.datetime.fromtimestamp(millis // 1000, tz=dt.UTC).day


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> SimResponse:
    return json_response(
        status, {"code": ERROR_CODES.get(status, status), "message": message}, headers
    )


def _oauth_error(status: int, error: str, description: str) -> SimResponse:
    """The OAuth error body ``POST /auth/token`` answers with."""
    body: OAuthError = {"error": error, "error_description": description}
    return json_response(status, body)


_KEYS: tuple[str, Any] | None = None
_KEYS_LOCK = threading.Lock()


def _key_pair() -> tuple[str, Any]:
    """The simulator's RSA key pair (private PEM, public key), made on first use and kept
    for the process: a 2048-bit key takes a noticeable time to make, and every sandbox
    of a test run would otherwise make its own."""
    global _KEYS
    with _KEYS_LOCK:
        if _KEYS is None:
            try:
                from cryptography.hazmat.primitives import serialization
                from cryptography.hazmat.primitives.asymmetric import rsa
            except ImportError:
                raise RuntimeError(_missing_extra()) from None
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode("ascii")
            _KEYS = (pem, key.public_key())
        return _KEYS


def _missing_extra() -> str:
    return (
        "the sandbox's auth/token needs PyJWT[crypto]; install the "
        f"{EXTRA!r} extra: pip install 'expense-facade[{EXTRA}]'"
    )


class RevolutSim(VendorSim):
    """The Revolut Business expenses API, generated per index on demand."""

    key: ClassVar[str] = KEY
    mount: ClassVar[str] = "/revolut/api/1.0"
    list_route: ClassVar[str] = "GET /expenses"
    rate_limit: ClassVar[tuple[int, float] | None] = (60, 60.0)
    enum_fields: ClassVar[tuple[str, ...]] = ("state", "transaction_type")
    date_fields: ClassVar[tuple[str, ...]] = ("expense_date", "submitted_at", "completed_at")
    amount_fields: ClassVar[tuple[str, ...]] = ("spent_amount.amount",)

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self._ids = data.IdCodec(seed, KEY)
        self._tx_ids = data.IdCodec(seed, "revolut-transaction")
        self._receipt_ids = data.IdCodec(seed, "revolut-receipt")
        self._kind_key = data.mix(seed, KEY, "kind")
        self._tie_key = data.mix(seed, KEY, "ties")
        self._jitter_key = data.mix(seed, KEY, "jitter")
        self._step_ms = max(1000, _SPAN_MS // max(size, 1))
        long_len = min(LONG_TIE_RUN, size // 2)
        self.long_tie_start = size // 3
        self.long_tie_end = self.long_tie_start + long_len if long_len >= 2 else self.long_tie_start
        self._token = "oa_sand_" + self._ids.token(0xC0FFEE)
        self.client_id = "sandbox-client-" + self._ids.token(0xC1)
        self._refresh_token = "oa_sand_refresh_" + self._ids.token(0x5EF)
        self._refresh_revoked = False
        self._issued: dict[str, dt.datetime] = {}  # access token -> expiry (sandbox clock)
        self._serial = itertools.count(1)
        self.tokens_issued = 0
        """Access tokens issued by ``POST /auth/token`` (ground truth for tests)."""
        self.tokens_refused = 0
        """Requests refused because their access token had expired."""
        self._state_overrides: dict[int, str] = {}
        self._moved: dict[int, int] = {}  # index → expense_date (ms) after a move
        self.malformed_date_index: int | None = None
        self.router.add("POST", "/auth/token", self._auth_token)
        self.router.add("GET", "/expenses", self._list)
        self.router.add("GET", "/expenses/{expense_id}", self._get)
        self.router.add(
            "GET", "/expenses/{expense_id}/receipts/{receipt_id}/content", self._receipt
        )

    # -- the contract -------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """``{"token": ...}`` for ``connect("revolut", ...)``."""
        return {"token": self._token}

    def refresh_credentials(self) -> dict[str, str]:
        """The refresh flow's settings for ``connect("revolut", ...)``: ``client_id``,
        ``refresh_token``, ``private_key`` (PEM) and ``issuer``. Makes the key pair on
        first use; needs PyJWT[crypto] (``RuntimeError`` naming the extra without it)."""
        private_pem, _ = self._keys()
        return {
            "client_id": self.client_id,
            "refresh_token": self._refresh_token,
            "private_key": private_pem,
            "issuer": ISSUER,
        }

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """Bearer token check; Revolut answers 401 with its ``{code, message}`` body.
        ``POST /auth/token`` authenticates by its client assertion instead."""
        if req.method == "POST" and req.path == "/auth/token":
            return None
        header = req.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        token = value.strip()
        if scheme.lower() == "bearer" and token == self._token:
            return None
        expires = self._issued.get(token) if scheme.lower() == "bearer" else None
        if expires is not None:
            if self.clock.now() < expires:
                return None
            self.tokens_refused += 1
            return _error(401, "The access token has expired.")
        return _error(401, "The request should be authorized.")

    def handle(self, req: SimRequest) -> SimResponse:
        """Route the request; unknown paths answer Revolut's 404 (code 3006)."""
        return self.router.answer(
            req,
            not_allowed=lambda: _error(405, "Method not allowed"),
            not_found=lambda: _error(404, "Not found"),
        )

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """Revolut's ``{code, message}`` error body."""
        return _error(status, message, headers)

    def record_lists(self, body: Any) -> list[list[Any]]:
        """The bare array of a list answer, or the one record of a detail answer."""
        if isinstance(body, list):
            return [body]
        if isinstance(body, dict) and "id" in body:
            return [[body]]
        return []

    # -- auth/token ---------------------------------------------------------------------

    def _keys(self) -> tuple[str, Any]:
        return _key_pair()

    def _auth_token(self, req: SimRequest, _: PathParams) -> SimResponse:
        try:
            import jwt
        except ImportError:
            # Not Revolut's answer but the simulator's own limit: marked as such.
            return attrs.evolve(_oauth_error(501, "server_error", _missing_extra()), injected=True)
        if len(req.body) > MAX_FORM_BYTES:
            return _oauth_error(400, "invalid_request", "The request is too large.")
        form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        if form.get("grant_type") != "refresh_token":
            return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type.")
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return _oauth_error(400, "invalid_request", "Invalid client assertion type.")
        if form.get("client_id") != self.client_id:
            return _oauth_error(401, "invalid_client", "Unknown client.")
        try:
            claims = jwt.decode(
                form.get("client_assertion", ""),
                self._keys()[1],
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                # exp is checked against the sandbox clock below, not the machine's.
                options={"require": ["iss", "sub", "aud", "exp"], "verify_exp": False},
            )
        except jwt.PyJWTError:
            return _oauth_error(401, "invalid_client", "Invalid client assertion.")
        if claims.get("sub") != self.client_id:
            return _oauth_error(401, "invalid_client", "Invalid client assertion.")
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= self.clock.now().timestamp():
            return _oauth_error(401, "invalid_client", "The client assertion has expired.")
        if self._refresh_revoked or form.get("refresh_token") != self._refresh_token:
            return _oauth_error(400, "invalid_grant", "Invalid refresh token.")
        return json_response(200, self._issue())

    def _issue(self) -> AccessToken:
        now = self.clock.now()
        for token, expires in list(self._issued.items()):
            if expires <= now or len(self._issued) >= MAX_LIVE_TOKENS:
                del self._issued[token]
        token = "oa_sand_access_" + self._ids.token(0xACCE55 + next(self._serial))
        self._issued[token] = now + dt.timedelta(seconds=ACCESS_TOKEN_SECONDS)
        self.tokens_issued += 1
        return {"access_token": token, "token_type": "bearer", "expires_in": ACCESS_TOKEN_SECONDS}

    def expire_access_tokens(self) -> None:
        """End every issued access token now (Revolut may end one before its expiry)."""
        now = self.clock.now()
        for token in self._issued:
            self._issued[token] = now

    def revoke_refresh_token(self) -> None:
        """The app's authorisation is withdrawn: the refresh token no longer works."""
        self._refresh_revoked = True

    # -- the data model -----------------------------------------------------------------

    def _rep(self, i: int) -> int:
        """The first index of the tie run holding ``i`` (``i`` itself when it has none)."""
        if self.long_tie_start <= i < self.long_tie_end:
            return self.long_tie_start
        block = i // _TIE_BLOCK
        h = data.splitmix64(self._tie_key ^ block)
        if h % 3:
            return i
        length = 2 + (h >> 8) % 5
        # Starts early enough in the block that the whole run fits inside it.
        start = block * _TIE_BLOCK + (h >> 16) % (_TIE_BLOCK - 6)
        if start <= i < start + length:
            # A small run must not reach back into the long run.
            if start < self.long_tie_end and i >= self.long_tie_end:
                return i
            return start
        return i

    def expense_date_ms(self, i: int) -> int:
        """``expense_date`` of index ``i`` in epoch milliseconds (non-increasing in ``i``)."""
        rep = self._rep(i)
        jitter = data.splitmix64(self._jitter_key ^ rep) % self._step_ms
        return _ANCHOR_MS - (rep * self._step_ms + jitter)

    def kind(self, i: int) -> tuple[str, str]:
        """``(transaction_type, state)`` of index ``i`` (cheap: no full record built)."""
        if i < len(_COVERAGE):
            tx_type, state = _COVERAGE[i]
        else:
            h = data.splitmix64(self._kind_key ^ i)
            tx_type = data.weighted(h & 0xFFFF, _TYPE_WEIGHTS)
            state = data.weighted(h >> 16, _STATES_BY_TYPE[tx_type])
        return tx_type, self._state_overrides.get(i, state)

    def expense_id(self, i: int) -> str:
        """The id of index ``i``."""
        return self._ids.guid(i)

    def index_of(self, expense_id: str) -> int | None:
        """The index of ``expense_id``, or None when this sandbox never issued it."""
        i = self._ids.from_guid(expense_id)
        return i if i is not None and 0 <= i < self.size else None

    def _receipt_count(self, i: int) -> int:
        tx_type, state = self.kind(i)
        h = data.splitmix64(self._kind_key ^ (i << 1) ^ 0x5A5A)
        if tx_type in ("fee", "transfer") or (state == "missing_info" and h % 2):
            return 0
        return 1 + (h >> 4) % 100 // 85  # mostly one, sometimes two

    def _receipt_id(self, i: int, k: int) -> str:
        return self._receipt_ids.guid(i * 4 + k)

    def record(self, i: int) -> Expense:
        """The JSON object of expense ``i`` (optional fields absent, never null)."""
        rng = data.rng_for(self.seed, KEY, i)
        tx_type, state = self.kind(i)
        date_ms = self._moved.get(i, self.expense_date_ms(i))
        currency = data.weighted(rng.randrange(1 << 30), _CURRENCY_WEIGHTS)
        merchant = data.pick(rng, data.MERCHANTS)
        payer = data.person(self.seed, KEY, rng.randrange(60)).name
        if tx_type == "mileage_reimbursement":
            currency = "GBP"
            total = data.to_minor(data.amount(rng, currency, 4.5, 180.0), currency)
        elif tx_type == "fee":
            total = data.to_minor(data.amount(rng, currency, 1.0, 40.0), currency)
        else:
            total = data.to_minor(data.amount(rng, currency), currency)
        exp = data.exponent(currency)

        # Every field the published file requires (labels aside: real answers omit it, a
        # declared deviation in prepare.yaml). The splits are drawn last, after the
        # optional fields, so a seed keeps giving the same data.
        out: Expense = {
            "id": self.expense_id(i),
            "state": state,
            "transaction_type": tx_type,
            "expense_date": (
                _malformed(date_ms) if i == self.malformed_date_index else _fmt_ms(date_ms)
            ),
            "splits": [],
            "receipt_ids": [self._receipt_id(i, k) for k in range(self._receipt_count(i))],
            "spent_amount": {"amount": _double(total, exp), "currency": currency},
        }
        if rng.random() < 0.7:
            out["description"] = _description(rng, tx_type, merchant.category)
        if state != "missing_info":
            out["submitted_at"] = _fmt_ms(date_ms + rng.randrange(3_600_000, 3 * 86_400_000))
            if state in COMPLETED_STATES:
                out["completed_at"] = _fmt_ms(
                    date_ms + rng.randrange(4 * 86_400_000, 9 * 86_400_000)
                )
        out["payer"] = BUSINESS_NAME if tx_type == "fee" else payer
        if tx_type in ("card_payment", "rev_payment") or (
            tx_type == "external" and rng.random() < 0.5
        ):
            out["merchant"] = merchant.name
        elif tx_type == "atm":
            out["merchant"] = "Cash machine " + data.pick(rng, data.LOCATIONS)
        elif tx_type == "fee":
            out["merchant"] = "Revolut"
        if tx_type != "external":
            out["transaction_id"] = self._tx_ids.guid(i)
        if rng.random() < 0.6:
            groups = rng.sample(sorted(_LABEL_GROUPS), rng.randrange(1, 3))
            out["labels"] = {g: [data.pick(rng, _LABEL_GROUPS[g])] for g in groups}
        out["splits"] = self._splits(rng, i, state, total, currency, exp, merchant.category)
        return out

    def _splits(
        self,
        rng: random.Random,
        i: int,
        state: str,
        total: int,
        currency: str,
        exp: int,
        category: str,
    ) -> list[ExpenseSplit]:
        roll = rng.random()
        n = 1 if roll < 0.75 or total < 3 else (2 if roll < 0.93 else 3)
        cuts = sorted(rng.sample(range(1, total), n - 1)) if n > 1 else []
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        # Real responses carry splits with only ``amount`` (seen on incomplete expenses).
        bare = i >= len(_COVERAGE) and (rng.random() < (0.5 if state == "missing_info" else 0.05))
        splits: list[ExpenseSplit] = []
        for k, part in enumerate(parts):
            split: ExpenseSplit = {"amount": {"amount": _double(part, exp), "currency": currency}}
            if not bare:
                name = category if k == 0 else data.pick(rng, data.CATEGORIES)[0]
                code = data.GL_CODES[name]
                split["category"] = {
                    "id": _uuid(self.seed, "category", name),
                    "name": name,
                    "code": code,
                }
                if rng.random() < 0.85:
                    tax_name, pct = data.pick(rng, _TAX_RATES)
                    split["tax_rate"] = {
                        "id": _uuid(self.seed, "tax", tax_name),
                        "name": tax_name,
                        "percentage": pct,
                    }
            splits.append(split)
        return splits

    def receipt_content(self, i: int, k: int) -> tuple[bytes, str]:
        """The bytes and content type of receipt ``k`` of expense ``i``."""
        text = f"Receipt {self._receipt_id(i, k)} for expense {self.expense_id(i)}"
        if k % 2 == 0:
            return data.tiny_pdf(text), "application/pdf"
        return data.tiny_png(data.mix(self.seed, KEY, i, k)), "image/png"

    # -- handlers -----------------------------------------------------------------------

    def _first_below(self, bound_ms: int) -> int:
        """The first index whose expense_date is < ``bound_ms`` (size when none)."""
        lo, hi = 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            if self.expense_date_ms(mid) < bound_ms:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _list(self, req: SimRequest, _: PathParams) -> SimResponse:
        raw_count = req.param("count")
        count = DEFAULT_COUNT
        if raw_count is not None:
            try:
                count = int(raw_count)
            except ValueError:
                return _error(400, "count must be an integer between 1 and 500")
            if not 1 <= count <= MAX_COUNT:
                return _error(400, "count must be between 1 and 500")
        bounds: dict[str, int] = {}
        for name in ("from", "to"):
            text = req.param(name)
            if text is None:
                continue
            parsed = _parse_iso(text)
            if parsed is None:
                return _error(400, f"{name} must be an ISO 8601 date-time")
            bounds[name] = parsed
        state = req.param("state")
        if state is not None and state not in STATES:
            return _error(400, f"Invalid state: {state}")
        tx_type = req.param("transaction_type")
        if tx_type is not None and tx_type not in TRANSACTION_TYPES:
            return _error(400, f"Invalid transaction_type: {tx_type}")

        to_us = bounds.get("to", _to_micros(self.clock.now()))
        to_ms = -(-to_us // 1000)  # expense_date < to  ⇔  date_ms < ceil(to in ms)
        from_ms = -(-bounds["from"] // 1000) if "from" in bounds else None
        start = self._first_below(to_ms)
        stop = self.size if from_ms is None else self._first_below(from_ms)

        def wanted(i: int) -> bool:
            if state is None and tx_type is None:
                return True
            kind_type, kind_state = self.kind(i)
            return (state is None or kind_state == state) and (
                tx_type is None or kind_type == tx_type
            )

        # Records whose date moved are skipped at their generated place and merged back
        # in at their new one; order is (expense_date descending, index ascending).
        moved = sorted(
            (-d, i)
            for i, d in self._moved.items()
            if d < to_ms and (from_ms is None or d >= from_ms) and wanted(i)
        )
        indices: list[int] = []
        k = 0
        for i in range(start, stop):
            if len(indices) == count:
                break
            if i in self._moved or not wanted(i):
                continue
            key = (-self.expense_date_ms(i), i)
            while k < len(moved) and moved[k] < key and len(indices) < count:
                indices.append(moved[k][1])
                k += 1
            if len(indices) < count:
                indices.append(i)
        while k < len(moved) and len(indices) < count:
            indices.append(moved[k][1])
            k += 1
        page: GetExpensesResponse200 = [self.record(i) for i in indices]
        return self._quirk(json_response(200, page), indices)

    def _get(self, _: SimRequest, params: PathParams) -> SimResponse:
        i = self.index_of(params["expense_id"])
        if i is None:
            return _error(404, "Expense not found")
        return self._quirk(json_response(200, self.record(i)), [i])

    def _quirk(self, response: SimResponse, indices: list[int]) -> SimResponse:
        # A record with the malformed date breaks the spec on purpose: say so, so that
        # conformance checks skip this answer (as they skip injected faults).
        if self.malformed_date_index is not None and self.malformed_date_index in indices:
            return attrs.evolve(response, injected=True)
        return response

    def _receipt(self, _: SimRequest, params: PathParams) -> SimResponse:
        i = self.index_of(params["expense_id"])
        if i is None:
            return _error(404, "Expense not found")
        j = self._receipt_ids.from_guid(params["receipt_id"])
        if j is None or j // 4 != i or j % 4 >= self._receipt_count(i):
            return _error(404, "Receipt not found")
        body, content_type = self.receipt_content(i, j % 4)
        return SimResponse(
            status=200,
            body=body,
            headers={"content-type": content_type, "content-length": str(len(body))},
        )

    # -- introspection and switches -----------------------------------------------------

    def approve_waiting(self, count: int) -> None:
        """Approve about ``count`` expenses not yet approved, in list order (``VendorSim``)."""
        waiting = (self.expense_id(i) for i in range(self.size) if self.kind(i)[1] != "approved")
        for expense_id in [e for _, e in zip(range(count), waiting, strict=False)]:
            self.set_state(expense_id, "approved")

    def approved_ids(self) -> Iterator[str]:
        """Ids of every ``approved`` expense, in list order (newest first)."""
        for i in range(self.size):
            if self.kind(i)[1] == "approved":
                yield self.expense_id(i)

    def expense(self, expense_id: str) -> Expense:
        """The JSON object of ``expense_id`` as the API would answer it (KeyError if none)."""
        i = self.index_of(expense_id)
        if i is None:
            raise KeyError(expense_id)
        return self.record(i)

    def set_state(self, expense_id: str, state: str) -> None:
        """Change one expense's state (e.g. approved between two page reads)."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        i = self.index_of(expense_id)
        if i is None:
            raise KeyError(expense_id)
        self._state_overrides[i] = state

    def move_expense_date(self, expense_id: str, when: dt.datetime) -> None:
        """Give one expense a new ``expense_date`` (Revolut moves it from creation to
        completion time): it leaves its old place in the list and appears at the new one."""
        i = self.index_of(expense_id)
        if i is None:
            raise KeyError(expense_id)
        self._moved[i] = _to_micros(when) // 1000

    def use_malformed_date(self, index: int | None = None) -> str:
        """Make one record's ``expense_date`` malformed (``2025-10-6T08:34:18.123Z``) and
        return its id. Default: the first approved record dated on day 1..9 of a month
        (so the unpadded day reads like the published example). Setting
        ``malformed_date_index = None`` switches the quirk off. Answers carrying the record
        are marked ``injected`` (wrong on purpose: conformance checks skip them)."""
        if index is None:
            approved = [i for i in range(min(self.size, 5000)) if self.kind(i)[1] == "approved"]
            early = [i for i in approved if _day_of(self.expense_date_ms(i)) < 10]
            index = (early or approved or [0])[0]
        if not 0 <= index < self.size:
            raise IndexError(index)
        self.malformed_date_index = index
        return self.expense_id(index)

    def tie_runs(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int]]:
        """``(first_index, length)`` of every run of 2+ equal expense_dates in the range."""
        stop = self.size if stop is None else min(stop, self.size)
        i = start
        while i < stop:
            rep = self._rep(i)
            j = i + 1
            while j < self.size and self._rep(j) == rep:
                j += 1
            if j - i >= 2:
                yield i, j - i
            i = j


# -- small helpers ---------------------------------------------------------------------


def _double(minor: int, exp: int) -> float:
    # Revolut sends amounts as JSON doubles (12.3, not "12.30").
    return minor / float(10**exp)


def _uuid(seed: int, *parts: str) -> str:
    high = data.mix(seed, KEY, *parts)
    low = data.mix(seed, KEY, *parts, "low")
    h = f"{high:016x}{low:016x}"
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _description(rng: random.Random, tx_type: str, category: str) -> str:
    if tx_type == "mileage_reimbursement":
        return f"Client visit, {rng.randrange(8, 240)} miles"
    if tx_type == "fee":
        return "Plan fee"
    return data.pick(
        rng,
        (
            f"{category} for team",
            f"{category}",
            "Client meeting",
            "Conference trip",
            "Monthly subscription",
        ),
    )


def _to_micros(value: dt.datetime) -> int:
    delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _parse_iso(text: str) -> int | None:
    """An ISO 8601 date or date-time as epoch microseconds (naive means UTC)."""
    parsed = data.parse_time(text)
    return None if parsed is None else _to_micros(parsed)
