"""The command shows the library's warnings as one line each, without breaking the
progress display; ``-v``/``-vv`` and EXPENSE_FACADE_LOG show more."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from expense_facade import logs
from expense_facade.cli import main as cli
from expense_facade.cli.console_log import (
    messages_through,
    start_console_log,
    verbosity_level,
)
from expense_facade.export.pipeline import ExportProgress
from expense_facade.export.progress import ProgressDisplay


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def export(tmp_path: Path, *extra: str, environ: dict[str, str] | None = None) -> int:
    argv = [
        "export", "--sandbox", "--sandbox-size", "20", "--vendor", "capture",
        "--since", "2026-01-01", "--out", str(tmp_path / "out.jsonl"),
        "--ledger", str(tmp_path / "ledger.sqlite3"), "-q", *extra,
    ]  # fmt: skip
    return cli.main(argv, environ=environ or {})


def test_an_ignored_since_is_one_warning_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(tmp_path) == cli.EXIT_OK
    err = capsys.readouterr().err.splitlines()
    warnings = [line for line in err if line.startswith("expense-facade: warning: ")]
    assert warnings == [
        "expense-facade: warning: capture: since=2026-01-01T00:00:00+00:00 ignored: the Export "
        "queue has no filter and holds only rows not yet exported; listing the whole queue"
    ]
    assert not [line for line in err if line.startswith(("expense-facade: info", "Traceback"))]


@pytest.mark.parametrize(
    ("extra", "environ", "level"),
    [
        (("-v",), {}, logging.INFO),
        (("-vv",), {}, logging.DEBUG),
        ((), {"EXPENSE_FACADE_LOG": "info"}, logging.INFO),
        ((), {"EXPENSE_FACADE_LOG": "debug"}, logging.DEBUG),
    ],
)
def test_verbose_and_the_environment_show_more(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    environ: dict[str, str],
    level: int,
) -> None:
    assert export(tmp_path, *extra, environ=environ) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "expense-facade: info: HTTP Request: GET https://sandbox.invalid/capture/" in err
    handler = logs.installed_handler()
    assert handler is not None
    assert handler.level == level


def test_verbose_goes_before_or_after_the_subcommand() -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["-vv", "vendors"]).verbose == 2
    assert parser.parse_args(["vendors", "-v"]).verbose == 1
    assert not hasattr(parser.parse_args(["vendors"]), "verbose")
    assert verbosity_level(0, {}) == logging.WARNING
    assert verbosity_level(1, {"EXPENSE_FACADE_LOG": "warning"}) == logging.INFO
    assert verbosity_level(0, {"EXPENSE_FACADE_LOG": "DEBUG"}) == logging.DEBUG


def progress(records: int) -> ExportProgress:
    return ExportProgress(
        vendor="brex", records=records, exported=records, skipped=0, pages=1, elapsed=1.0
    )


def test_a_warning_does_not_break_the_progress_line() -> None:
    stream = io.StringIO()
    display = ProgressDisplay(stream, tty=True)
    start_console_log(0, {}, stream=stream)
    library = logging.getLogger("expense_facade._http.session")
    with messages_through(display):
        display(progress(100))
        library.warning("brex: GET /v1/expenses failed (HTTP 503);\nretry 1/3 in 0.50 s")
        library.info("not shown by default")
    display.finish()
    assert stream.getvalue() == (
        "\r\x1b[Kbrex: 100 records (100 new, 0 already exported), 1 page, 100 records/s, 1.0 s"
        "\r\x1b[Kexpense-facade: warning: brex: GET /v1/expenses failed (HTTP 503); retry 1/3"
        " in 0.50 s\n"
        "brex: 100 records (100 new, 0 already exported), 1 page, 100 records/s, 1.0 s"
        "\r\x1b[Kbrex: 100 records (100 new, 0 already exported), 1 page, 100 records/s, 1.0 s\n"
    )


def test_without_a_progress_line_a_warning_is_a_plain_line() -> None:
    stream = io.StringIO()
    start_console_log(0, {}, stream=stream)
    logging.getLogger("expense_facade.vendors.pazy").warning("pazy: since=x ignored")
    assert stream.getvalue() == "expense-facade: warning: pazy: since=x ignored\n"
