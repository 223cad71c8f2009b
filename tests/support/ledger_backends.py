"""Both ledger backends for the tests that run on each (SQLite file, PostgreSQL schema):
the ``ledger_backend`` fixture is parametrised over them, and gives a ``Backend`` that
opens a ledger by the path a test would give the SQLite one (docs/scale.md, "Tests").

On PostgreSQL each path is a schema of its own (``support.services.postgres_schema``), so
a test that opens "the same file" twice reaches the same ledger, and two paths are two
ledgers, as with files.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from expense_facade.export.ledger import Ledger

from support import services

BACKENDS = ("sqlite", "postgresql")


class Backend:
    """Opens ledgers of one backend by path (see the module docstring)."""

    def __init__(self, name: str, stack: contextlib.ExitStack) -> None:
        self.name = name
        self._stack = stack
        self._urls: dict[str, str] = {}

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def target(self, path: str | os.PathLike[str]) -> str | Path:
        """What ``export_approved(ledger=...)`` and ``--ledger`` take for ``path``."""
        if not self.postgres:
            return Path(path)
        key = os.fspath(path)
        if key not in self._urls:
            self._urls[key] = self._stack.enter_context(services.postgres_schema())
        return self._urls[key]

    def open(self, path: str | os.PathLike[str]) -> Ledger:
        """The ledger at ``path`` (made when missing)."""
        target = self.target(path)
        if isinstance(target, Path):
            return Ledger(target)
        from expense_facade.export.postgres.store import PostgresStore

        return Ledger(store=PostgresStore(target))


@pytest.fixture(params=BACKENDS)
def ledger_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each test using it runs on the SQLite ledger and on the PostgreSQL one."""
    if request.param == "postgresql":
        services.require("PostgreSQL")
    with contextlib.ExitStack() as stack:
        yield Backend(request.param, stack)


__all__ = ["BACKENDS", "Backend", "delete_ledger", "each_ledger_backend", "ledger_backend"]


@pytest.fixture(params=BACKENDS)
def each_ledger_backend(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Runs the test on both backends unchanged: on ``postgresql`` every ``Ledger(path)``
    it opens (directly, or through ``export_approved`` and the command run in-process) is
    a PostgreSQL ledger, one schema per path. Use it with
    ``pytestmark = pytest.mark.usefixtures("each_ledger_backend")``."""
    if request.param == "sqlite":
        yield request.param
        return
    services.require("PostgreSQL")
    from expense_facade.export import ledger as ledger_module
    from expense_facade.export.postgres.store import PostgresStore

    with contextlib.ExitStack() as stack:
        backend = Backend("postgresql", stack)

        def store_for(path: str | os.PathLike[str], *, lock: bool = True) -> PostgresStore:
            return PostgresStore(str(backend.target(os.path.realpath(path))))

        monkeypatch.setattr(ledger_module, "SqliteStore", store_for)
        yield request.param


def delete_ledger(path: str | os.PathLike[str]) -> None:
    """The ledger at ``path`` deleted: its SQLite file (with ``-wal`` and ``-shm``), or,
    where ``each_ledger_backend`` made that path a PostgreSQL schema, every table in it."""
    from expense_facade.export import ledger as ledger_module
    from expense_facade.export import ledger_store

    if ledger_module.SqliteStore is ledger_store.SqliteStore:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{os.fspath(path)}{suffix}").unlink(missing_ok=True)
        return
    store = ledger_module.SqliteStore(path)  # the path's schema (the layout made, if gone)
    try:
        conn = store.connection()  # type: ignore[attr-defined]
        conn.execute(f'DROP SCHEMA "{store.schema}" CASCADE')  # type: ignore[attr-defined]
        conn.execute(f'CREATE SCHEMA "{store.schema}"')  # type: ignore[attr-defined]
    finally:
        store.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(why): a behaviour of the SQLite file itself (its lock, its pragmas, "
        "a file that is not a database); not run on the PostgreSQL backend",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run of a ``sqlite_only`` test is not collected at all."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") is not None
        and isinstance(item, pytest.Function)
        and hasattr(item, "callspec")
        and item.callspec.params.get("each_ledger_backend") == "postgresql"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
