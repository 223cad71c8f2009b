"""The contract every vendor simulator fulfils (``VendorSim``) and a small router for its
paths, which answers a ``Refusal`` a request helper raises (docs/sandbox.md, "Reference").
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

from expense_facade.clock import Clock
from expense_facade.sandbox.wire import Refusal, SimRequest, SimResponse, json_response

PathParams = Mapping[str, str]
Handler = Callable[[SimRequest, PathParams], SimResponse]

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``/v1/expenses/{expense_id}`` → a regex matching one path segment per ``{param}``."""
    parts: list[str] = []
    last = 0
    for match in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>[^/]+)")
        last = match.end()
    parts.append(re.escape(pattern[last:]))
    return re.compile("^" + "".join(parts) + "$")


@attrs.frozen
class Route:
    """One ``METHOD /path/{param}`` and its handler."""

    method: str
    pattern: str
    handler: Handler
    regex: re.Pattern[str] = attrs.field(init=False)

    @regex.default
    def _compile(self) -> re.Pattern[str]:
        return compile_pattern(self.pattern)

    @property
    def key(self) -> str:
        """``"GET /v1/expenses/{expense_id}"``: the name faults are attached to."""
        return f"{self.method} {self.pattern}"


@attrs.frozen
class RouteMatch:
    """A matched route with its path parameters (already percent-decoded)."""

    route: Route
    params: PathParams


class Router:
    """An ordered list of routes; first match wins. Literal routes should be added before
    parameterised ones that could also match them (``/card/receipt_match`` before
    ``/{expense_id}``)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` and ``pattern``."""
        self.routes.append(Route(method.upper(), pattern, handler))

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The route for ``method path``, or None."""
        from urllib.parse import unquote

        for route in self.routes:
            if route.method != method.upper():
                continue
            found = route.regex.match(path)
            if found is not None:
                params = {k: unquote(v) for k, v in found.groupdict().items()}
                return RouteMatch(route, params)
        return None

    def path_exists(self, path: str) -> bool:
        """True when some method is routed for ``path`` (for 405 versus 404)."""
        return any(route.regex.match(path) for route in self.routes)

    def dispatch(self, req: SimRequest) -> SimResponse | None:
        """Call the matching handler (a ``Refusal`` it raises is its answer); None when
        nothing matches."""
        found = self.match(req.method, req.path)
        if found is None:
            return None
        try:
            return found.route.handler(req, found.params)
        except Refusal as refusal:
            return refusal.response

    def answer(
        self,
        req: SimRequest,
        *,
        not_allowed: Callable[[], SimResponse],
        not_found: Callable[[], SimResponse],
    ) -> SimResponse:
        """The matching handler's answer; otherwise the vendor's 405 for a known path asked
        with another method, or its 404."""
        answer = self.dispatch(req)
        if answer is not None:
            return answer
        return not_allowed() if self.path_exists(req.path) else not_found()


class VendorSim(abc.ABC):
    """A stateful simulator of one vendor's API.

    Subclasses set ``key`` (the vendor key), ``mount`` (path prefix in the sandbox, e.g.
    ``"/revolut/api/1.0"``) and ``rate_limit`` (the published ``(requests, per_seconds)``
    or None), and implement ``credentials``, ``authenticate`` and ``handle``.
    """

    key: ClassVar[str]
    mount: ClassVar[str]
    rate_limit: ClassVar[tuple[int, float] | None] = None
    request_id_header: ClassVar[str] = "X-Request-Id"
    """The header every answer carries its request id in: the vendor's own where it
    documents one (none of the five publishes one), else ``X-Request-Id``."""
    # Record fields the generic "mutate_records" fault may touch (see faults.py).
    enum_fields: ClassVar[tuple[str, ...]] = ("status", "state")
    date_fields: ClassVar[tuple[str, ...]] = ()
    amount_fields: ClassVar[tuple[str, ...]] = ()
    protected_fields: ClassVar[tuple[str, ...]] = ("id",)
    # The free-text field the "invalid_utf8" mutation spoils (one the adapter reads).
    text_fields: ClassVar[tuple[str, ...]] = ("description",)
    # Where a list page holds its next cursor (dotted), for the fresh-cursor-loop fault;
    # None for a vendor that does not page by cursor. The cursor is sent back as `cursor`.
    next_cursor_field: ClassVar[str | None] = None
    cursor_param: ClassVar[str] = "cursor"
    list_route: ClassVar[str] = ""
    """The route of the listing's first request (``"GET /v1/expenses"``): its answers are
    the list pages, every other request per-record work (benchmarks and tests count them)."""
    unknown_expense_id: ClassVar[str] = "00000000-0000-4000-8000-000000000000"
    """An expense id, as the facade's adapter takes it, that this simulator never issues
    (the recorder's not-found scenario asks for it)."""

    def __init__(self, *, seed: int, size: int, clock: Clock) -> None:
        self.seed = seed
        self.size = size
        self.clock = clock
        self.router = Router()

    # -- the contract -------------------------------------------------------------------

    @abc.abstractmethod
    def credentials(self) -> dict[str, str]:
        """Keyword arguments for ``expense_facade.connect`` (e.g. ``{"token": "..."}``)."""

    def refresh_credentials(self) -> dict[str, str] | None:
        """The settings of the vendor's token refresh flow, where it has one (revolut:
        client id, refresh token, private key, issuer); ``None`` otherwise."""
        return None

    @abc.abstractmethod
    def authenticate(self, req: SimRequest) -> SimResponse | None:
        """None when the request carries the right credential, else the vendor's 401."""

    @abc.abstractmethod
    def handle(self, req: SimRequest) -> SimResponse:
        """Answer an authenticated request (unknown route → the vendor's 404)."""

    # -- hooks with generic defaults; vendors override to speak their own dialect --------

    def error_response(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> SimResponse:
        """The vendor's error body for ``status`` (used by status faults)."""
        return json_response(status, {"message": message}, headers)

    def rate_limited_response(self, retry_after: float) -> SimResponse:
        """The vendor's 429 when its rate limit is exceeded. The default sends
        ``Retry-After`` in whole seconds; vendors that document no header override."""
        seconds = max(1, int(retry_after + 0.999))
        return self.error_response(429, "Too Many Requests", {"Retry-After": str(seconds)})

    def record_lists(self, body: Any) -> list[list[Any]]:
        """The lists of records inside a parsed response body (for record mutation faults).
        Default: every list of objects that have an ``id``, anywhere in the body."""
        found: list[list[Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, list):
                if node and all(isinstance(x, dict) and "id" in x for x in node):
                    found.append(node)
                    return
                for x in node:
                    walk(x)
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)

        walk(body)
        if not found and isinstance(body, dict) and "id" in body:
            found.append([body])
        return found

    def extra_mounts(self) -> Mapping[str, Callable[[SimRequest], SimResponse]]:
        """Additional path prefixes this vendor serves on the same host without its own
        authentication (brex's pre-signed upload bucket). The handler gets ``path``
        relative to the prefix; faults name such a route ``"PUT <prefix>"``."""
        return {}

    # -- introspection (ground truth for tests) ------------------------------------------

    def approved_ids(self) -> Iterator[str]:
        """The ids that "list approved" should return, in the vendor's list order."""
        raise NotImplementedError(f"{self.key}: approved_ids")

    def approve_waiting(self, count: int) -> None:
        """Approve about ``count`` expenses waiting for approval, through this simulator's
        own hooks (late approvals: what an incremental export must find)."""
        raise NotImplementedError(f"{self.key}: approve_waiting")

    def route_keys(self) -> list[str]:
        """Every ``"METHOD /pattern"`` this simulator serves (names for faults)."""
        return [route.key for route in self.router.routes]

    def match_route(self, method: str, path: str) -> Route | None:
        """The route a request would take (the sandbox uses it to attach faults)."""
        found = self.router.match(method, path)
        return None if found is None else found.route
