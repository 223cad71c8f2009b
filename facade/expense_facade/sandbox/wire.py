"""The sandbox's own request/response values (independent of httpx and ``http.server``, so
the same simulator code runs in-process and on loopback), its JSON encoder and
``Refusal`` (docs/sandbox.md, "Reference").
"""

from __future__ import annotations

import decimal
import json as _json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


class BadBody(ValueError):
    """The request body is not the JSON the route expects."""


@attrs.frozen
class SimRequest:
    """One request as a vendor simulator sees it.

    ``path`` is relative to the vendor's mount and starts with "/"; ``query`` keeps
    repeated keys and their order (``status[]=A&status[]=B``); ``headers`` has lower-cased
    names; ``url`` is the absolute URL as received (for building absolute URLs back).
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""
    url: str = "http://sandbox.invalid/"

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name``, or None when absent."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def params(self, name: str) -> list[str]:
        """Every value of query parameter ``name``, in order."""
        return [value for key, value in self.query if key == name]

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or None."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body parsed as JSON; raises ``BadBody`` when it is not valid JSON."""
        if not self.body:
            raise BadBody("empty body")
        try:
            return _json.loads(self.body.decode("utf-8"), parse_float=decimal.Decimal)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadBody(f"invalid JSON: {exc}") from None

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of the URL the request arrived at."""
        scheme, _, rest = self.url.partition("://")
        host = rest.split("/", 1)[0]
        return f"{scheme}://{host}"


@attrs.frozen
class SimResponse:
    """A simulator's answer. ``injected`` is True when it is wrong on purpose (a fault
    produced it, or a quirk a test switched on altered it), so conformance checks (response
    matches the spec) skip it.

    A streamed answer (a hostile fault) has ``chunks``: called once, it yields the body
    (``body`` is then empty), with ``drip`` seconds between chunks; ``length`` is the
    Content-Length announced (None: none, the body ends when the chunks do)."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    injected: bool = False
    chunks: Callable[[], Iterator[bytes]] | None = attrs.field(default=None, repr=False)
    drip: float = 0.0
    length: int | None = None


class RawJson(str):
    """JSON text written into a body as it is (the encoder does not quote or check it): how
    a test plants what a vendor may send and the encoder would never write, such as a lone
    surrogate escape (``RawJson('"expense_\\udc00x"')``) or a 5,000-digit number."""


class Refusal(Exception):
    """Raised by a simulator's request helper (a bad parameter, an unknown id) with the
    error answer to send; the router answers with ``response``. The one way a simulator
    stops a request early, so a handler reads as its happy path."""

    def __init__(self, response: SimResponse) -> None:
        super().__init__(f"refused with {response.status}")
        self.response = response


def _encode(obj: Any, out: list[str]) -> None:
    # A small hand-written encoder: the stdlib one cannot write a Decimal as a bare JSON
    # number, and amounts must come out exactly as their str (no float rounding).
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, RawJson):
        out.append(obj)
    elif isinstance(obj, str):
        out.append(_json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, int):
        out.append(str(int(obj)))
    elif isinstance(obj, decimal.Decimal):
        if not obj.is_finite():
            raise ValueError(f"cannot encode {obj!r} as JSON")
        out.append(str(obj))
    elif isinstance(obj, float):
        out.append(_json.dumps(obj))
    elif isinstance(obj, Mapping):
        out.append("{")
        first = True
        for key, value in obj.items():
            if not first:
                out.append(",")
            first = False
            out.append(_json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _encode(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            _encode(value, out)
        out.append("]")
    else:
        raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


def dumps(obj: Any) -> bytes:
    """Compact, deterministic JSON (key order as given); Decimals as exact JSON numbers."""
    out: list[str] = []
    _encode(obj, out)
    return "".join(out).encode("utf-8")


def json_response(status: int, obj: Any, headers: Mapping[str, str] | None = None) -> SimResponse:
    """A JSON response with ``Content-Type: application/json``."""
    merged = {"content-type": JSON_CONTENT_TYPE}
    if headers:
        merged.update({k.lower(): v for k, v in headers.items()})
    return SimResponse(status=status, body=dumps(obj), headers=merged)


def empty_response(status: int, headers: Mapping[str, str] | None = None) -> SimResponse:
    """A response without a body (e.g. an S3 PUT's 200)."""
    return SimResponse(status=status, body=b"", headers=dict(headers or {}))


def xml_response(status: int, text: str, headers: Mapping[str, str] | None = None) -> SimResponse:
    """An ``application/xml`` response (S3 speaks XML errors)."""
    merged = {"content-type": "application/xml"}
    if headers:
        merged.update({k.lower(): v for k, v in headers.items()})
    return SimResponse(status=status, body=text.encode("utf-8"), headers=merged)
