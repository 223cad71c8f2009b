"""Vendor adapters, one module per vendor (``capture``, ``brex``, ``revolut``, ``prospend``,
``pazy``), each subclassing ``expense_facade.client.ExpenseClient``.

Nothing is imported here on purpose: ``expense_facade.registry`` imports an adapter (and
the generated ``expense_clients.<vendor>`` package it uses) only when it is needed.
"""
