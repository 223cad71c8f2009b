"""Bounds on what a vendor's response may cost: size (after decompression) and time.

A response body is read as it streams in, decompressed here in bounded pieces (never a
whole gzip member at once), and counted after decompression: a body larger than
``max_bytes`` or one that expands past it (a gzip bomb) stops with
``ResponseTooLargeError`` while it streams, before it is all in memory. The whole
request, from connect to the last byte, must finish before its deadline; a body still
coming in then (a server dripping one byte a second) ends as a timeout, which the retry
policy treats like any other read timeout. docs/limits.md gives the numbers, the faults
they answer and how to change them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

import httpx

DEFAULT_MAX_RESPONSE_BYTES = 96 * 1024 * 1024
"""Largest response body accepted, counted after decompression (96 MiB).

Capture answers its whole Export queue in one body; the sandbox's queue of 100,000 rows
is 46.3 MB (about 460 bytes a row), so this leaves twice that. Every other vendor's
largest page is well under 1 MB."""

DEFAULT_DEADLINE = 300.0
"""Seconds one attempt may take from connect to last byte when no number is given as
``timeout`` (a number given as ``timeout`` is also the deadline)."""

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings asked for: the ones decoded here with a bound (not brotli or zstd)."""

PIECE = 64 * 1024
"""Most bytes one decompression step may produce, so a small compressed chunk that
expands a thousandfold is still handled a piece at a time."""


class BodyTooLarge(Exception):
    """The body passed ``limit`` bytes (after decompression); ``read`` bytes were read."""

    def __init__(self, limit: int, read: int, *, announced: bool = False) -> None:
        how = "announced" if announced else "read"
        super().__init__(f"the response body is larger than {limit} bytes ({read} {how})")
        self.limit = limit
        self.read = read


class BadEncoding(Exception):
    """The body does not decode with its ``Content-Encoding``."""


class BodyRefused(Exception):
    """The caller refused the body on its headers (a receipt that is not a PDF or an
    image); reading stopped there. Not retried: the same URL would answer the same."""


class DeadlinePassed(httpx.ReadTimeout):
    """The attempt's deadline passed while the body was still coming in (a read timeout
    for the retry policy: retried for reads, then ``APITimeoutError``)."""


def capped_timeout(timeout: httpx.Timeout, deadline: float) -> httpx.Timeout:
    """``timeout`` with no phase longer than the whole ``deadline``."""

    def cap(value: float | None) -> float:
        return deadline if value is None else min(value, deadline)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


_INPUT_SLICE = 16 * 1024
"""Compressed bytes handed to the decompressor at once: what it cannot expand yet is
copied back out on every step (``unconsumed_tail``), so that copy stays small."""


def _inflate(chunks: Iterable[bytes], wbits: int, *, fallback_wbits: int | None) -> Iterator[bytes]:
    """Decompress a zlib/gzip/raw-deflate stream in pieces of at most ``PIECE`` bytes.

    Concatenated gzip members are read one after another (as gzip itself does).
    ``fallback_wbits``: tried when the first bytes do not parse (``deflate`` is sent both
    zlib-wrapped and raw in the wild)."""
    decoder = zlib.decompressobj(wbits)
    head = b""  # input fed before any output: replayed if the fallback is tried
    for chunk in chunks:
        for start in range(0, len(chunk), _INPUT_SLICE):
            data = chunk[start : start + _INPUT_SLICE]
            if fallback_wbits is not None:
                head += data
            while data:
                try:
                    out = decoder.decompress(data, PIECE)
                except zlib.error as exc:
                    if fallback_wbits is None:
                        raise BadEncoding(f"the body does not decompress: {exc}") from None
                    decoder, fallback_wbits = zlib.decompressobj(fallback_wbits), None
                    data, head = head, b""
                    continue
                if out:
                    fallback_wbits, head = None, b""  # the stream parsed: no going back
                    yield out
                if decoder.eof:
                    # Another gzip member may follow; anything else after the end is ignored.
                    data = decoder.unused_data
                    if data and wbits & 16:
                        decoder = zlib.decompressobj(wbits)
                        continue
                    data = b""
                else:
                    data = decoder.unconsumed_tail
    while not decoder.eof:  # output still held back by the piece bound
        out = decoder.decompress(b"", PIECE)
        if not out:
            break
        yield out


def decoded(chunks: Iterable[bytes], content_encoding: str | None) -> Iterator[bytes]:
    """``chunks`` (the raw body) decoded per ``Content-Encoding`` (a list, applied in
    order), a bounded piece at a time. An encoding not asked for raises ``BadEncoding``."""
    stream: Iterable[bytes] = chunks
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    # The sender applied them in order; undo the last one first.
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            stream = _inflate(stream, zlib.MAX_WBITS | 16, fallback_wbits=None)
        elif coding == "deflate":
            stream = _inflate(stream, zlib.MAX_WBITS, fallback_wbits=-zlib.MAX_WBITS)
        else:
            raise BadEncoding(f"the body uses Content-Encoding {coding!r}, which was not asked for")
    return iter(stream)


def already_read(response: httpx.Response) -> bytes | None:
    """The body of a response a transport built in memory (httpx.MockTransport, the
    sandbox's in-process transport): handed over already read and decoded. ``None`` for
    a response still to be streamed."""
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def read_bounded(
    response: httpx.Response,
    *,
    max_bytes: int,
    expired: Callable[[], bool],
) -> bytes:
    """The whole body of a streamed ``response``, decoded, or an exception: ``BodyTooLarge``
    past ``max_bytes`` (decoded bytes), ``BadEncoding``, or ``DeadlinePassed`` once
    ``expired()`` says the attempt's deadline has passed (checked after every chunk)."""
    ready = already_read(response)
    if ready is not None:  # only the size is left to check
        if len(ready) > max_bytes:
            raise BodyTooLarge(max_bytes, len(ready))
        return ready
    return b"".join(iter_bounded(response, max_bytes=max_bytes, expired=expired))


def iter_bounded(
    response: httpx.Response,
    *,
    max_bytes: int,
    expired: Callable[[], bool],
) -> Iterator[bytes]:
    """The body of ``response`` piece by piece, decoded, under the bounds of
    ``read_bounded`` (for a body written out as it arrives: a receipt download)."""
    ready = already_read(response)
    if ready is not None:
        if len(ready) > max_bytes:
            raise BodyTooLarge(max_bytes, len(ready))
        yield ready
        return
    encoding = response.headers.get("content-encoding")
    announced = response.headers.get("content-length")
    if (
        not encoding
        and announced is not None
        and announced.isdigit()
        and int(announced) > max_bytes
    ):  # refused before a byte of the body is read
        raise BodyTooLarge(max_bytes, int(announced), announced=True)
    total = 0
    for piece in decoded(response.iter_raw(), encoding):
        total += len(piece)
        if total > max_bytes:
            raise BodyTooLarge(max_bytes, total)
        yield piece
        if expired():
            raise DeadlinePassed("the response did not arrive in full before the deadline")
    if expired():
        raise DeadlinePassed("the response did not arrive in full before the deadline")
