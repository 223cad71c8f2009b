"""The HTTP layer's bounds (issue 12): bounded decoding of gzip/deflate bodies, the size
bound counted after decompression, the deadline and the timeouts capped by it, connect()'s
settings, and error excerpts cut before they are redacted."""

from __future__ import annotations

import gzip
import math
import zlib
from typing import Any

import expense_facade as ef
import httpx
import pytest
from expense_facade._http import redaction
from expense_facade._http.limits import (
    DEFAULT_DEADLINE,
    PIECE,
    BadEncoding,
    BodyTooLarge,
    capped_timeout,
    decoded,
    read_bounded,
)
from expense_facade._http.redaction import REDACTED, excerpt, register_secret
from expense_facade.sandbox.faults import gzip_bomb_body
from support.sandbox import connecting, make

TEXT = b'{"items": [' + b'{"id": "x"},' * 5000 + b"{}]}"


def _pieces(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


@pytest.mark.parametrize("chunk", [1, 7, 4096, len(TEXT)])
@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda b: zlib.compressobj(9, zlib.DEFLATED, -15).compress(b) + b""),
        ("identity", lambda b: b),
        (None, lambda b: b),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw", "identity", "none"],
)
def test_bodies_decode_the_same_in_bounded_pieces(
    encoding: str | None, encode: Any, chunk: int
) -> None:
    body = encode(TEXT)
    if encoding == "deflate" and body[:1] != b"x":  # the raw variant needs its flush
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = compressor.compress(TEXT) + compressor.flush()
    out = list(decoded(_pieces(body, chunk), encoding))
    assert b"".join(out) == TEXT
    if encoding in ("gzip", "deflate"):
        assert max(len(piece) for piece in out) <= PIECE


def test_two_gzip_members_and_two_encodings_in_a_row_decode() -> None:
    assert b"".join(decoded([gzip.compress(b"ab") + gzip.compress(b"cd")], "gzip")) == b"abcd"
    twice = gzip.compress(zlib.compress(TEXT))
    assert b"".join(decoded([twice], "deflate, gzip")) == TEXT


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
def test_an_encoding_not_asked_for_is_refused(encoding: str) -> None:
    with pytest.raises(BadEncoding, match=encoding):
        list(decoded([b"abc"], encoding))


def test_a_corrupt_gzip_body_is_refused() -> None:
    with pytest.raises(BadEncoding, match="does not decompress"):
        list(decoded([b"\x1f\x8b" + b"garbage" * 10], "gzip"))


def _streamed(body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))


def test_the_size_bound_counts_decompressed_bytes_and_stops_early() -> None:
    bomb = gzip_bomb_body(64 * 1024 * 1024)
    response = _streamed(bomb, {"content-encoding": "gzip"})
    with pytest.raises(BodyTooLarge) as caught:
        read_bounded(response, max_bytes=1024 * 1024, expired=lambda: False)
    assert caught.value.limit == 1024 * 1024
    assert 1024 * 1024 < caught.value.read <= 1024 * 1024 + PIECE  # stopped in the piece


def test_a_body_within_the_bound_is_returned_decoded() -> None:
    response = _streamed(gzip.compress(TEXT), {"content-encoding": "gzip"})
    assert read_bounded(response, max_bytes=len(TEXT), expired=lambda: False) == TEXT


def test_a_read_body_is_only_measured() -> None:
    ready = httpx.Response(200, content=b"x" * 10)  # a MockTransport's kind of response
    assert read_bounded(ready, max_bytes=10, expired=lambda: False) == b"x" * 10
    with pytest.raises(BodyTooLarge):
        read_bounded(httpx.Response(200, content=b"x" * 11), max_bytes=10, expired=lambda: False)


def test_the_deadline_is_checked_after_every_chunk() -> None:
    calls = iter([False, False, True])
    response = httpx.Response(200, stream=httpx.ByteStream(b"abc"))
    # One chunk here (a ByteStream), so: checked after it, and true at the third check.
    with pytest.raises(httpx.ReadTimeout, match="deadline"):
        read_bounded(response, max_bytes=100, expired=lambda: next(calls) or next(calls))


def test_no_phase_may_wait_longer_than_the_deadline() -> None:
    capped = capped_timeout(httpx.Timeout(60.0, connect=10.0, pool=None), 5.0)
    assert (capped.connect, capped.read, capped.write, capped.pool) == (5.0, 5.0, 5.0, 5.0)
    kept = capped_timeout(httpx.Timeout(2.0), 5.0)
    assert (kept.connect, kept.read, kept.write, kept.pool) == (2.0, 2.0, 2.0, 2.0)


def test_connect_takes_the_deadline_from_a_number_given_as_timeout(driver: str) -> None:
    sb = make("brex", size=10)
    open_client = connecting(driver)  # aconnect's session takes the same bounds
    with open_client("brex", sandbox=sb, timeout=10) as client:
        assert client._http.deadline == 10.0
    with open_client("brex", sandbox=sb, timeout=httpx.Timeout(30.0)) as client:
        assert client._http.deadline == DEFAULT_DEADLINE
    with open_client("brex", sandbox=sb, timeout=10, deadline=25) as client:
        assert client._http.deadline == 25.0
    with open_client("brex", sandbox=sb, max_response_bytes=1000) as client:
        assert client._http.max_response_bytes == 1000


@pytest.mark.parametrize(
    "settings",
    [
        {"timeout": math.nan},
        {"timeout": math.inf},
        {"timeout": -1},
        {"deadline": math.nan},
        {"deadline": math.inf},
        {"deadline": 0},
        {"deadline": "10"},
        {"max_response_bytes": 0},
        {"max_response_bytes": True},
        {"max_response_bytes": 1.5},
    ],
)
def test_connect_refuses_bounds_that_bound_nothing(settings: dict[str, Any], driver: str) -> None:
    with pytest.raises(ef.ConfigurationError):
        connecting(driver)("brex", sandbox=make("brex", size=10), **settings)


def test_the_session_asks_only_for_encodings_it_decodes_with_a_bound(driver: str) -> None:
    sb = make("brex", size=10)
    with connecting(driver)("brex", sandbox=sb) as client:
        list(client.list_approved())
    assert {r.headers.get("accept-encoding") for r in sb.requests} == {"gzip, deflate"}


# ---- error excerpts ---------------------------------------------------------------------------


def test_an_excerpt_redacts_only_the_head_of_a_huge_body(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = redaction.redact

    def measuring(text: str) -> str:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(redaction, "redact", measuring)
    body = b"Bearer abcdefghijklmnop " + b"x" * (50 * 1024 * 1024)
    shown = excerpt(body, limit=300)
    assert len(shown) <= 300
    assert "abcdefghijklmnop" not in shown
    assert f"Bearer {REDACTED}" in shown
    assert seen
    assert max(seen) < 10_000  # the head only, never the 50 MB


def test_a_secret_cut_by_the_window_leaves_nothing_of_itself() -> None:
    secret = "sk_live_" + "Q" * 60
    register_secret(secret)
    for start in range(0, 3000, 7):  # the secret at every position around the window's end
        body = ("a" * start + secret + "b" * 5000).encode()
        shown = excerpt(body, limit=300)
        assert "sk_live" not in shown
        assert "QQQQ" not in shown
        assert len(shown) <= 300


def test_a_short_body_is_shown_whole_and_redacted() -> None:
    register_secret("tok_shortbody_secret")
    assert excerpt(b'{"error": "bad tok_shortbody_secret"}') == f'{{"error": "bad {REDACTED}"}}'
