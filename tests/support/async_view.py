"""A sync-looking view of an ``AsyncExpenseClient`` for the parity tests (issue 25): every
call is run to completion on one event loop of the view's own, so the operation tests
written for ``ExpenseClient`` run unchanged on the async client (``client_fixture``
gives both). Concurrency, the shared refresh lock, cancellation and ``async with`` have
genuinely async tests (tests/core/test_async_client.py)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from typing import Any, TypeVar

from expense_facade.async_client import AsyncExpenseClient, AsyncListing
from expense_facade.listing import Page
from expense_facade.records import Expense

T = TypeVar("T")


class _Loop:
    """One event loop, run per call, closed when no view holds it any more (not when the
    client closes: a closed client's calls must still run, to raise ``ClientClosedError``
    as the sync client's do)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        weakref.finalize(self, self.loop.close)

    def run(self, awaitable: Awaitable[T]) -> T:
        return self.loop.run_until_complete(awaitable)

    def iterate(self, source: AsyncIterator[T]) -> Iterator[T]:
        try:
            while True:
                try:
                    item: T = self.run(anext(source))
                except StopAsyncIteration:
                    return
                yield item
        finally:
            if not self.loop.is_closed():
                self.run(source.aclose())  # type: ignore[attr-defined]  # async generators


class ListingView:
    """``Listing`` over an ``AsyncListing``."""

    def __init__(self, listing: AsyncListing, loop: _Loop) -> None:
        self._listing = listing
        self._loop = loop

    def pages(self) -> Iterator[Page]:
        return self._loop.iterate(self._listing.pages())

    def __iter__(self) -> Iterator[Expense]:
        return self._loop.iterate(aiter(self._listing))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._listing, name)

    def __repr__(self) -> str:
        return repr(self._listing)


class SyncView:
    """``ExpenseClient``'s methods over an ``AsyncExpenseClient``."""

    def __init__(self, client: AsyncExpenseClient, loop: _Loop | None = None) -> None:
        self.async_client = client
        self._loop = loop or _Loop()

    def list_approved(self, **options: Any) -> ListingView:
        return ListingView(self.async_client.list_approved(**options), self._loop)

    def get_expenses(self, ids: Iterable[str], **options: Any) -> Iterator[Expense]:
        # The async get_expenses is an awaitable of the whole list (its contract, not a
        # lazy iterator): iterated here only to answer as the sync client does. What is
        # lazy about it has its own test (tests/core/test_get_expenses.py).
        return iter(self._loop.run(self.async_client.get_expenses(ids, **options)))

    def with_options(self, **options: Any) -> SyncView:
        return SyncView(self.async_client.with_options(**options), self._loop)

    def close(self) -> None:
        self._loop.run(self.async_client.aclose())

    def __enter__(self) -> SyncView:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.async_client, name)
        if not callable(value) or not asyncio.iscoroutinefunction(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run(value(*args, **kwargs))

        return call

    def __repr__(self) -> str:
        return repr(self.async_client)
