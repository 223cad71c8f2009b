"""The Acme simulator: seeded expenses, cursor pages, an API key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from expense_facade.clock import Clock
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import SimRequest, SimResponse, json_response

STATUSES = ("approved", "submitted", "approved", "draft", "rejected")
MAX_LIMIT = 50
START = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


class AcmeSim(VendorSim):
    """Acme Expenses: ``GET /expenses`` (cursor pages) and ``GET /expenses/{id}``."""

    key: ClassVar[str] = "acme"
    mount: ClassVar[str] = "/acme/v1"
    list_route: ClassVar[str] = "GET /expenses"
    next_cursor_field: ClassVar[str | None] = "next_cursor"

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self._key = f"acme-key-{seed:08d}-sandbox"
        self._approved: set[int] = set()  # submitted expenses approved since
        self.router.add("GET", "/expenses", self._list)
        self.router.add("GET", "/expenses/{id}", self._get)

    def credentials(self) -> dict[str, str]:
        """``{"api_key": ...}`` for ``connect("acme", ...)``."""
        return {"api_key": self._key}

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """``Authorization: Key <api key>``; else Acme's 401."""
        if req.header("authorization") == f"Key {self._key}":
            return None
        return self.error_response(401, "Unauthorized")

    def handle(self, req: SimRequest) -> SimResponse:
        """Route the request; unknown paths answer 404."""
        return self.router.answer(
            req,
            not_allowed=lambda: self.error_response(405, "Method not allowed"),
            not_found=lambda: self.error_response(404, "Not found"),
        )

    def record(self, i: int) -> dict[str, Any]:
        """Expense ``i``: the same for the same seed."""
        cents = 100 + (i * 7919 + self.seed * 104729) % 90_000
        return {
            "id": f"acme_{self.seed}_{i:06d}",
            "status": self._status(i),
            "amount": f"{cents // 100}.{cents % 100:02d}",
            "currency": "EUR",
            "spent_on": (START + dt.timedelta(hours=i)).isoformat().replace("+00:00", "Z"),
            "merchant": f"Shop {i % 13}",
        }

    def _status(self, i: int) -> str:
        return "approved" if i in self._approved else STATUSES[i % len(STATUSES)]

    def approved_ids(self) -> Iterator[str]:
        """Every approved expense's id, in list order."""
        for i in range(self.size):
            if self._status(i) == "approved":
                yield self.record(i)["id"]

    def approve_waiting(self, count: int) -> None:
        """Approve the first ``count`` submitted expenses."""
        waiting = [i for i in range(self.size) if self._status(i) == "submitted"]
        self._approved.update(waiting[:count])

    def _list(self, req: SimRequest, _: PathParams) -> SimResponse:
        try:
            limit = int(req.param("limit") or MAX_LIMIT)
            start = int(req.param("cursor") or 0)
        except ValueError:
            return self.error_response(400, "limit and cursor must be integers")
        if not 1 <= limit <= MAX_LIMIT or start < 0:
            return self.error_response(400, "limit must be between 1 and 50")
        wanted = req.param("status")
        items: list[dict[str, Any]] = []
        i = start
        while i < self.size and len(items) < limit:
            record = self.record(i)
            if wanted is None or record["status"] == wanted:
                items.append(record)
            i += 1
        return json_response(
            200, {"items": items, "next_cursor": str(i) if i < self.size else None}
        )

    def _get(self, _: SimRequest, params: PathParams) -> SimResponse:
        prefix = f"acme_{self.seed}_"
        suffix = params["id"].removeprefix(prefix)
        if not params["id"].startswith(prefix) or not suffix.isdigit() or int(suffix) >= self.size:
            return self.error_response(404, "Expense not found")
        return json_response(200, self.record(int(suffix)))

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """Acme's ``{message}`` error body."""
        return json_response(status, {"message": message}, headers)
