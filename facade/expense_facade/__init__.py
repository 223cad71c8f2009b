"""expense_facade: one small API over five expense platforms.

Importing this package imports no generated client: vendor adapters (and the generated
packages under them) are loaded only when ``connect`` asks for one.
"""

from expense_facade.errors import *  # noqa: F403
from expense_facade.operations import ALL_OPERATIONS, Operation
from expense_facade.records import *  # noqa: F403

__version__ = "0.1.0"
