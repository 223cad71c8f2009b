"""The PostgreSQL destination table (``--out postgresql://…#schema.table``): one row per
exported expense, its columns derived from the common record (docs/scale.md, "The
destination table", which shows the DDL).

Money is ``numeric`` (exact) beside its currency, timestamps ``timestamptz``, nested
parts (employee, merchant, receipts, line items, parse warnings) and the vendor's raw
payload ``jsonb``. The primary key is (vendor, account, id); rows are inserted with
``ON CONFLICT DO NOTHING``, in the transaction the ledger records them in.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from expense_facade.export.postgres.connection import TableTarget
from expense_facade.export.postgres.migrations import migrate
from expense_facade.record_data import expense_to_dict, jsonable
from expense_facade.records import Expense, ExpenseStatus, Money

if TYPE_CHECKING:
    import psycopg

TABLE_VERSION: Final = 1
"""The destination table's schema version (``expense_facade_versions``)."""


@attrs.frozen(slots=True)
class Column:
    """One column: its name, SQL type and how the value comes from the record."""

    name: str
    sql_type: str
    field: str
    part: str | None = None  # "amount" or "currency" of a Money field


def _columns() -> tuple[Column, ...]:
    """Derived from ``Expense``'s fields, in their order: every common field has a
    column, and a field added to the record changes this list by itself."""
    hints = typing.get_type_hints(Expense)
    columns: list[Column] = []
    for field in attrs.fields(Expense):
        kinds = set(typing.get_args(hints[field.name])) or {hints[field.name]}
        kinds.discard(type(None))
        if field.name == "raw":
            continue  # last, below
        if kinds == {Money}:
            columns.append(Column(f"{field.name}_amount", "numeric", field.name, "amount"))
            columns.append(Column(f"{field.name}_currency", "text", field.name, "currency"))
        elif kinds == {Decimal}:
            columns.append(Column(field.name, "numeric", field.name))
        elif kinds == {dt.datetime}:
            columns.append(Column(field.name, "timestamptz", field.name))
        elif kinds <= {str, ExpenseStatus}:
            columns.append(Column(field.name, "text", field.name))
        else:
            columns.append(Column(field.name, "jsonb", field.name))
    columns.append(Column("raw", "jsonb", "raw"))
    columns.append(Column("exported_at", "timestamptz", "exported_at"))
    return tuple(columns)


COLUMNS: Final = _columns()
KEY: Final = ("vendor", "account", "id")
ROWS_PER_STATEMENT: Final = 1000
"""Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement."""


def create_statement(target: TableTarget) -> str:
    """The table's DDL (version 1)."""
    lines = []
    for column in COLUMNS:
        not_null = " NOT NULL" if column.name in KEY or column.name == "exported_at" else ""
        lines.append(f"    {column.name} {column.sql_type}{not_null}")
    lines.append(f"    PRIMARY KEY ({', '.join(KEY)})")
    schema = target.qualified.split(".")[0]
    return (
        f"CREATE SCHEMA IF NOT EXISTS {schema};\n"
        f"CREATE TABLE IF NOT EXISTS {target.qualified} (\n" + ",\n".join(lines) + "\n);"
    )


def ensure_table(conn: psycopg.Connection[tuple[object, ...]], target: TableTarget) -> None:
    """Create or migrate the destination table (commits)."""
    migrate(conn, f"table:{target.name}", {1: create_statement(target)})


def _value(column: Column, expense: Expense, data: dict[str, Any], account: str) -> object:
    from psycopg.types.json import Jsonb

    if column.name == "account":
        return account
    if column.name == "raw":
        return Jsonb(jsonable(expense.raw))
    if column.part is not None:
        money = getattr(expense, column.field)
        return None if money is None else getattr(money, column.part)
    if column.sql_type == "jsonb":
        return Jsonb(data[column.field])
    value = getattr(expense, column.field)
    return value.value if isinstance(value, ExpenseStatus) else value


def insert_rows(
    run: Callable[[str, Sequence[object]], int],
    target: TableTarget,
    account: str,
    expenses: Sequence[Expense],
    exported_at: dt.datetime,
) -> int:
    """Insert ``expenses`` of ``account`` through ``run`` (the ledger transaction's
    ``Tx.run``: ``?`` placeholders); rows already there are left as they are. Returns how
    many rows were new."""
    if not expenses:
        return 0
    names = ", ".join(c.name for c in COLUMNS)
    row_marks = "(" + ", ".join(["?"] * len(COLUMNS)) + ")"
    inserted = 0
    for start in range(0, len(expenses), ROWS_PER_STATEMENT):
        chunk = expenses[start : start + ROWS_PER_STATEMENT]
        params: list[object] = []
        for expense in chunk:
            data = expense_to_dict(expense)
            params.extend(
                exported_at if c.name == "exported_at" else _value(c, expense, data, account)
                for c in COLUMNS
            )
        statement = (
            f"INSERT INTO {target.qualified} ({names}) VALUES "  # noqa: S608
            + ", ".join([row_marks] * len(chunk))
            + f" ON CONFLICT ({', '.join(KEY)}) DO NOTHING"
        )
        inserted += run(statement, params)
    return inserted


__all__ = [
    "COLUMNS",
    "KEY",
    "TABLE_VERSION",
    "Column",
    "create_statement",
    "ensure_table",
    "insert_rows",
]
