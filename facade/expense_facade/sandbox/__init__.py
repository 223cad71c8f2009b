"""A stateful local simulator of the five vendor APIs (tests, demos, cassettes, benchmarks).

``Sandbox`` (in ``app.py``) mounts one ``VendorSim`` per vendor; see ``vendor.py`` for the
simulator contract, ``wire.py`` for the request/response values and ``data.py`` for the
deterministic generators.
"""

from expense_facade.sandbox.vendor import Route, Router, VendorSim
from expense_facade.sandbox.wire import BadBody, SimRequest, SimResponse, json_response

__all__ = ["BadBody", "Route", "Router", "SimRequest", "SimResponse", "VendorSim", "json_response"]
