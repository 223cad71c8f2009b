"""Every operation a vendor does not support natively (its capability set says which) raises
``UnsupportedOperation`` naming the vendor and the operation, before anything is sent, on
the sync and the async client (issue 25)."""

from __future__ import annotations

from collections.abc import Callable

import expense_facade as ef
import pytest
from support.records import card_transaction
from support.sandbox import connect, drivers_fixture, make, runs_once

CALLS: dict[ef.Operation, Callable[[ef.ExpenseClient], object]] = {
    ef.Operation.LIST_APPROVED: lambda c: list(c.list_approved()),
    ef.Operation.GET_EXPENSE: lambda c: c.get_expense("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
    ef.Operation.MARK_EXPORTED: lambda c: c.mark_exported(["expense_1"]),
    ef.Operation.UPLOAD_RECEIPT: lambda c: c.upload_receipt(b"%PDF-1.4", filename="r.pdf"),
    ef.Operation.POST_CARD_TRANSACTION: lambda c: c.post_card_transaction(card_transaction()),
    ef.Operation.DOWNLOAD_RECEIPT: lambda c: c.download_receipt("expense_1", "r_1", "unused.pdf"),
}
_driver = drivers_fixture(globals())
UNSUPPORTED = [
    pytest.param(vendor, operation, id=f"{vendor}-{operation.value}")
    for vendor in ef.available_vendors()
    for operation in ef.Operation
    if operation not in ef.capabilities(vendor)
]


@runs_once("about this module's table, not a client")
def test_every_operation_has_a_call_and_every_vendor_lacks_some() -> None:
    assert set(CALLS) == set(ef.Operation)
    assert {p.values[0] for p in UNSUPPORTED} == set(ef.available_vendors())


@pytest.mark.parametrize(("vendor", "operation"), UNSUPPORTED)
def test_an_unsupported_operation_names_vendor_and_operation_and_sends_nothing(
    vendor: str, operation: ef.Operation
) -> None:
    sb = make(vendor, size=5)
    with connect(sb, vendor) as client, pytest.raises(ef.UnsupportedOperation) as caught:
        CALLS[operation](client)
    assert (caught.value.vendor, caught.value.operation) == (vendor, operation)
    assert f"{vendor} does not support {operation.value}" in str(caught.value)
    assert sb.requests == []  # refused before anything is sent
