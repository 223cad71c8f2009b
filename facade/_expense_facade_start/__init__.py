"""The ``expense-facade`` console script's first code: SIGINT and SIGTERM are caught before
anything else is imported, so an interrupt at any moment after the interpreter has started
ends in the command's one line and exit code (docs/command.md, "Exit codes").

It lives outside the ``expense_facade`` package on purpose: importing that package takes
tens of milliseconds, and an interrupt landing then would be Python's traceback. Its first
lines only note a stop (the standard library's ``signal``), and ``run`` says it inside its
try. ``expense_facade.cli.signals`` takes over once the command is imported; the words and
codes of a stop are kept here, once, for both.
"""

from __future__ import annotations

# First of all, before this module's own body runs: a stop is only remembered until run()
# is inside its try, so one landing while this module loads is the one line too, not a
# traceback through it (issue 21's sweep found one at 30 ms under load).
import _signal  # type: ignore[import-not-found]  # C module: signal.py builds enums (slow)

_early: list[int] = []
_signal.signal(_signal.SIGINT, lambda signum, frame: _early.append(signum))
_signal.signal(_signal.SIGTERM, lambda signum, frame: _early.append(signum))

PROG = "expense-facade"
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C): 128 + 2, as a shell reports it
EXIT_TERMINATED = 143  # SIGTERM: 128 + 15


class Terminated(BaseException):
    """SIGTERM arrived: unwind like KeyboardInterrupt does for SIGINT."""


def stop_line(exc: BaseException) -> tuple[str, int]:
    """The one line (without the program's name) and the exit code of a stop by ``exc``
    (a KeyboardInterrupt or Terminated)."""
    terminated = isinstance(exc, Terminated)
    what = "terminated" if terminated else "interrupted"
    line = f"{what}; the next run goes on from where this one stopped"
    return line, EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _unraisable(unraisable: object) -> None:
    """A stop raised where Python cannot propagate it (a weakref callback inside importlib,
    a ``__del__``) is not printed as "Exception ignored": the command says the stop once
    (and ``cli.signals``' grace ends a run it left waiting). Anything else, as Python does."""
    import sys

    if not isinstance(getattr(unraisable, "exc_value", None), KeyboardInterrupt | Terminated):
        sys.__unraisablehook__(unraisable)  # type: ignore[arg-type]


def run() -> int:
    """What the ``expense-facade`` console script runs; returns the exit code."""
    try:
        # Inside the try: SIGINT already raises KeyboardInterrupt (Python's own handler),
        # and SIGTERM raises Terminated from here on.
        import signal
        import sys

        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _on_sigterm)
        sys.unraisablehook = _unraisable
        if _early:  # a stop arrived while this module loaded: say it now
            raise Terminated if _early[0] == signal.SIGTERM else KeyboardInterrupt
        from expense_facade.cli.entry import run as command

        return command()  # it installs the command's own handlers at once
    except (KeyboardInterrupt, Terminated) as exc:  # before the command could catch it
        return _stopped_early(exc)


def _stopped_early(exc: BaseException) -> int:
    """A stop while the command was still being imported: nothing had been done yet."""
    import signal
    import sys

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)  # a second signal changes nothing now
    line, code = stop_line(exc)
    print(f"{PROG}: {line}", file=sys.stderr)
    return code


__all__ = ["EXIT_INTERRUPTED", "EXIT_TERMINATED", "PROG", "Terminated", "run", "stop_line"]
