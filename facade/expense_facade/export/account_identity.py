"""What an account is to the export: the key that dedupes its records (independent of how
its URL is spelled) and the identity its incremental position belongs to (the canonical
base URL and a keyed fingerprint of its credentials) (docs/export.md, "Account
identity").
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from typing import Protocol

import attrs
import httpx

from expense_facade.errors import ExpenseFacadeError
from expense_facade.registry import adapter_class

LOOPBACK = "127.0.0.1"
"""How every loopback spelling (``localhost``, ``127.0.0.2``, ``::1``) is written."""

ANY_ACCOUNT = "*"
"""The dedupe scope of a vendor whose ids are unique across all of its customers."""

_NAME = re.compile(r"[a-z0-9_-]{1,63}")


def _number(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also takes "²", which ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def canonical_host(host: str) -> str:
    """``host`` lower-cased, without a trailing dot or brackets; loopback as ``LOOPBACK``."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return LOOPBACK
    try:
        if ipaddress.ip_address(name).is_loopback:
            return LOOPBACK
    except ValueError:
        pass
    return name


def canonical_base_url(url: str) -> str:
    """``scheme://host[:port]/path`` with the host canonical, no default or loopback port
    (a sandbox served on a new port each run is the same account), no trailing ``/``."""
    parsed = httpx.URL(url)
    host = canonical_host(parsed.host)
    port = "" if parsed.port is None or host == LOOPBACK else f":{parsed.port}"
    return f"{parsed.scheme.lower()}://{host}{port}{parsed.path.rstrip('/')}"


def canonical_label(label: str) -> str:
    """An account label (``client.account``) as the ledger keys it: a configured name as
    it is; derived coordinates (``host[:port][/company]``) with the host canonical, no
    loopback port, and a numeric company without leading zeros (ProSpend's ``01234`` is
    ``1234``)."""
    if _NAME.fullmatch(label) and label != "localhost":
        return label  # a name from the config file
    where, _, company = label.partition("/")
    host, port = where, ""
    head, colon, tail = where.rpartition(":")
    if colon and _number(tail) and not head.endswith(":"):
        host, port = head, tail
    host = canonical_host(host)
    text = host if not port or host == LOOPBACK else f"{host}:{port}"
    if company:
        text += "/" + (str(int(company)) if _number(company) else company)
    return text


def ids_unique_across_accounts(vendor: str) -> bool:
    """True when the vendor's ids are unique across all of its customers (the adapter's
    ``ids_unique_across_accounts``; False for a vendor this version does not know)."""
    try:
        return adapter_class(vendor).ids_unique_across_accounts
    except (ExpenseFacadeError, ValueError, KeyError):
        return False


def dedupe_scope(vendor: str, label: str) -> str:
    """The account part of the key that dedupes a record: the whole vendor where its ids
    are unique across customers, else the canonical label."""
    return ANY_ACCOUNT if ids_unique_across_accounts(vendor) else canonical_label(label)


class IdentifiedClient(Protocol):
    """What an identity is read from (``ExpenseClient`` has it)."""

    @property
    def vendor(self) -> str: ...

    @property
    def account(self) -> str: ...

    base_url: str

    def credential_fingerprint(self, key: bytes) -> str: ...


@attrs.frozen(slots=True)
class AccountIdentity:
    """One account as the export sees it."""

    vendor: str
    label: str
    """``client.account``: the configured name, or the coordinates (records carry it)."""
    base_url: str
    """The canonical base URL."""
    credentials: str
    """HMAC-SHA256 of the credentials under the ledger's own key (never the secret)."""

    @property
    def scope(self) -> str:
        """The account part of the dedupe key (``dedupe_scope``)."""
        return dedupe_scope(self.vendor, self.label)

    @property
    def position_label(self) -> str:
        """The label the incremental position is kept under (``canonical_label``)."""
        return canonical_label(self.label)

    @property
    def key(self) -> str:
        """What the incremental position belongs to: base URL and credentials."""
        text = f"{self.base_url}\0{self.credentials}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def describe(self) -> str:
        """``brex (127.0.0.1)`` or ``brex.acme``, for messages."""
        return f"{self.vendor} ({self.label})"


def identify(client: IdentifiedClient, key: bytes) -> AccountIdentity:
    """The identity of ``client``'s account under the ledger's ``key``."""
    return AccountIdentity(
        vendor=client.vendor,
        label=client.account,
        base_url=canonical_base_url(client.base_url),
        credentials=client.credential_fingerprint(key),
    )


__all__ = [
    "ANY_ACCOUNT",
    "LOOPBACK",
    "AccountIdentity",
    "IdentifiedClient",
    "canonical_base_url",
    "canonical_host",
    "canonical_label",
    "dedupe_scope",
    "identify",
    "ids_unique_across_accounts",
]
