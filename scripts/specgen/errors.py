"""The one error of the generation steps after preparation."""

from __future__ import annotations


class UnsupportedConstruct(Exception):
    """A spec construct a generation step cannot handle, and where it is (a JSON pointer)."""

    def __init__(self, construct: str, pointer: str) -> None:
        super().__init__(f"{construct} at {pointer}")
        self.construct = construct
        self.pointer = pointer
