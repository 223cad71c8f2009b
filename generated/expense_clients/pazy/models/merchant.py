from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant_category import MerchantCategory


T = TypeVar("T", bound="Merchant")


@_attrs_define
class Merchant:
    """Merchant details.

    Attributes:
        name (None | str | Unset): Merchant name
        vpa (None | str | Unset): Merchant VPA (UPI address)
        mcc (MerchantCategory | None | Unset):
    """

    name: None | str | Unset = UNSET
    vpa: None | str | Unset = UNSET
    mcc: MerchantCategory | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.merchant_category import MerchantCategory

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        vpa: None | str | Unset
        if isinstance(self.vpa, Unset):
            vpa = UNSET
        else:
            vpa = self.vpa

        mcc: dict[str, Any] | None | Unset
        if isinstance(self.mcc, Unset):
            mcc = UNSET
        elif isinstance(self.mcc, MerchantCategory):
            mcc = self.mcc.to_dict()
        else:
            mcc = self.mcc

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if vpa is not UNSET:
            field_dict["vpa"] = vpa
        if mcc is not UNSET:
            field_dict["mcc"] = mcc

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant_category import MerchantCategory

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_vpa(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vpa = _parse_vpa(d.pop("vpa", UNSET))

        def _parse_mcc(data: object) -> MerchantCategory | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mcc_type_1 = MerchantCategory.from_dict(data)

                return mcc_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MerchantCategory | None | Unset, data)

        mcc = _parse_mcc(d.pop("mcc", UNSET))

        merchant = cls(
            name=name,
            vpa=vpa,
            mcc=mcc,
        )

        merchant.additional_properties = d
        return merchant

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
