"""Which adapter serves which vendor: a table of import paths (as in apache-libcloud), so an
adapter and its generated package are imported only when asked for
(docs/adapter_guide.md, "The contract").
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from expense_facade.errors import ConfigurationError
from expense_facade.operations import Operation

if TYPE_CHECKING:
    from expense_facade.client import ExpenseClient

ADAPTERS: Mapping[str, tuple[str, str]] = {
    "capture": ("expense_facade.vendors.capture", "CaptureClient"),
    "brex": ("expense_facade.vendors.brex", "BrexClient"),
    "revolut": ("expense_facade.vendors.revolut", "RevolutClient"),
    "prospend": ("expense_facade.vendors.prospend", "ProSpendClient"),
    "pazy": ("expense_facade.vendors.pazy", "PazyClient"),
}
"""Vendor key -> (adapter module, client class name)."""


def available_vendors() -> tuple[str, ...]:
    """The vendor keys ``connect`` accepts."""
    return tuple(ADAPTERS)


def normalise_vendor(vendor: object) -> str:
    """The registry key for ``vendor``, or ``ConfigurationError`` naming the known ones."""
    key = vendor.strip().lower() if isinstance(vendor, str) else None
    if key is None or key not in ADAPTERS:
        raise ConfigurationError(
            f"unknown vendor {vendor!r}; known vendors: {', '.join(available_vendors())}"
        )
    return key


def adapter_class(vendor: str) -> type[ExpenseClient]:
    """Import and return the client class for ``vendor``."""
    from expense_facade.client import ExpenseClient

    key = normalise_vendor(vendor)
    module_name, class_name = ADAPTERS[key]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name not in (module_name, *_parents(module_name)):
            raise  # a dependency of the adapter is missing: that is a real bug, show it
        raise ConfigurationError(f"the {key} adapter is not installed ({module_name})") from exc
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, ExpenseClient)):
        raise ConfigurationError(f"{module_name}.{class_name} is not an ExpenseClient")
    return cls


def capabilities(vendor: str) -> frozenset[Operation]:
    """The operations ``vendor`` supports natively, without connecting."""
    return adapter_class(vendor).capabilities


def _parents(module_name: str) -> tuple[str, ...]:
    parts = module_name.split(".")
    return tuple(".".join(parts[:i]) for i in range(1, len(parts)))
