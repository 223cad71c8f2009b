"""``python -m expense_facade.sandbox [options]`` is ``expense-facade sandbox serve
[options]``: one program with two spellings (docs/command.md, "sandbox serve"), so both
print the same pasteable ``export EXPENSE_FACADE_...`` lines and stop the same way.

It replaces this process with the command's console entry (the sandbox package never
imports the command: the command sits above it).
"""

from __future__ import annotations

import os
import sys

ENTRY = "import sys; from _expense_facade_start import run; sys.exit(run())"
"""What the ``expense-facade`` console script runs (pyproject.toml, [project.scripts])."""


def main(argv: list[str] | None = None) -> None:
    """Become ``expense-facade sandbox serve <argv>``."""
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.flush()
    command = [sys.executable, "-c", ENTRY, "sandbox", "serve", *args]
    os.execv(sys.executable, command)  # noqa: S606 (this interpreter, the command's entry)


if __name__ == "__main__":
    main()
