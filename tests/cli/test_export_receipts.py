"""``expense-facade export --receipts DIR`` (docs/command.md, "export"; docs/export.md,
"Receipts") against sandboxes served on loopback, on both ledger backends: receipts
downloaded once and linked, the summary's counts, a vendor without receipt files said
once, a hostile receipt named and retried, the config's ``[export] receipts``."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from expense_facade.cli import main as cli
from expense_facade.sandbox import Fault
from support.exactly_once import command, environ, served
from support.ledger_backends import Backend
from support.receipts import ROUTE, check_exactly_once, files_in


def argv(tmp_path: Path, backend: Backend, *vendors: str) -> list[str]:
    ledger = str(backend.target(tmp_path / "l.sqlite3"))
    args = ["export", "--out", f"{tmp_path / 'out'}/", "--ledger", ledger]
    for vendor in vendors:
        args += ["--vendor", vendor]
    return [*args, "--no-rate-limit", "-q", "--receipts", str(tmp_path / "receipts")]


def ledger_show(env: dict[str, str], tmp_path: Path, backend: Backend) -> str:
    """What ``ledger show`` prints for the tests' ledger (stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        shown = command(
            env, "ledger", "show", "--ledger", str(backend.target(tmp_path / "l.sqlite3"))
        )
    assert shown.code == cli.EXIT_OK, shown.err
    return out.getvalue()


def test_receipts_are_downloaded_once_and_the_summary_counts_them(
    tmp_path: Path, ledger_backend: Backend
) -> None:
    with served(("brex", "revolut", "pazy"), seed=24, size=30) as (sb, server):
        env = environ(sb, server, tmp_path)
        first = command(env, *argv(tmp_path, ledger_backend, "brex", "revolut", "pazy"))
        assert first.code == cli.EXIT_OK, first.err
        receipts = check_exactly_once(
            sb,
            tmp_path / "out",
            tmp_path / "receipts",
            lambda: ledger_backend.open(tmp_path / "l.sqlite3"),
            ("brex", "revolut"),
        )
        assert f"receipts: {receipts} downloaded, 0 skipped as already downloaded, 0 failed" in (
            first.err
        )
        said = "pazy: its API serves no receipt files; its records are exported without them"
        assert first.err.count(said) == 1
        again = command(env, *argv(tmp_path, ledger_backend, "brex", "revolut", "pazy"))
        assert again.code == cli.EXIT_OK, again.err
        assert "Exported 0 expenses" in again.err
        assert "receipts: 0 downloaded" in again.err
        assert len([r for r in sb.requests if r.route in ROUTE.values()]) == receipts


def test_a_hostile_receipt_is_named_exits_1_and_is_retried(
    tmp_path: Path, ledger_backend: Backend
) -> None:
    with served(("revolut",), seed=24, size=30) as (sb, server):
        env = environ(sb, server, tmp_path)
        sb.faults.add("revolut", ROUTE["revolut"], Fault.html(status=200), times=1)
        first = command(env, *argv(tmp_path, ledger_backend, "revolut"))
        assert first.code == cli.EXIT_PARTIAL, first.err
        assert "1 failed" in first.err
        [line] = [x for x in first.err.splitlines() if "receipt failed: revolut" in x]
        assert "text/html" in line
        assert "retried by the next export" in first.err
        assert "Traceback" not in first.err
        shown = ledger_show(env, tmp_path, ledger_backend)
        assert "files downloaded, 1 to download (retried by the next export)" in shown
        second = command(env, *argv(tmp_path, ledger_backend, "revolut"))
        assert second.code == cli.EXIT_OK, second.err
        assert "receipts: 1 downloaded" in second.err
        assert "to download" not in ledger_show(env, tmp_path, ledger_backend)
        check_exactly_once(
            sb,
            tmp_path / "out",
            tmp_path / "receipts",
            lambda: ledger_backend.open(tmp_path / "l.sqlite3"),
            ("revolut",),
        )


def test_the_config_file_names_the_receipts_folder(tmp_path: Path, ledger_backend: Backend) -> None:
    folder = tmp_path / "from-config"
    config = tmp_path / "config.toml"
    config.write_text(f'[export]\nreceipts = "{folder}"\n')
    with served(("revolut",), seed=24, size=20) as (sb, server):
        env = {**environ(sb, server, tmp_path), "EXPENSE_FACADE_CONFIG": str(config)}
        run = command(env, *argv(tmp_path, ledger_backend, "revolut")[:-2])  # no --receipts
        assert run.code == cli.EXIT_OK, run.err
    assert files_in(folder), run.err
    assert not (tmp_path / "receipts").exists()


def test_a_receipts_setting_that_is_not_a_path_is_a_usage_error(
    tmp_path: Path, ledger_backend: Backend
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[export]\nreceipts = 3\n")
    with served(("revolut",), seed=24, size=5) as (sb, server):
        env = {**environ(sb, server, tmp_path), "EXPENSE_FACADE_CONFIG": str(config)}
        run = command(env, *argv(tmp_path, ledger_backend, "revolut")[:-2])
    assert run.code == cli.EXIT_FATAL, run.err
    assert "receipts in [export] must be a folder's path" in run.err
