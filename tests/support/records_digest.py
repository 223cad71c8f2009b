"""A digest of every record a listing hands out, field by field, so that an optimisation
of the mapping can be shown to change nothing (tests/mapping/test_records_unchanged.py).

Every attrs field is included (``raw`` too, in its key order), every value tagged with its
type (``Decimal("1.10")`` is not ``Decimal("1.1")``, ``1`` is not ``True``, a datetime
carries its offset and zone), records in listing order, and the malformed records with
their reasons and payloads.

    PYTHONPATH=tests .venv/bin/python -m support.records_digest --write   # after an intended change

rewrites ``tests/mapping/records_digest.json`` from the current code (say why in the
commit: the digest was made by the code before the per-record optimisations of issue 23).
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from expense_facade.registry import normalise_vendor

DIGEST_FILE = Path(__file__).resolve().parents[1] / "mapping" / "records_digest.json"

VENDORS: Mapping[str, tuple[str, Mapping[str, Any]]] = {
    "capture": ("capture", {}),
    "brex": ("brex", {}),
    "revolut": ("revolut", {}),
    "prospend": ("prospend", {}),
    "pazy (list summaries)": ("pazy", {"details": False}),
    "pazy (with details)": ("pazy", {}),
}
"""Name -> (vendor, connect options)."""

ODD_VALUES: Mapping[str, frozenset[str]] = {
    "odd values": frozenset(
        {
            "unknown_enum",
            "amount_as_string",
            "malformed_date",
            "invalid_utf8",
            "long_amounts",
            "extra_fields",
        }
    ),
    "null values": frozenset({"null_values"}),
    "missing fields": frozenset({"missing_optional"}),
}
"""The sandbox's record mutations (``Fault.mutate_records``) each odd-value listing makes,
on the first records of every answer: what the parse warnings and malformed records say."""

ODD_PER_ANSWER = 3


def listings() -> dict[str, tuple[str, int, Mapping[str, Any], frozenset[str]]]:
    """Name -> (vendor, sandbox size, connect options, mutations): every vendor's listing
    of 20,000 expenses as served (2,000 for Pazy read through its details), and of 1,000
    with each kind of odd value."""
    found = {}
    for name, (vendor, options) in VENDORS.items():
        size = 2_000 if vendor == "pazy" and options.get("details", True) else 20_000
        found[name] = (vendor, size, options, frozenset[str]())
        for odd, mutations in ODD_VALUES.items():
            found[f"{name}, {odd}"] = (vendor, 1_000, options, mutations)
    return found


def canonical(value: Any) -> Any:
    """``value`` as JSON-able data that tells apart every value the records can hold."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, enum.Enum):
        return [type(value).__name__, value.value]
    if isinstance(value, str):  # a str subclass (InvalidText): its class and its text
        return [type(value).__name__, str(value), repr(getattr(value, "raw", None))]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, Decimal):
        return ["Decimal", str(value)]
    if isinstance(value, dt.datetime):
        return ["datetime", value.isoformat(), repr(value.tzinfo)]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    if attrs.has(type(value)):
        return [
            type(value).__name__,
            [[f.name, canonical(getattr(value, f.name))] for f in attrs.fields(type(value))],
        ]
    if isinstance(value, Mapping):
        return [type(value).__name__, [[canonical(k), canonical(v)] for k, v in value.items()]]
    if isinstance(value, list | tuple):
        return [type(value).__name__, [canonical(v) for v in value]]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def digest(records: Iterable[Any]) -> tuple[int, str]:
    """(how many, sha256 of their canonical forms in order)."""
    hashed = hashlib.sha256()
    count = 0
    for record in records:
        hashed.update(json.dumps(canonical(record), separators=(",", ":")).encode())
        hashed.update(b"\n")
        count += 1
    return count, hashed.hexdigest()


def listing_digest(
    vendor: str, size: int, options: Mapping[str, Any], mutations: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The digest of ``vendor``'s approved listing from a ``size``-expense sandbox (seed 1,
    fake clock; ``mutations`` made on the first records of every answer): the expenses,
    then the malformed records."""
    import expense_facade as ef
    from expense_facade.clock import FakeClock
    from expense_facade.sandbox import Fault, Sandbox

    sandbox = Sandbox(seed=1, size=size, vendors=(vendor,), clock=FakeClock())
    if mutations:
        flags = dict.fromkeys(mutations, True)
        fault = Fault.mutate_records(**flags, limit=ODD_PER_ANSWER)
        sandbox.faults.add(vendor, None, fault, times=None)
    with ef.connect(normalise_vendor(vendor), sandbox=sandbox, **options) as client:
        listing = client.list_approved()
        expenses, expense_digest = digest(listing)
        malformed, malformed_digest = digest(listing.malformed)
    return {
        "expenses": expenses,
        "expenses_sha256": expense_digest,
        "malformed": malformed,
        "malformed_sha256": malformed_digest,
    }


def all_digests() -> dict[str, Any]:
    return {name: listing_digest(*listing) for name, listing in listings().items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="records digest (see the module docstring)")
    parser.add_argument("--write", action="store_true", help=f"rewrite {DIGEST_FILE.name}")
    args = parser.parse_args(argv)
    digests = all_digests()
    text = json.dumps(digests, indent=2) + "\n"
    if args.write:
        DIGEST_FILE.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
