"""Errors that say how to go on, in the caller's words: an error of the export names what
it found (``problem``) and the ways on (``remedies``: a ``Remedy`` and what it applies to),
never a command-line flag. Its text speaks the Python API (``export_approved``'s
parameters); the command turns each remedy into its own flags (``expense_facade.cli``'s
``remedies`` module). The rules behind each refusal are in docs/command.md, "Ledger and
output".
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

import attrs

from expense_facade.errors import ExpenseFacadeError


class Remedy(enum.Enum):
    """A way on from a refused export."""

    NEW_OUTPUT = "new_output"
    """Accept the output file as it is now and go on writing there."""
    REBUILD_LEDGER = "rebuild_ledger"
    """Rebuild the ledger from the output file (what it holds becomes what was exported
    there), then export again: each record ends in the file exactly once."""
    OTHER_OUTPUT = "other_output"
    """Write to another output."""
    OUTPUT_FORMAT = "output_format"
    """Export in the format the output file was written in (``WayOn.format``)."""
    LEDGER_IN_TABLE_DATABASE = "ledger_in_table_database"
    """Keep the ledger in the PostgreSQL database of the destination table."""
    REPAIR_BY_HAND = "repair_by_hand"
    """Move the output file aside or repair it by hand, then run again (no option does it)."""


@attrs.frozen(slots=True)
class WayOn:
    """One remedy and what it applies to."""

    remedy: Remedy
    output: str | None = None
    """The output file (or table) concerned."""
    ledger: str | None = None
    """The ledger concerned (its name: a file or a redacted URL)."""
    format: str | None = None
    """The format to export in (``OUTPUT_FORMAT``)."""


BY_HAND = "move the file aside or repair it by hand, then run again"
"""``REPAIR_BY_HAND`` in every caller's words: no option or flag does it."""


def _rebuild(way: WayOn) -> str:
    return (
        f"rebuild_ledger(<the ledger {way.ledger}>, {way.output!r}) "
        "(expense_facade.export.outputs; the file as it is now becomes what was exported "
        "there: what it holds is not written again, what it no longer holds is exported "
        "again, once), then export again"
    )


IN_PYTHON: dict[Remedy, Callable[[WayOn], str]] = {
    Remedy.NEW_OUTPUT: lambda _: (
        "export again with options=ExportOptions(new_output=True) to accept the file as it is"
    ),
    Remedy.REBUILD_LEDGER: _rebuild,
    Remedy.OTHER_OUTPUT: lambda _: "give export_approved another out",
    Remedy.OUTPUT_FORMAT: lambda way: f"export with format={way.format!r}",
    Remedy.LEDGER_IN_TABLE_DATABASE: lambda _: (
        "give export_approved a ledger= URL of the table's PostgreSQL database"
    ),
    Remedy.REPAIR_BY_HAND: lambda _: BY_HAND,
}
"""Each remedy as a Python caller applies it (the command has its own words)."""


def said(ways: Sequence[WayOn], words: dict[Remedy, Callable[[WayOn], str]]) -> str:
    """The ways on, in ``words`` (``IN_PYTHON`` or the command's), joined by "or"."""
    return ", or ".join(words[way.remedy](way) for way in ways)


class Remedied(ExpenseFacadeError):
    """An error with ways on: ``problem`` (what was found, one line) and ``remedies``;
    ``str()`` is both, the remedies in the Python API's words."""

    def __init__(self, problem: str, *remedies: WayOn) -> None:
        self.problem = problem
        self.remedies = remedies
        super().__init__(f"{problem}: {said(remedies, IN_PYTHON)}" if remedies else problem)


__all__ = ["BY_HAND", "IN_PYTHON", "Remedied", "Remedy", "WayOn", "said"]
