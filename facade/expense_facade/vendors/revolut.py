"""Revolut adapter: Revolut Business expenses as ``ExpenseClient`` (list approved, get
expense), with a static token, a token provider, or the refresh flow built in
(``RevolutRefreshToken``, re-exported here, or the refresh settings given to ``connect``;
docs/vendors/revolut.md). Its field mapping is in docs/field_mapping.md; paging, the
ignored ``since``, and authentication in docs/adapter_guide.md, "Vendor notes".
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from expense_clients.revolut.api.auth import refresh_access_token
from expense_clients.revolut.api.expenses import (
    get_expense,
    get_expense_receipt_content,
    get_expenses,
)
from expense_clients.revolut.models.refresh_token_request import RefreshTokenRequest
from expense_clients.revolut.types import UNSET

from expense_facade._http.downloads import DownloadTarget
from expense_facade._http.redaction import get_logger
from expense_facade._http.session import RateLimit
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.credentials import Credential, Kind, text_problem
from expense_facade.errors import APIError, AuthenticationError, ConfigurationError
from expense_facade.listing import KnownRecords
from expense_facade.mapping import parties
from expense_facade.mapping.agreement import agreed_codes
from expense_facade.mapping.dimensions import NO_DIMENSIONS, Dimension, dimensions_from
from expense_facade.mapping.fields import (
    LenientFields,
    StatusMap,
    identifier,
    is_object,
    raw_object,
    text,
)
from expense_facade.mapping.paging import timestamp_walk, walk_steps
from expense_facade.mapping.shapes import (
    UnexpectedShape,
    list_or_empty,
    object_or_empty,
    require_list,
    require_object,
)
from expense_facade.mapping.timeparse import TimestampParseError, format_timestamp, parse_timestamp
from expense_facade.operations import Operation
from expense_facade.records import (
    Expense,
    ExpenseStatus,
    LineItem,
    ReceiptRef,
    new_expense,
    new_line_item,
    new_receipt_ref,
)
from expense_facade.steps import Call, Download, Emit, Send, Step
from expense_facade.vendors.revolut_auth import RevolutRefreshToken as RevolutRefreshToken

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.revolut.shapes import (
        ExpenseLabelsView,
        ExpenseSplitView,
        ExpenseView,
        GetExpensesResponse200View,
        RefreshAccessTokenResponse200View,
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

REFRESH_SETTINGS = ("client_id", "refresh_token", "private_key_path", "private_key", "issuer")
"""The ``connect`` keywords of the refresh flow (one of the two private key forms); each
is declared in ``RevolutClient.credential_specs``."""
REAUTHORISE = (
    "the refresh token was refused; re-authorise the app in Revolut Business "
    "(Settings > APIs) and set the new refresh_token"
)


def _provider(credentials: Mapping[str, Any]) -> RevolutRefreshToken | None:
    """The refresh-flow provider the credentials describe; ``None`` for a static token or
    a plain callable. Exactly one of ``token`` and the refresh settings must be given."""
    token = credentials.get("token")
    given = {n for n in REFRESH_SETTINGS if not _blank(credentials.get(n))}
    if isinstance(token, RevolutRefreshToken):
        if given:
            raise ConfigurationError(
                "revolut: give either a RevolutRefreshToken or the refresh settings, not both"
            )
        return token
    if not given:
        if not (callable(token) or (isinstance(token, str) and token.strip())):
            raise ConfigurationError(
                "revolut: give token (an access token, or a callable returning one) or the "
                "refresh settings (client_id, refresh_token, private_key_path, issuer)"
            )
        return None
    if not _blank(token):
        raise ConfigurationError(
            f"revolut: give either token or the refresh settings ({', '.join(sorted(given))}), "
            "not both"
        )
    if {"private_key", "private_key_path"} <= given:
        raise ConfigurationError("revolut: give private_key_path or private_key, not both")
    key = "private_key" if "private_key" in given else "private_key_path"
    missing = [n for n in ("client_id", "refresh_token", key, "issuer") if n not in given]
    if missing:
        raise ConfigurationError(
            f"revolut: the refresh settings lack {', '.join(missing)} (the refresh flow needs "
            "client_id, refresh_token, private_key_path and issuer)"
        )
    # private_key is the PEM itself, private_key_path a file's path: a string in one is
    # never taken for the other (docs/vendors/revolut.md).
    private_key = credentials[key]
    if key == "private_key_path" and isinstance(private_key, str):
        private_key = Path(private_key)
    return RevolutRefreshToken(
        client_id=str(credentials["client_id"]).strip(),
        refresh_token=str(credentials["refresh_token"]).strip(),
        private_key=private_key,
        issuer=str(credentials["issuer"]).strip(),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _token_answer(body: Any) -> tuple[str, float]:
    """The access token and its lifetime in seconds from ``POST /auth/token``'s answer."""
    answer: RefreshAccessTokenResponse200View = require_object(body, "the token answer")
    token, lifetime = answer.get("access_token"), answer.get("expires_in")
    if not isinstance(token, str) or not token.strip():
        raise UnexpectedShape("the token answer has no access_token")
    if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime <= 0:
        raise UnexpectedShape("the token answer has no positive expires_in")
    return token.strip(), float(lifetime)


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


_transaction_date: Callable[[Expense], dt.datetime | None] = operator.attrgetter("transaction_date")
"""A mapped record's paging timestamp: ``_to_expense`` reads ``transaction_date`` from
``expense_date`` as ``_expense_date`` does (``None`` there: ``_expense_date`` is asked)."""


class RevolutClient(ExpenseClient):
    """Revolut Business expenses client; ``connect("revolut", token=<str or callable>)``."""

    vendor = "revolut"
    # Ids are UUIDs (`format: uuid` in the published spec).
    ids_unique_across_accounts = True
    capabilities = frozenset(
        {Operation.LIST_APPROVED, Operation.GET_EXPENSE, Operation.DOWNLOAD_RECEIPT}
    )
    default_base_url = "https://b2b.revolut.com/api/1.0"
    # Either ``token`` or the refresh settings: none is required on its own, the
    # constructor checks that exactly one of the two ways is given.
    credential_specs = (
        Credential("token", Kind.SECRET, header=True),
        Credential("client_id", Kind.STR),
        Credential("refresh_token", Kind.SECRET),
        Credential("private_key_path", Kind.STR),
        Credential("private_key", Kind.SECRET, multiline=True),
        Credential("issuer", Kind.STR),
    )
    credential_alternatives = (
        ("token",),
        ("client_id", "refresh_token", "private_key_path", "issuer"),
    )
    max_page_size = MAX_COUNT
    rate_limit = RateLimit(60, 60.0)

    def __init__(self, settings: ConnectionSettings) -> None:
        self._provider = _provider(settings.credentials)
        super().__init__(settings)
        self._sent = threading.local()  # the token each thread last sent (for a 401)

    # ---- auth -------------------------------------------------------------------------
    def _token(self) -> str:
        if self._provider is not None:
            if self._settings.sync_http:
                token = self._provider.access_token(self._request_token, self._settings.clock)
            else:  # the async client refreshed it in _auth_steps; a 401 refreshes it again
                token = self._provider.last_token() or ""
            self._sent.token = token
            return token
        token = self._credential("token")
        if callable(token):
            token = token()
            if not isinstance(token, str) or not token.strip():
                raise ConfigurationError("revolut: the token provider returned no token")
            problem = text_problem(token.strip(), header=True)
            if problem is not None:  # never sent: it would not be a valid header
                raise ConfigurationError(f"revolut: the token the provider returned {problem}")
        return str(token).strip()

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._token()}"}

    def _refresh_auth(self) -> bool:
        # A static token cannot get better; a provider is asked again (by _auth_headers,
        # for the one retry the session allows after a 401).
        if self._provider is not None:
            log.info("revolut: access token refused; refreshing it")
            self._provider.refused(getattr(self._sent, "token", ""))
            return True
        if callable(self._credential("token")):
            log.info("revolut: access token refused; asking the token provider again")
            return True
        return False

    def _auth_steps(self) -> Step[None] | None:
        provider, clock = self._provider, self._settings.clock
        if provider is None or provider.fresh_token(clock) is not None:
            return None
        return self._refresh_steps(provider)

    def _refresh_steps(self, provider: RevolutRefreshToken) -> Step[None]:
        clock = self._settings.clock
        asked_at = clock.monotonic()  # as in RevolutRefreshToken.access_token
        answer = yield from self._token_request_steps(lambda: provider.refresh_form(clock.now()))
        provider.store(*answer, asked_at)

    def _request_token(self, form: Callable[[], Mapping[str, str]]) -> tuple[str, float]:
        return self._run(self._token_request_steps(form))

    def _token_request_steps(
        self, form: Callable[[], Mapping[str, str]]
    ) -> Step[tuple[str, float]]:
        """``POST /auth/token`` through the HTTP layer, without the bearer header (the
        form authenticates), with a form made by ``form()`` for each attempt. A refused
        refresh is one ``AuthenticationError``."""
        kwargs = refresh_access_token._get_kwargs(body=RefreshTokenRequest(**form()))
        first: list[Mapping[str, Any]] = [kwargs["data"]]

        def fresh_form() -> Mapping[str, Any]:
            # The first attempt sends the form just made; a retry, after its wait, a new
            # one: the assertion in the first may have expired meanwhile.
            if first:
                return first.pop()
            data: Mapping[str, Any] = RefreshTokenRequest(**form()).to_dict()
            return data

        try:
            # retry_safe: a refresh grant changes nothing at Revolut (the refresh token is
            # not rotated), so repeating it after a timeout or a 5xx is harmless.
            response: httpx.Response = yield Send(
                {**kwargs, "data": fresh_form}, retry_safe=True, auth=False
            )
        except APIError as exc:
            if exc.status not in (400, 401):
                raise
            raise AuthenticationError(
                REAUTHORISE,
                vendor=self.vendor,
                status=exc.status,
                code=exc.code,
                request_id=exc.request_id,
                attempts=exc.attempts,
            ) from None
        answer: tuple[str, float] = self._unwrap(response, self._decode(response), _token_answer)
        return answer

    # ---- list and detail --------------------------------------------------------------
    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        self._ignore_since(
            since,
            "Revolut has no update-time filter (from/to bound expense_date, which would drop "
            "late approvals); listing every approved expense",
        )

        def fetch(
            lower: dt.datetime | None, upper: dt.datetime | None, count: int
        ) -> Step[GetExpensesResponse200View]:
            kwargs = get_expenses._get_kwargs(
                from_=format_timestamp(lower) if lower is not None else UNSET,
                to=format_timestamp(upper) if upper is not None else UNSET,
                count=count,
                state=APPROVED,
            )
            items: GetExpensesResponse200View = yield Call(kwargs, unwrap=_array)
            return items

        def each(items: Sequence[ExpenseView]) -> Step[list[dt.datetime | None]]:
            # The paging timestamp of each record is its transaction_date, the item's
            # expense_date read once, by the mapping (_expense_date reads the others).
            page = self._page(items, self._to_expense, note=_transaction_date)
            yield Emit(page)
            stamps: list[dt.datetime | None] = page.notes
            return stamps

        walk = timestamp_walk(
            timestamp_of=_expense_date,
            page_size=page_size,
            max_page_size=MAX_COUNT,
            vendor=self.vendor,
        )
        yield from walk_steps(walk, fetch, each)

    def _get_expense_steps(self, expense_id: str) -> Step[Expense]:
        return self._to_expense((yield Call(get_expense._get_kwargs(expense_id), unwrap=_object)))

    def _download_receipt_steps(
        self, expense_id: str, receipt_id: str, target: DownloadTarget
    ) -> Step[int]:
        # The receipt content endpoint answers the file itself, with the usual bearer token.
        yield Download(get_expense_receipt_content._get_kwargs(expense_id, receipt_id), target)
        return 0

    # ---- mapping ----------------------------------------------------------------------
    def _to_expense(self, item: ExpenseView) -> Expense:
        raw = raw_object(item)  # the record itself: a view only types it
        expense_id = identifier(item["id"])
        if expense_id is None:
            raise ValueError("the expense has an empty id")
        f = LenientFields()
        status, raw_status = STATUS(item.get("state"))
        spent = object_or_empty(item.get("spent_amount"))
        gross = f.money("spent_amount", spent.get("amount"), spent.get("currency"))
        completed_at = f.timestamp("completed_at", item.get("completed_at"))
        approved = status is ExpenseStatus.APPROVED
        splits = list_or_empty(item.get("splits"))
        lines = tuple([_line_item(f, n, split) for n, split in enumerate(splits)])
        category, gl_code, tax_code = agreed_codes(lines)
        labels = item.get("labels")
        dims = _label_dimensions(labels) if labels else NO_DIMENSIONS
        payer = text(item.get("payer"))
        merchant = text(item.get("merchant"))
        return new_expense(
            self.vendor,
            expense_id,
            status,
            raw_status,
            gross=gross,
            currency=gross.currency if gross is not None else None,
            transaction_date=f.timestamp("expense_date", item.get("expense_date")),
            submitted_at=f.timestamp("submitted_at", item.get("submitted_at")),
            approved_at=completed_at if approved else None,
            employee=parties.employee(None, payer, None) if payer is not None else None,
            merchant=parties.merchant(merchant, None) if merchant is not None else None,
            category=category,
            gl_code=gl_code,
            tax_code=tax_code,
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


def _line_item(f: LenientFields, n: int, split: ExpenseSplitView) -> LineItem:
    raw: dict[str, Any] = split if isinstance(split, dict) else {}
    view = object_or_empty(split)
    amount = object_or_empty(view.get("amount"))
    category = object_or_empty(view.get("category"))
    tax_rate = object_or_empty(view.get("tax_rate"))
    rate_field, amount_field = _split_fields(n)
    rate = f.decimal(rate_field, tax_rate.get("percentage"))  # first: the warnings' order
    return new_line_item(
        amount=f.money(amount_field, amount.get("amount"), amount.get("currency")),
        category=text(category.get("name")),
        gl_code=text(category.get("code")),
        tax_code=text(tax_rate.get("name")),
        tax_rate=rate,
        raw=raw,
    )


@functools.lru_cache(maxsize=64)
def _split_fields(n: int) -> tuple[str, str]:
    """The warning names of split ``n``'s tax rate and amount (made once, not per split)."""
    return f"splits[{n}].tax_rate", f"splits[{n}].amount"


def _receipts(ids: list[str] | None) -> tuple[ReceiptRef, ...]:
    # (A list, not a generator, into tuple(): cheaper for the one or two ids of a record.)
    return tuple([new_receipt_ref(id=r) for r in map(text, list_or_empty(ids)) if r])


def _label_dimensions(labels: ExpenseLabelsView | None) -> Mapping[Dimension, str]:
    return dimensions_from(
        [(group, _selected(chosen)) for group, chosen in object_or_empty(labels).items()]
    )


def _selected(chosen: list[str] | str) -> str | None:
    """A label group's selected label: a one-element list, or the bare label (both in the
    spec: specs/revolut/named-schemas.yaml)."""
    if isinstance(chosen, list):
        return chosen[0] if chosen else None
    return chosen
