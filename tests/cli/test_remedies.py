"""Errors that carry remedies (issue 24, item 6): the library raises a typed refusal with
its ways on (``export.remedies``), phrased for the Python API; the command prints the same
refusal with its own flags (``cli.remedies``) (docs/command.md, "Ledger and output")."""

from __future__ import annotations

from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.cli.remedies import IN_THE_COMMAND, in_the_command
from expense_facade.export.ledger import Ledger
from expense_facade.export.remedies import IN_PYTHON, Remedied, Remedy, WayOn
from expense_facade.export.run import export_approved
from expense_facade.export.sinks import FileSink, OutputRefused, format_by_name
from support.export_fakes import FakeClient, pages_of

WAY = WayOn(Remedy.OUTPUT_FORMAT, output="/x/o.csv", ledger="/x/l.sqlite3", format="csv")


@pytest.mark.parametrize("remedy", list(Remedy))
def test_every_remedy_has_words_for_python_and_for_the_command(remedy: Remedy) -> None:
    way = WayOn(remedy, output=WAY.output, ledger=WAY.ledger, format=WAY.format)
    in_python, in_the_command_ = IN_PYTHON[remedy](way), IN_THE_COMMAND[remedy](way)
    assert " --" not in in_python  # never a flag of the command
    assert in_python
    assert in_the_command_


def test_a_refused_format_says_format_in_python_and_format_flag_in_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.out"
    ledger = tmp_path / "l.sqlite3"
    export_approved(FakeClient("brex", pages_of("brex", 2, 2)), out, ledger=ledger, format="csv")
    with pytest.raises(OutputRefused) as refused:
        export_approved(FakeClient("brex", pages_of("brex", 3, 3)), out, ledger=ledger)
    error = refused.value
    assert error.problem == f"{out} was written as csv, not jsonl"
    assert [w.remedy for w in error.remedies] == [Remedy.OUTPUT_FORMAT, Remedy.OTHER_OUTPUT]
    assert str(error) == (
        f"{out} was written as csv, not jsonl: export with format='csv', or give "
        "export_approved another out"
    )
    # the command: the same refusal, its flags
    argv = ["export", "--sandbox", "--vendor", "brex", "--sandbox-size", "20", "--out",
            str(out), "--ledger", str(ledger), "-q"]  # fmt: skip
    assert cli.main(argv, environ={}) == cli.EXIT_FATAL
    assert capsys.readouterr().err == (
        f"expense-facade: error: {out} was written as csv, not jsonl: export with --format "
        "csv, or choose another --out\n"
    )


def test_a_foreign_csv_header_names_another_output_or_the_file_s_format(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_bytes(format_by_name("csv-lines").header())
    with pytest.raises(OutputRefused) as refused:
        FileSink(out, format_by_name("csv"))
    error = refused.value
    assert error.problem == (
        f"{out} already holds data whose columns are not those of the csv format"
    )
    assert [w.remedy for w in error.remedies] == [Remedy.OTHER_OUTPUT, Remedy.OUTPUT_FORMAT]
    assert in_the_command(error) == (
        f"{error.problem}: choose another --out, or export with --format csv-lines"
    )


def test_the_rebuild_remedy_in_the_command_s_words(tmp_path: Path) -> None:
    out, ledger = tmp_path / "o.jsonl", tmp_path / "l.sqlite3"
    export_approved(FakeClient("brex", pages_of("brex", 2, 2)), out, ledger=ledger)
    for name in ("l.sqlite3", "l.sqlite3-wal", "l.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(Remedied) as refused:
        export_approved(FakeClient("brex", pages_of("brex", 2, 2)), out, ledger=ledger)
    assert "rebuild_ledger(" in str(refused.value)
    with Ledger(ledger) as book:
        said = in_the_command(refused.value)
        assert f"run 'expense-facade ledger rebuild --from {out} --ledger {book.name}'" in said
