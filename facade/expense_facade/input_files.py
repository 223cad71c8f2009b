"""Files the user hands in (the config, a key file, the command's input files): a regular
file, opened without blocking and read with a bound (docs/limits.md, "Files").

A FIFO would block the open (or the read) forever, a device such as ``/dev/zero`` never
ends, a folder is not a file: each is refused at once, naming the file, before a byte is
read. A ``what`` names the file in the message (``"config file"``) and ``error`` is the
exception type the caller's layer raises (a ``ConfigurationError``, a ``LedgerError``...).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import BinaryIO

ErrorType = Callable[[str], Exception]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (a named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str | None:
    """``"a folder"``, ``"a FIFO (a named pipe)"``, ``"a device"``, ``"a socket"``, or
    None for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), None)


def open_regular(path: str | os.PathLike[str], what: str, error: ErrorType) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file; else ``error``
    raised with one line naming it and what it is."""
    shown = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would wait for one forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"cannot read {what} {shown}: {exc.strerror}") from None
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise error(f"{what} {shown} is {kind}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(
    path: str | os.PathLike[str], what: str, max_bytes: int, error: ErrorType
) -> bytes:
    """The bytes of ``path``, a regular file of at most ``max_bytes`` (never more than that
    plus one is read)."""
    with open_regular(path, what, error) as handle:
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"cannot read {what} {os.fspath(path)}: {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise error(f"{what} {os.fspath(path)} is larger than {_size(max_bytes)}")
    return raw


def _size(count: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"


__all__ = ["ErrorType", "kind_of", "open_regular", "read_regular"]
