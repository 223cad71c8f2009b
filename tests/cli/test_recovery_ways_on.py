"""Every refusal of an output, after a kill at every protocol step, followed by what its
message advises: each record ends in the output exactly once (issue 19, item 5;
docs/export.md, "Recovery that never loses").

The command runs in this process against a sandbox served on loopback; a kill is a
``Crash`` raised before or after a protocol step's transaction (``SteppedStore``) or in
the middle of an append. The advice is read from the message itself and carried out.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.export import ledger as ledger_module
from expense_facade.export import run as export_run
from expense_facade.export.ledger import Ledger
from expense_facade.export.sinks.files import FileSink
from support.exactly_once import Run, command, environ, export, served, tally, truth_of
from support.ledger_backends import delete_ledger
from support.ledger_steps import Crash, SteppedStore, crash_at

# On both ledger backends (docs/scale.md, "Tests"): the command's ledger, the killed one
# and the one a rebuild makes are PostgreSQL schemas in the second run.
pytestmark = pytest.mark.usefixtures("each_ledger_backend")

WRITE_POINTS = ["before-intent", "after-intent", "mid-append", "before-written", "after-written"]
MARK_POINTS = ["before-mark-sent", "after-mark-sent", "before-marked", "after-marked"]


def _ledger_deleted(out: Path, ledger: Path) -> None:
    delete_ledger(ledger)


def _shorter(out: Path, ledger: Path) -> None:
    data = out.read_bytes()
    keep = data.rstrip(b"\n").rfind(b"\n") + 1  # the last record (and any torn tail) cut
    out.write_bytes(data[:keep])


def _changed(out: Path, ledger: Path) -> None:
    data = bytearray(out.read_bytes())
    at = data.index(b'"status":"') + len(b'"status":"')
    data[at : at + 1] = data[at : at + 1].swapcase() or b"x"
    out.write_bytes(bytes(data))


def _appended(out: Path, ledger: Path) -> None:
    with open(out, "ab") as handle:
        handle.write(b'{"vendor":"brex","account":"elsewhere","id":"foreign-1"}\n')


def _deleted(out: Path, ledger: Path) -> None:
    out.unlink()


REFUSALS: dict[str, Callable[[Path, Path], None]] = {
    "ledger-deleted": _ledger_deleted,
    "shorter": _shorter,
    "changed": _changed,
    "appended": _appended,
    "deleted": _deleted,
}
# Capture forgets a row once it is marked: cut from the output, no run can list it again
# (docs/export.md, "Recovery that never loses", known limit).
CAPTURE_REFUSALS = ["ledger-deleted", "changed", "appended"]

CASES = [("brex", p, r) for p in WRITE_POINTS for r in REFUSALS] + [
    ("capture", p, r) for p in MARK_POINTS for r in CAPTURE_REFUSALS
]


def follow_advice(env: dict[str, str], run: Run) -> bool:
    """Carry out what a refusal advises (a ``ledger rebuild`` command, a ``truncate``);
    False when the message advises nothing this test can do."""
    line = run.err.strip().splitlines()[-1]
    truncate = re.search(r"\(truncate -s (\d+) (\S+)\)", line)
    if truncate:
        os.truncate(truncate.group(2), int(truncate.group(1)))
        return True
    remove = re.search(r"\(sed -i '(\d+)d' (\S+);", line)
    if remove:
        lines = Path(remove.group(2)).read_bytes().splitlines(keepends=True)
        del lines[int(remove.group(1)) - 1]
        Path(remove.group(2)).write_bytes(b"".join(lines))
        return True
    rebuild = re.search(r"run '(expense-facade ledger rebuild [^']+)'", line)
    if rebuild:
        argv = shlex.split(rebuild.group(1))[1:]
        done = command(env, *argv)
        if done.code != cli.EXIT_OK:  # the rebuild's own advice (a torn last record)
            assert follow_advice(env, done), done.err
            done = command(env, *argv)
        assert done.code == cli.EXIT_OK, done.err
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize(("vendor", "point", "refusal"), CASES)
def test_the_advised_way_on_ends_with_each_record_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vendor: str, point: str, refusal: str
) -> None:
    out_dir, ledger = tmp_path / "out", tmp_path / "ledger.sqlite3"
    out = out_dir / f"{vendor}.jsonl"
    with served((vendor,), seed=31, size=50) as (sb, server):
        env = environ(sb, server, tmp_path)
        truth = truth_of(sb)

        class Killed(Ledger):
            def __init__(self, path: Path) -> None:
                # Writes: the second batch dies; marks: the one mark batch of 50.
                nth = 1 if point in MARK_POINTS else 2
                store = ledger_module.SqliteStore(path)  # the backend's, as the command's
                super().__init__(store=SteppedStore(store, crash_at(point, nth)))

        appends = [0]
        real_append = FileSink.append

        def half_then_die(self: FileSink, chunks: list[bytes]) -> None:
            appends[0] += 1
            if appends[0] < 2:
                real_append(self, chunks)
                return
            data = b"".join(chunks)
            with open(self.path, "ab") as handle:
                handle.write(data[: len(data) // 2 + 3])
            raise Crash("mid-append")

        with monkeypatch.context() as kill:
            if point == "mid-append":
                kill.setattr(FileSink, "append", half_then_die)
            else:
                kill.setattr(export_run, "Ledger", Killed)
            with pytest.raises(Crash):
                export(env, out_dir, ledger, "--page-size", "10")
        REFUSALS[refusal](out, ledger)

        for _ in range(4):
            run = export(env, out_dir, ledger, "--page-size", "10")
            if run.code == cli.EXIT_OK:
                break
            assert run.code == cli.EXIT_FATAL, run.err
            assert follow_advice(env, run), f"no way on: {run.err}"
        else:
            pytest.fail(f"still refused after following the advice: {run.err}")
    assert tally(out_dir, truth).exactly_once, (point, refusal)
