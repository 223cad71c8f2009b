"""The one sandbox factory of the test suites: sandboxes on a fake clock, pytest fixtures
for a sandbox and a facade client connected to it (retries without jitter, so every sleep
is exact), raw httpx clients on the in-process transport with a check that each response
matches specs/<vendor>, and the counts the fault tests read from the request log."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs
import expense_facade as ef
import httpx
import pytest
from expense_facade._http.retry import RetryPolicy
from expense_facade.clock import FakeClock
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.app import ALL
from expense_facade.sandbox.server import SandboxServer

from support.conformance import check_response

TestFunction = TypeVar("TestFunction", bound=Callable[..., object])

NO_JITTER = RetryPolicy(jitter=0.0)
"""The default retry policy without jitter: sleeps are exactly 0.5, 1.0, 2.0 s."""

BACKOFF = [0.5, 1.0, 2.0]
"""The sleeps before retries 1..3 under ``NO_JITTER``."""

LIST_PATHS = {
    "capture": "/api/Expenses/Export",
    "brex": "/v1/expenses",
    "revolut": "/expenses",
    "prospend": "/beta/company/1/claim",
    "pazy": "/expenses",
}
"""One read route per vendor, relative to its mount."""


def make(
    *vendors: str, size: int = 200, seed: int = 7, sizes: dict[str, int] | None = None
) -> Sandbox:
    """A sandbox with ``vendors`` (all when none) on a ``FakeClock``."""
    return Sandbox(seed=seed, size=size, sizes=sizes, clock=FakeClock(), vendors=vendors or ALL)


DRIVERS = ("sync", "async")
"""The two clients every operation test runs on: ``connect``'s, and ``aconnect``'s seen
through ``support.async_view.SyncView`` (issue 25, parity)."""


def connect(sb: Sandbox, vendor: str, *, driver: str = "sync", **options: Any) -> ef.ExpenseClient:
    """``ef.connect`` to ``vendor`` in ``sb`` (``driver="async"``: ``ef.aconnect``, seen
    through a sync-looking view), retrying without jitter unless ``options`` says
    otherwise."""
    options.setdefault("retry_policy", NO_JITTER)
    if driver == "async":
        return viewed(ef.aconnect(normalise_vendor(vendor), sandbox=sb, **options))
    return ef.connect(normalise_vendor(vendor), sandbox=sb, **options)


def connecting(driver: str) -> Callable[..., ef.ExpenseClient]:
    """``ef.connect`` (``driver="sync"``) or ``ef.aconnect`` with its client seen through
    :func:`viewed`, taking their arguments as they are (no sandbox, no retry policy
    added): for tests of what connecting checks and refuses, which must be the same for
    both (issue 25)."""
    if driver == "async":
        return lambda *args, **options: viewed(ef.aconnect(*args, **options))
    return ef.connect


def in_process(sb: Sandbox, driver: str) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    """``sb``'s in-process transport for ``driver``'s client (``connect`` refuses an async
    one, ``aconnect`` a sync one)."""
    return sb.async_transport() if driver == "async" else sb.transport()


def viewed(client: ef.AsyncExpenseClient) -> ef.ExpenseClient:
    """``client`` seen through ``support.async_view.SyncView``: the sync client's methods,
    each run to completion (typed as the sync client: it answers the same calls)."""
    from support.async_view import SyncView

    view: Any = SyncView(client)
    return cast(ef.ExpenseClient, view)


def drivers_fixture(namespace: dict[str, Any], *names: str, **bound: Any) -> Any:
    """An autouse fixture running every test of a module on the sync client, then on the
    async one: it sets the module's ``connect`` (``namespace``: its ``globals()``) to
    :func:`connect` with that driver (and ``bound``); with ``names``, it sets each of the
    module's own functions of those names (each taking ``driver=``) instead. A test marked
    ``sync_only(reason)`` runs on the sync client alone, one decorated with
    :func:`runs_once` once (it is about neither client); a test reads the driver from the
    fixture ``client_driver``. Assign it at module level, after
    the functions it names: ``_driver = drivers_fixture(globals(), vendor="prospend")``."""
    originals = {name: namespace[name] for name in names} or {"connect": connect}

    def client_driver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
        if request.param == "async" and request.node.get_closest_marker("sync_only"):
            pytest.skip("sync client only (see the sync_only marker's reason)")
        for name, function in originals.items():
            chosen = functools.partial(function, driver=request.param, **bound)
            monkeypatch.setitem(namespace, name, chosen)
        return str(request.param)

    return pytest.fixture(autouse=True, params=DRIVERS, name="client_driver")(client_driver)


def runs_once(reason: str) -> Callable[[TestFunction], TestFunction]:
    """Mark a test of a module run on both clients (:func:`drivers_fixture`) that is about
    neither driver (a table, an import, a provider) or is itself genuinely async: it runs
    once, with the module's helpers as they are (their default driver), instead of twice
    alike or once and skipped. ``reason`` says which (the ``runs_once`` marker)."""

    def decorate(test: TestFunction) -> TestFunction:
        once = pytest.mark.parametrize("client_driver", [pytest.param("once", id="once")])
        return cast(TestFunction, pytest.mark.runs_once(reason)(once(test)))

    return decorate


def sandbox_fixture(
    *vendors: str, seed: int = 7, size: int = 200, name: str = "sb", module: bool = False
) -> Any:
    """A fixture (``name``) giving ``make(*vendors, seed=seed, size=size)``: a fresh one to
    each test, or one per test module with ``module``. Assign it at module level:
    ``sb = sandbox_fixture("brex", seed=3, size=400)``."""

    def fresh() -> Sandbox:
        return make(*vendors, seed=seed, size=size)

    return pytest.fixture(name=name, scope="module" if module else "function")(fresh)


def client_fixture(
    vendor: str, *, name: str = "client", recorded: bool = False, **options: Any
) -> Any:
    """A fixture (``name``) giving a facade client for ``vendor`` connected to the test's
    ``sb`` fixture (see :func:`connect`), closed after the test: the sync client, then
    the async one (``DRIVERS``: each test using it runs on both). With ``recorded``, its
    requests go through the test's ``recorder`` fixture (see :func:`recorder_fixture`),
    whichever the client."""

    def connected(sb: Sandbox, request: pytest.FixtureRequest) -> Iterator[ef.ExpenseClient]:
        transport = {"transport": request.getfixturevalue("recorder")} if recorded else {}
        with connect(sb, vendor, driver=request.param, **transport, **options) as c:
            yield c

    return pytest.fixture(name=name, params=DRIVERS)(connected)


def recorder_fixture() -> Any:
    """A fixture (``recorder``): a ``RecordingTransport`` over the test's ``sb`` fixture."""

    def recorder(sb: Sandbox) -> RecordingTransport:
        return RecordingTransport.of(sb)

    return pytest.fixture(name="recorder")(recorder)


def sleeps(sb: Sandbox) -> list[float]:
    """Every sleep taken on the sandbox's fake clock, in order."""
    return clock_of(sb).sleeps


def hits(sb: Sandbox, route: str, *, injected: bool | None = None) -> int:
    """Requests the sandbox received on ``route`` (dropped connections included); with
    ``injected``, only those a fault answered (True) or only the others (False)."""
    return sum(
        1 for r in sb.requests if r.route == route and (injected is None or r.injected is injected)
    )


@attrs.define
class Exchange:
    """A request a ``RecordingTransport`` passed on, and its answer (None when the transport
    raised instead: a dropped connection, a timeout)."""

    request: httpx.Request
    response: httpx.Response | None = None


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport (the sandbox's) and keeps every request it passes on (body read)
    with its answer (body read), including requests whose answer never came. It is a sync
    and an async transport at once (``of(sb)``: over the sandbox's two), so one test
    reads the same record whichever client sent the requests (issue 25, parity)."""

    def __init__(
        self, inner: httpx.BaseTransport, ainner: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.inner = inner
        self.ainner = ainner
        self.exchanges: list[Exchange] = []

    @classmethod
    def of(cls, sb: Sandbox) -> RecordingTransport:
        """A recorder in front of ``sb``'s in-process transports, sync and async."""
        return cls(sb.transport(), sb.async_transport())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        exchange = self._passed_on(request)
        exchange.response = self.inner.handle_request(request)
        exchange.response.read()
        return exchange.response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.ainner is not None, "RecordingTransport.of(sb) serves async clients"
        await request.aread()
        exchange = self._passed_on(request)
        exchange.response = await self.ainner.handle_async_request(request)
        await exchange.response.aread()
        return exchange.response

    def _passed_on(self, request: httpx.Request) -> Exchange:
        exchange = Exchange(request)
        self.exchanges.append(exchange)
        return exchange

    @property
    def requests(self) -> list[httpx.Request]:
        """Every request passed on, in order."""
        return [e.request for e in self.exchanges]

    def sent(self, method: str) -> list[httpx.Request]:
        """The requests sent with ``method``, in order."""
        return [r for r in self.requests if r.method == method]

    def clear(self) -> None:
        """Forget what was recorded so far."""
        self.exchanges.clear()


def auth_headers(sb: Sandbox, vendor: str) -> dict[str, str]:
    """The headers that authenticate against ``vendor`` in ``sb``, as its adapter sends
    them (the adapter is the one place that knows)."""
    with ef.connect(normalise_vendor(vendor), sandbox=sb) as client:
        return dict(client._auth_headers())


def conformance_error(vendor: str, mount: str, response: httpx.Response) -> str | None:
    """Why ``response`` breaks specs/<vendor>/openapi.yaml, or None when it conforms.

    A thin wrapper over ``tests.support.conformance`` (the one checker): ``mount`` is
    stripped from the request path, and a path no operation serves is a violation
    whatever the status (these tests only call described operations)."""
    request = response.request
    return check_response(
        vendor,
        request.method,
        request.url.raw_path.split(b"?", 1)[0].decode("ascii").removeprefix(mount),
        response.status_code,
        response.headers.get("content-type"),
        response.read(),
        unrouted=frozenset(),
    )


def client(
    sb: Sandbox, vendor: str, *, auth: bool | str = True, check: bool = True
) -> httpx.Client:
    """An httpx client for ``vendor`` on the in-process transport, sending the sandbox's
    credentials (``auth=True``), none (False) or ``Bearer <auth>`` (a string); with
    ``check``, every response is validated against the vendor's spec (except answers the
    sandbox marks injected: wrong on purpose)."""
    mount = sb.vendor(vendor).mount

    def conforms(response: httpx.Response) -> None:
        response.read()
        log = sb.requests
        if log and log[-1].injected:
            return
        problem = conformance_error(vendor, mount, response)
        assert problem is None, problem

    return httpx.Client(
        transport=sb.transport(),
        base_url=sb.base_url(vendor),
        headers=_headers(sb, vendor, auth),
        event_hooks={"response": [conforms]} if check else {},
    )


def clock_of(sb: Sandbox) -> FakeClock:
    """The sandbox's fake clock."""
    assert isinstance(sb.clock, FakeClock)
    return sb.clock


def served_client(server: SandboxServer, sb: Sandbox, vendor: str) -> httpx.Client:
    """An httpx client for ``vendor`` over a served sandbox (real loopback HTTP), sending
    the sandbox's credentials."""
    return httpx.Client(base_url=server.base_url(vendor), headers=auth_headers(sb, vendor))


def _headers(sb: Sandbox, vendor: str, auth: bool | str) -> dict[str, str]:
    if isinstance(auth, str):
        return {"Authorization": f"Bearer {auth}"}
    return auth_headers(sb, vendor) if auth else {}


def as_decoded(value: object) -> object:
    """``value`` (a simulator's ground truth) as the facade decodes it from the JSON the
    simulator writes: every float as the exact ``Decimal`` of the text JSON gives it."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: as_decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_decoded(v) for v in value]
    return value


def served_env(sb: Sandbox, server: SandboxServer) -> dict[str, str]:
    """The environment that points the command at every vendor of ``sb`` served by
    ``server`` (base URLs and credentials), with no config file and no data folder."""
    from expense_facade.cli import main as cli

    env = {"XDG_CONFIG_HOME": "/nonexistent", "XDG_DATA_HOME": "/nonexistent"}
    for vendor in sb.vendors:
        env[cli.base_url_env(vendor)] = server.base_url(vendor)
        for name, value in sb.credentials(vendor).items():
            if name in cli.CREDENTIAL_ENV[vendor]:
                env[cli.CREDENTIAL_ENV[vendor][name]] = value
    return env
