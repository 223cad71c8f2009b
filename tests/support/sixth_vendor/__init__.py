"""A sixth vendor as a third-party package would ship it (``acme_expenses``: spec, adapter,
simulator, and the registry line its entry point names). tests/core/test_sixth_vendor.py
installs it into a temporary folder with an ``expense_facade.vendors`` entry point and
shows the command, the export, the cassette recorder, the conformance check and the
benchmarks pick it up with no other edit (docs/adapter_guide.md, "Adding a vendor").
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent / "acme_expenses"
"""The package folder to install."""
ENTRY_POINT = "acme = acme_expenses:VENDOR"
"""Its line in the ``expense_facade.vendors`` group."""
