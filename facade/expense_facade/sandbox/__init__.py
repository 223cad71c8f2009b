"""A stateful local simulator of the five vendor APIs (tests, demos, cassettes, benchmarks).

Serving::

    from expense_facade.sandbox import Sandbox, Fault
    sb = Sandbox(seed=1, size=500, sizes={"brex": 1_000_000}, clock=FakeClock())
    client = httpx.Client(transport=sb.transport(), base_url=sb.base_url("brex"))
    with sb.serve(port=0) as server:          # ThreadingHTTPServer on loopback
        server.base_url("brex"); server.url; server.port
    sb.credentials("prospend")                # connect() kwargs
    python -m expense_facade.sandbox --port 8765 --seed 1 --size 500 [--rate-limits]

Mounts: capture ``/capture``, brex ``/brex`` (+ its upload bucket ``/s3/brex-receipts``),
revolut ``/revolut/api/1.0``, prospend ``/prospend``, pazy ``/pazy/v1.0``; the in-process
origin is ``https://sandbox.invalid``. Data is generated per index from ``seed`` (same
seed, same bytes); ``clock`` drives upload expiry, rate-limit refills and in-process latency.

Faults (``faults.py``)::

    sb.faults.add(vendor, route, fault, *, times=1, after=0) -> FaultRule   # times=None: persistent
    route: "GET /v1/expenses/{expense_id}" (as routed), "GET /v1/expenses/expense_x"
           (one resource), "PUT /s3/brex-receipts" (brex bucket), or None (every route)
    Fault.status(503, retry_after="2" | retry_after_date=datetime, message=..., body=...)
    Fault.latency(0.2)                 # sandbox clock in-process, real sleep when served
    Fault.reset(processed=False)       # httpx.ConnectError in-process; TCP RST when served
    Fault.hang(30.0, processed=False)  # httpx.ReadTimeout in-process; held open when served
    Fault.connect_timeout()            # httpx.ConnectTimeout in-process
    Fault.truncate(); Fault.html(status=200)
    Fault.mutate_records(unknown_enum=, extra_fields=, missing_optional=, null_values=,
                         amount_as_string=, malformed_date=, limit=None)
    sb.faults.clear(vendor=None); sb.faults.rules; rule.fired
    ``processed=True``: the vendor applies the request, then the answer is lost.

Rate limits (off by default; token bucket on the sandbox clock)::

    sb.enable_rate_limits()                      # every vendor publishing one (brex, revolut)
    sb.enable_rate_limits("pazy", limit=(2, 10.0))
    sb.disable_rate_limits(); sb.rate_limited["brex"]   # count of 429s answered

Observers (``app.py``): ``sb.add_observer(fn)`` / ``sb.remove_observer(fn)`` for one
sandbox, ``OBSERVERS.append(fn)`` for every Sandbox of the process; ``fn(exchange)`` gets an
``Exchange`` (request, response, vendor, path relative to the mount, route, api, fault,
``exempt`` when the answer is wrong on purpose) for each answered request. The test suite
uses it to check every response against specs/<vendor> (tests/conftest.py).

Introspection: ``sb.requests`` (``LoggedRequest``: method, url with secret query values
redacted, status or None, vendor, route, injected, fault, headers with credentials
redacted, at); ``sb.vendor(key)`` is the ``VendorSim`` with ground truth such as
``approved_ids()``, and per vendor: capture ``queue_ids() queue_size() exported_ids()
export_status_messages() pending_ids()``; brex ``receipts`` (``ReceivedReceipt``),
``get(id) memo(id) receipt_ids(id) ids_with_status(*s) set_status(id, s)
expire_all_upload_urls()``; pazy ``get(id) ids_in_state(s) set_state(id, s)``.

``app.py`` holds ``Sandbox``; ``faults.py`` the fault API; ``vendor.py`` the simulator
contract (``VendorSim``) and router; ``wire.py`` the request/response values; ``data.py``
the deterministic generators; ``vendors/`` one simulator per vendor.
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
