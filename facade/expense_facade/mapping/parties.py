"""The people and shops named on records, each built once per distinct value: a listing
names a few hundred employees and merchants thousands of times, so ``employee`` and
``merchant`` hand every record naming the same one the same ``Employee`` or ``Merchant``.

Sharing is safe because the records are frozen attrs classes compared by value: an equal
immutable instance is indistinguishable from a new one except by ``is``
(docs/field_mapping.md, "Shared parties"). The caches are bounded (least recently used
out), so a listing of endless distinct names costs no more memory than a few thousand.
"""

from __future__ import annotations

import functools

from expense_facade.records import Employee, Merchant, new_employee, new_merchant

_SHARED_MAX = 4096


@functools.lru_cache(maxsize=_SHARED_MAX)
def employee(id: str | None, name: str | None, email: str | None) -> Employee:
    """``Employee(id=id, name=name, email=email)``, shared (the values are the text the
    field helpers read: ``str`` or ``None``). Positional: a keyword call costs the cache
    more to key."""
    return new_employee(id=id, name=name, email=email)


@functools.lru_cache(maxsize=_SHARED_MAX)
def merchant(name: str | None, mcc: str | None) -> Merchant:
    """``Merchant(name=name, mcc=mcc)``, shared (see ``employee``)."""
    return new_merchant(name=name, mcc=mcc)
