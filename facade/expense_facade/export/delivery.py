"""Delivering records to the user's own system (an accounting API, a queue, a warehouse):
at least once, each record under a stable idempotency key, the ledger recording it only
after the destination acknowledged it (docs/scale.md, "Your own destination").

A ``Destination`` has a ``name`` (stable: the ledger binds its records to it) and a
``deliver`` method that returns once the destination holds every record it was given (an
acknowledgement) and raises otherwise. It may also have ``held_keys``: after a crash
between delivering and recording, the ledger asks which keys the destination holds and
records those; the rest are delivered again, under the same keys, when the vendor lists
them again. A destination that cannot answer is simply sent them again: it must treat a
key it already holds as done (that is what the key is for).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from expense_facade.export.account_identity import dedupe_scope
from expense_facade.export.sinks import JsonLinesFormat, Sink, SinkError

PREFIX = "deliver:"
"""How the ledger names a destination (``deliver:<name>``)."""


@attrs.frozen(slots=True)
class Delivery:
    """One record to deliver: its idempotency key and the common record as JSON-ready
    data (``Expense.to_dict(include_raw=True)``)."""

    key: str
    record: dict[str, Any] = attrs.field(repr=False)


class Destination(Protocol):
    """What a destination implements (see the module docstring)."""

    @property
    def name(self) -> str: ...

    def deliver(self, deliveries: Sequence[Delivery]) -> None:
        """Return once every delivery is held (acknowledged); raise if not all are."""
        ...


@runtime_checkable
class KeyedDestination(Protocol):
    """A destination that can say which idempotency keys it holds (optional)."""

    def held_keys(self, keys: Sequence[str]) -> Collection[str]: ...


def idempotency_key(vendor: str, account: str | None, expense_id: str) -> str:
    """The record's key: the same on every run and every retry, and for every spelling
    of the account (a hash of what the ledger dedupes by: vendor, the account's dedupe
    scope, id; so no id leaks through a header and any length fits)."""
    text = "\x1f".join((vendor, dedupe_scope(vendor, account or ""), expense_id))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class DeliverySink(Sink):
    """The export's sink for a ``Destination``: each batch the ledger announces (intent)
    is delivered, and recorded written once ``deliver`` returns."""

    durable = True

    def __init__(self, destination: Destination) -> None:
        name = destination.name
        if not isinstance(name, str) or not name.strip():
            raise SinkError("a destination needs a non-empty name (the ledger binds to it)")
        self.destination = destination
        self.identity = PREFIX + name
        self.format = JsonLinesFormat(include_raw=True)

    def offset(self) -> int:
        return 0  # nothing to cut back: a destination keeps what it acknowledged

    def append(self, chunks: Sequence[bytes]) -> None:
        deliveries = []
        for chunk in chunks:
            record = json.loads(chunk)
            key = idempotency_key(record["vendor"], record.get("account"), record["id"])
            deliveries.append(Delivery(key, record))
        try:
            self.destination.deliver(deliveries)
        except Exception as exc:
            # Not acknowledged: the intent stands, and the next run settles the batch
            # (asks what the destination holds, or delivers again under the same keys).
            raise SinkError(
                f"{self.identity} did not acknowledge {len(deliveries)} record(s): "
                f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
            ) from exc

    def held(self, records: Sequence[tuple[str, str | None, str]]) -> set[str] | None:
        """Of ``(vendor, account, id)``, the ids the destination says it holds; None
        when it cannot say (no ``held_keys``)."""
        if not isinstance(self.destination, KeyedDestination):
            return None
        keys = {idempotency_key(v, a, i): i for v, a, i in records}
        return {keys[k] for k in self.destination.held_keys(list(keys)) if k in keys}


__all__ = [
    "PREFIX",
    "Delivery",
    "DeliverySink",
    "Destination",
    "KeyedDestination",
    "idempotency_key",
]
