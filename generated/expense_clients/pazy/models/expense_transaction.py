from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExpenseTransaction")


@_attrs_define
class ExpenseTransaction:
    """Transaction details.

    Attributes:
        utr (None | str | Unset): Unique Transaction Reference (UTR) of the payment
        date_confirmed (None | str | Unset): Date the transaction was confirmed
        narration (None | str | Unset): Bank narration for the transaction
        ledger_id (None | str | Unset): Ledger / instrument identifier the transaction is mapped to
    """

    utr: None | str | Unset = UNSET
    date_confirmed: None | str | Unset = UNSET
    narration: None | str | Unset = UNSET
    ledger_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        utr: None | str | Unset
        if isinstance(self.utr, Unset):
            utr = UNSET
        else:
            utr = self.utr

        date_confirmed: None | str | Unset
        if isinstance(self.date_confirmed, Unset):
            date_confirmed = UNSET
        else:
            date_confirmed = self.date_confirmed

        narration: None | str | Unset
        if isinstance(self.narration, Unset):
            narration = UNSET
        else:
            narration = self.narration

        ledger_id: None | str | Unset
        if isinstance(self.ledger_id, Unset):
            ledger_id = UNSET
        else:
            ledger_id = self.ledger_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if utr is not UNSET:
            field_dict["utr"] = utr
        if date_confirmed is not UNSET:
            field_dict["dateConfirmed"] = date_confirmed
        if narration is not UNSET:
            field_dict["narration"] = narration
        if ledger_id is not UNSET:
            field_dict["ledgerId"] = ledger_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_utr(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        utr = _parse_utr(d.pop("utr", UNSET))

        def _parse_date_confirmed(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        date_confirmed = _parse_date_confirmed(d.pop("dateConfirmed", UNSET))

        def _parse_narration(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        narration = _parse_narration(d.pop("narration", UNSET))

        def _parse_ledger_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_id = _parse_ledger_id(d.pop("ledgerId", UNSET))

        expense_transaction = cls(
            utr=utr,
            date_confirmed=date_confirmed,
            narration=narration,
            ledger_id=ledger_id,
        )

        expense_transaction.additional_properties = d
        return expense_transaction

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
