"""``expense_facade._http.concurrency.aordered_map``, the fan-out on asyncio tasks: order,
the bound on awaits in flight and on items taken ahead, errors in their turn, no task
left behind. No test sleeps: tasks are coordinated with events."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import pytest
from expense_facade._http.concurrency import aordered_map
from expense_facade._http.session import recording_request_ids


async def collect(results: AsyncIterator[int]) -> list[int]:
    return [r async for r in results]


def test_results_come_out_in_input_order_although_later_items_finish_first() -> None:
    n = 4
    order: list[int] = []

    async def main() -> list[int]:
        finished = [asyncio.Event() for _ in range(n + 1)]
        finished[n].set()

        async def fn(i: int) -> int:
            await finished[i + 1].wait()  # item i ends only after item i + 1
            order.append(i)
            finished[i].set()
            return i * 10

        return await asyncio.wait_for(collect(aordered_map(fn, range(n), concurrency=n)), 10)

    assert asyncio.run(main()) == [0, 10, 20, 30]
    assert order == [3, 2, 1, 0]


def test_awaits_in_flight_reach_the_bound_and_never_exceed_it() -> None:
    now = most = 0

    async def main() -> list[int]:
        gate = asyncio.Event()

        async def fn(i: int) -> int:
            nonlocal now, most
            now += 1
            most = max(most, now)
            if most == 3:
                gate.set()
            await gate.wait()  # only opens once 3 run at once
            now -= 1
            return i

        return await asyncio.wait_for(collect(aordered_map(fn, range(12), concurrency=3)), 10)

    assert asyncio.run(main()) == list(range(12))
    assert most == 3


def test_the_input_is_read_lazily_within_the_window() -> None:
    pulled: list[int] = []

    def source() -> Iterator[int]:
        for i in range(1000):
            pulled.append(i)
            yield i

    async def fn(i: int) -> int:
        return i

    async def main() -> int:
        results = aordered_map(fn, source(), concurrency=2, window=5)
        async with contextlib.aclosing(results):
            return await anext(results)

    assert asyncio.run(main()) == 0
    assert len(pulled) <= 6  # the window, and the one started after the first result


def test_an_error_comes_in_its_turn_and_no_task_outlives_the_iteration() -> None:
    cancelled: list[int] = []
    delivered: list[int] = []

    async def main() -> None:
        async def fn(i: int) -> int:
            if i == 2:
                raise ValueError("item 2")
            if i > 2:
                try:
                    await asyncio.Event().wait()  # would run for ever
                except asyncio.CancelledError:
                    cancelled.append(i)
                    raise
            return i

        async for result in aordered_map(fn, range(6), concurrency=3):
            delivered.append(result)

    with pytest.raises(ValueError, match="item 2"):
        asyncio.run(main())
    assert delivered == [0, 1]
    assert cancelled  # the ones started were cancelled, and awaited before the error came


def test_concurrency_one_awaits_in_turn_and_request_ids_reach_the_caller() -> None:
    async def fn(i: int) -> int:
        from expense_facade._http.session import _REQUEST_IDS

        recorder = _REQUEST_IDS.get()
        assert recorder is not None
        recorder.append(f"req-{i}")
        return i

    async def main(concurrency: int) -> list[str]:
        ids: list[str] = []
        with recording_request_ids(ids):
            assert await collect(aordered_map(fn, range(3), concurrency=concurrency)) == [0, 1, 2]
        return sorted(ids)

    assert asyncio.run(main(1)) == asyncio.run(main(3)) == ["req-0", "req-1", "req-2"]
