"""Lenient, but not sloppy, ISO 8601 parsing into timezone-aware UTC datetimes, and the
one timestamp format the facade sends; what is accepted and refused is in
docs/field_mapping.md, "Dates".
"""

from __future__ import annotations

import datetime as dt
import re

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


class TimestampParseError(ValueError):
    """A date or timestamp that is not ISO 8601."""


def parse_timestamp(value: object, *, null_epoch: bool = False) -> dt.datetime | None:
    """An aware UTC ``datetime`` from an ISO 8601 string (or a ``datetime``/``date``).

    ``None`` and the empty string give ``None``. With ``null_epoch``, the Unix epoch gives
    ``None`` (the vendor's "no date").
    """
    if value is None:
        return None
    if type(value) is str:
        result = _parse_common(value)  # the shapes vendors send, parsed in C
        if result is None:
            text = value.strip()
            if not text:
                return None
            result = _parse_text(text, original=value)
    elif isinstance(value, dt.datetime):
        result = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        result = _parse_text(text, original=value)
    else:
        raise TimestampParseError(f"not a timestamp: {type(value).__name__}")
    if result.tzinfo is not dt.UTC:
        try:
            result = result.astimezone(dt.UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC time
            raise TimestampParseError(f"out of range in UTC: {value!r}") from None
    if null_epoch and result == EPOCH:
        return None
    return result


def _parse_common(text: str) -> dt.datetime | None:
    """``YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)``, the shape nearly every
    timestamp has, read by the C parser (several times faster than the general one);
    ``None`` for anything else, which then goes through ``_parse_text``.

    Only strings the general parser reads the same way are taken: the separators are
    checked at fixed places, the fraction is checked to be ASCII digits (a text with a
    fraction and anything not ASCII goes to the general parser), and ``fromisoformat``
    itself insists on ASCII digits in every numeric field and on valid ranges (a
    ``ValueError`` falls back to the general parser, which words the error)."""
    n = len(text)
    # (One slice compared, not five characters: this runs for every timestamp.)
    if n < 20 or text[4:17:3] != "--T::":
        return None
    if text[-1] == "Z":
        end = n - 1
    elif n >= 25 and text[-3] == ":" and text[-6] in "+-":
        end = n - 6
    else:
        return None
    if end != 19 and (text[19] != "." or not text[20:end].isdigit() or not text.isascii()):
        return None
    try:
        return _FROM_ISO(text)
    except ValueError:
        return None


_FROM_ISO = dt.datetime.fromisoformat


def parse_date(value: object) -> dt.date | None:
    """A calendar ``date`` from ``YYYY-MM-DD`` (or a full timestamp: its UTC date)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    parsed = parse_timestamp(value)
    return None if parsed is None else parsed.date()


def format_timestamp(value: dt.datetime, *, timespec: str = "milliseconds") -> str:
    """``value`` in UTC as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (for query parameters)."""
    if value.tzinfo is None:
        raise ValueError("timestamps sent to a vendor must be timezone-aware")
    text = value.astimezone(dt.UTC).isoformat(timespec=timespec)
    return text.removesuffix("+00:00") + "Z"


def _parse_text(text: str, *, original: str) -> dt.datetime:
    match = _ISO.fullmatch(text)
    if match is None:
        raise TimestampParseError(f"not an ISO 8601 timestamp: {original!r}")
    fraction = match["f"] or ""
    # Any number of fractional digits: keep microseconds, drop the rest (truncate rather
    # than round, so that .9999999 never rolls over into the next second).
    micro = int((fraction + "000000")[:6])
    try:
        return dt.datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"] or 0),
            int(match["mi"] or 0),
            int(match["s"] or 0),
            micro,
            tzinfo=_zone(match["tz"]),
        )
    except ValueError as exc:  # month 13, hour 24, second 60, ...
        raise TimestampParseError(f"not a valid timestamp: {original!r} ({exc})") from exc


def _zone(text: str | None) -> dt.tzinfo:
    if text is None or text in ("Z", "z"):
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset out of range: {text}")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def since_from_text(text: str) -> dt.datetime:
    """A ``since`` given as text (``list_approved(since=...)``, ``export --since``): an ISO
    8601 date or datetime, taken as UTC without an offset; ``ValueError`` otherwise."""
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
