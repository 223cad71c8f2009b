"""The exclusive lock an export takes on a file it owns (the ledger, an output): on the
open file itself, so a symlink, a hard link or another relative path to the same file
meets the same lock, and released by the OS when the process dies (docs/export.md,
"The ledger" and "Crash safety").
"""

from __future__ import annotations

import sys


def lock_open_file(fd: int) -> None:
    """Lock the open file ``fd`` exclusively without waiting; ``OSError`` when another
    process holds it. Closing ``fd`` releases the lock (and ``os.open`` descriptors are not
    inherited by child processes, PEP 446, so none keeps it by accident).

    POSIX: ``flock``, which locks the open file, not its name (SQLite's own locks are
    POSIX record locks, which do not interact with it on Linux and the BSDs). Windows:
    ``msvcrt.locking`` of the first byte."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


__all__ = ["lock_open_file"]
