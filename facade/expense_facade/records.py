"""Common records handed to users: frozen, slotted attrs classes; money as ``Decimal`` with
its currency, aware timestamps, and the vendor's payload (``raw``) and status word kept
(docs/library.md, "Clients, records, listings"; docs/field_mapping.md).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

import attrs

from expense_facade.errors import ValidationError
from expense_facade.operations import Operation


class ExpenseStatus(enum.StrEnum):
    """Normalised expense status; ``raw_status`` on the record keeps the vendor's word."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    VOID = "void"
    UNKNOWN = "unknown"


def _finite_decimal(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal) or isinstance(value, bool):
        raise ValidationError(
            f"{attribute.name} must be a Decimal, not {type(value).__name__}", field=attribute.name
        )
    if not value.is_finite():
        raise ValidationError(f"{attribute.name} must be finite, not {value}", field=attribute.name)


def _optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ValidationError(
            f"{attribute.name} must be a string or None, not {type(value).__name__}",
            field=attribute.name,
        )


@attrs.frozen(slots=True)
class Money:
    """An exact amount and its ISO 4217 currency (``None`` only when the vendor omits it).

    ``ValidationError`` for an amount that is not a finite ``Decimal`` (NaN and the
    infinities are no amounts) or a currency that is not a string."""

    amount: Decimal = attrs.field(validator=_finite_decimal)
    currency: str | None = attrs.field(validator=_optional_text)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency or '???'}"


@attrs.frozen(slots=True)
class Employee:
    """The person who incurred the expense, as far as the vendor identifies them."""

    id: str | None = None
    name: str | None = None
    email: str | None = None


@attrs.frozen(slots=True)
class Merchant:
    """Where the money was spent; ``mcc`` is the card network's merchant category code."""

    name: str | None = None
    mcc: str | None = None


@attrs.frozen(slots=True)
class ReceiptRef:
    """A receipt attached to an expense (download URLs are short-lived; they are not kept).

    ``file`` is set by an export that downloads receipts (``export --receipts DIR``): the
    name of the receipt's file in ``DIR``, ``<sha256>.<ext>`` (docs/export.md,
    "Receipts"); None when it was not downloaded."""

    id: str
    name: str | None = None
    content_type: str | None = None
    file: str | None = None


@attrs.frozen(slots=True)
class LineItem:
    """One line item or split of an expense."""

    amount: Money | None
    description: str | None = None
    category: str | None = None
    gl_code: str | None = None
    tax_code: str | None = None
    tax_amount: Money | None = None
    tax_rate: Decimal | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen(slots=True)
class Expense:
    """An expense as every vendor's adapter hands it over.

    ``id`` is unique per vendor and account and stable across runs (ProSpend's is the
    composite ``"<claimId>:<expenseId>"`` because an expense id alone does not locate it).
    ``parse_warnings`` lists fields that the vendor sent in a shape we could not read
    (a malformed date, say): such a field is ``None`` here and still present in ``raw``.
    """

    vendor: str
    id: str
    status: ExpenseStatus
    raw_status: str | None
    gross: Money | None = None
    net: Money | None = None
    tax: Money | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    transaction_date: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    employee: Employee | None = None
    merchant: Merchant | None = None
    category: str | None = None
    gl_code: str | None = None
    tax_code: str | None = None
    department: str | None = None
    location: str | None = None
    project: str | None = None
    cost_centre: str | None = None
    description: str | None = None
    receipts: tuple[ReceiptRef, ...] = ()
    line_items: tuple[LineItem, ...] = ()
    account: str | None = None
    parse_warnings: tuple[str, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    # The implementation lives in record_data (which imports this module, hence the
    # imports inside the methods); JSON Lines outputs and `get` write the same shape.
    def to_dict(self, *, include_raw: bool = False) -> dict[str, Any]:
        """The record as JSON-ready data: amounts as exact decimal strings, datetimes in
        ISO 8601 with their offset, a fixed key order (docs/library.md, "Records as data");
        ``include_raw`` adds the vendor payload."""
        from expense_facade.record_data import expense_to_dict

        return expense_to_dict(self, include_raw=include_raw)

    def to_json(self, *, include_raw: bool = False) -> str:
        """``to_dict()`` as compact JSON on one line: a line of a JSON Lines export."""
        from expense_facade.record_data import expense_to_json

        return expense_to_json(self, include_raw=include_raw)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Expense:
        """The record ``to_dict()`` wrote (``ValidationError`` naming a wrong key)."""
        from expense_facade.record_data import expense_from_dict

        return expense_from_dict(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Expense:
        """The record ``to_json()`` wrote (``ValidationError`` naming a wrong key)."""
        from expense_facade.record_data import expense_from_json

        return expense_from_json(text)


@attrs.frozen(slots=True)
class MalformedRecord:
    """A record from a vendor page that could not be turned into an ``Expense``.

    The rest of the page goes on; the raw payload is kept so nothing is lost.
    """

    vendor: str
    reason: str
    record_id: str | None
    raw: Any = attrs.field(repr=False, eq=False)


@attrs.frozen(slots=True)
class ExportOutcome:
    """What the vendor said about marking one expense exported."""

    expense_id: str
    succeeded: bool
    message: str | None = None


@attrs.frozen(slots=True)
class MarkExportedResult:
    """Per-item outcome of ``mark_exported``; a partial failure is reported, never hidden."""

    outcomes: tuple[ExportOutcome, ...]

    @property
    def succeeded(self) -> tuple[ExportOutcome, ...]:
        return tuple(o for o in self.outcomes if o.succeeded)

    @property
    def failed(self) -> tuple[ExportOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.succeeded)

    @property
    def ok(self) -> bool:
        return all(o.succeeded for o in self.outcomes)


class ReceiptFlow(enum.StrEnum):
    """How an uploaded receipt finds its expense."""

    ATTACH = "attach"  # uploaded onto a named expense
    MATCH = "match"  # handed to the vendor, which matches it to an expense itself


@attrs.frozen(slots=True)
class ReceiptUpload:
    """The result of ``upload_receipt``."""

    receipt_id: str
    flow: ReceiptFlow
    expense_id: str | None
    filename: str
    content_type: str
    size: int
    url_refreshes: int = 0


@attrs.frozen(slots=True)
class ReceiptDownload:
    """The result of ``download_receipt``: what was written, its size and SHA-256 (of the
    bytes as written), and the content type the vendor sent."""

    expense_id: str
    receipt_id: str
    size: int
    sha256: str
    content_type: str
    path: str | None = None  # None when written to a file object
    url_refreshes: int = 0  # pre-signed URLs that had expired and were asked for again


@attrs.frozen(slots=True)
class CardTransaction:
    """A card transaction to post (ProSpend). Validated before anything is sent.

    ``transaction_id`` is the card provider's unique id: the vendor de-duplicates on it
    within a card program, which is what makes a retry safe. ``amount`` is in the billing
    (card) currency and carries its sign; ``foreign_amount`` is the original purchase
    amount and currency, given only when they differ from the billing ones.
    """

    transaction_id: str
    transaction_date: dt.date
    posting_date: dt.date
    merchant_name: str
    mcc: str
    amount: Money
    cardholder_name: str
    card_suffix: str
    card_program_code: str
    card_program_type: str
    transaction_status: str = "COMPLETED"
    foreign_amount: Money | None = None
    card_id: str | None = None
    external_card_id: str | None = None


@attrs.frozen(slots=True)
class CardTransactionResult:
    """The vendor's answer to a posted card transaction."""

    transaction_id: str
    duplicate: bool
    vendor_id: str | None = None
    attempts: int = 1
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _builder(cls: Callable[_P, _R]) -> Callable[_P, _R]:
    """A function building a frozen, slotted attrs class ``cls`` from the same arguments
    as ``cls(...)`` (names, defaults, factories), for the adapters' per-record hot path.

    The same object as the class call makes, at less cost: no type call (which hands the
    keyword arguments to ``__init__`` as a new dict) and each slot set through its own
    member descriptor, where attrs' ``__init__`` goes through ``object.__setattr__`` by
    name. Validators are *not* run: the values must already be what the class checks for
    (``new_money`` is for amounts the money parsers produced); ``cls(...)`` itself stays
    the checked, public constructor. Binding a keyword argument costs about 40 ns, so the
    adapters pass an ``Expense``'s four required fields (vendor, id, status, raw_status)
    by position."""
    klass: Any = cls  # (typed as its call signature, which the result keeps)
    if not (attrs.has(klass) and "__slots__" in vars(klass)) or hasattr(
        klass, "__attrs_post_init__"
    ):
        raise TypeError(f"{cls!r}: a slotted attrs class without __attrs_post_init__ only")
    fields = attrs.fields(klass)
    names: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_NOTHING": attrs.NOTHING}
    params: list[str] = []
    body: list[str] = []
    for n, field in enumerate(fields):
        if field.converter is not None or not field.init or not field.alias.isidentifier():
            raise TypeError(f"{cls!r}.{field.name}: a plain init field only")
        arg, default = field.alias, field.default
        if default is attrs.NOTHING:
            params.append(arg)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # a class
            if default.takes_self:
                raise TypeError(f"{cls!r}.{field.name}: a factory taking self")
            params.append(f"{arg}=_NOTHING")
            names[f"_factory{n}"] = default.factory
            body.append(f"    if {arg} is _NOTHING: {arg} = _factory{n}()")
        else:
            params.append(f"{arg}=_default{n}")
            names[f"_default{n}"] = default
        names[f"_set{n}"] = vars(klass)[field.name].__set__
        body.append(f"    _set{n}(self, {arg})")
    source = "\n".join(
        [f"def new({', '.join(params)}):", "    self = _new(_cls)", *body, "    return self"]
    )
    exec(compile(source, f"<record builder {cls.__qualname__}>", "exec"), names)  # noqa: S102
    built: Callable[_P, _R] = names["new"]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in cls.__name__)
    built.__qualname__ = built.__name__ = f"new{snake}"
    built.__doc__ = f"``{cls.__name__}(...)`` for checked values (see ``_builder``)."
    return built


new_money = _builder(Money)
new_employee = _builder(Employee)
new_merchant = _builder(Merchant)
new_receipt_ref = _builder(ReceiptRef)
new_line_item = _builder(LineItem)
new_expense = _builder(Expense)

__all__ = [
    "CardTransaction",
    "CardTransactionResult",
    "Employee",
    "Expense",
    "ExpenseStatus",
    "ExportOutcome",
    "LineItem",
    "MalformedRecord",
    "MarkExportedResult",
    "Merchant",
    "Money",
    "Operation",
    "ReceiptDownload",
    "ReceiptFlow",
    "ReceiptRef",
    "ReceiptUpload",
]
