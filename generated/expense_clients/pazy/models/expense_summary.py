from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExpenseSummary")


@_attrs_define
class ExpenseSummary:
    """An expense as the list returns it.

    Attributes:
        id (str): Unique identifier (slug) of the expense; the `expenseId` of the detail call.
        state (None | str | Unset):
        sync_state (None | str | Unset):
        expense_type (None | str | Unset):
        payment_state (None | str | Unset):
        currency (None | str | Unset):  Example: INR.
        total_amount (float | None | str | Unset):
        item_count (int | None | Unset):
    """

    id: str
    state: None | str | Unset = UNSET
    sync_state: None | str | Unset = UNSET
    expense_type: None | str | Unset = UNSET
    payment_state: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    total_amount: float | None | str | Unset = UNSET
    item_count: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        sync_state: None | str | Unset
        if isinstance(self.sync_state, Unset):
            sync_state = UNSET
        else:
            sync_state = self.sync_state

        expense_type: None | str | Unset
        if isinstance(self.expense_type, Unset):
            expense_type = UNSET
        else:
            expense_type = self.expense_type

        payment_state: None | str | Unset
        if isinstance(self.payment_state, Unset):
            payment_state = UNSET
        else:
            payment_state = self.payment_state

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        total_amount: float | None | str | Unset
        if isinstance(self.total_amount, Unset):
            total_amount = UNSET
        else:
            total_amount = self.total_amount

        item_count: int | None | Unset
        if isinstance(self.item_count, Unset):
            item_count = UNSET
        else:
            item_count = self.item_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if sync_state is not UNSET:
            field_dict["syncState"] = sync_state
        if expense_type is not UNSET:
            field_dict["expenseType"] = expense_type
        if payment_state is not UNSET:
            field_dict["paymentState"] = payment_state
        if currency is not UNSET:
            field_dict["currency"] = currency
        if total_amount is not UNSET:
            field_dict["totalAmount"] = total_amount
        if item_count is not UNSET:
            field_dict["itemCount"] = item_count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        def _parse_sync_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sync_state = _parse_sync_state(d.pop("syncState", UNSET))

        def _parse_expense_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expense_type = _parse_expense_type(d.pop("expenseType", UNSET))

        def _parse_payment_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_state = _parse_payment_state(d.pop("paymentState", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_total_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        total_amount = _parse_total_amount(d.pop("totalAmount", UNSET))

        def _parse_item_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        item_count = _parse_item_count(d.pop("itemCount", UNSET))

        expense_summary = cls(
            id=id,
            state=state,
            sync_state=sync_state,
            expense_type=expense_type,
            payment_state=payment_state,
            currency=currency,
            total_amount=total_amount,
            item_count=item_count,
        )

        expense_summary.additional_properties = d
        return expense_summary

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
