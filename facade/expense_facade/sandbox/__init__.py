"""A stateful local simulator of the five vendor APIs (tests, demos, cassettes,
benchmarks): ``Sandbox``, ``Fault`` and friends. Usage and the full reference (mounts,
faults, rate limits, observers, introspection) are in docs/sandbox.md.
"""

from expense_facade.sandbox.app import (
    ALL,
    OBSERVERS,
    Exchange,
    LoggedRequest,
    Observer,
    Sandbox,
    available_vendors,
)
from expense_facade.sandbox.faults import Fault, FaultKind, FaultRule, FaultSet
from expense_facade.sandbox.vendor import Route, Router, VendorSim
from expense_facade.sandbox.wire import BadBody, SimRequest, SimResponse, json_response

__all__ = [
    "ALL",
    "OBSERVERS",
    "BadBody",
    "Exchange",
    "Fault",
    "FaultKind",
    "FaultRule",
    "FaultSet",
    "LoggedRequest",
    "Observer",
    "Route",
    "Router",
    "Sandbox",
    "SimRequest",
    "SimResponse",
    "VendorSim",
    "available_vendors",
    "json_response",
]
