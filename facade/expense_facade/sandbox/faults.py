"""Programmable faults for the sandbox, per vendor and route, for a number of requests or
until cleared, including the hostile answers of docs/limits.md (docs/sandbox.md,
"Reference").
"""

from __future__ import annotations

import datetime as dt
import decimal
import email.utils
import enum
import functools
import json
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from expense_facade.sandbox.wire import SimResponse, dumps


class FaultKind(enum.StrEnum):
    """What a fault does."""

    STATUS = "status"  # answer this status with the vendor's error body
    LATENCY = "latency"  # wait, then answer normally
    RESET = "reset"  # drop the connection without answering (a connect/read error)
    CONNECT_TIMEOUT = "connect_timeout"  # in-process: httpx.ConnectTimeout; served: as hang
    HANG = "hang"  # never answer (in-process: httpx.ReadTimeout at once)
    TRUNCATE = "truncate"  # the real answer cut in the middle
    HTML = "html"  # an HTML error page instead of JSON (a proxy in the way)
    MUTATE = "mutate"  # the real answer with its records altered
    OVERSIZED = "oversized"  # a JSON body of `limit` bytes, streamed, length not announced
    GZIP_BOMB = "gzip_bomb"  # a small gzip body that expands to `limit` bytes
    DRIP = "drip"  # the real answer, one byte every `seconds`
    DEEP_NESTING = "deep_nesting"  # a JSON body nested `limit` levels deep
    FRESH_CURSOR = "fresh_cursor"  # the first page again, with a cursor never seen before


MALFORMED_DATE = "2025-10-6T08:34:18.123Z"
UNKNOWN_ENUM = "SANDBOX_NEW_VALUE"
INVALID_UTF8 = b"Caf\xe9 \xff\xfe receipt"
"""The bytes the ``invalid_utf8`` mutation writes into one text field (Latin-1 and stray
bytes: not UTF-8)."""
LONG_AMOUNT = decimal.Decimal("123456789012345678901234567890.123456789")
"""What ``long_amounts`` writes for a major-unit amount: more digits than a double (17) or
the default Decimal context (28) keeps."""
LONG_MINOR_UNITS = 1234567890123456789012345678901
"""What ``long_amounts`` writes for an integer minor-unit amount: 31 digits."""
_INVALID_MARK = "\ue000sandbox-invalid-utf8\ue000"  # replaced by INVALID_UTF8 once encoded
MB = 1024 * 1024


@attrs.frozen
class Fault:
    """One injected behaviour. Build with the class methods."""

    kind: FaultKind
    status_code: int = 200
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes | None = None
    message: str = "Injected fault"
    seconds: float = 0.0
    mutations: frozenset[str] = frozenset()
    limit: int | None = None
    processed: bool = False
    edit: Callable[[list[Any]], None] | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def status(
        cls,
        code: int,
        *,
        retry_after: str | None = None,
        retry_after_date: dt.datetime | None = None,
        message: str | None = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """Answer ``code`` with the vendor's error body (or ``body``). ``retry_after`` is
        sent verbatim as ``Retry-After``; ``retry_after_date`` is sent as an HTTP date."""
        merged = {k.lower(): v for k, v in (headers or {}).items()}
        if retry_after is not None:
            merged["retry-after"] = retry_after
        if retry_after_date is not None:
            merged["retry-after"] = email.utils.format_datetime(
                retry_after_date.astimezone(dt.UTC), usegmt=True
            )
        return cls(
            FaultKind.STATUS,
            status_code=code,
            headers=merged,
            body=body,
            message=message or f"Injected {code}",
        )

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """Delay the answer by ``seconds`` (sandbox clock in-process, real when served)."""
        return cls(FaultKind.LATENCY, seconds=seconds)

    @classmethod
    def reset(cls, *, processed: bool = False) -> Fault:
        """Drop the connection: ``httpx.ConnectError`` in-process, a TCP reset when served.
        With ``processed=True`` the vendor handles the request first and the answer is lost
        (the write happened; the client cannot know)."""
        return cls(FaultKind.RESET, processed=processed)

    @classmethod
    def connect_timeout(cls) -> Fault:
        """``httpx.ConnectTimeout`` in-process (served: behaves as ``hang``)."""
        return cls(FaultKind.CONNECT_TIMEOUT, seconds=30.0)

    @classmethod
    def hang(cls, seconds: float = 30.0, *, processed: bool = False) -> Fault:
        """Never answer: ``httpx.ReadTimeout`` in-process at once; when served, hold the
        connection open (at most ``seconds``, or until shutdown) and then close it. With
        ``processed=True`` the vendor handles the request first (a write that timed out)."""
        return cls(FaultKind.HANG, seconds=seconds, processed=processed)

    @classmethod
    def truncate(cls) -> Fault:
        """The real answer's body cut in half (status and headers kept)."""
        return cls(FaultKind.TRUNCATE)

    @classmethod
    def html(cls, status: int = 200) -> Fault:
        """An HTML page with ``status`` instead of the vendor's JSON."""
        return cls(FaultKind.HTML, status_code=status)

    @classmethod
    def mutate_records(
        cls,
        *,
        unknown_enum: bool = False,
        extra_fields: bool = False,
        missing_optional: bool = False,
        null_values: bool = False,
        amount_as_string: bool = False,
        malformed_date: bool = False,
        invalid_utf8: bool = False,
        long_amounts: bool = False,
        limit: int | None = None,
    ) -> Fault:
        """The real answer with its records altered (the first ``limit`` records, or all):
        enum fields get an unlisted value, an unknown field is added, optional fields are
        removed or nulled, amounts become strings, dates become malformed, the vendor's
        text field (``VendorSim.text_fields``) holds ``INVALID_UTF8``, amounts get more
        digits than a double holds (``LONG_AMOUNT``, or ``LONG_MINOR_UNITS`` where the
        amount is integer minor units)."""
        flags = {
            "unknown_enum": unknown_enum,
            "extra_fields": extra_fields,
            "missing_optional": missing_optional,
            "null_values": null_values,
            "amount_as_string": amount_as_string,
            "malformed_date": malformed_date,
            "invalid_utf8": invalid_utf8,
            "long_amounts": long_amounts,
        }
        chosen = frozenset(name for name, on in flags.items() if on)
        if not chosen:
            raise ValueError("mutate_records needs at least one mutation")
        return cls(FaultKind.MUTATE, mutations=chosen, limit=limit)

    @classmethod
    def edit_records(cls, edit: Callable[[list[Any]], None]) -> Fault:
        """The real answer with each list of records in its body (``VendorSim.record_lists``)
        passed to ``edit``, which may change, add or remove records in place; a value given
        as ``wire.RawJson`` is written as it is (a lone surrogate escape, a huge number)."""
        return cls(FaultKind.MUTATE, edit=edit)

    @classmethod
    def oversized(cls, size: int = 200 * MB, *, content_type: str | None = None) -> Fault:
        """A 200 answer whose JSON body is ``size`` bytes, streamed a megabyte at a time
        with no Content-Length (the client cannot know the size before reading).
        ``content_type`` (``"application/pdf"``, say): a body of that type instead, such
        as a huge receipt file."""
        headers = {} if content_type is None else {"content-type": content_type}
        return cls(FaultKind.OVERSIZED, limit=size, headers=headers)

    @classmethod
    def gzip_bomb(cls, expanded: int = 1024 * MB) -> Fault:
        """A 200 answer with ``Content-Encoding: gzip`` whose body (about a thousandth of
        ``expanded``) decompresses to ``expanded`` bytes of JSON."""
        return cls(FaultKind.GZIP_BOMB, limit=expanded)

    @classmethod
    def drip(cls, seconds: float = 1.0) -> Fault:
        """The real answer (status, headers, Content-Length), its body sent one byte every
        ``seconds`` (the sandbox clock in-process, real time when served)."""
        return cls(FaultKind.DRIP, seconds=seconds)

    @classmethod
    def deep_nesting(cls, depth: int = 100_000) -> Fault:
        """A 200 answer whose JSON body is arrays nested ``depth`` levels deep."""
        return cls(FaultKind.DEEP_NESTING, limit=depth)

    @classmethod
    def fresh_cursor_loop(cls) -> Fault:
        """The first page of the list, whatever cursor was asked for, with a next cursor
        never handed out before (``VendorSim.next_cursor_field``): fresh cursors, no new
        records. Use ``times=None``."""
        return cls(FaultKind.FRESH_CURSOR)

    @property
    def before_vendor(self) -> bool:
        """True when the fault replaces the vendor's answer entirely."""
        if self.kind in (
            FaultKind.TRUNCATE,
            FaultKind.MUTATE,
            FaultKind.LATENCY,
            FaultKind.DRIP,
            FaultKind.FRESH_CURSOR,
        ):
            return False
        return not self.processed

    @property
    def drops_connection(self) -> bool:
        """True when no HTTP answer is sent at all."""
        return self.kind in (FaultKind.RESET, FaultKind.HANG, FaultKind.CONNECT_TIMEOUT)


@attrs.define
class FaultRule:
    """A fault attached to a vendor and route; ``remaining`` None means persistent."""

    vendor: str
    route: str | None
    fault: Fault
    remaining: int | None
    after: int = 0
    fired: int = 0

    def matches(self, vendor: str, method: str, path: str, route_key: str | None) -> bool:
        """True when this rule covers the request (before counting ``after``)."""
        if vendor != self.vendor:
            return False
        if self.route is None:
            return True
        want_method, _, want_path = self.route.partition(" ")
        if want_method.upper() != method.upper():
            return False
        return want_path in ("", "*") or want_path == path or f"{method} {want_path}" == route_key


class FaultSet:
    """The sandbox's fault rules; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(
        self,
        vendor: str,
        route: str | None,
        fault: Fault,
        *,
        times: int | None = 1,
        after: int = 0,
    ) -> FaultRule:
        """Inject ``fault`` on ``vendor``'s ``route`` (``"GET /v1/expenses"``, None = any)
        for the next ``times`` matching requests (None = until cleared), after letting
        ``after`` matching requests through. Returns the rule (``rule.fired`` counts)."""
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        rule = FaultRule(vendor, route, fault, times, after)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self, vendor: str | None = None) -> None:
        """Remove every rule (or only ``vendor``'s)."""
        with self._lock:
            self._rules = [r for r in self._rules if vendor is not None and r.vendor != vendor]

    @property
    def rules(self) -> list[FaultRule]:
        """The active rules, in the order they are tried."""
        with self._lock:
            return list(self._rules)

    def take(self, vendor: str, method: str, path: str, route_key: str | None) -> Fault | None:
        """The fault to apply to this request, consuming one use of its rule."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(vendor, method, path, route_key):
                    continue
                if rule.after > 0:
                    rule.after -= 1
                    continue
                rule.fired += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                return rule.fault
        return None


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    "<h1>Bad Gateway</h1><p>The upstream server returned an invalid response.</p>"
    "<hr><address>sandbox-proxy</address></body></html>"
)


def html_response(status: int) -> SimResponse:
    """An HTML error page as a misconfigured proxy would send it."""
    return SimResponse(
        status=status,
        body=HTML_PAGE.encode(),
        headers={"content-type": "text/html; charset=utf-8"},
        injected=True,
    )


def truncated(response: SimResponse) -> SimResponse:
    """``response`` with its body cut in the middle."""
    cut = response.body[: max(1, len(response.body) // 2)] if response.body else b"{"
    return attrs.evolve(response, body=cut, injected=True)


def oversized_response(size: int, content_type: str | None = None) -> SimResponse:
    """A JSON object of exactly ``size`` bytes (one long string), produced a megabyte at a
    time so that the sandbox never holds it whole; with ``content_type``, ``size`` bytes of
    that type (a PDF header, then filler)."""
    head, tail = (b'{"padding":"', b'"}') if content_type is None else (b"%PDF-1.4\n", b"")
    filler = max(0, size - len(head) - len(tail))

    def chunks() -> Iterator[bytes]:
        yield head
        left = filler
        while left > 0:
            yield b"x" * min(MB, left)  # a new object each time, as a network's would be
            left -= MB
        yield tail

    return SimResponse(
        200,
        headers={"content-type": content_type or "application/json"},
        injected=True,
        chunks=chunks,
    )


_BOMB_BLOCK = MB  # zeros compressed per flushed block; the block's bytes are reused


@functools.lru_cache(maxsize=4)
def gzip_bomb_body(expanded: int) -> bytes:
    """A valid gzip member that decompresses to ``expanded`` bytes (``[``, spaces, ``]``:
    valid JSON if anything read it all), built in about a second for a gigabyte: a block
    of spaces is compressed once, after a full flush, and its bytes repeated (a full
    flush starts the compressor afresh, so every copy would compress to the same bytes).
    """
    blocks, rest = divmod(max(0, expanded - 2), _BOMB_BLOCK)
    spaces = b" " * _BOMB_BLOCK
    tail = b" " * rest + b"]"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = compressor.compress(b"[") + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    # The trailer (CRC-32 and size mod 2**32) must describe what the copies expand to.
    crc = zlib.crc32(b"[")
    for _ in range(blocks):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    size = (1 + blocks * _BOMB_BLOCK + len(tail)) & 0xFFFFFFFF
    trailer = crc.to_bytes(4, "little") + size.to_bytes(4, "little")
    return head + block * blocks + end[:-8] + trailer


def gzip_bomb_response(expanded: int) -> SimResponse:
    """A 200 JSON answer whose gzip body decompresses to ``expanded`` bytes."""
    return SimResponse(
        200,
        body=gzip_bomb_body(expanded),
        headers={"content-type": "application/json", "content-encoding": "gzip"},
        injected=True,
    )


def deep_nesting_response(depth: int) -> SimResponse:
    """A 200 JSON answer nested ``depth`` arrays deep."""
    return SimResponse(
        200,
        body=b"[" * depth + b"]" * depth,
        headers={"content-type": "application/json"},
        injected=True,
    )


def dripped(response: SimResponse, seconds: float) -> SimResponse:
    """``response`` sent one body byte every ``seconds``."""
    body = response.body

    def chunks() -> Iterator[bytes]:
        for index in range(len(body)):
            yield body[index : index + 1]

    return attrs.evolve(
        response,
        body=b"",
        chunks=chunks,
        drip=seconds,
        length=len(body),
        injected=True,
    )


def with_fresh_cursor(response: SimResponse, dotted: str, number: int) -> SimResponse:
    """``response`` (a first page) with its next cursor at ``dotted`` replaced by one never
    handed out before."""
    try:
        body = json.loads(response.body, parse_float=decimal.Decimal)
    except ValueError:
        return attrs.evolve(response, injected=True)
    found = _get_path(body, dotted) if isinstance(body, dict) else None
    if found is not None:
        found[0][found[1]] = f"sandbox-fresh-{number}"
    return attrs.evolve(response, body=dumps(body), injected=True)


def _get_path(record: dict[str, Any], dotted: str) -> tuple[dict[str, Any], str] | None:
    parts = dotted.split(".")
    node: Any = record
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict) and parts[-1] in node:
        return node, parts[-1]
    return None


def mutate_record(
    record: dict[str, Any],
    mutations: frozenset[str],
    *,
    enum_fields: tuple[str, ...],
    date_fields: tuple[str, ...],
    amount_fields: tuple[str, ...],
    protected_fields: tuple[str, ...],
    text_fields: tuple[str, ...] = (),
) -> None:
    """Alter one record in place as ``mutations`` asks (see ``Fault.mutate_records``)."""
    if "invalid_utf8" in mutations and text_fields:
        record[text_fields[0]] = _INVALID_MARK  # the bytes are put in once encoded
    if "long_amounts" in mutations:
        for name in amount_fields:
            found = _get_path(record, name)
            if found is None:
                continue
            value = found[0][found[1]]
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int):
                found[0][found[1]] = LONG_MINOR_UNITS
            elif isinstance(value, str):
                found[0][found[1]] = str(LONG_AMOUNT)
            else:
                found[0][found[1]] = LONG_AMOUNT
    if "unknown_enum" in mutations:
        for name in enum_fields:
            found = _get_path(record, name)
            if found and isinstance(found[0][found[1]], str):
                found[0][found[1]] = UNKNOWN_ENUM
    if "amount_as_string" in mutations:
        for name in amount_fields:
            found = _get_path(record, name)
            if found and isinstance(found[0][found[1]], int | float | decimal.Decimal):
                value = found[0][found[1]]
                if not isinstance(value, bool):
                    found[0][found[1]] = str(value)
    if "malformed_date" in mutations:
        for name in date_fields:
            found = _get_path(record, name)
            if found and isinstance(found[0][found[1]], str):
                found[0][found[1]] = MALFORMED_DATE
    if "extra_fields" in mutations:
        record["sandboxExtraField"] = {"addedBy": "sandbox", "values": [1, "two", None]}
    if "null_values" in mutations:
        for key in list(record):
            if key not in protected_fields and key != "sandboxExtraField":
                record[key] = None
    if "missing_optional" in mutations:
        for key in list(record):
            if key not in protected_fields:
                del record[key]


def mutated(response: SimResponse, fault: Fault, vendor: Any) -> SimResponse:
    """``response`` with the records in its JSON body altered by ``fault``; ``vendor``
    (a ``VendorSim``) says where the records are and which fields are which."""
    try:
        body = json.loads(response.body, parse_float=decimal.Decimal)
    except ValueError:
        return attrs.evolve(response, injected=True)
    count = 0
    for records in vendor.record_lists(body):
        if fault.edit is not None:
            fault.edit(records)
            continue
        for record in records:
            if fault.limit is not None and count >= fault.limit:
                break
            if isinstance(record, dict):
                mutate_record(
                    record,
                    fault.mutations,
                    enum_fields=vendor.enum_fields,
                    date_fields=vendor.date_fields,
                    amount_fields=vendor.amount_fields,
                    protected_fields=vendor.protected_fields,
                    text_fields=vendor.text_fields,
                )
                count += 1
    encoded = dumps(body).replace(_INVALID_MARK.encode(), INVALID_UTF8)
    return attrs.evolve(response, body=encoded, injected=True)
