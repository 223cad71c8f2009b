from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Tax")


@_attrs_define
class Tax:
    """A tax on a line item (transaction tax such as GST, or withholding tax such as TDS).

    Attributes:
        type_ (None | str | Unset): Tax type
        amount (float | None | str | Unset):
        name (None | str | Unset): Tax name
        deduction_type (None | str | Unset): Tax deduction type
        deduction_value (float | None | Unset): Tax deduction value
        id (float | None | str | Unset): Tax identifier (number, string or null).
    """

    type_: None | str | Unset = UNSET
    amount: float | None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    deduction_type: None | str | Unset = UNSET
    deduction_value: float | None | Unset = UNSET
    id: float | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        amount: float | None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        deduction_type: None | str | Unset
        if isinstance(self.deduction_type, Unset):
            deduction_type = UNSET
        else:
            deduction_type = self.deduction_type

        deduction_value: float | None | Unset
        if isinstance(self.deduction_value, Unset):
            deduction_value = UNSET
        else:
            deduction_value = self.deduction_value

        id: float | None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if amount is not UNSET:
            field_dict["amount"] = amount
        if name is not UNSET:
            field_dict["name"] = name
        if deduction_type is not UNSET:
            field_dict["deductionType"] = deduction_type
        if deduction_value is not UNSET:
            field_dict["deductionValue"] = deduction_value
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_deduction_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deduction_type = _parse_deduction_type(d.pop("deductionType", UNSET))

        def _parse_deduction_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        deduction_value = _parse_deduction_value(d.pop("deductionValue", UNSET))

        def _parse_id(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        tax = cls(
            type_=type_,
            amount=amount,
            name=name,
            deduction_type=deduction_type,
            deduction_value=deduction_value,
            id=id,
        )

        tax.additional_properties = d
        return tax

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
