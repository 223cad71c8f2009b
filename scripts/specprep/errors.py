"""The one exception type of the preparation engine."""


class PrepareError(Exception):
    """A preparation step cannot be applied (bad prepare.yaml, missing operation, bad overlay)."""
