"""The keyword arguments of ``connect`` as the type checker sees them: the names of the
built-in vendors (``VendorName``) and, per vendor, its credential keywords beside the
options every vendor takes, so that ``connect("brexx")``, ``connect("brex", tokn=...)``
and a Revolut setting given to Brex fail ``mypy`` (docs/library.md, "connect").

The run-time checks stay in ``connect``; these types follow the registry (``VendorName``)
and each adapter's ``credential_specs`` (a credentials TypedDict per vendor), and a test
holds them to those (tests/core/test_connect_types.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Literal, NewType, TypedDict, TypeVar

if TYPE_CHECKING:
    import httpx

    from expense_facade._http.pacing import TokenBucket
    from expense_facade._http.retry import RetryPolicy
    from expense_facade._http.session import RateLimit
    from expense_facade.clock import Clock
    from expense_facade.config import Config
    from expense_facade.sandbox import Sandbox
    from expense_facade.vendors.revolut_auth import RevolutRefreshToken

TransportT = TypeVar("TransportT")
"""The transport a client takes: ``httpx.BaseTransport`` for ``connect``,
``httpx.AsyncBaseTransport`` for ``aconnect``."""

VendorName = Literal["capture", "brex", "revolut", "prospend", "pazy"]
"""The vendors this distribution ships (``registry.BUILTIN``'s keys)."""

VendorKey = NewType("VendorKey", str)
"""A vendor key checked at run time (``registry.normalise_vendor``, ``available_vendors``):
what code holding a vendor in a variable, or a plug-in vendor's name, passes to
``connect``."""


class ConnectOptions(TypedDict, Generic[TransportT], total=False):
    """What ``connect`` takes for every vendor (its docstring says what each one does)."""

    account: str | None
    config: str | os.PathLike[str] | Config | bool | None
    base_url: str | None
    sandbox: bool | Sandbox
    timeout: float | httpx.Timeout | None
    max_retries: int | None
    rate_limit: bool | RateLimit | TokenBucket
    clock: Clock | None
    transport: TransportT | None
    retry_policy: RetryPolicy | None
    concurrency: int
    read_ahead: int
    max_response_bytes: int | None
    deadline: float | None


class CaptureOptions(ConnectOptions[TransportT], total=False):
    api_key: str


class BrexOptions(ConnectOptions[TransportT], total=False):
    token: str


class RevolutOptions(ConnectOptions[TransportT], total=False):
    token: str | Callable[[], str] | RevolutRefreshToken
    client_id: str
    refresh_token: str
    private_key_path: str | os.PathLike[str]
    private_key: str | bytes
    issuer: str


class ProSpendOptions(ConnectOptions[TransportT], total=False):
    token: str
    company_id: str | int
    version: str
    ready_status: str


class PazyOptions(ConnectOptions[TransportT], total=False):
    api_key: str
    details: bool


VENDOR_OPTIONS: dict[str, type[ConnectOptions[object]]] = {
    "capture": CaptureOptions,
    "brex": BrexOptions,
    "revolut": RevolutOptions,
    "prospend": ProSpendOptions,
    "pazy": PazyOptions,
}
"""Each built-in vendor's keywords (the test compares them with the adapters')."""

__all__ = [
    "VENDOR_OPTIONS",
    "BrexOptions",
    "CaptureOptions",
    "ConnectOptions",
    "PazyOptions",
    "ProSpendOptions",
    "RevolutOptions",
    "VendorKey",
    "VendorName",
]
