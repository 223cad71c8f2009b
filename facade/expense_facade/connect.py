"""``connect``: the public entry point that validates settings and builds a vendor client
(docs/library.md, "connect"). It imports the HTTP layer on the first call, not at import
time: the package binds ``connect`` eagerly, and ``import expense_facade`` stays light.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, Unpack, overload

from expense_facade._http.concurrency import DEFAULT_FAN_OUT, check_concurrency, check_read_ahead
from expense_facade.clock import Clock, SystemClock
from expense_facade.errors import ConfigurationError
from expense_facade.registry import adapter_class, normalise_vendor

if TYPE_CHECKING:
    import httpx

    from expense_facade._http.pacing import TokenBucket
    from expense_facade._http.retry import RetryPolicy
    from expense_facade._http.session import RateLimit
    from expense_facade.async_client import AsyncExpenseClient
    from expense_facade.client import ConnectionSettings, ExpenseClient
    from expense_facade.config import Account, Config
    from expense_facade.connect_options import (
        BrexOptions,
        CaptureOptions,
        PazyOptions,
        ProSpendOptions,
        RevolutOptions,
        VendorKey,
    )
    from expense_facade.sandbox import Sandbox
    from expense_facade.vendors.brex import BrexClient
    from expense_facade.vendors.capture import CaptureClient
    from expense_facade.vendors.pazy import PazyClient
    from expense_facade.vendors.prospend import ProSpendClient
    from expense_facade.vendors.revolut import RevolutClient

    RateLimitSetting = bool | RateLimit | TokenBucket


# Per vendor: its client class and its credential keywords (connect_options); a vendor
# held in a variable, or a plug-in's, is a VendorKey (registry.normalise_vendor).
@overload
def connect(
    vendor: Literal["capture"], **options: Unpack[CaptureOptions[httpx.BaseTransport]]
) -> CaptureClient: ...
@overload
def connect(
    vendor: Literal["brex"], **options: Unpack[BrexOptions[httpx.BaseTransport]]
) -> BrexClient: ...
@overload
def connect(
    vendor: Literal["revolut"], **options: Unpack[RevolutOptions[httpx.BaseTransport]]
) -> RevolutClient: ...
@overload
def connect(
    vendor: Literal["prospend"], **options: Unpack[ProSpendOptions[httpx.BaseTransport]]
) -> ProSpendClient: ...
@overload
def connect(
    vendor: Literal["pazy"], **options: Unpack[PazyOptions[httpx.BaseTransport]]
) -> PazyClient: ...
@overload
def connect(vendor: VendorKey, **options: Any) -> ExpenseClient: ...


def connect(
    vendor: str,
    *,
    account: str | None = None,
    config: str | os.PathLike[str] | Config | bool | None = None,
    base_url: str | None = None,
    sandbox: bool | Sandbox = False,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
    rate_limit: RateLimitSetting = True,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    retry_policy: RetryPolicy | None = None,
    concurrency: int = DEFAULT_FAN_OUT,
    read_ahead: int = 0,
    max_response_bytes: int | None = None,
    deadline: float | None = None,
    **credentials: Any,
) -> ExpenseClient:
    """A client for one vendor account.

    ``credentials`` are the vendor's keyword arguments: capture ``api_key``; brex
    ``token``; revolut ``token`` (a string, or a callable returning the current access
    token); prospend ``token`` (+ ``company_id``, ``version="beta"``); pazy ``api_key``.

    Credentials and ``base_url`` not given are read from the environment
    (``EXPENSE_FACADE_<VENDOR>_<NAME>``, e.g. ``EXPENSE_FACADE_BREX_TOKEN``) and the config
    file, as the command reads them (docs/command.md); arguments given win. ``config``:
    ``None`` reads ``$EXPENSE_FACADE_CONFIG`` or the default file, a path that file, a
    ``expense_facade.config.Config`` that one, ``False`` neither the environment nor a
    file. ``account`` picks a named account of the config (``[brex.acme]`` ->
    ``account="acme"``); without it, the vendor's unnamed account (or the only one
    configured). The client's ``account`` is the account's identity: that name, else one
    derived from the vendor's coordinates (host, company).

    ``base_url`` defaults to the vendor's production server; it must be https unless it
    is a loopback address. ``sandbox=True`` talks to a fresh in-process
    ``expense_facade.sandbox.Sandbox`` (its credentials and base URL are used unless
    given), ``sandbox=<Sandbox>`` to that one (and its clock, unless ``clock`` is given).

    ``timeout``: seconds or an ``httpx.Timeout`` (default: connect 10 s, read 60 s, 120 s
    for slow vendors). ``deadline``: seconds one attempt may take from connect to last
    byte (default: ``timeout`` when it is a number, else 300 s); a body still arriving
    then is a timeout (retried for reads). ``max_response_bytes``: largest body accepted,
    counted after decompression (default 96 MiB; docs/limits.md). ``max_retries``:
    retries after the first attempt (default 3).
    ``rate_limit``: ``True`` (the default) paces requests to the vendor's documented limit
    (none for vendors that document none, and none against the in-process sandbox, which
    enforces no limit unless told to); ``False`` never paces; a ``RateLimit`` (or a
    ``TokenBucket``, to share one budget between clients) paces to that, wherever the
    client talks to. ``None`` is refused (``ConfigurationError``): it reads as "no limit"
    as easily as "the default". ``clock`` and ``transport`` are injectable for tests;
    ``retry_policy`` replaces the whole retry policy (jitter too). ``concurrency``: requests
    in flight at once where a listing fans out (ProSpend's claims -> expenses, Pazy's
    details): default 1, one at a time in a deterministic order; 8 overlaps the vendor's
    latency (an export's listing then runs several times faster); pacing to the rate limit
    applies to all of them. ``get_expenses`` takes its own ``concurrency`` (default 8).
    ``read_ahead``: pages each listing fetches ahead of its consumer (default 0; 1 lets an
    export write one page while the next is requested).

    Raises ``ConfigurationError`` for an unknown vendor, a missing or unknown credential,
    an insecure base URL, or a setting of the wrong type or out of range.
    """
    options = dict(locals())  # every parameter above, as aconnect passes them too
    cls, settings = _settings(asynchronous=False, **options.pop("credentials"), **options)
    return cls(settings)


@overload
def aconnect(
    vendor: Literal["capture"], **options: Unpack[CaptureOptions[httpx.AsyncBaseTransport]]
) -> AsyncExpenseClient: ...
@overload
def aconnect(
    vendor: Literal["brex"], **options: Unpack[BrexOptions[httpx.AsyncBaseTransport]]
) -> AsyncExpenseClient: ...
@overload
def aconnect(
    vendor: Literal["revolut"], **options: Unpack[RevolutOptions[httpx.AsyncBaseTransport]]
) -> AsyncExpenseClient: ...
@overload
def aconnect(
    vendor: Literal["prospend"], **options: Unpack[ProSpendOptions[httpx.AsyncBaseTransport]]
) -> AsyncExpenseClient: ...
@overload
def aconnect(
    vendor: Literal["pazy"], **options: Unpack[PazyOptions[httpx.AsyncBaseTransport]]
) -> AsyncExpenseClient: ...
@overload
def aconnect(vendor: VendorKey, **options: Any) -> AsyncExpenseClient: ...


def aconnect(vendor: str, **options: Any) -> AsyncExpenseClient:
    """An ``AsyncExpenseClient`` for one vendor account: ``connect``'s parameters,
    credentials, environment, config file and sandbox, for asyncio (``transport`` is then
    an ``httpx.AsyncBaseTransport``; ``sandbox=`` serves it in-process through the
    simulator's async transport). Use it with ``async with``. docs/library.md, "Async".
    """
    import inspect

    from expense_facade.async_client import AsyncExpenseClient
    from expense_facade.client import blocking_only

    bound = inspect.signature(connect).bind(vendor, **options)
    bound.apply_defaults()  # connect's defaults: one place
    arguments = dict(bound.arguments)
    cls, settings = _settings(asynchronous=True, **arguments.pop("credentials"), **arguments)
    if blocking := blocking_only(cls):  # else each call would say "unsupported", wrongly
        names = ", ".join(operation.value for operation in blocking)
        raise ConfigurationError(
            f"{cls.vendor}: the adapter writes {names} as blocking hooks only, which serve "
            "connect, not aconnect (docs/adapter_guide.md, 'Hooks': write them as steps)"
        )
    return AsyncExpenseClient(cls(settings))


def _settings(
    vendor: str,
    *,
    asynchronous: bool,
    account: str | None,
    config: str | os.PathLike[str] | Config | bool | None,
    base_url: str | None,
    sandbox: bool | Sandbox,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    rate_limit: RateLimitSetting,
    clock: Clock | None,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
    retry_policy: RetryPolicy | None,
    concurrency: int,
    read_ahead: int,
    max_response_bytes: int | None,
    deadline: float | None,
    **credentials: Any,
) -> tuple[type[ExpenseClient], ConnectionSettings]:
    """``connect``'s parameters checked and resolved: the adapter class and its settings
    (for the blocking client, or, ``asynchronous``, for ``aconnect``'s)."""
    import attrs  # see the module docstring: the HTTP layer loads on the first call
    import httpx

    from expense_facade.logs import configure_from_environment

    configure_from_environment()  # EXPENSE_FACADE_LOG=debug|info|warning, once per process

    from expense_facade._http.limits import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
    from expense_facade._http.retry import (
        DEFAULT_MAX_RETRIES,
        RetryPolicy,
        as_timeout,
        check_max_retries,
        positive_seconds,
    )
    from expense_facade._http.session import require_secure_url

    key = normalise_vendor(vendor)
    cls = adapter_class(key)

    in_process_sandbox = False
    found: Account | None = None
    use_config = config is not False and not (sandbox is not False and sandbox is not None)
    if use_config:
        from expense_facade.config import Config  # lazy: keeps the package import light

        found = (config if isinstance(config, Config) else _load_config(config)).account(
            key, account
        )
        configured = dict(found.settings)
        base_url = base_url or configured.pop("base_url", None)
        configured.pop("base_url", None)
        credentials = {**configured, **credentials}
        account = found.name
    elif account is not None:
        from expense_facade.config import check_account_name

        check_account_name(account)
    if sandbox is not False and sandbox is not None:
        from expense_facade.sandbox import Sandbox  # lazy: the simulator is heavy

        sim = Sandbox() if sandbox is True else sandbox
        if not isinstance(sim, Sandbox):
            raise ConfigurationError("sandbox must be True, False or a Sandbox instance")
        credentials = {**sim.credentials(key), **credentials}
        if clock is None:
            clock = sim.clock  # retries wait on the clock that drives the simulator's faults
        if base_url is None:
            base_url = sim.base_url(key)
            if transport is None:
                transport = sim.async_transport() if asynchronous else sim.transport()
                in_process_sandbox = True
    wanted = httpx.AsyncBaseTransport if asynchronous else httpx.BaseTransport
    if transport is not None and not isinstance(transport, wanted):
        raise ConfigurationError(
            f"transport must be an httpx.{wanted.__name__} for "
            f"{'aconnect' if asynchronous else 'connect'}, not {type(transport).__name__}"
        )

    resolved = _check_credentials(cls.vendor or key, credentials, cls, found)
    url = base_url or cls.default_base_url
    if not url:
        raise ConfigurationError(f"{key}: no base_url given and the adapter has no default")
    require_secure_url(url)

    try:
        timeouts = as_timeout(timeout, read=cls.read_timeout)
        if deadline is not None:
            per_attempt = positive_seconds(deadline, "deadline")
        elif timeout is not None and not isinstance(timeout, httpx.Timeout):
            per_attempt = float(timeout)  # timeout=10 bounds the whole attempt too
        else:
            per_attempt = DEFAULT_DEADLINE
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    body_limit = DEFAULT_MAX_RESPONSE_BYTES if max_response_bytes is None else max_response_bytes
    if isinstance(body_limit, bool) or not isinstance(body_limit, int) or body_limit < 1:
        raise ConfigurationError(
            f"max_response_bytes must be a positive integer, not {max_response_bytes!r}"
        )
    policy = retry_policy or RetryPolicy()
    if max_retries is not None:
        try:
            policy = attrs.evolve(policy, max_retries=check_max_retries(max_retries))
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
    elif retry_policy is None:
        policy = attrs.evolve(policy, max_retries=DEFAULT_MAX_RETRIES)
    try:
        check_concurrency(concurrency)
        check_read_ahead(read_ahead)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    the_clock = clock or SystemClock()

    from expense_facade.client import ConnectionSettings

    settings = ConnectionSettings(
        base_url=url,
        credentials=resolved,
        timeout=timeouts,
        retry_policy=policy,
        rate_limiter=_rate_limiter(
            key, cls.rate_limit, rate_limit, the_clock, in_process_sandbox, url
        ),
        clock=the_clock,
        transport=transport if isinstance(transport, httpx.BaseTransport) else None,
        async_transport=transport if isinstance(transport, httpx.AsyncBaseTransport) else None,
        sync_http=not asynchronous,
        concurrency=concurrency,
        read_ahead=read_ahead,
        account=account,
        max_response_bytes=body_limit,
        deadline=per_attempt,
    )
    return cls, settings


def _load_config(config: str | os.PathLike[str] | bool | None) -> Config:
    from expense_facade.config import Config

    if config is True or config is None:
        return Config.load()
    if isinstance(config, str | os.PathLike):
        return Config.load(config)
    raise ConfigurationError(
        f"config must be a path, a Config, None or False, not {type(config).__name__}"
    )


def _check_credentials(
    vendor: str, given: dict[str, Any], cls: type[ExpenseClient], found: Account | None
) -> dict[str, Any]:
    known = (*cls.required_credentials, *cls.optional_credentials)
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ConfigurationError(
            f"{vendor}: unknown argument(s) {', '.join(unknown)}; "
            f"credentials for {vendor}: {', '.join(known) or '(none)'}"
        )
    resolved = {**cls.optional_credentials, **given}
    for spec in cls.credential_specs:  # a value that could not be sent is refused now
        value = resolved.get(spec.name)
        if isinstance(value, str):
            spec.check_text(value, f"{vendor}: credential {spec.name!r}")
    missing = [
        name
        for name in cls.required_credentials
        if resolved.get(name) is None
        or (isinstance(resolved[name], str) and not resolved[name].strip())
    ]
    if missing and found is not None:
        found.require(resolved, cls)  # names the variable and the config key too
    if missing:
        raise ConfigurationError(
            f"{vendor}: missing credential {', '.join(repr(m) for m in missing)} "
            f"(pass {', '.join(f'{m}=...' for m in missing)} to connect)"
        )
    return resolved


def _rate_limiter(
    vendor: str,
    declared: RateLimit | None,
    setting: object,
    clock: Clock,
    in_process_sandbox: bool,
    base_url: str,
) -> TokenBucket | None:
    import httpx

    from expense_facade._http.pacing import TokenBucket
    from expense_facade._http.redaction import get_logger
    from expense_facade._http.session import RateLimit, is_loopback_host

    if isinstance(setting, TokenBucket):
        return setting
    if isinstance(setting, RateLimit):
        return setting.bucket(clock)
    if setting is None:
        raise ConfigurationError(
            "rate_limit=None is not a setting: pass True (pace to the vendor's documented "
            "limit, the default), False (no pacing) or a RateLimit"
        )
    if not isinstance(setting, bool):
        raise ConfigurationError(
            f"rate_limit must be True, False, a RateLimit or a TokenBucket, not {setting!r}"
        )
    preset = declared  # the adapter's own rate_limit: the one place a vendor's limit lives
    if setting is False or preset is None or in_process_sandbox:
        # The in-process simulator enforces no limit unless told to (then pass a
        # RateLimit): pacing it would only slow tests down.
        return None
    if is_loopback_host(httpx.URL(base_url).host):
        # A loopback server is a sandbox or a test double, not the vendor: pacing it at
        # Revolut's 60 a minute made 189 records take 25 s. Said once per vendor.
        if vendor not in _SAID_NOT_PACED:
            _SAID_NOT_PACED.add(vendor)
            get_logger(__name__).info(
                "%s: %s is a loopback address: requests are not paced to the vendor's "
                "rate limit (pass rate_limit=RateLimit(...) to pace them)",
                vendor,
                base_url,
            )
        return None
    return preset.bucket(clock)


_SAID_NOT_PACED: set[str] = set()
