"""The PostgreSQL parts (expense_facade.export.postgres) on a real server: versioned
migrations, the per-account advisory lock, the destination table's rows."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from expense_facade.errors import ConfigurationError
from expense_facade.export.postgres import account_lock, migrations, table
from expense_facade.export.postgres.connection import parse_table_target, redacted
from expense_facade.export.postgres.store import PostgresStore
from expense_facade.records import Employee, Expense, ExpenseStatus, Money


def test_migrations_run_once_in_order_and_refuse_a_newer_schema(pg_url: str) -> None:
    steps = {1: "CREATE TABLE a (n int)", 2: "ALTER TABLE a ADD COLUMN m int"}
    with psycopg.connect(pg_url) as conn:
        assert migrations.migrate(conn, "thing", {1: steps[1]}) == 1
        assert migrations.migrate(conn, "thing", steps) == 2
        assert migrations.migrate(conn, "thing", steps) == 2  # nothing left to run
        conn.execute("INSERT INTO a (n, m) VALUES (1, 2)")
        conn.commit()
        with pytest.raises(migrations.SchemaVersionError, match="version 2, newer"):
            migrations.migrate(conn, "thing", {1: steps[1]})


def test_an_account_is_held_by_one_connection_at_a_time(pg_url: str) -> None:
    key = account_lock.account_key("ledger_schema", "brex", "acct")
    other = account_lock.account_key("ledger_schema", "brex", "other")
    with (
        psycopg.connect(pg_url, autocommit=True) as one,
        psycopg.connect(pg_url, autocommit=True) as two,
    ):
        assert account_lock.acquire(one, key, account_lock.Contention.SKIP)
        assert not account_lock.acquire(two, key, account_lock.Contention.SKIP)
        assert account_lock.acquire(two, other, account_lock.Contention.SKIP)
        account_lock.release(one, key)
        assert account_lock.acquire(two, key, account_lock.Contention.WAIT)
    # A closed connection (a dead worker) frees what it held.
    with psycopg.connect(pg_url, autocommit=True) as three:
        assert account_lock.acquire(three, key, account_lock.Contention.SKIP)


def test_table_targets_name_schema_and_table() -> None:
    target = parse_table_target("postgresql://u:secret@127.0.0.1/test#sales.expenses")
    assert (target.schema, target.table, target.name) == ("sales", "expenses", "sales.expenses")
    assert parse_table_target("postgresql://127.0.0.1/test#expenses").schema == "public"
    assert "secret" not in repr(target)
    assert "secret" not in redacted(target.url)
    with pytest.raises(ConfigurationError, match="after '#'"):
        parse_table_target("postgresql://127.0.0.1/test")
    with pytest.raises(ConfigurationError, match="table"):
        parse_table_target('postgresql://127.0.0.1/test#x."; DROP TABLE y')


def _expense(expense_id: str, amount: str) -> Expense:
    when = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    return Expense(
        vendor="brex",
        id=expense_id,
        status=ExpenseStatus.APPROVED,
        raw_status="APPROVED",
        gross=Money(Decimal(amount), "EUR"),
        approved_at=when,
        employee=Employee(id="e1", name="Ann"),
        raw={"id": expense_id, "amount": Decimal(amount), "nested": {"k": [1, 2]}},
    )


def test_rows_keep_money_exact_time_aware_and_the_raw_payload(pg_url: str) -> None:
    with psycopg.connect(pg_url) as probe:
        schema = probe.execute("SELECT current_schema()").fetchone()
    assert schema is not None
    target = parse_table_target(f"{pg_url}#{schema[0]}.expenses")
    exact = "123456789012345678901234567890.123456789"
    now = dt.datetime.now(dt.UTC)
    rows = [_expense("x1", exact), _expense("x2", "0.10")]
    store = PostgresStore(pg_url)
    try:
        table.ensure_table(store.connection(), target)
        table.ensure_table(store.connection(), target)  # idempotent
        with store.transaction() as tx:
            assert table.insert_rows(tx.run, target, "acct", rows, now) == 2
        with store.transaction() as tx:
            assert table.insert_rows(tx.run, target, "acct", rows, now) == 0  # held already
            assert table.insert_rows(tx.run, target, "other", rows[:1], now) == 1
    finally:
        store.close()
    with psycopg.connect(pg_url) as conn:
        columns = "gross_amount, gross_currency, approved_at, employee, raw, status"
        where = "account = 'acct' AND id = 'x1'"
        got = conn.execute(f"SELECT {columns} FROM {target.qualified} WHERE {where}").fetchone()  # noqa: S608
    assert got is not None
    amount, currency, approved, employee, raw, status = got
    assert amount == Decimal(exact)
    assert str(amount) == exact
    assert currency == "EUR"
    assert approved == rows[0].approved_at
    assert employee == {"id": "e1", "name": "Ann", "email": None}
    assert raw == json.loads(json.dumps({"id": "x1", "amount": exact, "nested": {"k": [1, 2]}}))
    assert status == "approved"


def test_the_columns_follow_the_common_record() -> None:
    names = [c.name for c in table.COLUMNS]
    assert names[:2] == ["vendor", "id"]
    assert {"gross_amount", "gross_currency", "approved_at", "raw", "line_items"} <= set(names)
    types = {c.name: c.sql_type for c in table.COLUMNS}
    assert types["gross_amount"] == "numeric"
    assert types["updated_at"] == "timestamptz"
    assert types["raw"] == "jsonb"


def test_docs_scale_shows_the_tables_ddl_as_the_code_makes_it() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "scale.md").read_text()
    shown = re.search(r"```sql\n(.*?)```", page, re.DOTALL)
    assert shown is not None
    target = parse_table_target("postgresql://127.0.0.1/test#public.expenses")
    assert shown.group(1).strip() == table.create_statement(target)


def _backend(store: PostgresStore) -> int:
    return store.connection().info.backend_pid


def test_one_off_runs_close_their_connections(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    conn = store.connection()
    store.close()
    assert conn.closed


@pytest.mark.usefixtures("kept_connections")
def test_a_worker_process_reuses_its_connection_with_every_account_given_back(
    pg_url: str,
) -> None:
    store = PostgresStore(pg_url)
    assert store.hold("brex", "acct")
    first = _backend(store)
    key = account_lock.account_key(store.schema, "brex", "acct")
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as other:
        # The connection lives on, but the account is free, as after a real close.
        assert account_lock.acquire(other, key, account_lock.Contention.SKIP)
        account_lock.release(other, key)
    again = PostgresStore(pg_url)
    try:
        assert _backend(again) == first
        assert again.hold("brex", "acct")
        # Two ledgers open at once in one process are two sessions: they still exclude.
        second = PostgresStore(pg_url)
        try:
            assert _backend(second) != first
            assert not second.hold("brex", "acct")
        finally:
            second.close()
    finally:
        again.close()


@pytest.mark.usefixtures("kept_connections")
def test_a_kept_connection_the_server_dropped_is_replaced(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    gone = _backend(store)
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", (gone,))  # until it is gone
    store = PostgresStore(pg_url)
    try:
        assert _backend(store) != gone
        assert store.hold("brex", "acct")
    finally:
        store.close()


@pytest.mark.usefixtures("kept_connections")
def test_a_forked_child_does_not_use_its_parents_connections(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PostgresStore(pg_url)
    parents = _backend(store)
    store.close()
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as seen from a child
    child = PostgresStore(pg_url)
    conn = child.connection()
    try:
        assert _backend(child) != parents
    finally:
        child.close()
    assert conn.closed  # and not kept: the child never said it keeps connections


def test_a_ledger_that_fails_to_open_closes_its_connection(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from expense_facade.export.ledger_records import LedgerError
    from expense_facade.export.postgres import connection, store

    opened: list[psycopg.Connection[tuple[object, ...]]] = []
    real_connect = connection.connect

    def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection[tuple[object, ...]]:
        conn = real_connect(url, autocommit=autocommit)
        opened.append(conn)
        return conn

    def migrate(_: object) -> None:
        raise LedgerError("the migration failed")

    monkeypatch.setattr(store, "connect", connect)
    monkeypatch.setattr(store, "migrate_ledger", migrate)
    with pytest.raises(LedgerError, match="the migration failed"):
        PostgresStore(pg_url)
    assert len(opened) == 1
    assert opened[0].closed
