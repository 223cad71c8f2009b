"""Every ``expense-facade ...`` command shown in README.md and docs/ is one the command's
parser accepts (options, values, subcommands), so the docs cannot drift from the command."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest
from expense_facade.cli.parser import build_parser

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PROG = "expense-facade"

_SHELL_BLOCK = re.compile(r"^```(?:sh|shell|bash|console)\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_INLINE = re.compile(r"(?<!`)`(expense-facade [^`]+)`(?!`)")


def shown_commands(markdown: str) -> list[str]:
    """Command lines starting with ``expense-facade``: in shell blocks (``$`` prompts
    allowed), and in inline code spans (which may wrap across a line)."""
    found: list[str] = []
    for block in _SHELL_BLOCK.findall(markdown):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith(PROG + " "):
                found.append(line)
    without_blocks = _SHELL_BLOCK.sub("", markdown)
    found.extend(" ".join(span.split()) for span in _INLINE.findall(without_blocks))
    return found


def argv_of(command: str) -> list[str]:
    """The arguments after the program name, up to a pipe or a redirection."""
    words = shlex.split(command, comments=True)
    argv: list[str] = []
    for word in words[1:]:
        if word in ("|", ">", ">>", "<", "&&", ";"):
            break
        argv.append(word)
    return argv


COMMANDS = sorted(
    {
        (page.relative_to(ROOT).as_posix(), c)
        for page in PAGES
        for c in shown_commands(page.read_text())
    }
)


def test_the_docs_show_the_commands() -> None:
    shown = {command.split()[1] for _, command in COMMANDS}
    assert {"export", "vendors", "get", "mark-exported", "post-transaction"} <= shown


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize(("page", "command"), COMMANDS)
def test_a_shown_command_parses(page: str, command: str) -> None:
    argv = argv_of(command)
    assert argv, f"{page}: {command}"
    if len(argv) == 1 and argv[0] in _subcommands():
        # Runs as it is (`expense-facade vendors`), or is a subcommand named in prose
        # (`expense-facade export`) whose full forms are shown elsewhere.
        return
    args = build_parser().parse_args(argv)
    assert callable(args.handler), f"{page}: {command}"


def test_a_wrong_command_is_caught() -> None:
    from expense_facade.cli.exits import UsageError

    with pytest.raises(UsageError):
        build_parser().parse_args(argv_of("expense-facade export --vendr brex"))
    assert "exprot" not in _subcommands()
    assert shown_commands("```sh\n$ expense-facade vendors   # the table\n```\n") == [
        "expense-facade vendors   # the table"
    ]
    assert shown_commands("run `expense-facade get\n--vendor brex X` now") == [
        "expense-facade get --vendor brex X"
    ]
