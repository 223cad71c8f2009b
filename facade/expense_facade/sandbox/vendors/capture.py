"""Simulator of the Cintra Capture export API (the Export queue and its status update),
its answers built through the generated wire shapes. How it generates its data and
answers updates: docs/sandbox.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from expense_facade.clock import Clock
from expense_facade.sandbox import data
from expense_facade.sandbox.vendor import PathParams, VendorSim
from expense_facade.sandbox.wire import BadBody, SimRequest, SimResponse, json_response

if TYPE_CHECKING:  # types only: an answer is a plain dict
    from expense_clients.capture.shapes import (
        ApiResponse,
        ExportExpense,
        ExportStatusResult,
        ExportStatusView,
        ListExportExpensesResponse200,
        UpdateExportStatusResponse200,
    )

KEY = "capture"
HOME_CURRENCY = "GBP"
PAYMENT_TYPES = ("Corporate Card", "Personal Card", "Cash", "Mileage")
# transactionType: meaning unpublished; the sandbox uses 0 expense, 1 mileage, 2 card.
TX_EXPENSE, TX_MILEAGE, TX_CARD = 0, 1, 2
# Rates to GBP for the currencies Capture rows come in (fixed: determinism).
RATES_TO_HOME: Mapping[str, decimal.Decimal] = {
    "GBP": decimal.Decimal("1"),
    "EUR": decimal.Decimal("0.8571"),
    "USD": decimal.Decimal("0.7874"),
    "AUD": decimal.Decimal("0.5128"),
    "JPY": decimal.Decimal("0.005236"),
    "KWD": decimal.Decimal("2.5641"),
}
MILEAGE_RATE = decimal.Decimal("0.45")  # HMRC approved rate per mile
CARBON_PER_MILE = decimal.Decimal("0.27")  # kg CO2e per mile, average car
SPAN_DAYS = 540


def _is_approved(index: int) -> bool:
    return index % 10 not in (3, 7)


def _approved_below(n: int) -> int:
    """How many of rows ``0..n-1`` are approved."""
    full, rest = divmod(n, 10)
    return full * 8 + sum(1 for r in range(rest) if r not in (3, 7))


class CaptureSim(VendorSim):
    """Cintra Capture: an Export queue of approved rows and a batched status update."""

    key: ClassVar[str] = KEY
    mount: ClassVar[str] = "/capture"
    list_route: ClassVar[str] = "GET /api/Expenses/Export"
    rate_limit: ClassVar[tuple[int, float] | None] = None
    enum_fields: ClassVar[tuple[str, ...]] = ("paymentType",)
    date_fields: ClassVar[tuple[str, ...]] = ("claimDate",)
    amount_fields: ClassVar[tuple[str, ...]] = (
        "netAmount", "taxAmount", "grossAmount", "exchangeRate",
    )  # fmt: skip

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        super().__init__(seed=seed, size=size, clock=clock)
        self.codec = data.IdCodec(seed, KEY)
        self._api_key = f"sbx_capture_{data.mix(seed, KEY, 'api-key'):016x}"
        self._exported: set[int] = set()
        self._messages: dict[int, str] = {}
        self._late_approved: set[int] = set()  # rows approved by a test (approve())
        self.router.add("GET", "/api/Expenses/Export", self._export)
        self.router.add("POST", "/api/Expenses/ExportStatusUpdate", self._status_update)

    # -- contract ---------------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        """``{"api_key": ...}``."""
        return {"api_key": self._api_key}

    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """401 unless ``X-API-Key`` is the sandbox key."""
        given = req.header("x-api-key")
        if given is None or given == "":
            return self.error_response(401, "API key is missing.")
        if given != self._api_key:
            return self.error_response(401, "Invalid API key.")
        return None

    def handle(self, req: SimRequest) -> SimResponse:
        """Route an authenticated request."""
        return self.router.answer(
            req,
            not_allowed=lambda: self.error_response(405, "Method not allowed."),
            # ASP.NET answers an unknown route with no body.
            not_found=lambda: SimResponse(404, b"", {}),
        )

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """Capture's envelope: ``{"success": false, "message": ...}``."""
        body: ApiResponse = {"success": False, "message": message}
        return json_response(status, body, headers)

    # -- generation -------------------------------------------------------------------------

    def row(self, index: int) -> ExportExpense:
        """Row ``index`` exactly as the Export call shows it."""
        rng = data.rng_for(self.seed, KEY, index)
        employee = rng.randrange(max(1, min(400, self.size // 5 + 1)))
        person = data.person(self.seed, KEY, employee, "northwind.co.uk")
        mileage = rng.random() < 0.12
        if mileage:
            tx_type, payment_type = TX_MILEAGE, "Mileage"
            category, nominal = "Mileage", data.GL_CODES["Mileage"]
            currency = HOME_CURRENCY
            distance = decimal.Decimal(rng.randrange(20, 4000)).scaleb(-1)
            gross = (distance * MILEAGE_RATE).quantize(decimal.Decimal("0.01"))
            tax_code = data.TAX_CODES[3]
            carbon = (distance * CARBON_PER_MILE).quantize(decimal.Decimal("0.01"))
            description = f"Mileage: client visit, {distance} miles"
            supplier = None
        else:
            merchant = data.pick(rng, data.MERCHANTS)
            category, nominal = merchant.category, data.GL_CODES[merchant.category]
            card = rng.random() < 0.55
            tx_type = TX_CARD if card else TX_EXPENSE
            payment_type = "Corporate Card" if card else data.pick(rng, ("Personal Card", "Cash"))
            currency = HOME_CURRENCY if rng.random() < 0.7 else data.pick(rng, tuple(RATES_TO_HOME))
            distance = decimal.Decimal(0)
            gross = data.amount(rng, currency, 3, 650)
            tax_code = data.pick(rng, data.TAX_CODES[:4])
            carbon = decimal.Decimal(0)
            description = f"{merchant.name} - {category.lower()}"
            supplier = f"SUP{data.mix(merchant.name) % 9000 + 1000}" if card else None
        tax = data.tax_part(gross, tax_code.rate, currency)
        claim_date = data.timestamp(
            rng, data.EPOCH + dt.timedelta(days=index * SPAN_DAYS / max(1, self.size)),
            dt.timedelta(days=2),
        )  # fmt: skip
        details = None if rng.random() < 0.6 else f"Receipt attached; claim line {index % 7 + 1}"
        row: ExportExpense = {
            "id": self.codec.guid(index),
            "transactionType": tx_type,
            "paymentType": payment_type,
            "employeeId": f"E{employee:05d}",
            "supplierCode": supplier,
            "personName": person.name,
            "categoryName": category,
            "nominalAccount": nominal,
            "department": person.department,
            "location": person.location,
            "project": None if rng.random() < 0.5 else data.pick(rng, data.PROJECTS),
            "costcentre": data.pick(rng, data.COST_CENTRES),
            "claimDate": data.iso_z(claim_date),
            "reference": f"EXP-{index + 100000:07d}",
            "description": description,
            "isoCode": currency,
            "exchangeRate": RATES_TO_HOME.get(currency, decimal.Decimal(1)),
            "netAmount": gross - tax,
            "taxCode": tax_code.code,
            "taxAmount": tax,
            "grossAmount": gross,
            "details": details,
            "distance": distance,
            "carbonAmount": carbon,
        }
        return row

    def index_of(self, row_id: str) -> int | None:
        """The index of a row id this sandbox issued, else None."""
        index = self.codec.from_guid(row_id)
        return index if index is not None and 0 <= index < self.size else None

    # -- routes -----------------------------------------------------------------------------

    def _queue_indices(self) -> Iterator[int]:
        for index in range(self.size):
            if self.is_approved(index) and index not in self._exported:
                yield index

    def _export(self, req: SimRequest, params: PathParams) -> SimResponse:
        rows = [self.row(i) for i in self._queue_indices()]
        body: ListExportExpensesResponse200 = {
            "success": True,
            "message": None,
            "data": rows,
            "totalCount": len(rows),
        }
        return json_response(200, body)

    def _status_update(self, req: SimRequest, params: PathParams) -> SimResponse:
        try:
            body = req.json()
        except BadBody:
            return self.error_response(200, "The request body is not valid JSON.")
        statuses = body.get("exportStatuses") if isinstance(body, dict) else None
        if not isinstance(statuses, list):
            return self.error_response(200, "exportStatuses is required and must be a list.")
        results = [self._apply(item) for item in statuses]
        failed = sum(1 for r in results if not r["success"])
        message = (
            f"{len(results)} export statuses updated."
            if not failed
            else f"{len(results) - failed} of {len(results)} export statuses updated; "
            f"{failed} failed."
        )
        answer: UpdateExportStatusResponse200 = {
            "success": failed == 0,
            "message": message,
            "data": results,
        }
        return json_response(200, answer)

    def _apply(self, item: Any) -> ExportStatusResult:
        if not isinstance(item, dict):
            return {"id": None, "success": False, "message": "Invalid export status."}
        status: ExportStatusView = item  # the request item, read through its shape
        row_id = status.get("id")
        result_id = row_id if isinstance(row_id, str) else None
        index = self.index_of(row_id) if isinstance(row_id, str) else None
        if index is None:
            return {"id": result_id, "success": False, "message": "Expense not found."}
        if not self.is_approved(index):
            return {"id": result_id, "success": False, "message": "Expense is not approved."}
        ok = status.get("success")
        if not isinstance(ok, bool):
            return {"id": result_id, "success": False, "message": "success is required."}
        expected = self.row(index)["transactionType"]
        if status.get("transactionType") != expected:
            return {
                "id": result_id,
                "success": False,
                "message": "transactionType does not match the expense.",
            }
        if ok:
            self._exported.add(index)
            self._messages.pop(index, None)
        else:
            # A failure note keeps the row queued; it is not an error of the update itself.
            note = status.get("message")
            self._messages[index] = note if isinstance(note, str) else ""
        return {"id": result_id, "success": True, "message": None}

    # -- introspection ----------------------------------------------------------------------

    def approve_waiting(self, count: int) -> None:
        """Approve about ``count`` waiting rows, oldest first (``VendorSim``)."""
        for row_id in list(self.pending_ids())[:count]:
            self.approve(row_id)

    def approved_ids(self) -> Iterator[str]:
        """The ids the Export call returns now (the queue), in its order."""
        return self.queue_ids()

    def queue_ids(self) -> Iterator[str]:
        """Ids in the Export queue (approved, not exported), in order."""
        return (self.codec.guid(i) for i in self._queue_indices())

    def queue_size(self) -> int:
        """Number of rows in the Export queue (O(1) plus the overlays)."""
        return _approved_below(self.size) + len(self._late_approved) - len(self._exported)

    def is_approved(self, index: int) -> bool:
        """Whether row ``index`` is approved (generated so, or by ``approve``)."""
        return _is_approved(index) or index in self._late_approved

    def approve(self, row_id: str) -> None:
        """Approve a row still in approval: it joins the Export queue (KeyError if the id
        is unknown, ValueError if it is approved already)."""
        index = self.index_of(row_id)
        if index is None:
            raise KeyError(row_id)
        if self.is_approved(index):
            raise ValueError(f"row {row_id} is approved already")
        self._late_approved.add(index)

    def exported_ids(self) -> set[str]:
        """Ids marked exported with ``success: true``."""
        return {self.codec.guid(i) for i in self._exported}

    def export_status_messages(self) -> dict[str, str]:
        """Id → the message of the last ``success: false`` status for rows still queued."""
        return {self.codec.guid(i): m for i, m in self._messages.items()}

    def pending_ids(self) -> Iterator[str]:
        """Ids of rows still in approval (never in the queue)."""
        return (self.codec.guid(i) for i in range(self.size) if not self.is_approved(i))
