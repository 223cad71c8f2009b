from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AmountBreakdown")


@_attrs_define
class AmountBreakdown:
    """Computed amount breakdown for the line item: `subTotal` excludes transaction
    tax, `grossTotal` adds it back, and `netPayable` subtracts withholding tax.

        Attributes:
            sub_total (float | None | Unset): Amount before transaction tax
            gross_total (float | None | Unset): Sub-total plus transaction tax
            net_payable (float | None | Unset): Gross total minus withholding tax
    """

    sub_total: float | None | Unset = UNSET
    gross_total: float | None | Unset = UNSET
    net_payable: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sub_total: float | None | Unset
        if isinstance(self.sub_total, Unset):
            sub_total = UNSET
        else:
            sub_total = self.sub_total

        gross_total: float | None | Unset
        if isinstance(self.gross_total, Unset):
            gross_total = UNSET
        else:
            gross_total = self.gross_total

        net_payable: float | None | Unset
        if isinstance(self.net_payable, Unset):
            net_payable = UNSET
        else:
            net_payable = self.net_payable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sub_total is not UNSET:
            field_dict["subTotal"] = sub_total
        if gross_total is not UNSET:
            field_dict["grossTotal"] = gross_total
        if net_payable is not UNSET:
            field_dict["netPayable"] = net_payable

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_sub_total(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sub_total = _parse_sub_total(d.pop("subTotal", UNSET))

        def _parse_gross_total(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        gross_total = _parse_gross_total(d.pop("grossTotal", UNSET))

        def _parse_net_payable(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        net_payable = _parse_net_payable(d.pop("netPayable", UNSET))

        amount_breakdown = cls(
            sub_total=sub_total,
            gross_total=gross_total,
            net_payable=net_payable,
        )

        amount_breakdown.additional_properties = d
        return amount_breakdown

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
