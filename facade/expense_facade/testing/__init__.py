"""Helpers for testing code built on expense_facade: ``testing.cassettes`` records and
replays HTTP traffic under the project's scrubbing rules (docs/cassettes.md); its names
import from here too. Nothing here imports vcrpy or PyYAML until a function that needs
them is called.
"""

from expense_facade.testing import cassettes
from expense_facade.testing.cassettes import *  # noqa: F403 (the same names, one list)

__all__ = list(cassettes.__all__)
