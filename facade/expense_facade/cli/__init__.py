"""The ``expense-facade`` command. Nothing in the package imports it; README.md documents it."""
