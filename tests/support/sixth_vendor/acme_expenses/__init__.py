"""Acme Expenses for expense-facade: the registry line the entry point names."""

from pathlib import Path

from expense_facade.registry import VendorEntry

VENDOR = VendorEntry(
    adapter="acme_expenses.adapter:AcmeClient",
    simulator="acme_expenses.simulator:AcmeSim",
    specs=Path(__file__).resolve().parent / "spec",
)
