"""ProSpend (Expense Management, beta) adapter: claims and their expenses, card transactions.

Connect with ``connect("prospend", token=..., company_id=..., version="beta",
ready_status="Finalised")``.

**What "approved" means here.** ProSpend approves *claims*; expenses belong to a claim.
``list_approved`` lists the claims whose status is ``ready_status`` and then every
expense of each of them. The default is ``"Finalised"``, not ``"Approved"``:

* ProSpend documents ``Approved`` as "reviewed and approved, but not yet finalised" and
  ``Finalised`` as "fully processed": a finalised claim is done changing, an approved
  one may still be adjusted while it is processed;
* ``Finalised`` is a final state, so a claim that is ready stays ready. The claim list
  filters on one status only, so with ``ready_status="Approved"`` a claim that is approved
  *and* finalised between two export runs is never seen as ``Approved`` and is missed.
  Choose ``"Approved"`` only to export earlier and when runs are frequent enough for that.

**Records.** ``Expense.id`` is ``"<claimId>:<expenseId>"`` (an expense id alone does not
locate an expense). Status, employee and approval time come from the claim; amounts,
codes and dates from the expense; split lines become ``line_items`` (fetched with
``listExpenseSplits`` only for expenses that say they are split, ``isSplit`` or a
non-empty ``splitChildren``, so an unsplit expense costs no request). ``raw`` is
``{"claim": ..., "expense": ..., "splits": [...] | None}``: the vendor's payloads as sent.

* ``gross``/``net``/``tax`` are the claim-currency totals (``claimCurrencyTotal``), the
  currency the claim is booked and reimbursed in, so the expenses of a claim add up to its
  totals; split lines use the same currency. The transaction-currency totals (what the
  receipt says) stay in ``raw["expense"]["transactionTotal"]``; they are used for the
  amounts only when an expense has no claim-currency total (with a parse warning).
  ProSpend gives no exchange rate for an expense, so ``exchange_rate`` is ``None``.
* Claim status ``Finalised`` is normalised to ``APPROVED``, not ``PAID``: it says the
  claim is fully processed, not that money moved (a card claim is never reimbursed).
  ``raw_status`` keeps the vendor's word. ``None`` (the status word) and ``NotSubmitted``
  are ``DRAFT``.
* ``updated_at`` is the later of the expense's and its claim's ``updatedDate``: a claim
  being approved or finalised changes the record handed out, and it is the claim's date
  that ``since`` filters on (so the largest ``updated_at`` seen is a safe next ``since``).
* ``department`` and ``location`` (and ``project``/``cost_centre`` when the expense has
  no ``projectCode``/``costCenterCode``) come from ``customFields`` whose name says so
  (the shared rule in ``expense_facade.mapping.dimensions``): the expense's fields first, then
  its claim's. Other custom fields stay in ``raw``.
* ``1970-01-01T00:00:00Z`` is ProSpend's "no date": such fields are ``None``. ProSpend
  has no transaction date, submission time, merchant, category or receipt on an expense.
* The older beta's names are read too: ``total`` with ``currency`` for the claim-currency
  total, ``updatedOn`` for ``updatedDate``.

**Filters.** ``since`` becomes ``minUpdatedDate`` on the claim list (whole seconds,
rounded down, so nothing on the boundary is lost); the expenses of each claim found are
all listed, not filtered by date again, because a claim that became ready since the last
run must bring every expense, however old. An expense edited *without* its claim's
``updatedDate`` changing is therefore not seen by an incremental run (the vendor does not
document whether editing an expense touches its claim); a full run (``since=None``)
catches it. Personal and omitted expenses (``includePersonal``/``includeOmitted``, false
by default) are left out: personal spend is not the company's, and omitted lines are
excluded from the claim's totals, approvals and workflows.

**Known records.** With ``list_approved(known=...)`` an expense the caller already has is
left out before its splits are asked for, and a claim the caller holds completely at its
current ``updatedDate`` (``KnownRecords.unchanged_groups``; the claim is the group, its
``updatedDate`` the version) is not read at all: an export with nothing new costs the
claim pages only.

**Paging.** Claims, expenses and split lines are cursor-paged (``limit`` = ``page_size``,
100 at most); each page handed out is one page of one claim's expenses. The claims are
de-duplicated by id and the expenses by composite id (a record moving between pages
while a listing runs is handed out once). The expenses of one claim are fetched by one
function (``_claim_items``), mapped over each page of claims by ``_map_in_order`` on a
bounded thread pool that keeps the claims' order: up to ``connect(concurrency=...)``
claims (default 8) are read at once, so a listing does not wait for one claim after
another; ``concurrency=1`` reads them one at a time.

**Card transactions.** ``post_card_transaction`` validates the transaction first (every
problem is a ``ValidationError`` naming the field, nothing sent), sends the amounts as
exact JSON numbers, and is retried safely after a timeout or a 5xx: ProSpend
de-duplicates on ``transactionId`` within a card program. Its duplicate answer
(409 ``RESOURCE_CONFLICT``) is success with ``duplicate=True`` (also when an earlier
attempt of the same call created the transaction and its answer was lost; ``attempts``
then shows the retries).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from expense_clients.prospend.api.claims import get_claim, list_claims
from expense_clients.prospend.api.expenses import get_claim_expense, list_claim_expenses
from expense_clients.prospend.api.splits import list_expense_splits
from expense_clients.prospend.api.transactions import create_transaction
from expense_clients.prospend.models.transaction_request import TransactionRequest
from expense_clients.prospend.types import UNSET

from expense_facade._http.error_mapping import UnexpectedShape, attempts_of, error_for_response
from expense_facade._http.redaction import get_logger
from expense_facade.client import ConnectionSettings, ExpenseClient
from expense_facade.errors import ConfigurationError, MalformedResponseError, ValidationError
from expense_facade.listing import KnownRecords, RawPage
from expense_facade.mapping.dimensions import dimension_for
from expense_facade.mapping.fields import JsonScalar, LenientFields, StatusMap, absent, text
from expense_facade.mapping.money import currency_exponent
from expense_facade.mapping.paging import CursorPage, cursor_pages, dedupe_pages, raw_id
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
)

log = get_logger(__name__)

T = TypeVar("T")
R = TypeVar("R")

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
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_MCC = re.compile(r"\d{4}")
_CARD_SUFFIX = re.compile(r"\d{4,6}")
_DUPLICATE_CODE = "RESOURCE_CONFLICT"

Item = dict[str, Any]
"""One listed record: ``{"claim": {...}, "expense": {...}, "splits": [...] | None}``."""


class ProSpendClient(ExpenseClient):
    """ProSpend Expense Management (beta): see the module docstring for the mapping."""

    vendor = "prospend"
    capabilities = frozenset(
        {Operation.LIST_APPROVED, Operation.GET_EXPENSE, Operation.POST_CARD_TRANSACTION}
    )
    default_base_url = "https://api.apac.prospend.io"
    required_credentials = ("token", "company_id")
    optional_credentials = {"version": "beta", "ready_status": READY_STATUSES[0]}
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

    def _list_page(self, op_kwargs: Mapping[str, Any]) -> CursorPage[Any]:
        """One ``{page, nextCursor}`` list page."""
        return self._call(op_kwargs, unwrap=_cursor_page)  # type: ignore[no-any-return]

    # ---- list_approved -----------------------------------------------------------------
    def _approved_pages(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Iterator[RawPage]:
        updated_from = UNSET if since is None else format_timestamp(since, timespec="seconds")

        def fetch_claims(cursor: str | None) -> CursorPage[Any]:
            return self._list_page(
                list_claims._get_kwargs(
                    self._version,
                    self._company_id,
                    status=self.ready_status,
                    min_updated_date=updated_from,
                    cursor=UNSET if cursor is None else cursor,
                    limit=page_size,
                )
            )

        claim_pages = dedupe_pages(cursor_pages(fetch_claims, vendor=self.vendor))
        item_pages = self._item_pages(claim_pages, page_size, known)
        for items in dedupe_pages(item_pages, key=_item_id):
            expenses, malformed = self._parse_page(items, self._item_to_expense, id_of=_item_id)
            if expenses or malformed:
                yield expenses, malformed

    def _item_pages(
        self, claim_pages: Iterable[Sequence[Any]], page_size: int, known: KnownRecords
    ) -> Iterator[list[Item]]:
        """Expense pages (composite items) of every ready claim, claim by claim.

        A claim that cannot be used (no id) is yielded as an item without an expense, so
        it is reported as a malformed record. A claim ``known`` holds completely at its
        current ``updatedDate`` is not fetched at all."""
        for claims in claim_pages:
            usable: list[Mapping[str, Any]] = []
            for claim in claims:
                if not isinstance(claim, Mapping) or text(claim.get("id")) is None:
                    yield [{"claim": claim, "expense": None, "splits": None}]
                elif self._is_ready(claim):
                    usable.append(claim)
            versions = [(str(text(c.get("id"))), _version(c)) for c in usable]
            unchanged = known.unchanged_groups([(i, v) for i, v in versions if v is not None])
            if unchanged:
                known.count(sum(unchanged.values()))
                usable = [c for c in usable if text(c.get("id")) not in unchanged]
            fetch = functools.partial(self._claim_items, page_size=page_size, known=known)
            for pages in self._map_in_order(fetch, usable):
                yield from pages

    def _is_ready(self, claim: Mapping[str, Any]) -> bool:
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
            text(claim.get("id")),
            raw_status,
            self.ready_status,
        )
        return False

    def _map_in_order(self, fetch: Callable[[T], R], claims: Sequence[T]) -> Iterator[R]:
        """``fetch`` over ``claims``, results in input order.

        The fan-out point: up to ``self.concurrency`` claims at once on the shared bounded
        pool helper; ``fetch`` shares no state between calls but the HTTP session, which
        is thread-safe (and paces all of them to the rate limit, if any)."""
        return self._map_concurrently(fetch, claims)

    def _claim_items(
        self, claim: Mapping[str, Any], page_size: int, known: KnownRecords
    ) -> list[list[Item]]:
        """Every expense page of one claim, each expense with its split lines: the unit of
        work of the fan-out (one claim's expenses are few, so the result is small).

        Expenses ``known`` holds are left out before their splits are asked for; once the
        whole claim is read, ``known`` is told which expenses it holds at its version."""
        claim_id = str(text(claim.get("id")))

        def fetch(cursor: str | None) -> CursorPage[Any]:
            return self._list_page(
                list_claim_expenses._get_kwargs(
                    self._version,
                    self._company_id,
                    claim_id,
                    include_personal=False,
                    include_omitted=False,
                    cursor=UNSET if cursor is None else cursor,
                    limit=page_size,
                )
            )

        pages: list[list[Item]] = []
        members: list[str] | None = []
        for page in cursor_pages(fetch, vendor=self.vendor):
            ids = [_expense_key(claim_id, expense) for expense in page]
            if members is not None and None not in ids:
                members.extend(i for i in ids if i is not None)
            else:
                members = None  # an expense without an id: the claim is never "held"
            found = known.among([i for i in ids if i is not None])
            pages.append(
                [
                    {
                        "claim": claim,
                        "expense": expense,
                        "splits": self._splits_of(claim_id, expense),
                    }
                    for expense, ident in zip(page, ids, strict=True)
                    if ident is None or ident not in found
                ]
            )
        version = _version(claim)
        if members is not None and version is not None:
            known.group_listed(claim_id, version, members)
        return pages

    def _splits_of(self, claim_id: str, expense: Any) -> list[Any] | None:
        """The split lines of ``expense`` if it says it is split, else ``None`` (no request)."""
        if not isinstance(expense, Mapping) or not _is_split(expense):
            return None
        expense_id = text(expense.get("id"))
        if expense_id is None:
            return None  # reported as malformed; there is nothing to ask for

        def fetch(cursor: str | None) -> CursorPage[Any]:
            return self._list_page(
                list_expense_splits._get_kwargs(
                    self._version,
                    self._company_id,
                    claim_id,
                    expense_id,
                    cursor=UNSET if cursor is None else cursor,
                    limit=self.max_page_size,
                )
            )

        return [split for page in cursor_pages(fetch, vendor=self.vendor) for split in page]

    # ---- get_expense ---------------------------------------------------------------------
    def _get_expense(self, expense_id: str) -> Expense:
        match = _COMPOSITE_ID.fullmatch(expense_id)
        if match is None:
            raise ValidationError(
                "a prospend expense id is '<claimId>:<expenseId>' with numeric ids, as in "
                f"Expense.id (e.g. '3462:1234567'); got {expense_id[:60]!r}",
                field="expense_id",
            )
        claim_id, line_id = match.groups()
        expense = self._call(
            get_claim_expense._get_kwargs(self._version, self._company_id, claim_id, line_id),
            unwrap=_record_with_id(line_id),
        )
        claim = self._call(
            get_claim._get_kwargs(self._version, self._company_id, claim_id),
            unwrap=_record_with_id(claim_id),
        )
        item: Item = {
            "claim": claim,
            "expense": expense,
            "splits": self._splits_of(claim_id, expense),
        }
        return self._item_to_expense(item)

    # ---- mapping ---------------------------------------------------------------------------
    def _item_to_expense(self, item: Item) -> Expense:
        claim, expense = item["claim"], item["expense"]
        if not isinstance(claim, Mapping):
            raise ValueError(f"the claim is not an object but {type(claim).__name__}")
        claim_id = text(claim.get("id"))
        if claim_id is None:
            raise ValueError("claim without an id: its expenses cannot be listed or located")
        if not isinstance(expense, Mapping):
            raise ValueError(f"an expense of claim {claim_id} is not an object")
        expense_id = text(expense.get("id"))
        if expense_id is None:
            raise ValueError(f"expense without an id in claim {claim_id}")

        f = LenientFields()
        status, raw_status = STATUS(claim.get("status"))
        dimensions = _custom_dimensions(expense, claim)
        gross, net, tax = _amounts(f, expense)
        updated = _latest(
            f.timestamp(
                "updated_at", _either(expense, "updatedDate", "updatedOn"), null_epoch=True
            ),
            f.timestamp("claim.updatedDate", claim.get("updatedDate"), null_epoch=True),
        )
        return Expense(
            vendor=self.vendor,
            id=f"{claim_id}:{expense_id}",
            status=status,
            raw_status=raw_status,
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
            line_items=_line_items(f, item.get("splits")),
            account=self.account,
            parse_warnings=f.warnings,
            raw=item,
        )

    # ---- post_card_transaction -------------------------------------------------------------
    def _post_card_transaction(self, tx: CardTransaction) -> CardTransactionResult:
        amounts = _validate_transaction(tx)
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
        body.update(amounts)
        op_kwargs["content"] = _exact_json(body).encode("utf-8")

        response = self._send(op_kwargs, retry_safe=True, accept=(409,))
        attempts = attempts_of(response)
        if response.status_code == 409:
            return self._duplicate(response, request.transaction_id, attempts)
        answer = self._unwrap(response, self._decode(response), _json_object)
        return CardTransactionResult(
            transaction_id=request.transaction_id,
            duplicate=False,
            vendor_id=text(answer.get("id")),
            attempts=attempts,
            raw=answer,
        )

    def _duplicate(
        self, response: httpx.Response, transaction_id: str, attempts: int
    ) -> CardTransactionResult:
        """The 409 answer: the vendor already has this transactionId in the card program."""
        try:
            body = self._decode(response)
        except MalformedResponseError:
            body = None  # the status alone is the documented duplicate answer
        code = text(body.get("code")) if isinstance(body, Mapping) else None
        if code is not None and code != _DUPLICATE_CODE:
            raise error_for_response(
                response, vendor=self.vendor, error_format=self.error_format, attempts=attempts
            )
        existing = _existing_transaction(body)
        return CardTransactionResult(
            transaction_id=transaction_id,
            duplicate=True,
            vendor_id=None if existing is None else text(existing.get("id")),
            attempts=attempts,
            raw=existing if existing is not None else (body if isinstance(body, dict) else {}),
        )


# ---- configuration ------------------------------------------------------------------------
def _ready_status(value: JsonScalar) -> str:
    word = text(value)
    for status in READY_STATUSES:
        if word is not None and word.casefold() == status.casefold():
            return status
    raise ConfigurationError(
        f"prospend: ready_status must be one of {', '.join(READY_STATUSES)}, not {value!r}"
    )


# ---- response shapes ------------------------------------------------------------------------
def _cursor_page(body: Any) -> CursorPage[Any]:
    page = body["page"]
    if not isinstance(page, list):
        raise UnexpectedShape("'page' is not a list")
    cursor = body.get("nextCursor")
    return CursorPage(page, None if absent(cursor) else str(cursor))


def _json_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise UnexpectedShape(f"expected a JSON object, got {type(body).__name__}")
    return body


def _record_with_id(wanted: str) -> Callable[[Any], dict[str, Any]]:
    """A body check for a detail answer: a JSON object carrying the id asked for (anything
    else cannot be turned into the record that was asked for)."""

    def check(body: Any) -> dict[str, Any]:
        record = _json_object(body)
        found = text(record.get("id"))
        if found != wanted:
            raise UnexpectedShape(f"asked for id {wanted}, the answer has id {found}")
        return record

    return check


def _existing_transaction(body: Any) -> dict[str, Any] | None:
    """The stored transaction, if the vendor's 409 answer carries it."""
    if not isinstance(body, dict):
        return None
    if "transactionId" in body:
        return body
    nested = body.get("transaction")
    return nested if isinstance(nested, dict) else None


# ---- record parsing ---------------------------------------------------------------------------
def _item_id(item: Any) -> Hashable | None:
    """The composite id of a listed item, or ``None`` when it has none (then reported)."""
    if not isinstance(item, Mapping):
        return None
    claim_id, expense_id = raw_id(item.get("claim")), raw_id(item.get("expense"))
    if claim_id is None or expense_id is None:
        return None
    return f"{claim_id}:{expense_id}"


def _expense_key(claim_id: str, expense: Any) -> str | None:
    """The composite id of an expense listed under ``claim_id``, or None without an id."""
    expense_id = raw_id(expense)
    return None if expense_id is None else f"{claim_id}:{expense_id}"


def _version(claim: Mapping[str, Any]) -> str | None:
    """A claim's version for ``KnownRecords`` groups: its ``updatedDate`` as sent (None when
    unset: such a claim is always read)."""
    updated = text(_either(claim, "updatedDate", "updatedOn"))
    return None if updated is None or updated.startswith("1970-01-01") else updated


def _is_split(expense: Mapping[str, Any]) -> bool:
    children = expense.get("splitChildren")
    return expense.get("isSplit") is True or (isinstance(children, list) and bool(children))


def _either(record: Mapping[str, Any], name: str, old_name: str) -> Any:
    """``record[name]``, or the older beta's ``record[old_name]``."""
    value = record.get(name)
    return record.get(old_name) if absent(value) else value


def _latest(*stamps: dt.datetime | None) -> dt.datetime | None:
    known = [s for s in stamps if s is not None]
    return max(known) if known else None


def _total_of(
    f: LenientFields, field: str, total: Any
) -> tuple[Money | None, Money | None, Money | None]:
    """Gross, net and tax from a ``{grossAmount, netAmount, taxAmount, currencyCode}``
    object (or the older beta's ``currency``); amounts exact."""
    if absent(total):
        return None, None, None
    if not isinstance(total, Mapping):
        f.warn(field, f"expected an object, got {type(total).__name__}")
        return None, None, None
    currency = _either(total, "currencyCode", "currency")
    return (
        f.money(f"{field}.grossAmount", total.get("grossAmount"), currency),
        f.money(f"{field}.netAmount", total.get("netAmount"), currency),
        f.money(f"{field}.taxAmount", total.get("taxAmount"), currency),
    )


def _amounts(
    f: LenientFields, record: Mapping[str, Any]
) -> tuple[Money | None, Money | None, Money | None]:
    """The claim-currency totals of an expense or split line; the transaction-currency
    totals only when there are none (with a warning, since the currency differs)."""
    claim_total = _either(record, "claimCurrencyTotal", "total")
    if not absent(claim_total):
        return _total_of(f, "claimCurrencyTotal", claim_total)
    fallback = record.get("transactionTotal")
    if absent(fallback):
        return None, None, None
    f.warn("gross", "no claimCurrencyTotal; amounts taken from transactionTotal")
    return _total_of(f, "transactionTotal", fallback)


def _approved_at(f: LenientFields, claim: Mapping[str, Any]) -> dt.datetime | None:
    """The claim's approvedDate, or else its last approver's date (the vendor's own
    example has approvers with dates and approvedDate unset)."""
    approved = f.timestamp("approved_at", claim.get("approvedDate"), null_epoch=True)
    if approved is not None:
        return approved
    approvers = claim.get("approvers")
    if not isinstance(approvers, list):
        return None
    dates = [
        f.timestamp("approvers.approvedDate", a.get("approvedDate"), null_epoch=True)
        for a in approvers
        if isinstance(a, Mapping)
    ]
    return _latest(*dates)


def _custom_dimensions(*records: Mapping[str, Any]) -> dict[str, str]:
    """Department, location, project and cost centre from ``customFields`` whose name says
    so (the shared rule in ``expense_facade.mapping.dimensions``); the first record wins (the
    expense's own fields before its claim's)."""
    found: dict[str, str] = {}
    for record in records:
        fields = record.get("customFields")
        for field in fields if isinstance(fields, list) else []:
            if not isinstance(field, Mapping):
                continue
            dimension = dimension_for(field.get("name"))
            value = text(field.get("value"))
            if dimension is not None and value is not None:
                found.setdefault(dimension, value)
    return found


def _employee(claim: Mapping[str, Any]) -> Employee | None:
    ident = text(claim.get("claimantId")) or text(claim.get("employeeNumber"))
    name = text(claim.get("claimantName"))
    if ident is None and name is None:
        return None
    return Employee(id=ident, name=name)


def _line_items(f: LenientFields, splits: Any) -> tuple[LineItem, ...]:
    if not isinstance(splits, list):
        return ()
    lines: list[LineItem] = []
    for n, split in enumerate(splits):
        if not isinstance(split, Mapping):
            f.warn(f"line_items[{n}]", f"expected an object, got {type(split).__name__}")
            continue
        gross, _, tax = _amounts(f, split)
        lines.append(
            LineItem(
                amount=gross,
                description=text(split.get("description")),
                gl_code=text(split.get("glCode")),
                tax_code=text(split.get("taxCode")),
                tax_amount=tax,
                raw=split,
            )
        )
    return tuple(lines)


# ---- card transactions --------------------------------------------------------------------------
def _validate_transaction(tx: CardTransaction) -> dict[str, Decimal]:
    """Check ``tx`` against what ProSpend accepts; returns the exact amounts to send
    (``transactionAmount``, ``foreignCurrencyAmount``), each at its currency's digits."""
    for name in (
        "transaction_id",
        "merchant_name",
        "mcc",
        "cardholder_name",
        "card_suffix",
        "card_program_code",
        "card_program_type",
        "transaction_status",
    ):
        value = getattr(tx, name)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{name} must be a non-empty string", field=name)
    for name in ("card_id", "external_card_id"):
        value = getattr(tx, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValidationError(f"{name} must be a non-empty string or None", field=name)
    if not _MCC.fullmatch(tx.mcc.strip()):
        raise ValidationError("mcc must be a four-digit merchant category code", field="mcc")
    if not _CARD_SUFFIX.fullmatch(tx.card_suffix.strip()):
        raise ValidationError(
            "card_suffix must be the last 4 to 6 digits of the card number", field="card_suffix"
        )
    for name in ("transaction_date", "posting_date"):
        value = getattr(tx, name)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError(f"{name} must be a datetime.date", field=name)
    if tx.posting_date < tx.transaction_date:
        raise ValidationError(
            "posting_date cannot be before transaction_date", field="posting_date"
        )
    amounts = {"transactionAmount": _exact_amount(tx.amount, "amount")}
    if tx.foreign_amount is not None:
        amounts["foreignCurrencyAmount"] = _exact_amount(tx.foreign_amount, "foreign_amount")
        if tx.foreign_amount.currency == tx.amount.currency:
            raise ValidationError(
                "foreign_amount is for a purchase currency that differs from the billing "
                f"currency; both are {tx.amount.currency} (leave foreign_amount out)",
                field="foreign_amount",
            )
    return amounts


def _exact_amount(money: Any, field: str) -> Decimal:
    """``money``'s amount at its currency's minor-unit digits, or ValidationError."""
    if not isinstance(money, Money):
        raise ValidationError(f"{field} must be a Money", field=field)
    currency = money.currency
    if not isinstance(currency, str) or not _CURRENCY_CODE.fullmatch(currency):
        raise ValidationError(
            f"{field}.currency must be an ISO 4217 code of three upper-case letters",
            field=field,
        )
    amount = money.amount
    if not amount.is_finite():
        raise ValidationError(f"{field} must be a finite amount", field=field)
    digits = currency_exponent(currency)
    quantum = Decimal(1).scaleb(-digits)
    try:
        exact = amount.quantize(quantum, rounding=decimal.ROUND_DOWN)
    except decimal.InvalidOperation:  # more digits than any card amount has
        raise ValidationError(f"{field} is out of range", field=field) from None
    if exact != amount:
        raise ValidationError(
            f"{field} has more decimals than {currency} allows ({digits})", field=field
        )
    return exact


def _exact_json(value: Any) -> str:
    """JSON text with ``Decimal`` written as the exact number it is (never via float).

    ``json`` cannot write a Decimal as a number, and a float would not be exact, so the
    document is written here; anything else goes through ``json.dumps``. A float in
    ``value`` is refused: it would mean an amount already lost its exactness."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("floats are not written: pass amounts as Decimal")
    if isinstance(value, Mapping):
        members = (f"{json.dumps(str(k))}:{_exact_json(v)}" for k, v in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_exact_json(v) for v in value) + "]"
    return json.dumps(value)
