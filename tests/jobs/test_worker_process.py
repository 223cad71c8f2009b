"""What a worker process does once rather than per task (``expense_facade.jobs``): the
config file is read again only once it changed, and ``warm_up`` opens the ledger and
imports the configured vendors before the first task."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from expense_facade import jobs
from expense_facade.export.postgres import connection
from expense_facade.sandbox import Sandbox


def _app(config: Path) -> object:
    return jobs.make_app("memory://", "cache+memory://", config_path=config)


def test_a_worker_reads_its_config_file_again_only_once_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[brex]\ntoken = "one"\n')
    app = _app(path)
    first = jobs._config_of(app)
    assert jobs._config_of(app) is first
    path.write_text('[brex]\ntoken = "two"\n[pazy]\napi_key = "k"\n')
    os.utime(path, ns=(0, 0))  # a different file state even within the clock's resolution
    changed = jobs._config_of(app)
    assert changed is not first
    assert changed.account("brex").settings["token"] == "two"
    assert changed.configured_vendors() == ("brex", "pazy")


@pytest.mark.usefixtures("kept_connections")
def test_warm_up_opens_the_ledger_and_its_reader_once_and_keeps_their_connections(
    tmp_path: Path, pg_url: str
) -> None:
    sb = Sandbox(seed=3, size=2, vendors=("brex",))
    with sb.serve() as server:
        lines = ["[export]", f'ledger = "{pg_url}"', f'out = "{tmp_path}/"', "", "[brex.acme]"]
        lines.append(f'base_url = "{server.base_url("brex")}"')
        lines += [f'{k} = "{v}"' for k, v in sb.credentials("brex").items()]
        path = tmp_path / "config.toml"
        path.write_text("\n".join(lines) + "\n")
        jobs.warm_up(_app(path))
    ledgers, readers = connection._Kept.idle[pg_url]  # each task opens both
    assert ledgers is not readers
    tables = ledgers.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename IN ('exports', 'expense_facade_versions')"
    ).fetchone()
    assert tables == (2,)
    assert not list(tmp_path.glob("*.jsonl"))  # nothing exported: that is the tasks' work


@pytest.mark.usefixtures("kept_connections")
def test_warm_up_leaves_what_is_wrong_to_the_tasks(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[export]\nledger = "postgresql://127.0.0.1:1/nothing"\n[brex]\ntoken = "t"\n')
    jobs.warm_up(_app(path))  # no server there: the first task will say so
