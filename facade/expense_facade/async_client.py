"""``AsyncExpenseClient``: the five operations and ``download_receipt`` for asyncio, made by
``expense_facade.aconnect``. It runs the very steps the vendor's adapter writes for
``ExpenseClient`` (``expense_facade.steps``), awaiting ``AsyncHttpSession`` where the sync
client blocks; checks, mapping, paging, errors, retries and pacing are the adapter's and
the HTTP layer's, once (docs/adapter_guide.md, "One logic, two drivers"; use:
docs/library.md, "Async").
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, cast

import attrs
import httpx

from expense_facade._http.async_session import AsyncHttpSession, AsyncPresignedClient, SharedRefresh
from expense_facade._http.concurrency import aordered_map
from expense_facade._http.redaction import get_logger
from expense_facade._http.session import recording_request_ids
from expense_facade.client import ExpenseClient, _downloaded, _require_id, request_arguments
from expense_facade.listing import AnyPage, PageBook, read_page, without_known
from expense_facade.operations import Operation
from expense_facade.steps import (
    Call,
    Concurrently,
    Download,
    Effect,
    Emit,
    PresignedGet,
    PresignedPut,
    Send,
    Step,
    Stepper,
    confirming,
    emitted_outside_listing,
)

if TYPE_CHECKING:
    import datetime as dt

    from expense_facade import records
    from expense_facade.listing import Page

log = get_logger(__name__)

R = TypeVar("R")
T = TypeVar("T")
P = ParamSpec("P")

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def _like(
    sync: Callable[Concatenate[ExpenseClient, P], Any],
) -> Callable[[Callable[..., R]], Callable[Concatenate[Any, P], R]]:
    """The decorated method, typed and shown (``help``, ``inspect``) with the parameters
    of ``sync``, the ``ExpenseClient`` method it mirrors: one list of parameters, checked
    by ``_bound`` as a call would check it."""

    def typed(method: Callable[..., R]) -> Callable[Concatenate[Any, P], R]:
        method.__signature__ = _signature(sync)  # type: ignore[attr-defined]
        return method

    return typed


@functools.cache
def _signature(method: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(method)


def _bound(
    sync: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The arguments of a call mirroring ``sync`` by name, its defaults filled in (without
    ``self``); a ``TypeError`` as for a call with wrong arguments."""
    bound = _signature(sync).bind(None, *args, **kwargs)
    bound.apply_defaults()
    given = dict(bound.arguments)
    del given["self"]
    return given


class AsyncListing(PageBook):
    """``Listing`` for ``async for``: an async iterable of ``Expense`` over all pages,
    lazy and single-use; ``pages()`` page by page; ``malformed``, ``pages_read``,
    ``records_read`` and ``request_ids`` as on ``Listing``."""

    _source: AsyncIterator[AnyPage]

    def pages(self) -> AsyncIterator[Page]:
        """The listing page by page."""
        self._start()
        return self._pages()

    async def _pages(self) -> AsyncIterator[Page]:
        try:
            async for page in self._source:
                yield self._take(page)
        finally:
            await self._source.aclose()  # type: ignore[attr-defined]  # an async generator

    async def __aiter__(self) -> AsyncIterator[records.Expense]:
        self._start()
        try:
            async for page in self._source:
                for expense in self._records(page):
                    yield expense
        finally:
            await self._source.aclose()  # type: ignore[attr-defined]  # an async generator

    async def aclose(self) -> None:
        """Stop the listing now (no further request); ``async for`` with ``break`` leaves
        it to the garbage collector otherwise."""
        await self._source.aclose()  # type: ignore[attr-defined]


async def ordered_results(
    fn: Callable[[T], Awaitable[R]], items: Iterable[T], *, limit: int
) -> list[R]:
    """``aordered_map``'s results as a list: ``fn`` over ``items``, at most ``limit`` at
    once, in input order; the first failure raised in its turn, the tasks not finished
    then cancelled and awaited."""
    return [result async for result in aordered_map(fn, items, concurrency=limit)]


class _Result(Generic[R]):
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: R | None = None


class AsyncExpenseClient:
    """A session with one vendor account for asyncio: the operations of
    ``ExpenseClient``, awaited (``list_approved`` is iterated with ``async for``).

    Use ``expense_facade.aconnect(...)`` to build one; use it with ``async with`` or
    ``await client.aclose()``. ``capabilities`` and ``UnsupportedOperation`` are the
    sync client's.
    """

    def __init__(self, logic: ExpenseClient, *, auth_lock: asyncio.Lock | None = None) -> None:
        self._logic = logic
        settings = logic._settings
        self.vendor: str = logic.vendor
        self.capabilities: frozenset[Operation] = logic.capabilities
        self.account: str = logic.account
        self.base_url: str = logic.base_url
        self.concurrency: int = logic.concurrency
        self.max_upload_bytes: int = logic.max_upload_bytes  # the largest receipt accepted
        # One lock per credential, shared by the clients with_options derives: concurrent
        # tasks that find the credential due (Revolut's token) make one refresh.
        self._auth_lock = auth_lock or asyncio.Lock()
        self._http = self._new_session(auth=True)
        self._plain: AsyncHttpSession | None = None  # no vendor auth (Revolut's token call)
        self._presigned: AsyncPresignedClient | None = None
        self._settings = settings

    def _new_session(self, *, auth: bool) -> AsyncHttpSession:
        logic, settings = self._logic, self._logic._settings
        return AsyncHttpSession(
            logic.vendor,
            base_url=settings.base_url,
            auth_headers=self._auth_headers if auth else None,
            refresh_auth=SharedRefresh(self._refresh_auth) if auth else None,
            error_format=logic.error_format,
            timeout=settings.timeout,
            retry_policy=settings.retry_policy,
            rate_limiter=settings.rate_limiter,
            clock=settings.clock,
            transport=settings.async_transport,
            shared_client=settings.shared_async_client if auth else None,
            max_response_bytes=settings.max_response_bytes,
            deadline=settings.deadline,
            extra_headers=settings.extra_headers,
        )

    # ---- what the sync client has too -------------------------------------------------------
    @property
    def vendor_time(self) -> dt.datetime | None:
        """The vendor's own clock: the latest ``Date`` it answered with."""
        return self._http.vendor_date

    def credential_fingerprint(self, key: bytes) -> str:
        """``ExpenseClient.credential_fingerprint``."""
        return self._logic.credential_fingerprint(key)

    def card_transaction_problems(self, tx: records.CardTransaction) -> list[Any]:
        """``ExpenseClient.card_transaction_problems`` (sends nothing)."""
        return self._logic.card_transaction_problems(tx)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} vendor={self.vendor!r} account={self.account!r}>"

    # ---- the operations ----------------------------------------------------------------------
    async def check_access(self) -> None:
        """``ExpenseClient.check_access``, awaited."""
        await self._run(self._logic._check_access_steps())

    @_like(ExpenseClient.list_approved)
    def list_approved(self, *args: Any, **kwargs: Any) -> AsyncListing:
        """``ExpenseClient.list_approved`` for ``async for``; ``read_ahead`` pages are
        fetched by a task ahead of the consumer."""
        given = _bound(ExpenseClient.list_approved, args, kwargs)
        strict = given["strict"]
        checked = self._logic._listing_arguments(
            given["since"], given["page_size"], strict, given["read_ahead"], given["known"]
        )
        request_ids: list[str] = []
        step = self._logic._approved_steps(checked.since, checked.page_size, checked.known)
        pages = self._recorded(self._known_left_out(self._pages(step), checked.known), request_ids)
        if checked.read_ahead:
            pages = _read_ahead(pages, checked.read_ahead)
        return AsyncListing(self.vendor, pages, strict=strict, request_ids=request_ids)

    async def get_expense(self, expense_id: str) -> records.Expense:
        """``ExpenseClient.get_expense``, awaited."""
        self._logic._require(Operation.GET_EXPENSE)
        return await self._run(
            self._logic._get_expense_steps(_require_id(expense_id, "expense_id"))
        )

    @_like(ExpenseClient.get_expenses)
    async def get_expenses(self, *args: Any, **kwargs: Any) -> list[records.Expense]:
        """Expenses by id, in the order given, with up to ``concurrency`` requests at once
        (``ExpenseClient.get_expenses``; here the whole list, awaited). The first error is
        raised in its turn; requests not yet sent are then not sent."""
        given = _bound(ExpenseClient.get_expenses, args, kwargs)
        concurrency = given["concurrency"]
        ids = self._logic._ids_arguments(given["ids"], concurrency)

        async def one(expense_id: str) -> records.Expense:
            return await self._run(self._logic._get_expense_steps(_require_id(expense_id, "ids")))

        return await ordered_results(one, ids, limit=concurrency)

    async def mark_exported(
        self,
        expenses_or_ids: Iterable[records.Expense | str],
        *,
        on_confirmed: Callable[[records.MarkExportedResult], object] | None = None,
    ) -> records.MarkExportedResult:
        """``ExpenseClient.mark_exported``, awaited. Cancelled, it lets the status update
        already sent finish, hands its outcomes to ``on_confirmed`` (as every confirmed
        update's), sends none after, and raises ``CancelledError`` (docs/library.md,
        "Async", "Cancelling a write")."""
        from expense_facade.records import MarkExportedResult

        items = self._logic._mark_arguments(expenses_or_ids)
        if not items:
            return MarkExportedResult(outcomes=())
        return await self._run(confirming(self._logic._mark_exported_steps(items), on_confirmed))

    @_like(ExpenseClient.upload_receipt)
    async def upload_receipt(self, *args: Any, **kwargs: Any) -> records.ReceiptUpload:
        """``ExpenseClient.upload_receipt``, awaited (the file is read in a thread)."""
        given = _bound(ExpenseClient.upload_receipt, args, kwargs)
        upload, target = await asyncio.to_thread(self._logic._upload_arguments, **given)
        return await self._run(self._logic._upload_receipt_steps(upload, target))

    @_like(ExpenseClient.download_receipt)
    async def download_receipt(self, *args: Any, **kwargs: Any) -> records.ReceiptDownload:
        """``ExpenseClient.download_receipt``, awaited (the file is moved into place in a
        thread; cancelled, nothing reaches ``dest``)."""
        given = _bound(ExpenseClient.download_receipt, args, kwargs)
        expense_id, receipt_id, target = self._logic._download_arguments(**given)
        try:
            refreshes = await self._run(
                self._logic._download_receipt_steps(expense_id, receipt_id, target)
            )
            written = await target.acommit()
        except BaseException:
            target.discard()
            raise
        return _downloaded(expense_id, receipt_id, written, refreshes)

    async def post_card_transaction(
        self, tx: records.CardTransaction
    ) -> records.CardTransactionResult:
        """``ExpenseClient.post_card_transaction``, awaited. Cancelled, the POST already
        sent finishes first (the vendor de-duplicates on the transaction id, so posting it
        again answers ``duplicate=True`` if it got through)."""
        tx = self._logic._card_transaction_argument(tx)
        return await self._run(self._logic._post_card_transaction_steps(tx))

    # ---- options and lifecycle -------------------------------------------------------------
    @_like(ExpenseClient.with_options)
    def with_options(self, *args: Any, **kwargs: Any) -> AsyncExpenseClient:
        """``ExpenseClient.with_options``: this client with other per-request options,
        sharing its connection pool, account, credentials and rate-limit budget."""
        given = _bound(ExpenseClient.with_options, args, kwargs)
        settings = self._logic._optioned_settings(**given)
        settings = attrs.evolve(settings, shared_async_client=self._http.client)
        return type(self)(type(self._logic)(settings), auth_lock=self._auth_lock)

    async def aclose(self) -> None:
        """Close the HTTP connections (the client cannot be used afterwards); a client made
        by ``with_options`` leaves the shared connection to the client it came from."""
        await self._http.aclose()
        if self._plain is not None:
            await self._plain.aclose()
        if self._presigned is not None:
            await self._presigned.aclose()
        self._logic.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ---- the async driver of steps ---------------------------------------------------------
    async def _run(self, step: Step[R]) -> R:
        """Run an operation's step (which must not emit pages); its value."""
        result: _Result[R] = _Result()
        async for _page in self._drive(step, result):
            raise emitted_outside_listing()
        return result.value  # type: ignore[return-value]  # set once the step returned

    def _pages(self, step: Step[None]) -> AsyncIterator[AnyPage]:
        return self._drive(step, _Result())

    async def _drive(self, step: Step[R], result: _Result[R]) -> AsyncIterator[AnyPage]:
        """The async driver: each effect awaited, pages emitted yielded, the step's value
        left in ``result``. Exceptions are raised into the step at its ``yield``;
        ``CancelledError`` is not (the step is closed, its ``finally`` blocks run)."""
        stepper = Stepper(step)
        streams: list[AsyncGenerator[Any, None]] = []  # streamed fan-outs of this step
        try:
            while (effect := stepper.next()) is not None:
                if isinstance(effect, Emit):
                    yield effect.page
                    continue
                if isinstance(effect, Concurrently) and effect.streamed:
                    stepper.answer(self._streamed(effect, streams))
                    continue
                try:
                    await stepper.asettle(self._perform(effect))
                except asyncio.CancelledError as cancelled:
                    _take_answer_then_stop(stepper, cancelled)
                    raise
            result.value = stepper.result
        finally:
            stepper.close()
            for stream in streams:  # its tasks not consumed are cancelled and awaited
                await stream.aclose()

    def _streamed(
        self, effect: Concurrently, streams: list[AsyncGenerator[Any, None]]
    ) -> list[Step[Any]]:
        """A streamed ``Concurrently``'s answer: one step per sub-step, each awaiting the
        fan-out's next result (``_Next``), so the step takes each as it comes in."""
        steps = list(effect.steps)  # generators not started: one pending result each
        limit = self.concurrency if effect.limit is None else effect.limit
        results = aordered_map(self._run, steps, concurrency=limit)
        streams.append(results)
        return [_next_of(results) for _ in steps]

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Send):  # a Call too
            try:
                response = await self._write_safe(effect.op_kwargs, self._send(effect))
            except asyncio.CancelledError as cancelled:
                answered = getattr(cancelled, _ANSWERED, None)
                if isinstance(answered, httpx.Response):  # the write completed
                    try:
                        setattr(cancelled, _ANSWERED, _Decoded(self._answer(effect, answered)))
                    except Exception:
                        delattr(cancelled, _ANSWERED)  # undecodable: the step cannot read it
                raise
            return self._answer(effect, response)
        if isinstance(effect, _Next):
            return await anext(effect.results)
        if isinstance(effect, Concurrently):
            limit = self.concurrency if effect.limit is None else effect.limit
            return await ordered_results(self._run, effect.steps, limit=limit)
        if isinstance(effect, Download):
            op_kwargs = effect.op_kwargs
            return await self._http.send(
                op_kwargs["method"],
                op_kwargs["url"],
                params=op_kwargs.get("params"),
                consume=effect.target.aconsume,
                max_body_bytes=effect.target.max_bytes,
            )
        if isinstance(effect, PresignedPut):
            put = self._presigned_client().put(effect.url, effect.upload)
            return await self._write_safe({"method": "PUT", "url": "(pre-signed)"}, put)
        if isinstance(effect, PresignedGet):
            return await self._presigned_client().get(effect.url, effect.target)
        raise TypeError(f"not an effect a step may yield here: {effect!r}")

    def _answer(self, effect: Send, response: httpx.Response) -> Any:
        """What a step gets back for ``effect``: a ``Call``'s body decoded, else the response."""
        if isinstance(effect, Call):
            return self._logic._decoded(response, effect.unwrap)
        return response

    async def _send(self, effect: Send) -> httpx.Response:
        session = self._http if effect.auth else self._plain_session()
        return await session.send(
            **request_arguments(effect.op_kwargs),
            retry_safe=effect.retry_safe,
            timeout=effect.timeout,
            accept=effect.accept,
        )

    async def _write_safe(
        self, op_kwargs: Mapping[str, Any], sending: Awaitable[httpx.Response]
    ) -> httpx.Response:
        """Await ``sending``; for a write, a cancellation waits for its answer first (the
        request is never left half-sent or unanswered), logs it, then propagates."""
        if str(op_kwargs.get("method", "GET")).upper() in _READS:
            return await sending
        task = asyncio.ensure_future(sending)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError as cancelled:
            while not task.done():
                try:
                    await asyncio.shield(task)
                except asyncio.CancelledError:
                    continue  # cancelled again: still wait for the write's answer
                except Exception:
                    break
            log.warning(
                "%s: cancelled while %s %s was in flight; it completed (%s) before the "
                "cancellation took effect; nothing after it was sent",
                self.vendor,
                str(op_kwargs.get("method", "")).upper(),
                op_kwargs.get("url", ""),
                _outcome(task),
            )
            if not task.cancelled() and task.exception() is None:
                setattr(cancelled, _ANSWERED, task.result())  # the step may read it
            raise

    async def _auth_headers(self) -> Mapping[str, str]:
        """The vendor's auth headers for one attempt, asked by the session after its pacing
        and retry waits (so a token that came due during a wait is refreshed first, as the
        sync client's provider does)."""
        await self._auth_ready()
        return self._logic._auth_headers()

    async def _auth_ready(self) -> None:
        """Run the steps the credential needs before a request (Revolut's token refresh),
        once for all tasks: one lock, and a task that waited finds it done."""
        if self._logic._auth_steps() is None:
            return
        async with self._auth_lock:
            step = self._logic._auth_steps()  # asked again: another task may have done it
            if step is not None:
                await self._run(step)

    async def _refresh_auth(self) -> bool:
        """After a 401: the adapter's refresh decision, then its steps (shared: the session
        wraps this in ``SharedRefresh``)."""
        retry = self._logic._refresh_auth()
        if retry:
            await self._auth_ready()
        return retry

    def _plain_session(self) -> AsyncHttpSession:
        if self._plain is None:
            self._plain = self._new_session(auth=False)
        return self._plain

    def _presigned_client(self) -> AsyncPresignedClient:
        if self._presigned is None:
            self._presigned = AsyncPresignedClient(
                self.vendor,
                transport=self._settings.async_transport,
                **self._logic._presigned_options(),
            )
        return self._presigned

    @staticmethod
    async def _known_left_out(pages: AsyncIterator[AnyPage], known: Any) -> AsyncIterator[AnyPage]:
        try:
            async for page in pages:
                for left in without_known((page,), known):
                    yield left
        finally:
            await pages.aclose()  # type: ignore[attr-defined]

    @staticmethod
    async def _recorded(
        pages: AsyncIterator[AnyPage], request_ids: list[str]
    ) -> AsyncIterator[AnyPage]:
        """``pages``, each produced while ``request_ids`` records the vendor's request ids
        (tasks of a fan-out copy the context, so theirs are recorded too)."""
        try:
            while True:
                with recording_request_ids(request_ids):
                    try:
                        page = await anext(pages)
                    except StopAsyncIteration:
                        return
                yield page
        finally:
            await pages.aclose()  # type: ignore[attr-defined]


@attrs.frozen(slots=True)
class _Next:
    """Effect of the async driver's own: the next result of a streamed fan-out."""

    results: AsyncGenerator[Any, None]


def _next_of(results: AsyncGenerator[Any, None]) -> Step[Any]:
    value = yield cast(Effect, _Next(results))
    return value


_ANSWERED = "_expense_facade_answered"
"""Set on a ``CancelledError`` raised after a write completed anyway: its answer (the
response, then what the step reads), so the step can take it in before it stops."""


@attrs.frozen(slots=True)
class _Decoded:
    """A completed write's answer as its step reads it."""

    value: Any


def _take_answer_then_stop(stepper: Stepper[Any], cancelled: asyncio.CancelledError) -> None:
    """A write the cancellation waited for completed: hand its answer to the step and run
    the step up to its next effect (no IO: it reads the answer, and a ``mark_exported``
    reports the confirmed batch through ``on_confirmed``); the cancellation then goes on.
    An error of the step here gives way to the cancellation."""
    answer = getattr(cancelled, _ANSWERED, None)
    if not isinstance(answer, _Decoded):
        return  # no write completed, or not one a step asked for
    delattr(cancelled, _ANSWERED)
    stepper.answer(answer.value)
    try:
        stepper.next()
    except Exception:
        log.debug("an error after a cancelled write completed gave way to the cancellation")


def _outcome(task: asyncio.Future[httpx.Response]) -> str:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    if error is not None:
        return f"failed: {type(error).__name__}"
    return f"HTTP {task.result().status_code}"


async def _read_ahead(pages: AsyncIterator[AnyPage], depth: int) -> AsyncIterator[AnyPage]:
    """``pages`` fetched by a task at most ``depth`` pages ahead of the consumer; closing
    stops the task (and the pages' source) first."""
    queue: asyncio.Queue[tuple[bool, Any]] = asyncio.Queue(maxsize=depth)
    done = object()

    async def produce() -> None:
        try:
            async for page in pages:
                # Read here: the step that emitted it goes on meanwhile (ItemsPage).
                await queue.put((False, read_page(page)))
            await queue.put((False, done))
        except Exception as exc:  # handed to the consumer in its place
            await queue.put((True, exc))
        finally:
            await pages.aclose()  # type: ignore[attr-defined]

    producer = asyncio.ensure_future(produce())
    try:
        while True:
            failed, item = await queue.get()
            if failed:
                raise item
            if item is done:
                return
            yield item
    finally:
        producer.cancel()
        await asyncio.gather(producer, return_exceptions=True)
