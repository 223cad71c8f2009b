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
from collections.abc import AsyncIterator, Callable, Iterable, Iterator

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


class _Inflate:
    """Decompresses a zlib/gzip/raw-deflate stream fed to it chunk by chunk, in pieces of
    at most ``PIECE`` bytes.

    Concatenated gzip members are read one after another (as gzip itself does).
    ``fallback_wbits``: tried when the first bytes do not parse (``deflate`` is sent both
    zlib-wrapped and raw in the wild)."""

    def __init__(self, wbits: int, *, fallback_wbits: int | None) -> None:
        self._wbits = wbits
        self._fallback = fallback_wbits
        self._decoder = zlib.decompressobj(wbits)
        self._head = b""  # input fed before any output: replayed if the fallback is tried

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        for start in range(0, len(chunk), _INPUT_SLICE):
            data = chunk[start : start + _INPUT_SLICE]
            if self._fallback is not None:
                self._head += data
            while data:
                try:
                    out = self._decoder.decompress(data, PIECE)
                except zlib.error as exc:
                    if self._fallback is None:
                        raise BadEncoding(f"the body does not decompress: {exc}") from None
                    self._decoder, self._fallback = zlib.decompressobj(self._fallback), None
                    data, self._head = self._head, b""
                    continue
                if out:
                    self._fallback, self._head = None, b""  # the stream parsed: no going back
                    yield out
                if self._decoder.eof:
                    # Another gzip member may follow; anything else after the end is ignored.
                    data = self._decoder.unused_data
                    if data and self._wbits & 16:
                        self._decoder = zlib.decompressobj(self._wbits)
                        continue
                    data = b""
                else:
                    data = self._decoder.unconsumed_tail

    def end(self) -> Iterator[bytes]:
        while not self._decoder.eof:  # output still held back by the piece bound
            out = self._decoder.decompress(b"", PIECE)
            if not out:
                break
            yield out


class Decoder:
    """A body's ``Content-Encoding`` (a list, applied in order) undone on chunks fed to it
    one at a time (by a sync or an async loop), a bounded piece at a time. An encoding
    not asked for raises ``BadEncoding``."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        self._stages: list[_Inflate] = []
        # The sender applied them in order; undo the last one first.
        for coding in reversed(codings):
            if coding in ("identity", ""):
                continue
            if coding in ("gzip", "x-gzip"):
                self._stages.append(_Inflate(zlib.MAX_WBITS | 16, fallback_wbits=None))
            elif coding == "deflate":
                self._stages.append(_Inflate(zlib.MAX_WBITS, fallback_wbits=-zlib.MAX_WBITS))
            else:
                raise BadEncoding(
                    f"the body uses Content-Encoding {coding!r}, which was not asked for"
                )

    def _through(self, stage: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if stage == len(self._stages):
            yield from pieces
            return
        for piece in pieces:
            yield from self._through(stage + 1, self._stages[stage].feed(piece))

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded pieces ``chunk`` (the next raw bytes) completes."""
        return self._through(0, (chunk,))

    def end(self) -> Iterator[bytes]:
        """What the decoders still hold once the raw body has ended."""
        for stage, inflate in enumerate(self._stages):
            yield from self._through(stage + 1, inflate.end())


def decoded(chunks: Iterable[bytes], content_encoding: str | None) -> Iterator[bytes]:
    """``chunks`` (the raw body) decoded per ``Content-Encoding`` (see ``Decoder``)."""
    decoder = Decoder(content_encoding)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.end()


def already_read(response: httpx.Response) -> bytes | None:
    """The body of a response a transport built in memory (httpx.MockTransport, the
    sandbox's in-process transport): handed over already read and decoded. ``None`` for
    a response still to be streamed."""
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


class BoundedBody:
    """The bounds of one body, fed by a sync or an async chunk loop (``iter_bounded``,
    ``aiter_bounded``): decoded, counted after decoding against ``max_bytes``
    (``BodyTooLarge``), and the deadline checked after every piece (``DeadlinePassed``)."""

    def __init__(self, *, max_bytes: int, expired: Callable[[], bool]) -> None:
        self.max_bytes = max_bytes
        self._expired = expired
        self._total = 0
        self._decoder = Decoder(None)

    def start(self, response: httpx.Response) -> bytes | None:
        """The body of a response already in memory (size checked), else ``None``: the
        raw chunks are to be fed (a body announced larger than the bound is refused
        before a byte of it is read)."""
        ready = already_read(response)
        if ready is not None:  # only the size is left to check
            if len(ready) > self.max_bytes:
                raise BodyTooLarge(self.max_bytes, len(ready))
            return ready
        encoding = response.headers.get("content-encoding")
        announced = response.headers.get("content-length")
        if (
            not encoding
            and announced is not None
            and announced.isdigit()
            and int(announced) > self.max_bytes
        ):
            raise BodyTooLarge(self.max_bytes, int(announced), announced=True)
        self._decoder = Decoder(encoding)
        return None

    def _counted(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self._total += len(piece)
            if self._total > self.max_bytes:
                raise BodyTooLarge(self.max_bytes, self._total)
            yield piece
            self._check_deadline()

    def _check_deadline(self) -> None:
        if self._expired():
            raise DeadlinePassed("the response did not arrive in full before the deadline")

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The decoded pieces the raw ``chunk`` completes, within the bounds."""
        return self._counted(self._decoder.feed(raw))

    def end(self) -> Iterator[bytes]:
        """The last pieces, once the raw body has ended; the deadline checked once more."""
        yield from self._counted(self._decoder.end())
        self._check_deadline()


def read_bounded(
    response: httpx.Response,
    *,
    max_bytes: int,
    expired: Callable[[], bool],
) -> bytes:
    """The whole body of a streamed ``response``, decoded, or an exception: ``BodyTooLarge``
    past ``max_bytes`` (decoded bytes), ``BadEncoding``, or ``DeadlinePassed`` once
    ``expired()`` says the attempt's deadline has passed (checked after every piece)."""
    return b"".join(iter_bounded(response, max_bytes=max_bytes, expired=expired))


def iter_bounded(
    response: httpx.Response,
    *,
    max_bytes: int,
    expired: Callable[[], bool],
) -> Iterator[bytes]:
    """The body of ``response`` piece by piece, decoded, under the bounds of
    ``read_bounded`` (for a body written out as it arrives: a receipt download)."""
    body = BoundedBody(max_bytes=max_bytes, expired=expired)
    ready = body.start(response)
    if ready is not None:
        yield ready
        return
    for raw in response.iter_raw():
        yield from body.feed(raw)
    yield from body.end()


async def aiter_bounded(
    response: httpx.Response,
    *,
    max_bytes: int,
    expired: Callable[[], bool],
) -> AsyncIterator[bytes]:
    """``iter_bounded`` for a response of an ``httpx.AsyncClient``."""
    body = BoundedBody(max_bytes=max_bytes, expired=expired)
    ready = body.start(response)
    if ready is not None:
        yield ready
        return
    async for raw in response.aiter_raw():
        for piece in body.feed(raw):
            yield piece
    for piece in body.end():
        yield piece
