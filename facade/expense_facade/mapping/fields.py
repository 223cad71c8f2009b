"""Reading vendor payloads one record and one field at a time: ``parse_records`` (a bad
record is reported, the page goes on), ``LenientFields`` (a bad field is ``None`` and a
parse warning) and ``StatusMap``. Value parameters are typed ``JsonScalar``, so a field the
spec retypes into an object is a type error where an adapter reads it through its wire
shape (docs/adapter_guide.md, "Parsing records" and "Wire shapes").
``text`` refuses a string the vendor sent as invalid UTF-8 or with a lone surrogate, which
costs its record, not the page; ``identifier`` reads ids exactly as sent (docs/limits.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from expense_facade.listing import ItemsPage
from expense_facade.mapping.json_values import InvalidText
from expense_facade.mapping.money import (
    _CURRENCY_SEEN,
    MoneyParseError,
    money_from_major,
    money_from_minor_units,
    parse_currency,
    parse_decimal,
)
from expense_facade.mapping.paging import raw_id
from expense_facade.mapping.timeparse import (
    TimestampParseError,
    _parse_common,
    parse_date,
    parse_timestamp,
)
from expense_facade.records import Expense, ExpenseStatus, MalformedRecord, Money

T = TypeVar("T")
Item = TypeVar("Item")

JsonScalar: TypeAlias = str | float | Decimal | bool | None
"""A JSON scalar as decoded (``int`` is a ``float`` to mypy; ``Decimal`` where a decoder
or a simulator uses it): what the field helpers accept."""


def absent(value: object) -> bool:
    """Whether a value from a payload or a generated model means "not given": ``None`` or
    the generated clients' ``UNSET`` sentinel (recognised by its class name, because the
    shared layer must not import any generated package)."""
    if value is None:
        return True
    kind = type(value)
    return kind not in _PLAIN and kind.__name__ == "Unset"


# JSON's own types are never the sentinel: checked first, they skip the name lookup.
_PLAIN = frozenset({str, int, float, bool, dict, list})
# The scalars the decoder makes: a field helper passes them on without calling present().
_DECODED = frozenset({str, int, Decimal, bool, type(None)})


def present(value: T) -> T | None:
    """``value``, or ``None`` if it is absent (``None`` or ``UNSET``)."""
    if value is None or type(value) in _PLAIN:
        return value
    return None if type(value).__name__ == "Unset" else value


def is_object(value: object) -> bool:
    """Whether a decoded value is a JSON object (a wire-shape view says it is; the vendor
    may still send something else). Not a type guard on purpose: narrowing a view to
    ``dict`` would make its reads untyped."""
    return isinstance(value, dict)


def raw_object(view: object) -> dict[str, Any]:
    """The decoded JSON object behind a wire-shape view, as ``Expense.raw`` keeps it; a
    record that is not a JSON object raises ``TypeError`` (so it becomes a
    ``MalformedRecord`` in ``parse_records``)."""
    if isinstance(view, dict):
        return view
    raise TypeError(f"a record is not a JSON object: {type(view).__name__}")


def scalar_text(value: JsonScalar) -> str | None:
    """A stripped string for any scalar (numbers become their text), for values that are
    deliberately of several types (a setting, a spec's ``oneOf``); ``None`` if absent or
    empty."""
    if type(value) is str:  # the common cases, first
        return value.strip() or None
    if value is None:
        return None
    if absent(value) or isinstance(value, dict | list):
        return None
    if isinstance(value, InvalidText):
        # Read as text it would be a silently different value: the record is reported.
        raise InvalidTextError(f"a text value is not valid UTF-8: {str(value)[:60]!r}")
    result = str(value).strip()
    return result or None


if TYPE_CHECKING:

    def text(value: str | None) -> str | None:
        """A stripped string field; ``None`` if absent or empty. Typed to the spec's
        string: a field retyped in the spec is a type error at the line reading it. At run
        time it is ``scalar_text`` itself (any scalar read leniently, no extra call)."""

else:
    text = scalar_text


def identifier(value: JsonScalar) -> str | None:
    """A record id exactly as the vendor sent it (docs/limits.md, "Ids"): never stripped
    or case-folded, so ``"exp_1 "`` and ``"exp_1"`` stay two records; a number becomes its
    text. ``None`` if absent or empty. An id the vendor sent as invalid UTF-8 or with a
    lone surrogate cannot be compared or stored as sent: ``InvalidTextError`` (the record
    is reported, the page goes on)."""
    if type(value) is str:  # the common case, first
        return value or None
    if value is None or absent(value) or isinstance(value, bool | dict | list):
        return None
    if isinstance(value, InvalidText):
        raise InvalidTextError(f"an id is not valid UTF-8: {str(value)[:60]!r}")
    return str(value) or None


class InvalidTextError(ValueError):
    """A text value the vendor sent as invalid UTF-8 (see ``json_values.InvalidText``)."""


def parse_records(
    items: Iterable[Item],
    parse_one: Callable[[Item], Expense],
    *,
    vendor: str,
    id_of: Callable[[Item], Hashable | None] = raw_id,
) -> tuple[tuple[Expense, ...], tuple[MalformedRecord, ...]]:
    """Parse each item with ``parse_one``; any exception becomes a ``MalformedRecord``.

    ``items`` are typically wire-shape views of the decoded records and ``parse_one`` the
    adapter's mapping; an item that is not the object its shape says (a string where a
    record should be: ``AttributeError``) or that lacks what the mapping needs fails here,
    for that record only. (``listing.ItemsPage`` read whole; a listing maps its pages
    record by record instead.)
    """
    return ItemsPage(list(items), parse_one, vendor=vendor, id_of=id_of).read()


_STATUS_SEEN_MAX = 256


class StatusMap:
    """Vendor status words -> ``ExpenseStatus``; unknown words -> ``UNKNOWN``.

    Matching ignores case and surrounding spaces unless ``case_sensitive``. Call it with
    the raw value; it returns ``(status, raw_status)`` ready for the ``Expense`` fields.
    """

    def __init__(self, table: Mapping[str, ExpenseStatus], *, case_sensitive: bool = False) -> None:
        self._case_sensitive = case_sensitive
        self._table = {self._norm(k): v for k, v in table.items()}
        # Answers by exact raw string: a listing repeats a handful of spellings thousands
        # of times. Bounded, so a vendor inventing words cannot grow it.
        self._seen: dict[str, tuple[ExpenseStatus, str | None]] = {}

    def _norm(self, word: str) -> str:
        return word.strip() if self._case_sensitive else word.strip().casefold()

    def __call__(self, raw: str | None) -> tuple[ExpenseStatus, str | None]:
        if type(raw) is str:
            known = self._seen.get(raw)
            if known is not None:
                return known
        word = text(raw)
        if word is None:
            return ExpenseStatus.UNKNOWN, None
        answer = self._table.get(self._norm(word), ExpenseStatus.UNKNOWN), word
        if type(raw) is str and len(self._seen) < _STATUS_SEEN_MAX:
            self._seen[raw] = answer
        return answer

    def words_for(self, status: ExpenseStatus) -> tuple[str, ...]:
        """The (normalised) vendor words that map to ``status`` (e.g. for a query filter)."""
        return tuple(k for k, v in self._table.items() if v is status)


class LenientFields:
    """Field parsers for one record that collect warnings instead of raising.

    >>> f = LenientFields()
    >>> f.timestamp("submitted_at", "2025-10-6T08:34:18.123Z") is None
    True
    >>> f.warnings
    ("submitted_at: not an ISO 8601 timestamp: '2025-10-6T08:34:18.123Z'",)
    """

    # No __init__: one is made for every record, and most records have no warning, so
    # the class's empty tuple stands until the first one (a new tuple per warning).
    _warnings: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings so far, for ``Expense(parse_warnings=...)``."""
        return self._warnings

    def warn(self, field: str, problem: object) -> None:
        """Record a problem with ``field`` found by the adapter itself."""
        self._warnings = (*self._warnings, f"{field}: {problem}")

    # Each parser is spelled out (no shared wrapper taking a lambda): this runs for every
    # field of every record, and a closure per call is measurable there.
    def timestamp(
        self, field: str, value: str | None, *, null_epoch: bool = False
    ) -> dt.datetime | None:
        """An aware UTC datetime, or ``None`` (absent, or malformed with a warning)."""
        if value is None:
            return None
        if type(value) is str and not null_epoch:
            # parse_timestamp's common case without its call: a UTC time of the shape
            # vendors send is its answer as it is (tests/mapping/test_parsing_fast_paths.py).
            parsed = _parse_common(value)
            if parsed is not None and parsed.tzinfo is dt.UTC:
                return parsed
        try:
            return parse_timestamp(
                value if type(value) is str else present(value), null_epoch=null_epoch
            )
        except TimestampParseError as exc:
            self.warn(field, exc)
            return None

    def date(self, field: str, value: str | None) -> dt.date | None:
        """A calendar date, or ``None`` (absent, or malformed with a warning)."""
        try:
            return parse_date(present(value))
        except TimestampParseError as exc:
            self.warn(field, exc)
            return None

    def currency(self, field: str, value: str | None) -> str | None:
        """An ISO 4217 code in upper case, or ``None`` (absent, or malformed with a warning)."""
        # parse_currency's own first case, without the two calls: a code spelled as before.
        known = _CURRENCY_SEEN.get(value) if type(value) is str else None
        if known is not None:
            return known
        try:
            return parse_currency(text(value))
        except MoneyParseError as exc:
            self.warn(field, exc)
            return None

    def decimal(self, field: str, value: float | Decimal | None) -> Decimal | None:
        """An exact Decimal (numbers, decimal strings), or ``None``."""
        if value is None:
            return None
        try:
            return parse_decimal(value if type(value) in _DECODED else present(value))
        except MoneyParseError as exc:
            self.warn(field, exc)
            return None

    def money(
        self, field: str, amount: float | Decimal | None, currency: str | None
    ) -> Money | None:
        """``Money`` from a major-unit amount and a currency code, or ``None``."""
        try:
            return money_from_major(
                amount if type(amount) in _DECODED else present(amount),
                currency if type(currency) in _DECODED else present(currency),
            )
        except MoneyParseError as exc:
            self.warn(field, exc)
            return None

    if TYPE_CHECKING:

        def money_number_or_string(
            self, field: str, amount: float | Decimal | str | None, currency: str | None
        ) -> Money | None:
            """``money`` for an amount the spec says is a number or a numeric string (a
            ``oneOf``: Pazy's ``NumberOrString``); at run time ``money`` itself."""

    else:
        money_number_or_string = money

    def money_minor(
        self, field: str, amount: float | Decimal | None, currency: str | None
    ) -> Money | None:
        """``Money`` from integer minor units and a currency code, or ``None``."""
        try:
            return money_from_minor_units(
                amount if type(amount) in _DECODED else present(amount),
                currency if type(currency) in _DECODED else present(currency),
            )
        except MoneyParseError as exc:
            self.warn(field, exc)
            return None
