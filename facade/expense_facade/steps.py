"""Sans-IO steps: one adapter logic for the sync and the async client.

An adapter writes each operation as a generator (a *step*) that yields what it needs done
(``Call`` a request, ``Send`` one and get the response, ``Concurrently`` run sub-steps,
``Download``, ``PresignedPut``/``PresignedGet``, ``Emit`` a listing page) and receives the
answer (or the typed error, raised at the ``yield``). ``ExpenseClient`` runs steps with
blocking IO (threads for ``Concurrently``), ``AsyncExpenseClient`` with ``await`` (tasks);
paging, mapping, error mapping, retries and pacing are written once, below or inside the
step. docs/adapter_guide.md, "One logic, two drivers", says why and how.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs

from expense_facade._http import stepping

if TYPE_CHECKING:
    from expense_facade._http.downloads import DownloadTarget
    from expense_facade._http.session import Timeout
    from expense_facade._http.uploads import UploadFile
    from expense_facade.listing import AnyPage
    from expense_facade.records import MarkExportedResult

R = TypeVar("R")


@attrs.frozen(slots=True)
class Send:
    """Send a request described by a generated ``_get_kwargs(...)`` dict; the answer is
    the response (body read), for an adapter that reads the status itself (``accept``)
    before decoding (``ExpenseClient._send``)."""

    op_kwargs: Mapping[str, Any]
    retry_safe: bool = False
    timeout: Timeout | None = None
    accept: Collection[int] = ()
    auth: bool = True
    """False: sent without the vendor's auth headers and refresh (a request that
    authenticates itself: Revolut's token request), through a session of its own."""


@attrs.frozen(slots=True)
class Call(Send):
    """``Send``, then decode the JSON body once and check it with ``unwrap``; the answer
    is ``unwrap(body)`` (or the body without one; ``ExpenseClient._call``)."""

    unwrap: Callable[[Any], Any] | None = None


@attrs.frozen(slots=True)
class Concurrently:
    """Run ``steps`` with up to ``limit`` at once (``None``: the client's fan-out,
    ``connect(concurrency=)``); the answer is an iterable of their results in the order
    given. The first failure is raised when its turn comes, after the results before it;
    steps not started then are not started."""

    steps: Iterable[Step[Any]]
    limit: int | None = None
    streamed: bool = False
    """True: the answer is one step per sub-step instead, in order, each returning the
    next result (``for pending in answer: result = yield from pending``): the async
    client then hands each result over as it comes in rather than after the last, so the
    step's work on a result (a page emitted, mapped by its reader) overlaps the requests
    still in flight, as the sync client's lazy answer lets it."""


@attrs.frozen(slots=True)
class Download:
    """Stream the file a generated request answers into ``target`` (vendor credentials)."""

    op_kwargs: Mapping[str, Any]
    target: DownloadTarget


@attrs.frozen(slots=True)
class PresignedPut:
    """PUT ``upload`` to a pre-signed URL, no vendor credentials; the answer is the
    response (403: the URL expired)."""

    url: str
    upload: UploadFile


@attrs.frozen(slots=True)
class PresignedGet:
    """GET a pre-signed URL into ``target``, no vendor credentials (403: expired)."""

    url: str
    target: DownloadTarget


@attrs.frozen(slots=True)
class Emit:
    """A listing's page, handed to the caller; the answer is ``None``. An ``ItemsPage``
    (``ExpenseClient._page``) is mapped record by record as the caller takes them: when
    the step goes on past its ``Emit`` the caller has taken the page (whole, or as far as
    it wanted), so what the page ``notes`` of its records is there to read."""

    page: AnyPage


@attrs.frozen(slots=True)
class Confirmed:
    """A status update the vendor confirmed, with its per-item outcomes (``mark_exported``,
    one per batch sent); the answer is ``None``. ``confirming`` hands it to the caller's
    ``on_confirmed``; a driver never sees it."""

    result: MarkExportedResult


Effect: TypeAlias = Send | Concurrently | Download | PresignedPut | PresignedGet | Emit | Confirmed
"""Everything a step may yield."""

Step: TypeAlias = Generator[Effect, Any, R]
"""An operation written once: yields effects, receives their answers, returns ``R``."""


class Stepper(stepping.Stepper[Effect, R]):
    """``_http.stepping.Stepper`` for an operation's step: an ``Exception`` from an effect
    is raised into the step at its ``yield``; a ``BaseException`` (``KeyboardInterrupt``,
    ``CancelledError``) is not, it ends the driver. The driver's loop is the only thing the
    sync and the async client write each."""

    __slots__ = ()

    handed_back = Exception

    def relay(self, effect: Effect) -> Generator[Effect, Any, None]:
        """For a step wrapping this one (``yield from``): pass ``effect`` on to the driver,
        then its answer, or its error, back to this step."""
        try:
            self.answer((yield effect))
        except Exception as exc:
            self.fail(exc)


def emitted_outside_listing() -> TypeError:
    return TypeError("a step emitted a page outside a listing")


def done(value: R) -> Step[R]:
    """A step that needs no IO and returns ``value`` (for a branch that has the answer)."""
    return value
    yield  # a generator: never reached


def run_sync(step: Step[R], perform: Callable[[Effect], Any]) -> Generator[AnyPage, None, R]:
    """The sync driver: ``perform`` answers each effect; pages emitted are yielded; the
    step's value is returned. Exceptions (not ``BaseException``s such as
    ``KeyboardInterrupt``) are raised into the step, where it may handle them."""
    stepper = Stepper(step)
    try:
        while True:
            effect = stepper.next()
            if effect is None:
                return stepper.result  # type: ignore[return-value]  # set: the step returned
            if isinstance(effect, Emit):
                yield effect.page
            else:
                stepper.settle(perform, effect)
    finally:
        stepper.close()


def result_of(step: Step[R], perform: Callable[[Effect], Any]) -> R:
    """Run ``step`` (which must not emit pages) with ``perform``; its value."""
    driver = run_sync(step, perform)
    try:
        next(driver)
    except StopIteration as stop:
        value: R = stop.value
        return value
    driver.close()
    raise emitted_outside_listing()


def confirming(
    step: Step[R], on_confirmed: Callable[[MarkExportedResult], object] | None
) -> Step[R]:
    """``step`` with each ``Confirmed`` it yields handed to ``on_confirmed`` (dropped when
    ``None``) as soon as the step gets past it, before its next request: the outcomes of a
    batch the vendor confirmed reach the caller even if the call is then cancelled or
    fails. An exception from ``on_confirmed`` stops the step and propagates."""
    stepper = Stepper(step)
    try:
        while (effect := stepper.next()) is not None:
            if isinstance(effect, Confirmed):
                if on_confirmed is not None:
                    on_confirmed(effect.result)
                continue  # answered with None
            yield from stepper.relay(effect)
    finally:
        stepper.close()
    return stepper.result  # type: ignore[return-value]  # set: the step returned


def until_first_page(step: Step[Any]) -> Step[None]:
    """``step`` (a listing) run up to its first page, then stopped (``check_access``)."""
    stepper = Stepper(step)
    try:
        while (effect := stepper.next()) is not None and not isinstance(effect, Emit):
            yield from stepper.relay(effect)
    finally:
        stepper.close()
