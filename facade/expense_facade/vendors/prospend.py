"""ProSpend (Expense Management, beta) adapter as ``ExpenseClient``: the expenses of
claims in ``ready_status`` (list approved, get expense by ``"<claimId>:<expenseId>"``)
and card transactions. Its field mapping is in docs/field_mapping.md; what "approved"
means, filters, paging and fan-out, and card transactions in docs/adapter_guide.md,
"Vendor notes".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict, TypeVar

import httpx
from expense_clients.prospend.api.claims import get_claim, list_claims
from expense_clients.prospend.api.expenses import get_claim_expense, list_claim_expenses
from expense_clients.prospend.api.splits import list_expense_splits
from expense_clients.prospend.api.transactions import create_transaction
from expense_clients.prospend.models.transaction_request import TransactionRequest
from expense_clients.prospend.types import UNSET

from expense_facade._http.error_mapping import attempts_of, error_for_response
from expense_facade._http.json_body import exact_json
from expense_facade._http.redaction import get_logger
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import ConfigurationError, MalformedResponseError, ValidationError
from expense_facade.listing import KnownRecords
from expense_facade.mapping import parties
from expense_facade.mapping.card_transactions import card_amounts
from expense_facade.mapping.dimensions import Dimension, dimensions_from
from expense_facade.mapping.fields import (
    JsonScalar,
    LenientFields,
    StatusMap,
    absent,
    identifier,
    is_object,
    raw_object,
    scalar_text,
    text,
)
from expense_facade.mapping.paging import (
    CursorPage,
    FreshFilter,
    collected_steps,
    cursor_walk,
    walk_steps,
)
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
    CardTransaction,
    CardTransactionResult,
    Employee,
    Expense,
    ExpenseStatus,
    LineItem,
    Money,
    new_expense,
    new_line_item,
)
from expense_facade.steps import Call, Concurrently, Emit, Send, Step

if TYPE_CHECKING:  # types only: a view is the decoded dict itself
    from expense_clients.prospend.shapes import (
        ClaimExpensePageView,
        ClaimExpenseView,
        ClaimPageView,
        ClaimView,
        CurrencyTotalView,
        ErrorView,
        ExpenseSplitPageView,
        ExpenseSplitView,
        GetClaimExpenseResponse200View,
        GetClaimResponse200View,
        NextCursorView,
        TransactionView,
    )

log = get_logger(__name__)

READY_STATUSES = ("Finalised", "Approved")
"""The claim statuses ``ready_status`` may name; the first is the default."""

STATUS = StatusMap(
    {
        "None": ExpenseStatus.DRAFT,
        "NotSubmitted": ExpenseStatus.DRAFT,
        "PendingApproval": ExpenseStatus.PENDING_APPROVAL,
        "Approved": ExpenseStatus.APPROVED,
        "Finalised": ExpenseStatus.APPROVED,
        "Rejected": ExpenseStatus.REJECTED,
    }
)
"""ProSpend claim status -> ``ExpenseStatus`` (an expense takes its claim's status)."""

_KNOWN_STATUSES = frozenset(
    word.casefold()
    for word in ("None", "NotSubmitted", "PendingApproval", "Approved", "Finalised", "Rejected")
)
_COMPOSITE_ID = re.compile(r"(\d+):(\d+)")
_DUPLICATE_CODE = "RESOURCE_CONFLICT"

T = TypeVar("T")
_Identified = TypeVar("_Identified", bound="_WithId")


class Item(TypedDict):
    """One listed record, kept as ``Expense.raw``: an expense with its claim and its split
    lines (``None``: not split, or not asked for)."""

    claim: ClaimView
    expense: ClaimExpenseView | None
    splits: list[ExpenseSplitView] | None


class ProSpendClient(ExpenseClient):
    """ProSpend Expense Management (beta): see the module docstring for the mapping."""

    vendor = "prospend"
    capabilities = frozenset(
        {Operation.LIST_APPROVED, Operation.GET_EXPENSE, Operation.POST_CARD_TRANSACTION}
    )
    default_base_url = "https://api.apac.prospend.io"
    credential_specs = (
        Credential("token", Kind.SECRET, required=True, header=True),
        Credential("company_id", Kind.STR, required=True),
        Credential("version", Kind.STR, default="beta"),
        Credential("ready_status", Kind.STR, default=READY_STATUSES[0]),
    )
    max_page_size = 100  # the documented maximum of ``limit`` on every list
    filters_by_update_time = True

    def __init__(self, settings: ConnectionSettings) -> None:
        given = {**self.optional_credentials, **settings.credentials}
        company = text(given.get("company_id"))
        if company is None or not company.isdigit():
            raise ConfigurationError("prospend: company_id must be a numeric id such as '1'")
        version = text(given.get("version"))
        if version is None or "/" in version:
            raise ConfigurationError("prospend: version must be an API version such as 'beta'")
        ready = _ready_status(given.get("ready_status"))
        self._company_id = company
        self._version = version
        self.ready_status = ready
        """The claim status whose expenses ``list_approved`` returns."""
        super().__init__(settings)

    # ---- plumbing ----------------------------------------------------------------------
    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self._credential('token')}"}

    def _account(self) -> str:
        # The company is part of the identity: one host serves many companies.
        return f"{super()._account()}/{self._company_id}"

    # ---- list_approved -----------------------------------------------------------------
    def _check_access_steps(self) -> Step[None]:
        # One claims page of one claim: the listing would read that claim's expenses too.
        yield Call(
            list_claims._get_kwargs(
                self._version, self._company_id, status=self.ready_status, limit=1
            ),
            unwrap=_claim_page,
        )

    def _approved_steps(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Step[None]:
        updated_from = UNSET if since is None else format_timestamp(since, timespec="seconds")

        def fetch_claims(cursor: str | None) -> Step[CursorPage[ClaimView]]:
            page: CursorPage[ClaimView] = yield Call(
                list_claims._get_kwargs(
                    self._version,
                    self._company_id,
                    status=self.ready_status,
                    min_updated_date=updated_from,
                    cursor=UNSET if cursor is None else cursor,
                    limit=page_size,
                ),
                unwrap=_claim_page,
            )
            return page

        fresh = FreshFilter(_item_id)

        def emit(items: list[Item]) -> Step[None]:
            unseen = fresh(items)
            if unseen:  # a page of expenses all listed before is no page
                yield Emit(self._page(unseen, self._item_to_expense, id_of=_item_id))

        def each(claims: Sequence[ClaimView]) -> Step[None]:
            broken, per_claim = yield from self._item_pages(claims, page_size, known)
            for items in broken:
                yield from emit(items)
            for claim in per_claim:  # each emitted as its fan-out delivers it
                for items in (yield from claim):
                    yield from emit(items)

        yield from walk_steps(cursor_walk(vendor=self.vendor), fetch_claims, each)

    def _item_pages(
        self, claims: Sequence[ClaimView], page_size: int, known: KnownRecords
    ) -> Step[tuple[list[list[Item]], Iterable[Step[list[list[Item]]]]]]:
        """Expense pages (composite items) of the ready claims of one claims page: those
        of the claims that cannot be used, then a step per claim fetched, in order, each
        returning that claim's pages as the fan-out delivers them (a streamed
        ``Concurrently``).

        A claim that cannot be used (no id) is an item without an expense, so it is
        reported as a malformed record. A claim ``known`` holds completely at its
        current ``updatedDate`` is not fetched at all."""
        broken: list[list[Item]] = []
        usable: list[tuple[str, ClaimView]] = []
        for claim in claims:
            claim_id = _claim_id(claim)
            if claim_id is None:
                broken.append([{"claim": claim, "expense": None, "splits": None}])
            elif self._is_ready(claim_id, claim):
                usable.append((claim_id, claim))
        versions = [(i, _version(c)) for i, c in usable]
        unchanged = known.unchanged_groups([(i, v) for i, v in versions if v is not None])
        if unchanged:
            known.count(sum(unchanged.values()))
            usable = [(i, c) for i, c in usable if i not in unchanged]
        # The fan-out point: up to ``concurrency`` claims at once, in the claims' order.
        claim_steps = (self._claim_items(claim, page_size, known) for claim in usable)
        per_claim: Iterable[Step[list[list[Item]]]] = yield Concurrently(claim_steps, streamed=True)
        return broken, per_claim

    def _is_ready(self, claim_id: str, claim: ClaimView) -> bool:
        """False for a claim with another *known* status than asked for (a vendor that
        ignored the filter must not make us export unapproved spend); an unknown or
        missing status is kept, reported as ``UNKNOWN`` with its raw word."""
        _, raw_status = STATUS(claim.get("status"))
        if raw_status is None or raw_status.casefold() not in _KNOWN_STATUSES:
            return True
        if raw_status.casefold() == self.ready_status.casefold():
            return True
        log.warning(
            "prospend: claim %s has status %r although %r was asked for; skipped",
            claim_id,
            raw_status,
            self.ready_status,
        )
        return False

    def _claim_items(
        self, usable: tuple[str, ClaimView], page_size: int, known: KnownRecords
    ) -> Step[list[list[Item]]]:
        """Every expense page of one claim, each expense with its split lines: the unit of
        work of the fan-out (one claim's expenses are few, so the result is small).

        Expenses ``known`` holds are left out before their splits are asked for; once the
        whole claim is read, ``known`` is told which expenses it holds at its version."""
        claim_id, claim = usable

        def fetch(cursor: str | None) -> Step[CursorPage[ClaimExpenseView]]:
            page: CursorPage[ClaimExpenseView] = yield Call(
                list_claim_expenses._get_kwargs(
                    self._version,
                    self._company_id,
                    claim_id,
                    include_personal=False,
                    include_omitted=False,
                    cursor=UNSET if cursor is None else cursor,
                    limit=page_size,
                ),
                unwrap=_expense_page,
            )
            return page

        pages: list[list[Item]] = []
        members: list[str] | None = []

        def each(page: Sequence[ClaimExpenseView]) -> Step[None]:
            nonlocal members
            ids = [_expense_key(claim_id, expense) for expense in page]
            if members is not None and None not in ids:
                members.extend(i for i in ids if i is not None)
            else:
                members = None  # an expense without an id: the claim is never "held"
            found = known.among([i for i in ids if i is not None])
            items: list[Item] = []
            for expense, ident in zip(page, ids, strict=True):
                if ident is None or ident not in found:
                    splits = yield from self._splits_of(claim_id, expense)
                    items.append({"claim": claim, "expense": expense, "splits": splits})
            pages.append(items)

        walk = cursor_walk(vendor=self.vendor, key=_expense_id)
        yield from walk_steps(walk, fetch, each)
        version = _version(claim)
        if members is not None and version is not None:
            known.group_listed(claim_id, version, members)
        return pages

    def _splits_of(
        self, claim_id: str, expense: ClaimExpenseView
    ) -> Step[list[ExpenseSplitView] | None]:
        """The split lines of ``expense`` if it says it is split, else ``None`` (no request)."""
        if not _is_split(expense):
            return None
        expense_id = _expense_id(expense)
        if expense_id is None:
            return None  # reported as malformed; there is nothing to ask for

        def fetch(cursor: str | None) -> Step[CursorPage[ExpenseSplitView]]:
            page: CursorPage[ExpenseSplitView] = yield Call(
                list_expense_splits._get_kwargs(
                    self._version,
                    self._company_id,
                    claim_id,
                    expense_id,
                    cursor=UNSET if cursor is None else cursor,
                    limit=self.max_page_size,
                ),
                unwrap=_split_page,
            )
            return page

        splits: list[ExpenseSplitView] = yield from collected_steps(
            cursor_walk(vendor=self.vendor, key=_split_id), fetch
        )
        return splits

    # ---- get_expense ---------------------------------------------------------------------
    def _get_expense_steps(self, expense_id: str) -> Step[Expense]:
        match = _COMPOSITE_ID.fullmatch(expense_id)
        if match is None:
            raise ValidationError(
                "a prospend expense id is '<claimId>:<expenseId>' with numeric ids, as in "
                f"Expense.id (e.g. '3462:1234567'); got {expense_id[:60]!r}",
                field="expense_id",
            )
        claim_id, line_id = match.groups()
        expense: GetClaimExpenseResponse200View = yield Call(
            get_claim_expense._get_kwargs(self._version, self._company_id, claim_id, line_id),
            unwrap=lambda body: _answer_with_id(_expense_answer(body), line_id),
        )
        claim: GetClaimResponse200View = yield Call(
            get_claim._get_kwargs(self._version, self._company_id, claim_id),
            unwrap=lambda body: _answer_with_id(_claim_answer(body), claim_id),
        )
        splits = yield from self._splits_of(claim_id, expense)
        item: Item = {"claim": claim, "expense": expense, "splits": splits}
        return self._item_to_expense(item)

    # ---- mapping ---------------------------------------------------------------------------
    def _item_to_expense(self, item: Item) -> Expense:
        claim, expense = item["claim"], item["expense"]
        if not is_object(claim):
            raise ValueError(f"the claim is not an object but {type(claim).__name__}")
        claim_id = identifier(claim.get("id"))
        if claim_id is None:
            raise ValueError("claim without an id: its expenses cannot be listed or located")
        if expense is None or not is_object(expense):
            raise ValueError(f"an expense of claim {claim_id} is not an object")
        expense_id = identifier(expense.get("id"))
        if expense_id is None:
            raise ValueError(f"expense without an id in claim {claim_id}")

        f = LenientFields()
        status, raw_status = STATUS(claim.get("status"))
        dimensions = _custom_dimensions(expense, claim)
        gross, net, tax = _amounts(f, expense)
        updated = _latest(
            f.timestamp(
                "updated_at",
                _either(expense.get("updatedDate"), expense.get("updatedOn")),
                null_epoch=True,
            ),
            f.timestamp(
                "claim.updatedDate",
                _either(claim.get("updatedDate"), claim.get("updatedOn")),
                null_epoch=True,
            ),
        )
        return new_expense(
            self.vendor,
            f"{claim_id}:{expense_id}",
            status,
            raw_status,
            gross=gross,
            net=net,
            tax=tax,
            currency=next((m.currency for m in (gross, net, tax) if m is not None), None),
            approved_at=_approved_at(f, claim),
            updated_at=updated,
            employee=_employee(claim),
            gl_code=text(expense.get("glCode")),
            tax_code=text(expense.get("taxCode")),
            department=dimensions.get("department"),
            location=dimensions.get("location"),
            project=text(expense.get("projectCode")) or dimensions.get("project"),
            cost_centre=text(expense.get("costCenterCode")) or dimensions.get("cost_centre"),
            description=text(expense.get("description")),
            line_items=_line_items(f, item["splits"]),
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw_object(item),
        )

    # ---- post_card_transaction -------------------------------------------------------------
    def _post_card_transaction_steps(self, tx: CardTransaction) -> Step[CardTransactionResult]:
        amounts = card_amounts(tx)  # exact, at the currency's digits (tx is validated)
        request = TransactionRequest(
            transaction_id=tx.transaction_id.strip(),
            transaction_date=tx.transaction_date.isoformat(),
            posting_date=tx.posting_date.isoformat(),
            merchant_name=tx.merchant_name.strip(),
            mcc=tx.mcc.strip(),
            transaction_amount=0.0,  # placeholder: the exact amount is written below
            currency_code=str(tx.amount.currency),
            card_holder_name=tx.cardholder_name.strip(),
            card_suffix=tx.card_suffix.strip(),
            transaction_status=tx.transaction_status.strip(),
            card_program_code=tx.card_program_code.strip(),
            card_program_type=tx.card_program_type.strip(),
            foreign_currency_amount=UNSET if tx.foreign_amount is None else 0.0,
            foreign_currency_code=UNSET
            if tx.foreign_amount is None
            else str(tx.foreign_amount.currency),
            card_id=UNSET if tx.card_id is None else tx.card_id.strip(),
            external_card_id=UNSET if tx.external_card_id is None else tx.external_card_id.strip(),
        )
        op_kwargs = create_transaction._get_kwargs(self._version, self._company_id, body=request)
        # The generated body carries floats; amounts must reach the vendor exactly, so the
        # body is written here from the generated field names with the Decimal amounts.
        body: dict[str, Any] = op_kwargs.pop("json")
        body["transactionAmount"] = amounts.amount
        if amounts.foreign_amount is not None:
            body["foreignCurrencyAmount"] = amounts.foreign_amount
        op_kwargs["content"] = exact_json(body)

        response: httpx.Response = yield Send(op_kwargs, retry_safe=True, accept=(409,))
        attempts = attempts_of(response)
        if response.status_code == 409:
            return self._duplicate(response, request.transaction_id, attempts)
        answer: TransactionView = self._unwrap(response, self._decode(response), _json_object)
        return CardTransactionResult(
            transaction_id=request.transaction_id,
            duplicate=False,
            vendor_id=text(answer.get("id")),
            attempts=attempts,
            raw=raw_object(answer),
        )

    def _duplicate(
        self, response: httpx.Response, transaction_id: str, attempts: int
    ) -> CardTransactionResult:
        """The 409 answer: the vendor already has this transactionId in the card program."""
        try:
            body = self._decode(response)
        except MalformedResponseError:
            body = None  # the status alone is the documented duplicate answer
        error: ErrorView = object_or_empty(body)
        code = text(error.get("code"))
        if code is not None and code != _DUPLICATE_CODE:
            raise error_for_response(
                response, vendor=self.vendor, error_format=self.error_format, attempts=attempts
            )
        # The documented answer is the error above; a vendor that answers with the stored
        # transaction instead gives its id.
        stored: TransactionView = object_or_empty(body)
        existing = text(stored.get("transactionId")) is not None
        return CardTransactionResult(
            transaction_id=transaction_id,
            duplicate=True,
            vendor_id=text(stored.get("id")) if existing else None,
            attempts=attempts,
            raw=raw_object(stored),
        )


# ---- configuration ------------------------------------------------------------------------
def _ready_status(value: JsonScalar) -> str:
    word = scalar_text(value)  # a setting: any scalar is read as its text
    for status in READY_STATUSES:
        if word is not None and word.casefold() == status.casefold():
            return status
    raise ConfigurationError(
        f"prospend: ready_status must be one of {', '.join(READY_STATUSES)}, not {value!r}"
    )


# ---- response shapes ------------------------------------------------------------------------
class _PageView(Protocol[T]):
    """What the three ``{page, nextCursor}`` list answers have in common."""

    def __getitem__(self, key: Literal["page"], /) -> list[T]: ...
    def get(self, key: Literal["nextCursor"], /) -> NextCursorView | None: ...


class _WithId(Protocol):
    """A record answer: what ``_answer_with_id`` reads of it."""

    def get(self, key: Literal["id"], /) -> str | None: ...


def _cursor_page(page: _PageView[T]) -> CursorPage[T]:
    items = require_list(page["page"], "'page'")
    cursor = page.get("nextCursor")
    return CursorPage(items, None if absent(cursor) else str(cursor))


def _claim_page(body: Any) -> CursorPage[ClaimView]:
    page: ClaimPageView = require_object(body, "the body")
    return _cursor_page(page)


def _expense_page(body: Any) -> CursorPage[ClaimExpenseView]:
    page: ClaimExpensePageView = require_object(body, "the body")
    return _cursor_page(page)


def _split_page(body: Any) -> CursorPage[ExpenseSplitView]:
    page: ExpenseSplitPageView = require_object(body, "the body")
    return _cursor_page(page)


def _json_object(body: Any) -> dict[str, Any]:
    return require_object(body, "the body")


def _claim_answer(body: Any) -> GetClaimResponse200View:
    claim: GetClaimResponse200View = require_object(body, "the body")
    return claim


def _expense_answer(body: Any) -> GetClaimExpenseResponse200View:
    expense: GetClaimExpenseResponse200View = require_object(body, "the body")
    return expense


def _answer_with_id(record: _Identified, wanted: str) -> _Identified:
    """A detail answer carrying the id asked for (anything else cannot be turned into the
    record that was asked for)."""
    found = identifier(record.get("id"))
    if found != wanted:
        raise UnexpectedShape(f"asked for id {wanted}, the answer has id {found}")
    return record


# ---- record parsing ---------------------------------------------------------------------------
def _claim_id(claim: ClaimView) -> str | None:
    return identifier(claim.get("id")) if is_object(claim) else None


def _expense_id(expense: ClaimExpenseView) -> str | None:
    return identifier(expense.get("id")) if is_object(expense) else None


def _split_id(split: ExpenseSplitView) -> str | None:
    return identifier(split.get("id")) if is_object(split) else None


def _item_id(item: Item) -> Hashable | None:
    """The composite id of a listed item, or ``None`` when it has none (then reported)."""
    claim_id, expense = _claim_id(item["claim"]), item["expense"]
    return None if claim_id is None or expense is None else _expense_key(claim_id, expense)


def _expense_key(claim_id: str, expense: ClaimExpenseView) -> str | None:
    """The composite id of an expense listed under ``claim_id``, or None without an id."""
    expense_id = _expense_id(expense)
    return None if expense_id is None else f"{claim_id}:{expense_id}"


def _version(claim: ClaimView) -> str | None:
    """A claim's version for ``KnownRecords`` groups: its ``updatedDate`` as sent (None when
    unset: such a claim is always read)."""
    updated = text(_either(claim.get("updatedDate"), claim.get("updatedOn")))
    return None if updated is None or updated.startswith("1970-01-01") else updated


def _is_split(expense: ClaimExpenseView) -> bool:
    if not is_object(expense):
        return False
    return expense.get("isSplit") is True or bool(list_or_empty(expense.get("splitChildren")))


def _either(value: T | None, older: T | None) -> T | None:
    """A field's value, or else the value of its older beta name (see older-beta.yaml)."""
    return older if absent(value) else value


def _latest(*stamps: dt.datetime | None) -> dt.datetime | None:
    known = [s for s in stamps if s is not None]
    return max(known) if known else None


def _total_of(
    f: LenientFields, field: str, total: CurrencyTotalView | None
) -> tuple[Money | None, Money | None, Money | None]:
    """Gross, net and tax from a ``{grossAmount, netAmount, taxAmount, currencyCode}``
    object (or the older beta's ``currency``); amounts exact."""
    if total is None:
        return None, None, None
    if not is_object(total):
        f.warn(field, f"expected an object, got {type(total).__name__}")
        return None, None, None
    currency = _either(total.get("currencyCode"), total.get("currency"))
    return (
        f.money(f"{field}.grossAmount", total.get("grossAmount"), currency),
        f.money(f"{field}.netAmount", total.get("netAmount"), currency),
        f.money(f"{field}.taxAmount", total.get("taxAmount"), currency),
    )


def _amounts(
    f: LenientFields, record: ClaimExpenseView | ExpenseSplitView
) -> tuple[Money | None, Money | None, Money | None]:
    """The claim-currency totals of an expense or split line; the transaction-currency
    totals only when there are none (with a warning, since the currency differs)."""
    claim_total = _either(record.get("claimCurrencyTotal"), record.get("total"))
    if not absent(claim_total):
        return _total_of(f, "claimCurrencyTotal", claim_total)
    fallback = record.get("transactionTotal")
    if absent(fallback):
        return None, None, None
    f.warn("gross", "no claimCurrencyTotal; amounts taken from transactionTotal")
    return _total_of(f, "transactionTotal", fallback)


def _approved_at(f: LenientFields, claim: ClaimView) -> dt.datetime | None:
    """The claim's approvedDate, or else its last approver's date (the vendor's own
    example has approvers with dates and approvedDate unset)."""
    approved = f.timestamp("approved_at", claim.get("approvedDate"), null_epoch=True)
    if approved is not None:
        return approved
    dates = [
        f.timestamp("approvers.approvedDate", a.get("approvedDate"), null_epoch=True)
        for a in list_or_empty(claim.get("approvers"))
        if is_object(a)
    ]
    return _latest(*dates)


def _custom_dimensions(*records: ClaimExpenseView | ClaimView) -> Mapping[Dimension, str]:
    """Dimensions from ``customFields`` whose name says so; the first record wins (the
    expense's own fields before its claim's)."""
    return dimensions_from(
        (field.get("name"), field.get("value"))
        for record in records
        for field in list_or_empty(record.get("customFields"))
        if is_object(field)
    )


def _employee(claim: ClaimView) -> Employee | None:
    ident = text(claim.get("claimantId")) or text(claim.get("employeeNumber"))
    name = text(claim.get("claimantName"))
    if ident is None and name is None:
        return None
    return parties.employee(ident, name, None)


def _line_items(f: LenientFields, splits: list[ExpenseSplitView] | None) -> tuple[LineItem, ...]:
    if splits is None:
        return ()
    lines: list[LineItem] = []
    for n, split in enumerate(splits):
        if not is_object(split):
            f.warn(f"line_items[{n}]", f"expected an object, got {type(split).__name__}")
            continue
        gross, _, tax = _amounts(f, split)
        lines.append(
            new_line_item(
                amount=gross,
                description=text(split.get("description")),
                gl_code=text(split.get("glCode")),
                tax_code=text(split.get("taxCode")),
                tax_amount=tax,
                raw=raw_object(split),
            )
        )
    return tuple(lines)
