"""``HttpSession``: the one HTTP layer every adapter sends through (base URL and https,
auth, timeouts and a deadline per attempt, a response size bound counted after
decompression, pacing, retries, error mapping), small and replaceable (docs/http.md,
"Session"; the bounds: docs/limits.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import functools
import ipaddress
import logging
import re
import ssl
import sys
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

import attrs
import httpx

from expense_facade._http.error_mapping import (
    ATTEMPTS_EXTENSION,
    ErrorFormat,
    error_for_response,
)
from expense_facade._http.limits import (
    ACCEPT_ENCODING,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    BadEncoding,
    BodyRefused,
    BodyTooLarge,
    already_read,
    capped_timeout,
    iter_bounded,
)
from expense_facade._http.pacing import LONG_WAIT, TokenBucket
from expense_facade._http.redaction import (
    SECRET_HEADERS,
    get_logger,
    install_log_filter,
    redact,
    redact_headers,
    register_secret,
    strip_query,
)
from expense_facade._http.retry import RetryPolicy, default_timeout, is_idempotent
from expense_facade._http.stepping import Stepper
from expense_facade._wording import counted
from expense_facade.clock import Clock, SystemClock
from expense_facade.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    MalformedResponseError,
    ResponseTooLargeError,
)
from expense_facade.version import __version__

log = get_logger(__name__)

USER_AGENT = (
    # sys.version's first word is what platform.python_version() returns (importing
    # platform only for it would cost a few milliseconds of every program's start).
    f"expense-facade/{__version__} httpx/{httpx.__version__} python/{sys.version.split()[0]}"
)
"""The User-Agent of every request, so a vendor can tell the library and its versions."""

AuthHeaders = Callable[[], Mapping[str, str]]
"""Returns the auth headers for the next attempt (called per attempt: tokens may change)."""

RefreshAuth = Callable[[], bool]
"""Called once after a 401; returns True if the credential changed and a retry makes sense."""

Timeout = float | httpx.Timeout

Consume = Callable[[httpx.Response, Iterator[bytes]], None]
"""Takes a successful answer's body as it streams in, instead of the session reading it
(a receipt download): called once per attempt, with pieces already size- and
deadline-bounded; it may raise ``limits.BodyRefused`` on the answer's headers."""


@attrs.frozen(slots=True)
class RateLimit:
    """A vendor's documented request budget: ``requests`` per ``per_seconds``."""

    requests: int
    per_seconds: float

    def bucket(self, clock: Clock | None = None) -> TokenBucket:
        """A pacing bucket that never exceeds the budget in any window.

        Capacity 1 means no bursts: requests are spaced evenly at the documented rate, so
        a vendor counting in fixed or sliding windows never sees more than its limit.
        """
        return TokenBucket(rate=self.requests / self.per_seconds, capacity=1.0, clock=clock)


_REQUEST_IDS: ContextVar[list[str] | None] = ContextVar("expense_facade_request_ids", default=None)


@contextlib.contextmanager
def recording_request_ids(into: list[str]) -> Iterator[None]:
    """Append to ``into`` the vendor's request id of every answer a session receives in this
    context (threads of ``concurrency.ordered_map`` inherit it): a listing's pages."""
    token = _REQUEST_IDS.set(into)
    try:
        yield
    finally:
        _REQUEST_IDS.reset(token)


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110's token
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]*")


def check_extra_headers(headers: object) -> dict[str, str]:
    """``with_options(extra_headers=...)`` checked: text names and values, and no
    credential header (the client sets those; a second one would only leak)."""
    if not isinstance(headers, Mapping):
        raise ConfigurationError("extra_headers must be a mapping of header names to values")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ConfigurationError("extra_headers: names and values must be strings")
        if name.lower() in SECRET_HEADERS:
            raise ConfigurationError(
                f"extra_headers: {name} is the client's own credential header; pass the "
                "credential to connect() instead"
            )
        if not _HEADER_NAME.fullmatch(name) or not _HEADER_VALUE.fullmatch(value):
            raise ConfigurationError(
                f"extra_headers: {name[:40]!r} is not a valid header name and value (a token "
                "name; a value of printable ASCII without line breaks)"
            )
        checked[name] = value
    return checked


def is_loopback_host(host: str | None) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1."""
    if not host:
        return False
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str | httpx.URL, *, what: str = "base URL") -> httpx.URL:
    """``url`` parsed, if it is https, or http to a loopback address; else ConfigurationError.

    Credentials and receipts must never travel in clear text over a network.
    """
    try:
        parsed = httpx.URL(str(url))
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid {what}: {strip_query(url)}") from exc
    if not parsed.host:
        raise ConfigurationError(f"{what} must be absolute: {strip_query(url)}")
    if parsed.scheme == "https":
        return parsed
    if parsed.scheme == "http" and is_loopback_host(parsed.host):
        return parsed
    raise ConfigurationError(
        f"{what} must use https (plain http is allowed only to a loopback address): "
        f"{strip_query(url)}"
    )


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """The one certificate-verifying context every client uses: loading the CA bundle
    costs about 0.1 s and a megabyte per context, which thousands of accounts would each
    pay (docs/limits.md, "Accounts")."""
    return httpx.create_ssl_context()


@attrs.frozen(slots=True)
class Pause:
    """Effect: wait ``seconds`` on the session's clock (pacing, or a retry's backoff)."""

    seconds: float


@attrs.frozen(slots=True)
class Authorize:
    """Effect: the auth headers for the next attempt (``auth_headers()``, awaited in the
    async session when it returns an awaitable: a token fetched over the network)."""


@attrs.frozen(slots=True)
class Refresh:
    """Effect: ask for a fresh credential after a 401; the answer sent back is whether a
    retry makes sense (``RefreshAuth``)."""


@attrs.frozen(slots=True)
class Open:
    """Effect: send ``request`` with ``stream=True``; the answer sent back is the response
    with its headers (body not read yet)."""

    request: httpx.Request


@attrs.frozen(slots=True)
class Read:
    """Effect: read ``response``'s body within ``max_bytes`` and the deadline (``expired``)
    through ``limits``, then close it; the answer sent back is the body (``b""`` when
    ``hand_over``: the body went to the caller's ``consume`` instead)."""

    response: httpx.Response
    max_bytes: int
    expired: Callable[[], bool]
    hand_over: bool


Effect = Pause | Authorize | Refresh | Open | Read
"""What the send logic asks its driver to do; the driver sends back the result, or throws
in the exception the effect raised."""

Steps = Generator[Effect, Any, httpx.Response]

SendStepper = Stepper[Effect, httpx.Response]
"""The pump a driver runs ``SendLogic._steps`` with (``stepping.Stepper``)."""


ClientT = TypeVar("ClientT", httpx.Client, httpx.AsyncClient)
AuthT = TypeVar("AuthT")
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)
RefreshT = TypeVar("RefreshT")
ConsumeT = TypeVar("ConsumeT")
ResultT = TypeVar("ResultT")


class SendLogic(Generic[ClientT, TransportT, AuthT, RefreshT, ConsumeT, ResultT]):
    """Everything a session decides, written once for both drivers (docs/http.md, "One
    logic, two drivers"): ``_steps`` is a sans-IO generator (pacing, building each
    attempt, the bounds, the retry decision, one refresh after a 401, error mapping,
    logging, the vendor's clock and request ids) that yields ``Effect``s; a driver's
    ``_drive`` performs them: ``HttpSession`` with ``httpx.Client`` and blocking sleeps,
    ``AsyncHttpSession`` (``async_session.py``) with ``httpx.AsyncClient`` and ``await``
    (its ``send`` returns a coroutine). The type parameters are what differs between the
    two: the client, its transport, the auth and refresh callables, ``consume``, and
    ``send``'s result.

    ``base_url`` may be ``None`` for a session that only sends absolute URLs (the
    pre-signed client). ``auth_headers`` returns the auth headers for each attempt
    (``AuthHeaders``; the async session also takes one returning an awaitable);
    ``refresh_auth`` is called once after a 401 (``RefreshAuth``; awaited in the async
    session). A session made with ``shared_client`` sends through another's client (one
    connection pool) and leaves it open for its owner. Each attempt must end within
    ``deadline`` seconds and its body must not pass ``max_response_bytes``.
    """

    def __init__(
        self,
        vendor: str,
        *,
        base_url: str | None,
        auth_headers: AuthT | None = None,
        refresh_auth: RefreshT | None = None,
        error_format: ErrorFormat | None = None,
        timeout: httpx.Timeout | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limiter: TokenBucket | None = None,
        clock: Clock | None = None,
        transport: TransportT | None = None,
        default_headers: Mapping[str, str] | None = None,
        shared_client: ClientT | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        deadline: float = DEFAULT_DEADLINE,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        install_log_filter()  # also covers loggers created since the library was imported
        self.vendor = vendor
        self.base_url = str(require_secure_url(base_url)) if base_url is not None else None
        self.error_format = error_format or ErrorFormat()
        self.retry_policy = retry_policy or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.clock: Clock = clock or SystemClock()
        self.timeout = timeout or default_timeout()
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self.vendor_date: dt.datetime | None = None
        """The latest ``Date`` the vendor answered with: its own clock (None: none yet)."""
        self._auth_headers = auth_headers
        self._refresh_auth = refresh_auth
        self.extra_headers: Mapping[str, str] = dict(extra_headers or {})
        """The caller's own headers on every request (``with_options(extra_headers=)``)."""
        # Only the session that made the client closes it.
        self._owns_client = shared_client is None
        self._client: ClientT = shared_client or self._new_client(self._client_settings(transport))
        if self._owns_client:
            self._client._cookies = _SetCookies(self._client.cookies.jar)
        if default_headers and self._owns_client:
            self._client.headers.update(default_headers)
        self._last_date: str | None = None  # the Date header _note_date read last
        self._capped_default: tuple[tuple[Any, float], httpx.Timeout] | None = None

    def _new_client(self, settings: dict[str, Any]) -> ClientT:
        """The driver's own httpx client, made with ``settings``."""
        raise NotImplementedError

    @property
    def client(self) -> ClientT:
        """The httpx client (and connection pool) this session sends through."""
        return self._client

    def send(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        retry_safe: bool = False,
        timeout: Timeout | None = None,
        accept: Collection[int] = (),
        consume: ConsumeT | None = None,
        max_body_bytes: int | None = None,
    ) -> ResultT:
        """Send one logical request, retrying as the policy allows; the body is read
        (``await`` it on the async session).

        ``url`` is relative to the base URL (as generated ``_get_kwargs`` returns it) or
        absolute. ``retry_safe=True`` says the vendor de-duplicates this write, so it may
        be repeated after a timeout or a 5xx. ``accept`` lists error statuses returned
        instead of raised. The attempt count is in ``attempts_of(response)``. ``data`` may
        be a function, called for each attempt after its pacing or retry wait: for a form
        that must be fresh when it leaves (Revolut's signed client assertion).
        ``consume`` takes a successful answer's body as it streams (bounded by
        ``max_body_bytes``, default ``max_response_bytes``); the response returned then
        holds no body. The response returned is decoded (it has no ``Content-Encoding``).

        A cancellation (``asyncio.CancelledError``, a Ctrl-C) during an attempt closes
        its stream and propagates; a write that is not ``retry_safe`` is then never
        retried, and a warning (and a note on the exception) says the vendor may have
        done it.
        """
        steps = self._steps(
            method,
            url,
            params=params,
            json=json,
            content=content,
            data=data,
            files=files,
            headers=headers,
            retry_safe=retry_safe,
            timeout=timeout,
            accept=accept,
            consuming=consume is not None,
            max_body_bytes=max_body_bytes,
        )
        return self._drive(Stepper(steps), consume)

    def _drive(self, stepper: SendStepper, consume: ConsumeT | None) -> ResultT:
        """Perform the effects ``stepper`` yields until the request is done."""
        raise NotImplementedError

    def _client_settings(self, transport: object) -> dict[str, Any]:
        """The keyword arguments of the session's own ``httpx.Client``/``AsyncClient``."""
        return {
            "base_url": self.base_url or "",
            "timeout": self.timeout,
            "transport": transport,
            # No default Accept: binary endpoints (receipt content) must not be told JSON
            # only. Only the encodings decoded with a bound (see limits) are asked for.
            "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            "follow_redirects": False,  # a redirect could carry the auth header elsewhere
            "verify": shared_ssl_context(),
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} vendor={self.vendor!r} base_url={self.base_url!r}>"

    def _steps(
        self,
        method: str,
        url: str,
        *,
        params: Any,
        json: Any,
        content: bytes | str | None,
        data: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None,
        files: Any,
        headers: Mapping[str, str] | None,
        retry_safe: bool,
        timeout: Timeout | None,
        accept: Collection[int],
        consuming: bool,
        max_body_bytes: int | None,
    ) -> Steps:
        """One logical request as effects, retrying as the policy allows (``send``'s
        documentation is the drivers')."""
        method = method.upper()
        if self._client.is_closed:
            raise ClientClosedError(
                f"{self.vendor}: the client is closed (close() or the end of its with "
                "block); connect again to send more requests"
            )
        if self.base_url is None or url.startswith(("http://", "https://")):
            require_secure_url(url, what="URL")
        idempotent = is_idempotent(method, retry_safe=retry_safe)
        shown = _shown(method, url)
        refreshed = False
        attempt = 0
        capped = self._capped(timeout)
        target, query = self._target(url, params)
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                wait = self.rate_limiter.reserve()
                if wait > 0:
                    self._say_pacing(wait)
                    yield Pause(wait)
            auth = (yield Authorize()) if self._auth_headers is not None else None
            request = self._client.build_request(
                method,
                target,
                params=query,
                json=json,
                content=content,
                data=data() if callable(data) else data,
                files=files,
                headers=self._headers(auth, headers),
                # Always this session's own (a shared client carries its owner's default),
                # no phase longer than the whole attempt may take.
                timeout=capped,
            )
            try:
                response = yield from self._attempt(
                    request, shown, attempt, consuming=consuming, max_body_bytes=max_body_bytes
                )
            except httpx.TransportError as exc:
                decision = self.retry_policy.after_exception(
                    exc, idempotent=idempotent, attempt=attempt
                )
                if not decision.retry:
                    raise self._transport_error(exc, shown, attempt, decision.reason) from exc
                self._say_retry(shown, attempt, decision.delay, decision.reason)
                yield Pause(decision.delay)
                continue
            except (Exception, GeneratorExit):
                raise  # the typed errors of the attempt; or the driver dropped the steps
            except BaseException as exc:  # cancelled (asyncio) or interrupted mid-attempt
                if not idempotent:
                    self._say_unfinished_write(exc, shown)
                raise

            status = response.status_code
            request_id = self.error_format.request_id(response.headers)
            self._note_date(response.headers.get("date"))
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "%s: %s -> %d (request id %s, attempt %d)",
                    self.vendor,
                    shown,
                    status,
                    request_id or "-",
                    attempt,
                )
            if status < 400 or status in accept:
                response.extensions = {**response.extensions, ATTEMPTS_EXTENSION: attempt}
                self._record(request_id)
                return response
            if status == 401 and not refreshed and self._refresh_auth is not None:
                # One more try with a refreshed credential (e.g. a 40-minute access token
                # expired mid-listing); a second 401 is final.
                refreshed = True
                if (yield Refresh()):
                    log.info(
                        "%s: %s answered 401; retrying with refreshed auth", self.vendor, shown
                    )
                    continue
            decision = self.retry_policy.after_status(
                status,
                response.headers.get("retry-after"),
                idempotent=idempotent,
                attempt=attempt,
                now=self.clock.now(),
            )
            if not decision.retry:
                self._record(request_id)
                raise error_for_response(
                    response,
                    vendor=self.vendor,
                    error_format=self.error_format,
                    attempts=attempt,
                    retry_after=decision.retry_after,
                    note=_give_up_note(decision.reason, decision.retry_after, status),
                )
            self._say_retry(shown, attempt, decision.delay, decision.reason, request_id)
            yield Pause(decision.delay)

    def _capped(self, timeout: Timeout | None) -> httpx.Timeout:
        """``timeout`` (``None``: the session's) with no phase longer than the whole attempt
        may take; the session's own is made once (not per request) while it is unchanged."""
        if timeout is None:
            key = (self.timeout, self.deadline)
            if self._capped_default is None or self._capped_default[0] != key:
                self._capped_default = (key, self._capped(self.timeout))
            return self._capped_default[1]
        phases = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        return capped_timeout(phases, self.deadline)

    def _target(self, url: str, params: Any) -> tuple[httpx.URL | str, Any]:
        """``url`` and ``params`` as ``build_request`` merges them with the client's base
        URL, parsed once: it would parse the URL three times (the relative URL, the
        merged one, then again with the query), a third of building a request. A URL
        carrying a query or fragment of its own is left to httpx (it merges those)."""
        if "?" in url or "#" in url:
            return url, params
        if url.startswith(("http://", "https://")):
            return _with_query(url, params), None
        base = self._client.base_url
        if not base.is_absolute_url or "://" in url or url.startswith("//"):
            return url, params
        prefix = str(base)  # ends in "/" (httpx's rule), unless that is the whole path
        if not prefix.endswith("/"):
            prefix += "/"
        return _with_query(prefix + url.lstrip("/"), params), None

    def _attempt(
        self,
        request: httpx.Request,
        shown: str,
        attempt: int,
        *,
        consuming: bool,
        max_body_bytes: int | None,
    ) -> Generator[Effect, Any, httpx.Response]:
        """One attempt: the response with its body read within the size bound and the
        deadline (``limits.DeadlinePassed``, a read timeout, when it is not), or handed to
        the caller's ``consume`` when the answer is a success."""
        deadline_at = self.clock.monotonic() + self.deadline

        def expired() -> bool:
            return self.clock.monotonic() >= deadline_at

        streamed: httpx.Response = yield Open(request)
        in_memory = already_read(streamed) is not None
        hand_over = consuming and streamed.status_code < 400
        limit = self.max_response_bytes
        if hand_over and max_body_bytes:
            limit = max_body_bytes
        try:
            body: bytes = yield Read(streamed, limit, expired, hand_over=hand_over)
        except BodyTooLarge as exc:
            raise ResponseTooLargeError(
                f"{self.vendor}: {shown}: {exc}; stopped reading (the limit is "
                f"{'max_bytes=...' if consuming else 'connect(max_response_bytes=...)'})",
                vendor=self.vendor,
                status=streamed.status_code,
                request_id=self.error_format.request_id(streamed.headers),
                headers=redact_headers(streamed.headers),
                attempts=attempt,
                limit=exc.limit,
            ) from None
        except (BadEncoding, BodyRefused) as exc:
            raise MalformedResponseError(
                f"{self.vendor}: {shown}: {exc}",
                vendor=self.vendor,
                status=streamed.status_code,
                request_id=self.error_format.request_id(streamed.headers),
                headers=redact_headers(streamed.headers),
                attempts=attempt,
            ) from None
        if in_memory and not hand_over:
            return streamed  # it already describes the body it holds
        # The body is decoded now: the response describes it as it is.
        headers = [
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in _ENCODING_HEADERS
        ]
        extensions = {k: v for k, v in streamed.extensions.items() if k in _KEPT_EXTENSIONS}
        return httpx.Response(
            streamed.status_code,
            headers=headers,
            content=body,
            request=request,
            extensions=extensions,
        )

    def _note_date(self, header: str | None) -> None:
        """Keep the vendor's clock from its ``Date`` header (RFC 9110); an unreadable one
        is ignored (it only bounds the export's position, docs/export.md)."""
        if not header or len(header) > 64 or header == self._last_date:
            return  # a Date changes once a second: most answers repeat the last one read
        self._last_date = header
        try:
            stamp = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        if self.vendor_date is None or stamp > self.vendor_date:
            self.vendor_date = stamp

    @staticmethod
    def _record(request_id: str | None) -> None:
        recorder = _REQUEST_IDS.get()
        if recorder is not None and request_id:
            recorder.append(request_id)

    def _headers(
        self, auth: Mapping[str, str] | None, extra: Mapping[str, str] | None
    ) -> dict[str, str]:
        # The caller's extra headers first: the credential and the operation's own headers
        # (content type, idempotency key) are the protocol and win.
        headers: dict[str, str] = dict(self.extra_headers)
        if auth is not None:
            for name, value in auth.items():
                register_secret(value)  # so any echo of it (logs, error bodies) is removed
                _, _, token = value.partition(" ")
                register_secret(token)
                headers[name] = value
        if extra:
            headers.update(extra)
        return headers

    def _say_pacing(self, seconds: float) -> None:
        level = logging.WARNING if seconds >= LONG_WAIT else logging.DEBUG
        log.log(level, "%s: waiting %.1f s to stay under the rate limit", self.vendor, seconds)

    def _say_retry(
        self, shown: str, attempt: int, delay: float, reason: str, request_id: str | None = None
    ) -> None:
        log.warning(
            "%s: %s failed (%s%s); retry %d/%d in %.2f s",
            self.vendor,
            shown,
            reason,
            f", request id {request_id}" if request_id else "",
            attempt,
            self.retry_policy.max_retries,
            delay,
        )

    def _say_unfinished_write(self, exc: BaseException, shown: str) -> None:
        """A write that is not safe to repeat was stopped (an asyncio cancellation, a
        Ctrl-C) once its request may have left: it is not retried, and the caller is told
        the vendor may have done it (a log warning and a note on the exception)."""
        text = (
            f"{self.vendor}: {shown} was stopped ({type(exc).__name__}) after its request "
            "may have reached the vendor; not retried: the vendor may have done it"
        )
        log.warning("%s", text)
        exc.add_note(text)

    def _transport_error(
        self, exc: httpx.TransportError, shown: str, attempts: int, reason: str
    ) -> APIConnectionError:
        detail = redact(str(exc)) or type(exc).__name__
        kind = type(exc).__name__
        message = (
            f"{self.vendor}: {shown} failed after {counted(attempts, 'attempt')}: {kind}: {detail}"
        )
        if reason and reason not in ("no retries left", kind):
            message += f" (not retried: {reason})"
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        return cls(message, vendor=self.vendor, attempts=attempts)


class HttpSession(
    SendLogic[httpx.Client, httpx.BaseTransport, AuthHeaders, RefreshAuth, Consume, httpx.Response]
):
    """The sync driver of ``SendLogic``: one vendor session's ``httpx.Client``
    (thread-safe), effects performed in the calling thread."""

    def _new_client(self, settings: dict[str, Any]) -> httpx.Client:
        return httpx.Client(**settings)

    def close(self) -> None:
        """Close the connection pool, if this session made it (a session sharing another's
        client leaves it open for its owner)."""
        if self._owns_client:
            self._client.close()

    def _drive(self, stepper: SendStepper, consume: Consume | None) -> httpx.Response:
        while (effect := stepper.next()) is not None:
            stepper.settle(self._perform, effect, consume)
        return stepper.response()

    def _perform(self, effect: Effect, consume: Consume | None) -> Any:
        match effect:
            case Pause(seconds):
                self.clock.sleep(seconds)
                return None
            case Authorize():
                return self._auth_headers() if self._auth_headers is not None else None
            case Refresh():
                return self._refresh_auth is not None and self._refresh_auth()
            case Open(request):
                return self._client.send(request, stream=True)
        with contextlib.closing(effect.response):
            chunks = iter_bounded(
                effect.response, max_bytes=effect.max_bytes, expired=effect.expired
            )
            if not effect.hand_over or consume is None:
                return b"".join(chunks)
            consume(effect.response, chunks)
            return b""


class _SetCookies(httpx.Cookies):
    """httpx's cookie store of a session's client, looking at a response only when it sets
    a cookie: httpx copies every response and its request into urllib objects for
    ``http.cookiejar`` (about 50 us), which reads nothing but these two headers."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


_ENCODING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
_KEPT_EXTENSIONS = frozenset({"http_version", "reason_phrase"})


def _with_query(url: str, params: Any) -> httpx.URL:
    """``url`` (absolute, no query) with ``params`` as its query, parsed as one string:
    ``httpx.URL(url, params=...)`` checks a query given apart character by character in
    Python. A query of empty lists is still a ``?``, as httpx has it."""
    query = httpx.QueryParams(params) if params else None
    return httpx.URL(f"{url}?{query}" if query else url)


@functools.lru_cache(maxsize=1024)
def _shown(method: str, url: str) -> str:
    """A request as logs and errors name it: the method and the URL without its query
    (made once per URL: a listing sends the same few again and again)."""
    return f"{method} {strip_query(url)}"


def _give_up_note(reason: str, retry_after: float | None, status: int) -> str | None:
    if retry_after is not None and status in (429, 503):
        return f"the vendor asked to retry after {retry_after:g} s; {reason}"
    return None
