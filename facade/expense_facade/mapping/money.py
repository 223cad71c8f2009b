"""Exact money parsing: every amount becomes a ``Decimal``, never a ``float``, from minor
units, JSON numbers or decimal strings, with no Decimal context rounding it; an amount
that is not finite or cannot be written out raises ``MoneyParseError``
(docs/field_mapping.md, "Amounts"; docs/limits.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    localcontext,
)

from expense_facade.records import Money, new_money

# ISO 4217 minor-unit exponents that are not 2 (list one, amendment 2024). Codes absent
# here (including unknown ones) use 2, the overwhelmingly common exponent.
CURRENCY_EXPONENTS: Mapping[str, int] = {
    # no minor unit
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # thousandths
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # ten-thousandths (units of account)
    "CLF": 4,
    "UYW": 4,
}
"""ISO 4217 exponent per currency code, for the codes whose exponent is not 2."""

DEFAULT_EXPONENT = 2

MAX_AMOUNT_DIGITS = 200
"""An amount must lie within 10**±200 (sinks write plain decimals, never an exponent):
``1E+999999999`` is finite, but no money, and a gigabyte of zeros written out."""

_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_PLAIN_TEXT = re.compile(r"-?[0-9]{1,100}(?:\.[0-9]{1,80})?").fullmatch
"""The decimal text vendors send (``124.51``, ``-3``), shorter than the digit bound."""
_CURRENCY_CODE = re.compile(r"[A-Za-z]{3}")


class MoneyParseError(ValueError):
    """An amount or currency that cannot be read exactly."""


def currency_exponent(currency: str | None) -> int:
    """The number of minor-unit digits of ``currency`` (2 when unknown or ``None``)."""
    if not currency:
        return DEFAULT_EXPONENT
    return CURRENCY_EXPONENTS.get(currency.strip().upper(), DEFAULT_EXPONENT)


def parse_currency(value: object) -> str | None:
    """An ISO 4217 code in upper case; ``None`` for ``None`` or an empty string."""
    if value is None:
        return None
    known = _CURRENCY_SEEN.get(value) if type(value) is str else None
    if known is not None:
        return known
    if not isinstance(value, str):
        raise MoneyParseError(f"currency must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if not _CURRENCY_CODE.fullmatch(text):
        raise MoneyParseError(f"not an ISO 4217 currency code: {value!r}")
    if len(_CURRENCY_SEEN) < _CURRENCY_SEEN_MAX:
        _CURRENCY_SEEN[value] = text.upper()
    return text.upper()


# Valid codes as given -> normalised: a listing sees a handful of currencies thousands of
# times, so the pattern runs once per spelling. Bounded, so odd input cannot grow it.
_CURRENCY_SEEN: dict[str, str] = {}
_CURRENCY_SEEN_MAX = 2048


def parse_decimal(value: object) -> Decimal | None:
    """An exact ``Decimal`` from a JSON value: int, float (via ``repr``), ``Decimal`` or a
    plain decimal string (surrounding spaces allowed; no thousands separators, no decimal
    comma, no exponent). ``None`` stays ``None``; an empty string is ``None`` too."""
    # The types the decoder makes, first, each returning what the general path below
    # would, with fewer checks in turn (a bool is an int to isinstance: the type() test).
    if isinstance(value, Decimal):  # a JSON number with a fraction
        if value.is_finite() and -MAX_AMOUNT_DIGITS < value.adjusted() < MAX_AMOUNT_DIGITS:
            return value
    elif isinstance(value, str):
        if _PLAIN_TEXT(value):  # no spaces, fewer digits than the bound: exact as it is
            return Decimal(value)
    elif isinstance(value, int) and type(value) is int and -_PLAIN_INT < value < _PLAIN_INT:
        return Decimal(value)
    return _parse_decimal(value)


def _parse_decimal(value: object) -> Decimal | None:
    """``parse_decimal`` for any value (the general path, with every check)."""
    if value is None:
        return None
    if type(value) is float:
        if not math.isfinite(value):
            raise MoneyParseError(f"not a finite amount: {value!r}")
        return _exact(Decimal(repr(value)))
    if isinstance(value, bool):  # bool is an int subclass; True is not an amount
        raise MoneyParseError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return _exact(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyParseError(f"not a finite amount: {value!r}")
        return _exact(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _exact(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _DECIMAL_TEXT.fullmatch(text):
            raise MoneyParseError(f"not a decimal amount: {value!r}")
        try:
            return _exact(Decimal(text))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already checked
            raise MoneyParseError(f"not a decimal amount: {value!r}") from exc
    raise MoneyParseError(f"not an amount: {type(value).__name__}")


def _exact(value: Decimal) -> Decimal:
    """``value`` if it is an amount that can be written out exactly, else MoneyParseError."""
    if not value.is_finite():
        raise MoneyParseError(f"not a finite amount: {value}")
    # The digits are bounded by the body they came in; only the exponent can make the
    # plain text of a number huge (1E+999999999), and adjusted() tells it in O(1).
    if not -MAX_AMOUNT_DIGITS < value.adjusted() < MAX_AMOUNT_DIGITS:
        raise MoneyParseError(
            f"an amount this far from 1 cannot be written out as plain digits "
            f"(more than {MAX_AMOUNT_DIGITS}): {str(value)[:40]}"
        )
    return value


_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Inexact])
"""A context in which adding amounts never rounds (and would raise if it had to)."""


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values``, exact: the default context keeps 28 significant digits, so
    ``sum()`` would round a total of longer amounts without a word."""
    with localcontext(_EXACT):
        return sum(values, Decimal(0))


def shift(value: Decimal, places: int) -> Decimal:
    """``value * 10**places`` built exactly (a new exponent on the same digits): no
    Decimal context rounds it, however many digits it has."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    return Decimal((sign, digits, exponent + places))


def _integral_units(value: Decimal) -> int | None:
    """``value`` as an int if it is a whole number (``1250``, ``1250.00``), else None."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent < 0 and any(digits[exponent:]):
        return None
    return int(value)  # exact: int() of a Decimal only drops the (zero) fraction


_PLAIN_INT = 10**18
"""Below this, an integer of minor units passes ``_exact`` whatever the exponent."""


def from_minor_units(amount: object, currency: str | None) -> Decimal | None:
    """Integer minor units (``1250`` EUR, ``1250`` JPY, ``1250`` KWD) as the exact major
    amount (``12.50``, ``1250``, ``1.250``). ``None`` stays ``None``. A string of digits
    is accepted; a fraction of a minor unit is an error."""
    if amount is None:
        return None
    if type(amount) is int and -_PLAIN_INT < amount < _PLAIN_INT:
        # The common case, first: the digits with the currency's exponent, built from text
        # (exact, whatever the context's precision) and within the digit bound.
        return Decimal(f"{amount}E-{currency_exponent(currency)}")
    if isinstance(amount, bool):
        raise MoneyParseError(f"not an amount in minor units: {amount!r}")
    if isinstance(amount, int):
        value = Decimal(amount)  # exact for any number of digits
    elif isinstance(amount, Decimal):
        # 1250.0: a JSON integer some serialisers write with ".0" (decoded as a Decimal).
        checked = _exact(amount)
        units = _integral_units(checked)
        if units is None:
            raise MoneyParseError(f"not an integer amount in minor units: {amount}")
        value = Decimal(units)
    elif isinstance(amount, float) and amount.is_integer():
        value = Decimal(int(amount))  # a float handed in directly; whole, so exact
    elif isinstance(amount, str) and re.fullmatch(r"\s*[+-]?\d+\s*", amount):
        value = Decimal(amount.strip())
    else:
        raise MoneyParseError(f"not an integer amount in minor units: {amount!r}")
    return _exact(shift(value, -currency_exponent(currency)))


def money_from_minor_units(amount: object, currency: object) -> Money | None:
    """``Money`` from integer minor units and a currency code; ``None`` if amount is ``None``."""
    # The common case first (an int in a currency spelled as before): what the general
    # path below returns (from_minor_units' own first case), without its calls.
    if type(amount) is int and type(currency) is str and -_PLAIN_INT < amount < _PLAIN_INT:
        code = _CURRENCY_SEEN.get(currency)
        if code is not None:  # a code seen is stripped and upper case: no normalising again
            exponent = CURRENCY_EXPONENTS.get(code, DEFAULT_EXPONENT)
            return new_money(Decimal(f"{amount}E-{exponent}"), code)
    code = parse_currency(currency)
    value = from_minor_units(amount, code)
    return None if value is None else new_money(value, code)


def money_from_major(amount: object, currency: object) -> Money | None:
    """``Money`` from a major-unit amount (number or decimal string) and a currency code;
    ``None`` if amount is ``None``."""
    # The common cases first: a JSON number with a fraction (a Decimal from the decoder),
    # a plain decimal string (Pazy's "number or string") or a whole number, in a currency
    # spelled as before; what parse_decimal and parse_currency below return, with their
    # checks, without their calls (this runs for every amount of every record).
    code = _CURRENCY_SEEN.get(currency) if type(currency) is str else None
    if code is not None:
        if type(amount) is Decimal:
            if amount.is_finite() and -MAX_AMOUNT_DIGITS < amount.adjusted() < MAX_AMOUNT_DIGITS:
                return new_money(amount, code)
        elif (type(amount) is str and _PLAIN_TEXT(amount)) or (
            type(amount) is int and -_PLAIN_INT < amount < _PLAIN_INT  # 0, 513: no fraction
        ):
            return new_money(Decimal(amount), code)
    code = parse_currency(currency)
    value = parse_decimal(amount)
    return None if value is None else new_money(value, code)


def to_minor_units(money: Money) -> int:
    """Exact integer minor units of ``money`` (for requests); raises if it has a fraction of
    a minor unit."""
    units = _integral_units(shift(money.amount, currency_exponent(money.currency)))
    if units is None:
        raise MoneyParseError(f"{money} has more decimals than {money.currency} allows")
    return units
