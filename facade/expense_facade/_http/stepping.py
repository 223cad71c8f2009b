"""``Stepper``: the pump between a sans-IO generator (it yields effects, takes their
answers, returns a result) and a driver that performs the effects, sync or async: the
one piece both the session (``session.SendLogic``) and an adapter's steps can run on
(docs/http.md, "One logic, two drivers").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

E = TypeVar("E")
R = TypeVar("R")


class Stepper(Generic[E, R]):
    """Advances a generator for a driver: ``next()`` is the next effect (``None`` once it
    returned: ``response()``/``result``), ``settle``/``asettle`` perform one and hand back
    its result, or whatever it raised (a cancellation too), to the generator, which
    decides. A driver's loop: ``while (effect := s.next()) is not None: s.settle(...)``.
    """

    __slots__ = ("_answer", "_failure", "_steps", "result")

    handed_back: type[BaseException] = BaseException
    """What ``settle``/``asettle`` hand back to the generator: everything for the session
    (it decides about a cancellation itself); an adapter's steps take ``Exception`` only,
    and a cancellation ends their driver (``steps.Stepper``)."""

    def __init__(self, steps: Generator[E, Any, R]) -> None:
        self._steps = steps
        self._answer: Any = None
        self._failure: BaseException | None = None
        self.result: R | None = None

    def next(self) -> E | None:
        answer, failure = self._answer, self._failure
        self._answer, self._failure = None, None
        try:
            if failure is not None:
                return self._steps.throw(failure)
            return self._steps.send(answer)
        except StopIteration as done:
            self.result = done.value
            return None

    def answer(self, value: Any) -> None:
        """The effect's result, sent in at the generator's ``yield``."""
        self._answer = value

    def fail(self, error: BaseException) -> None:
        """The effect failed: ``error`` is raised inside the generator at its ``yield``."""
        self._failure = error

    def settle(self, perform: Callable[..., Any], *args: Any) -> None:
        """Perform an effect with ``perform(*args)``: its result, or what it raised."""
        try:
            self._answer = perform(*args)
        except self.handed_back as exc:
            self._failure = exc

    async def asettle(self, performing: Awaitable[Any]) -> None:
        """``settle`` for an effect the async driver performs."""
        try:
            self._answer = await performing
        except self.handed_back as exc:
            self._failure = exc

    def response(self) -> R:
        """The generator's result (once ``next()`` returned ``None``)."""
        assert self.result is not None
        return self.result

    def close(self) -> None:
        """Stop the generator now (its ``finally`` blocks run)."""
        self._steps.close()
