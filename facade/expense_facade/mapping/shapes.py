"""JSON shape guards: what an adapter does when a decoded value is not the JSON type the
vendor documents. One guard per rule, named for what it does on the wrong type (raise,
read as empty, or read as empty with a parse warning); docs/field_mapping.md, "Shape
guards", says which to use where.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:  # only annotated: the shapes load without the field helpers
    from expense_facade.mapping.fields import LenientFields

T = TypeVar("T")
V = TypeVar("V")


class UnexpectedShape(Exception):
    """A body (or record) parses but is not the documented shape (a list where an object
    was expected, a missing envelope key). ``ExpenseClient._call`` turns it into
    ``MalformedResponseError`` with an excerpt; in a record it makes a ``MalformedRecord``."""


def require_object(value: T, what: str) -> T:
    """``value`` if it is a JSON object, else ``UnexpectedShape`` naming ``what``. Its
    static type is kept (a wire-shape view stays a view, so its reads stay typed)."""
    if not isinstance(value, dict):
        raise UnexpectedShape(f"{what} is not a JSON object but {_kind(value)}")
    return value


@overload
def require_list(value: list[T] | None, what: str) -> list[T]: ...
@overload
def require_list(value: object, what: str) -> list[Any]: ...
def require_list(value: object, what: str) -> list[Any]:
    """``value`` if it is a JSON array, else ``UnexpectedShape`` naming ``what``."""
    if not isinstance(value, list):
        raise UnexpectedShape(f"{what} is not a JSON array but {_kind(value)}")
    return value


def object_or_empty(value: V | None) -> V:
    """An optional nested object: itself, or a new empty one when absent, null or of
    another type (silently: the fields read from it are then ``None``). Its static type is
    the member's wire-shape view (an empty object reads as every field absent)."""
    # The ignores, not cast(): typing.cast is a call, and this runs for every nested object
    # of every record.
    return value if isinstance(value, dict) else {}  # type: ignore[return-value]


@overload
def list_or_empty(value: list[T] | None) -> Sequence[T]: ...
@overload
def list_or_empty(value: object) -> Sequence[Any]: ...
def list_or_empty(value: object) -> Sequence[Any]:
    """An optional array: itself, or an empty sequence when absent, null or of another
    type (silently)."""
    return value if isinstance(value, list) else ()


def object_or_warn(f: LenientFields, field: str, value: V | None) -> V:
    """An optional nested object: itself; a new empty one when absent or null, and when it
    is of another type (then with a parse warning on ``field``)."""
    if isinstance(value, dict):
        return value
    if value is not None:
        f.warn(field, f"expected an object, got {_kind(value)}")
    return {}  # type: ignore[return-value]


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__
