"""Vendor adapters, one module per vendor, each an ``ExpenseClient`` subclass; nothing is
imported here on purpose (the registry loads an adapter when needed). Writing one:
docs/adapter_guide.md; what each maps: docs/field_mapping.md.
"""
