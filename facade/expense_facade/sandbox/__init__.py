"""A stateful local simulator of the five vendor APIs (tests, demos, cassettes, benchmarks).

    from expense_facade.sandbox import Sandbox, Fault
    sb = Sandbox(seed=1, size=500)
    client = httpx.Client(transport=sb.transport(), base_url=sb.base_url("brex"))
    sb.faults.add("brex", "GET /v1/expenses", Fault.status(503, retry_after="2"), times=2)
    with sb.serve(port=0) as server: server.base_url("brex")

``app.py`` holds ``Sandbox``; ``faults.py`` the fault API; ``vendor.py`` the simulator
contract (``VendorSim``) and router; ``wire.py`` the request/response values; ``data.py``
the deterministic generators; ``vendors/`` one simulator per vendor.
"""

from expense_facade.sandbox.app import ALL, LoggedRequest, Sandbox, available_vendors
from expense_facade.sandbox.faults import Fault, FaultKind, FaultRule, FaultSet
from expense_facade.sandbox.vendor import Route, Router, VendorSim
from expense_facade.sandbox.wire import BadBody, SimRequest, SimResponse, json_response

__all__ = [
    "ALL",
    "BadBody",
    "Fault",
    "FaultKind",
    "FaultRule",
    "FaultSet",
    "LoggedRequest",
    "Route",
    "Router",
    "Sandbox",
    "SimRequest",
    "SimResponse",
    "VendorSim",
    "available_vendors",
    "json_response",
]
