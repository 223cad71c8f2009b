"""Deterministic generation helpers shared by the vendor simulators: every record a pure
function of ``(seed, vendor, index)``, ids that encode their index (docs/sandbox.md, "How
the simulators generate data").
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from typing import TypeVar

import attrs

T = TypeVar("T")

MASK64 = (1 << 64) - 1


def splitmix64(x: int) -> int:
    """One round of splitmix64: a cheap, well-mixed 64-bit permutation-like function."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def _text_key(text: str) -> int:
    # crc32 is stable across processes (unlike hash()); two of them give 64 bits.
    raw = text.encode("utf-8")
    return (zlib.crc32(raw) << 32) | zlib.crc32(raw[::-1] + b"\x01")


def mix(*parts: int | str) -> int:
    """A stable 64-bit mix of integers and strings."""
    acc = 0x243F6A8885A308D3
    for part in parts:
        value = _text_key(part) if isinstance(part, str) else part & MASK64
        acc = splitmix64(acc ^ value)
    return acc


def rng_for(seed: int, vendor: str, index: int, salt: str = "") -> random.Random:
    """The random stream of one record (``salt`` separates independent sub-streams)."""
    return random.Random(mix(seed, vendor, index, salt))


def pick(rng: random.Random, pool: Sequence[T]) -> T:
    """One element of ``pool``."""
    return pool[rng.randrange(len(pool))]


def weighted(value: int, table: Sequence[tuple[T, int]]) -> T:
    """The entry of ``table`` (``(choice, weight)`` pairs) that ``value`` falls on, with
    ``value`` taken modulo the total weight: a weighted pick from one hashed integer."""
    point = value % sum(weight for _, weight in table)
    for choice, weight in table:
        if point < weight:
            return choice
        point -= weight
    return table[-1][0]  # unreachable: point < total


def chance(seed: int, vendor: str, index: int, salt: str, probability: float) -> bool:
    """A deterministic coin flip for one record, without building a ``Random``."""
    return (mix(seed, vendor, index, salt) >> 11) / float(1 << 53) < probability


# -- reversible ids ------------------------------------------------------------------------

_ODD = 0x9E3779B97F4A7C15
_ODD_INV = pow(_ODD, -1, 1 << 64)


@attrs.frozen
class IdCodec:
    """Maps an index to an opaque-looking id and back, per (seed, vendor).

    The id carries a 64-bit scrambled index plus a check derived from it, so an id that
    was never issued (or belongs to another seed) decodes to None.
    """

    seed: int
    vendor: str

    @property
    def _key(self) -> int:
        return mix(self.seed, self.vendor, "id")

    def scramble(self, index: int) -> int:
        """The index as a 64-bit number that looks random."""
        return ((index ^ self._key) * _ODD) & MASK64

    def unscramble(self, value: int) -> int:
        """Inverse of ``scramble``."""
        return ((value * _ODD_INV) & MASK64) ^ self._key

    def check(self, scrambled: int) -> int:
        """The 64-bit check word for a scrambled index."""
        return mix(self._key, scrambled)

    def guid(self, index: int) -> str:
        """A GUID-formatted id (version-4 look) for ``index``."""
        high = self.scramble(index)
        low = self.check(high)
        h = f"{high:016x}{low:016x}"
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def from_guid(self, text: str) -> int | None:
        """The index of a GUID made by ``guid``, else None."""
        digits = text.replace("-", "").lower()
        if len(digits) != 32 or len(text) != 36:
            return None
        try:
            high, low = int(digits[:16], 16), int(digits[16:], 16)
        except ValueError:
            return None
        if self.check(high) != low:
            return None
        return self.unscramble(high)

    def token(self, index: int, prefix: str = "") -> str:
        """A compact base-36 id like ``exp_3k9x...`` for ``index``."""
        high = self.scramble(index)
        check = self.check(high) & 0xFFFFFF
        return prefix + _base36((high << 24) | check)

    def from_token(self, text: str, prefix: str = "") -> int | None:
        """The index of an id made by ``token``, else None."""
        if not text.startswith(prefix):
            return None
        try:
            value = int(text[len(prefix) :], 36)
        except ValueError:
            return None
        high, check = value >> 24, value & 0xFFFFFF
        if high > MASK64 or (self.check(high) & 0xFFFFFF) != check:
            return None
        return self.unscramble(high)


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if value == 0:
        return "0"
    out: list[str] = []
    while value:
        value, rem = divmod(value, 36)
        out.append(digits[rem])
    return "".join(reversed(out))


# -- pools ---------------------------------------------------------------------------------

FIRST_NAMES = (
    "Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Ava", "Elijah", "Mia", "Lucas",
    "Sofia", "Mateo", "Aarav", "Priya", "Hiroshi", "Yuki", "Chen", "Mei", "Fatima", "Omar",
    "Ingrid", "Lars", "Chloé", "Jean", "Zoë", "Siobhan", "Kwame", "Amara", "Diego", "Lucía",
    "Rohan", "Ananya", "Tomás", "Aoife", "Jakub", "Zofia", "Nikos", "Eleni", "Sven", "Freya",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Patel",
    "Khan", "Singh", "Sharma", "Nguyen", "Tanaka", "Suzuki", "Wang", "Li", "García",
    "Martínez", "Müller", "Schmidt", "Rossi", "Dubois", "O'Brien", "Murphy", "Kowalski",
    "Nowak", "Andersson", "Johansson", "Mensah", "Okafor", "Papadopoulos", "da Silva",
    "van der Berg", "Fernández", "Kim", "Park", "Ivanova", "Cohen", "MacDonald",
)  # fmt: skip


@attrs.frozen
class MerchantInfo:
    """A merchant with its real Merchant Category Code and a plausible expense category."""

    name: str
    mcc: str
    category: str
    country: str


MERCHANTS = (
    MerchantInfo("British Airways", "3005", "Travel", "GB"),
    MerchantInfo("Lufthansa", "3008", "Travel", "DE"),
    MerchantInfo("Qantas", "3136", "Travel", "AU"),
    MerchantInfo("Hilton Hotels", "3504", "Accommodation", "US"),
    MerchantInfo("Marriott", "3509", "Accommodation", "US"),
    MerchantInfo("Premier Inn", "7011", "Accommodation", "GB"),
    MerchantInfo("Uber", "4121", "Ground transport", "US"),
    MerchantInfo("Addison Lee", "4121", "Ground transport", "GB"),
    MerchantInfo("Trainline", "4112", "Ground transport", "GB"),
    MerchantInfo("Shell", "5541", "Fuel", "NL"),
    MerchantInfo("BP", "5542", "Fuel", "GB"),
    MerchantInfo("Pret A Manger", "5814", "Meals", "GB"),
    MerchantInfo("Starbucks", "5814", "Meals", "US"),
    MerchantInfo("Dishoom", "5812", "Meals", "GB"),
    MerchantInfo("The Ivy", "5812", "Client entertainment", "GB"),
    MerchantInfo("Officeworks", "5943", "Office supplies", "AU"),
    MerchantInfo("Staples", "5943", "Office supplies", "US"),
    MerchantInfo("Amazon Web Services", "5734", "Software", "US"),
    MerchantInfo("Atlassian", "5734", "Software", "AU"),
    MerchantInfo("Zoom", "4816", "Software", "US"),
    MerchantInfo("Vodafone", "4814", "Telephone", "GB"),
    MerchantInfo("FedEx", "4215", "Postage", "US"),
    MerchantInfo("Royal Mail", "9402", "Postage", "GB"),
    MerchantInfo("LinkedIn", "7311", "Advertising", "US"),
    MerchantInfo("WeWork", "6513", "Rent", "US"),
    MerchantInfo("Apple Store", "5732", "Equipment", "US"),
    MerchantInfo("Currys", "5732", "Equipment", "GB"),
    MerchantInfo("Eventbrite", "7399", "Training", "US"),
    MerchantInfo("Coursera", "8299", "Training", "US"),
    MerchantInfo("NCP Car Parks", "7523", "Parking", "GB"),
)

# Category name → general-ledger (nominal) account code.
CATEGORIES = (
    ("Travel", "7400"),
    ("Accommodation", "7410"),
    ("Ground transport", "7420"),
    ("Fuel", "7430"),
    ("Mileage", "7440"),
    ("Meals", "7450"),
    ("Client entertainment", "7460"),
    ("Office supplies", "7500"),
    ("Software", "7510"),
    ("Telephone", "7550"),
    ("Postage", "7560"),
    ("Advertising", "6100"),
    ("Rent", "7100"),
    ("Equipment", "0030"),
    ("Training", "7700"),
    ("Parking", "7425"),
)
GL_CODES = dict(CATEGORIES)

DEPARTMENTS = (
    "Sales", "Marketing", "Engineering", "Finance", "Operations", "People",
    "Customer Success", "Legal", "Product", "Facilities",
)  # fmt: skip
LOCATIONS = (
    "London", "Manchester", "Edinburgh", "Dublin", "Berlin", "Paris", "Amsterdam",
    "New York", "San Francisco", "Sydney", "Melbourne", "Singapore", "Bengaluru", "Tokyo",
)  # fmt: skip
PROJECTS = (
    "PRJ-1001 Website relaunch", "PRJ-1002 ERP migration", "PRJ-1003 APAC expansion",
    "PRJ-1004 Customer summit", "PRJ-1005 Data platform", "PRJ-1006 Office move",
)  # fmt: skip
COST_CENTRES = ("CC100", "CC110", "CC200", "CC210", "CC300", "CC400", "CC500", "CC900")

# ISO 4217 code → minor-unit exponent (JPY has none, KWD has three).
CURRENCIES: dict[str, int] = {
    "GBP": 2, "EUR": 2, "USD": 2, "AUD": 2, "SGD": 2, "INR": 2, "CHF": 2, "SEK": 2,
    "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3,
}  # fmt: skip
COMMON_CURRENCIES = ("GBP", "EUR", "USD", "AUD", "SGD", "INR")
RARE_CURRENCIES = ("JPY", "KRW", "KWD", "BHD", "CHF", "SEK")


@attrs.frozen
class TaxCode:
    """A tax code with its rate in percent."""

    code: str
    name: str
    rate: decimal.Decimal


TAX_CODES = (
    TaxCode("T1", "Standard rate VAT", decimal.Decimal("20")),
    TaxCode("T5", "Reduced rate VAT", decimal.Decimal("5")),
    TaxCode("T0", "Zero rated", decimal.Decimal("0")),
    TaxCode("T9", "Outside scope", decimal.Decimal("0")),
    TaxCode("GST10", "GST", decimal.Decimal("10")),
    TaxCode("GST18", "GST 18%", decimal.Decimal("18")),
)


# -- values --------------------------------------------------------------------------------


def exponent(currency: str | None) -> int:
    """Minor-unit exponent of ``currency`` (2 when unknown or None)."""
    return CURRENCIES.get(currency or "", 2)


def quantum(currency: str | None) -> decimal.Decimal:
    """The smallest unit of ``currency`` as a Decimal (``Decimal("0.01")`` for GBP)."""
    return decimal.Decimal(1).scaleb(-exponent(currency))


def amount(
    rng: random.Random, currency: str | None, low: float = 2.0, high: float = 900.0
) -> decimal.Decimal:
    """A Decimal amount in ``[low, high)`` major units with the currency's exponent.
    Zero-decimal currencies get amounts scaled up (¥ prices are ~150x)."""
    exp = exponent(currency)
    scale = 150 if exp == 0 else 1
    minor_units = rng.randrange(int(low * scale * 10**exp), int(high * scale * 10**exp))
    return decimal.Decimal(minor_units).scaleb(-exp)


def to_minor(value: decimal.Decimal, currency: str | None) -> int:
    """``Decimal("12.34")`` GBP → 1234."""
    return int(value.scaleb(exponent(currency)).to_integral_value())


def from_minor(units: int, currency: str | None) -> decimal.Decimal:
    """1234 GBP → ``Decimal("12.34")``."""
    return decimal.Decimal(units).scaleb(-exponent(currency))


def tax_part(
    gross: decimal.Decimal, rate: decimal.Decimal, currency: str | None
) -> decimal.Decimal:
    """The tax included in ``gross`` at ``rate`` percent, rounded to the currency."""
    if rate == 0:
        return decimal.Decimal(0).quantize(quantum(currency))
    tax = gross * rate / (100 + rate)
    return tax.quantize(quantum(currency), rounding=decimal.ROUND_HALF_UP)


EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def timestamp(rng: random.Random, start: dt.datetime, span: dt.timedelta) -> dt.datetime:
    """An aware UTC time in ``[start, start + span)``, millisecond precision."""
    millis = rng.randrange(max(1, int(span.total_seconds() * 1000)))
    return start + dt.timedelta(milliseconds=millis)


def iso_z(value: dt.datetime, millis: bool = True) -> str:
    """``2025-05-19T08:42:39.396Z`` (or without the fraction)."""
    value = value.astimezone(dt.UTC)
    if millis:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> dt.datetime | None:
    """Lenient ISO 8601 parse of a query parameter; naive values are taken as UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@attrs.frozen
class Person:
    """A generated employee."""

    index: int
    first_name: str
    last_name: str
    email: str
    department: str
    location: str

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


def person(seed: int, vendor: str, index: int, domain: str = "example.com") -> Person:
    """Employee number ``index`` of a company (a small pool: expenses share people)."""
    rng = rng_for(seed, vendor, index, "person")
    first, last = pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode() + (
        str(index) if index >= 40 else ""
    )
    return Person(index, first, last, f"{local}@{domain}", pick(rng, DEPARTMENTS),
                  pick(rng, LOCATIONS))  # fmt: skip


# -- receipt files ---------------------------------------------------------------------------


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (a receipt file of a few hundred bytes)."""
    safe = text.replace("(", "").replace(")", "")
    stream = f"BT /F1 10 Tf 20 100 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def tiny_png(colour: int) -> bytes:
    """A valid 1x1 PNG of ``colour`` (0xRRGGBB): an image receipt of a few dozen bytes."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    rgb = bytes([(colour >> 16) & 0xFF, (colour >> 8) & 0xFF, colour & 0xFF])
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + rgb)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
