"""Which adapter and which simulator serve which vendor: one line per vendor, as
apache-libcloud keeps a table of driver paths (``set_driver``/``get_driver``), so a
vendor's modules are imported only when asked for. Third-party packages add vendors
through the ``expense_facade.vendors`` entry point group, or at run time with
``register_vendor`` (docs/adapter_guide.md, "Adding a vendor").
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from expense_facade.connect_options import VendorKey
from expense_facade.errors import ConfigurationError
from expense_facade.operations import Operation

if TYPE_CHECKING:
    import importlib.metadata

    from expense_facade.client import ExpenseClient

T = TypeVar("T")

ENTRY_POINT_GROUP = "expense_facade.vendors"
"""Entry points of this group name a vendor key and point at its :class:`VendorEntry`."""


@attrs.frozen
class VendorEntry:
    """One registry line: where a vendor's adapter and simulator live (``"module:Class"``),
    and for a vendor outside this repository the folder of its spec (its prepare.yaml).

    Every other vendor fact (rate limit, page size, credentials and their variables, auth
    headers, the simulator's mount) is a class attribute of the adapter or the simulator.
    """

    adapter: str
    simulator: str
    specs: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))


def _builtin(module: str, adapter: str, simulator: str) -> VendorEntry:
    return VendorEntry(
        f"expense_facade.vendors.{module}:{adapter}",
        f"expense_facade.sandbox.vendors.{module}:{simulator}",
    )


BUILTIN: Mapping[str, VendorEntry] = MappingProxyType(
    {
        "capture": _builtin("capture", "CaptureClient", "CaptureSim"),
        "brex": _builtin("brex", "BrexClient", "BrexSim"),
        "revolut": _builtin("revolut", "RevolutClient", "RevolutSim"),
        "prospend": _builtin("prospend", "ProSpendClient", "ProspendSim"),
        "pazy": _builtin("pazy", "PazyClient", "PazySim"),
    }
)
"""The vendors this distribution ships: key -> registry line."""

_registered: dict[str, VendorEntry] = {}


def register_vendor(key: str, entry: VendorEntry) -> None:
    """Add a vendor at run time (libcloud's ``set_driver``); an entry point does the same
    for an installed package. A key already registered is a ``ConfigurationError``."""
    name = _key(key)
    if name in vendors():
        raise ConfigurationError(f"vendor {name!r} is already registered")
    _registered[name] = entry
    vendors.cache_clear()


@functools.cache
def vendors() -> Mapping[str, VendorEntry]:
    """Every vendor: the built-in ones, those entry points add, those registered at run
    time (each entry point module is imported here; adapters and simulators are not)."""
    import importlib.metadata  # here: reading the installed packages' metadata is first use

    found = dict(BUILTIN)
    for point in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name
    ):
        name = _key(point.name)
        if name in found:
            raise ConfigurationError(
                f"the entry point {point.value} adds vendor {name!r}, which is already registered"
            )
        found[name] = _load_entry(name, point)
    for name, entry in _registered.items():
        found.setdefault(name, entry)
    return MappingProxyType(found)


def _load_entry(name: str, point: importlib.metadata.EntryPoint) -> VendorEntry:
    try:
        entry: Any = point.load()
    except Exception as exc:  # a broken plug-in is named, never a traceback
        raise ConfigurationError(
            f"vendor {name!r}: its entry point {point.value} cannot be loaded: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(entry, VendorEntry):
        raise ConfigurationError(
            f"vendor {name!r}: its entry point {point.value} is not a VendorEntry"
        )
    return entry


def _key(name: str) -> str:
    return name.strip().lower()


def available_vendors() -> tuple[VendorKey, ...]:
    """The vendor keys ``connect`` accepts."""
    return tuple(VendorKey(key) for key in vendors())


def normalise_vendor(vendor: object) -> VendorKey:
    """The registry key for ``vendor``, or ``ConfigurationError`` naming the known ones
    (typed ``VendorKey``: what ``connect`` takes for a vendor not written as a literal)."""
    key = _key(vendor) if isinstance(vendor, str) else None
    if key is None or key not in vendors():
        raise ConfigurationError(
            f"unknown vendor {vendor!r}; known vendors: {', '.join(available_vendors())}"
        )
    return VendorKey(key)


def load_class(vendor: str, target: str, what: str, base: type[T]) -> type[T]:
    """The subclass of ``base`` that ``target`` (``"module:Class"``) names;
    ``ConfigurationError`` when its module is not installed or it is no such class (a
    missing dependency of that module is shown as it is)."""
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name not in (module_name, *_parents(module_name)):
            raise  # a dependency of the module is missing: that is a real bug, show it
        raise ConfigurationError(f"the {vendor} {what} is not installed ({module_name})") from exc
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ConfigurationError(f"the {vendor} {what} {target} is not a {base.__name__}")
    return cls


def adapter_class(vendor: str) -> type[ExpenseClient]:
    """Import and return the client class for ``vendor``."""
    from expense_facade.client import ExpenseClient

    key = normalise_vendor(vendor)
    return load_class(key, vendors()[key].adapter, "adapter", ExpenseClient)


def capabilities(vendor: str) -> frozenset[Operation]:
    """The operations ``vendor`` supports natively, without connecting."""
    return adapter_class(vendor).capabilities


def _parents(module_name: str) -> tuple[str, ...]:
    parts = module_name.split(".")
    return tuple(".".join(parts[:i]) for i in range(1, len(parts)))
