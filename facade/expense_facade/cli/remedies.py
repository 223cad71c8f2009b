"""The command's words for the export's remedies (``export.remedies``): each way on as
the flags and commands that apply it, so a refusal the library raises in Python terms is
printed in the command's (docs/command.md, "Ledger and output")."""

from __future__ import annotations

from collections.abc import Callable

from expense_facade.export.remedies import BY_HAND, Remedied, Remedy, WayOn, said

NEW_OUTPUT_FLAG = "--new-output"
REBUILD_COMMAND = "expense-facade ledger rebuild --from"


def _rebuild(way: WayOn) -> str:
    return (
        f"run '{REBUILD_COMMAND} {way.output} --ledger {way.ledger}' (the file as it is now "
        "becomes what was exported there: what it holds is not written again, what it no "
        "longer holds is exported again, once), then export again"
    )


IN_THE_COMMAND: dict[Remedy, Callable[[WayOn], str]] = {
    Remedy.NEW_OUTPUT: lambda _: f"export again with {NEW_OUTPUT_FLAG} to accept the file as it is",
    Remedy.REBUILD_LEDGER: _rebuild,
    Remedy.OTHER_OUTPUT: lambda _: "choose another --out",
    Remedy.OUTPUT_FORMAT: lambda way: f"export with --format {way.format}",
    Remedy.LEDGER_IN_TABLE_DATABASE: lambda _: "give --ledger the same PostgreSQL database",
    Remedy.REPAIR_BY_HAND: lambda _: BY_HAND,
}
"""Each remedy as the command applies it (a test checks every remedy has words here)."""


def in_the_command(exc: Remedied) -> str:
    """``exc`` on one line, its ways on as the command's flags."""
    return f"{exc.problem}: {said(exc.remedies, IN_THE_COMMAND)}" if exc.remedies else exc.problem


__all__ = ["IN_THE_COMMAND", "NEW_OUTPUT_FLAG", "REBUILD_COMMAND", "in_the_command"]
