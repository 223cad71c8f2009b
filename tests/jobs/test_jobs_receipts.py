"""A job's export downloads receipt files into the config's ``[export] receipts`` (docs/
scale.md; docs/export.md, "Receipts"), and its JSON result counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from expense_facade import jobs
from expense_facade.config import Config
from expense_facade.errors import ConfigurationError
from expense_facade.sandbox import Sandbox
from support.receipts import files_in


def config_file(tmp_path: Path, base_url: str, credentials: dict[str, str], extra: str) -> Path:
    lines = [
        "[export]",
        f'out = "{tmp_path / "out"}/"',
        f'ledger = "{tmp_path / "ledger.sqlite3"}"',
        extra,
        "",
        "[revolut]",
        f'base_url = "{base_url}"',
        *(f'{key} = "{value}"' for key, value in credentials.items()),
    ]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_job_downloads_receipts_into_the_configured_folder(tmp_path: Path) -> None:
    sb = Sandbox(seed=24, size=20, vendors=("revolut",))
    folder = tmp_path / "receipts"
    with sb.serve(port=0) as server:
        path = config_file(
            tmp_path,
            server.base_url("revolut"),
            sb.credentials("revolut"),
            f'receipts = "{folder}"',
        )
        summary = jobs.export_account("revolut", config=Config.load(path), rate_limit=False)
    result = jobs.summary_json(summary, "revolut")
    json.dumps(result)
    assert result["ok"] is True
    assert result["receipts"]["downloaded"] > 0
    assert result["receipts"]["failed"] == []
    assert len(files_in(folder)) == result["receipts"]["downloaded"]


def test_without_the_setting_a_job_downloads_none(tmp_path: Path) -> None:
    sb = Sandbox(seed=24, size=10, vendors=("revolut",))
    with sb.serve(port=0) as server:
        path = config_file(tmp_path, server.base_url("revolut"), sb.credentials("revolut"), "")
        summary = jobs.export_account("revolut", config=Config.load(path), rate_limit=False)
    assert jobs.summary_json(summary, "revolut")["receipts"] is None


def test_a_receipts_setting_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    path = config_file(tmp_path, "http://127.0.0.1:9/revolut", {"token": "t0ken"}, "receipts = 1")
    with pytest.raises(ConfigurationError, match="receipts in \\[export\\]"):
        jobs.export_account("revolut", config=Config.load(path))
