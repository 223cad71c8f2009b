"""Words of the messages the package writes: a count with its noun (``1 page``,
``12 pages``), the one place that knows an English plural."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """``1 page``, ``12 pages``, ``1,200 records``; ``plural`` for a word that does not
    take an ``s``."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


__all__ = ["counted"]
