"""The library version, in a module of its own so that the HTTP layer can put it in the
User-Agent without importing the package ``__init__`` (which imports the HTTP layer)."""

__version__ = "0.1.0"
