"""Output formats are one table (issue 24, item 6): a format registered in
``sinks.formats.FORMATS`` alone is offered by ``export --format`` and ``ledger rebuild
--format``, chosen by its suffix, written, checked, detected and rebuilt from, with no
other change (docs/export.md, "Formats")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from expense_facade.cli import main as cli
from expense_facade.export.sinks.formats import (
    FORMATS,
    FormatEntry,
    StoredRecord,
    TailScan,
    format_names,
)
from expense_facade.records import Expense
from expense_facade.sandbox import Sandbox


class IdsFormat:
    """A test-only format: ``vendor<TAB>account<TAB>id`` per line, no header."""

    name = "ids"
    extension = "tsv"

    def header(self) -> bytes:
        return b""

    def encode(self, expense: Expense) -> bytes:
        return f"{expense.vendor}\t{expense.account or ''}\t{expense.id}\n".encode()

    def _fields(self, line: bytes) -> list[str] | None:
        fields = line.rstrip(b"\n").decode("utf-8", "replace").split("\t")
        return fields if len(fields) == 3 else None

    def scan(self, data: bytes, *, at_start: bool) -> TailScan:
        lines = data.split(b"\n")
        records = []
        for line in lines[:-1]:
            fields = self._fields(line)
            records.append((fields[0], fields[2]) if fields else ("", line.decode()[:80]))
        return TailScan(records=tuple(records), ends_cleanly=lines[-1] == b"")

    def read(self, handle: IO[bytes]) -> Iterator[StoredRecord]:
        for number, line in enumerate(handle, start=1):
            fields = self._fields(line) if line.endswith(b"\n") else None
            if fields is None:
                yield StoredRecord(number, "", "", "", "not an ids line")
            else:
                yield StoredRecord(number, fields[0], fields[1], fields[2])

    def detects(self, first_line: bytes) -> bool:
        return self._fields(first_line) is not None

    def refuses(self, first_line: bytes) -> str | None:
        return None if self.detects(first_line) else "does not hold ids lines"


@pytest.fixture
def ids_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """The format, registered in the one table for this test only."""
    monkeypatch.setitem(FORMATS, "ids", FormatEntry(lambda _: IdsFormat(), suffix=".tsv"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv), environ={})
    return code, capsys.readouterr().err


@pytest.mark.usefixtures("ids_format")
def test_a_registered_format_is_offered_and_works_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "ids" in format_names()
    # offered by both commands (one list of choices: the table's)
    parser = cli.build_parser()
    for argv in (["export", "--vendor", "brex", "--format", "ids"],
                 ["ledger", "rebuild", "--from", "x", "--format", "ids"]):  # fmt: skip
        assert parser.parse_args(argv).format == "ids"
    code, err = run(capsys, "export", "--vendor", "brex", "--format", "idz")
    assert code == cli.EXIT_FATAL
    assert "'jsonl', 'csv', 'csv-lines', 'ids'" in err

    # written (chosen by its suffix), checked on the next run, detected by rebuild
    out, ledger = tmp_path / "brex.tsv", tmp_path / "l.sqlite3"
    export = ["export", "--sandbox", "--vendor", "brex", "--sandbox-size", "60", "--out",
              str(out), "--ledger", str(ledger), "-q"]  # fmt: skip
    assert run(capsys, *export)[0] == cli.EXIT_OK
    truth = set(Sandbox(seed=1, size=60).vendor("brex").approved_ids())
    lines = out.read_text().splitlines()
    assert {line.split("\t")[2] for line in lines} == truth
    assert len(lines) == len(truth)
    code, err = run(capsys, *export)
    assert (code, err.split(" in ")[0]) == (cli.EXIT_OK, "Exported 0 expenses")

    for name in ("l.sqlite3", "l.sqlite3-wal", "l.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    code, err = run(capsys, *export)
    assert code == cli.EXIT_FATAL
    assert f"already holds {len(truth)} records" in err
    code, err = run(capsys, "ledger", "rebuild", "--from", str(out), "--ledger", str(ledger))
    assert code == cli.EXIT_OK
    assert f"{out}: {len(truth)} records (ids), {len(truth)} new to the ledger" in err
    code, err = run(capsys, *export)
    assert (code, err.split(" in ")[0]) == (cli.EXIT_OK, "Exported 0 expenses")
    assert out.read_text().splitlines() == lines


def test_export_and_rebuild_offer_the_same_formats() -> None:
    parser = cli.build_parser()
    choices = {}
    for argv in (["export", "--vendor", "brex"], ["ledger", "rebuild", "--from", "x"]):
        sub = parser
        for word in argv[: 2 if argv[0] == "ledger" else 1]:
            action = next(a for a in sub._actions if a.dest in ("command", "ledger_command"))
            sub = action.choices[word]  # type: ignore[index]
        (fmt,) = [a for a in sub._actions if a.dest == "format"]
        choices[argv[0]] = tuple(fmt.choices or ())
    assert choices["export"] == choices["ledger"] == format_names()
