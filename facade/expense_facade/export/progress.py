"""Progress display for long exports, on stderr (docs/export.md, "Progress")."""

from __future__ import annotations

import threading
from typing import TextIO

from expense_facade._wording import counted
from expense_facade.clock import Clock, SystemClock
from expense_facade.export.pipeline import ExportProgress

TTY_INTERVAL = 0.2
"""Seconds between redraws of the status line on a terminal."""

LOG_INTERVAL = 30.0
"""Seconds between plain progress lines when stderr is not a terminal."""


def format_elapsed(seconds: float) -> str:
    """``1:02:03``, ``2:03`` or ``4.2 s``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def describe(progress: ExportProgress) -> str:
    """One line: ``brex: 1,200 records (1,000 new, 200 already exported), 12 pages, ...``,
    and the receipt files when the export downloads them."""
    receipts = progress.receipts
    files = (
        ""
        if receipts is None
        else f"receipts {receipts.downloaded:,} downloaded, {receipts.skipped:,} skipped, "
        f"{len(receipts.failed):,} failed, "
    )
    return (
        f"{progress.vendor}: {counted(progress.records, 'record')} "
        f"({progress.exported:,} new, {progress.skipped:,} already exported), "
        f"{counted(progress.pages, 'page')}, {files}{progress.rate:,.0f} records/s, "
        f"{format_elapsed(progress.elapsed)}"
    )


class ProgressDisplay:
    """A callback for ``export_vendor(on_progress=...)`` that draws on ``stream``."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool | None = None,
        clock: Clock | None = None,
        enabled: bool = True,
    ) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock or SystemClock()
        self.enabled = enabled
        self._last_draw: float | None = None
        self._line_open = False
        self._last: ExportProgress | None = None
        # Messages come from worker threads (retries during fan-out or read-ahead).
        self._lock = threading.RLock()

    def __call__(self, progress: ExportProgress) -> None:
        if not self.enabled:
            return
        self._last = progress
        now = self.clock.monotonic()
        interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        if self._last_draw is None and not self.tty:
            self._last_draw = now  # in logs the first line waits one interval: short runs
            return  # stay quiet
        if self._last_draw is not None and now - self._last_draw < interval:
            return
        self._last_draw = now
        self._draw(progress)

    def message(self, text: str) -> None:
        """Print ``text`` as a line of its own without breaking the status line: on a
        terminal the status line is cleared, the text printed, the status drawn again."""
        with self._lock:
            if self.tty and self._line_open and self._last is not None:
                self.stream.write("\r\x1b[K" + text + "\n" + describe(self._last))
            else:
                self.stream.write(text + "\n")
            self.stream.flush()

    def _draw(self, progress: ExportProgress) -> None:
        with self._lock:
            self._draw_line(progress)

    def _draw_line(self, progress: ExportProgress) -> None:
        if self.tty:
            # \r and "erase to end of line": redraw in place without leaving stale text.
            self.stream.write("\r\x1b[K" + describe(progress))
            self._line_open = True
        else:
            self.stream.write(describe(progress) + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """End the vendor's status line (on a terminal, leave its final state visible)."""
        with self._lock:
            if self.enabled and self.tty and self._line_open and self._last is not None:
                self.stream.write("\r\x1b[K" + describe(self._last) + "\n")
                self.stream.flush()
            self._line_open = False
            self._last_draw = None
            self._last = None


__all__ = ["LOG_INTERVAL", "TTY_INTERVAL", "ProgressDisplay", "describe", "format_elapsed"]
