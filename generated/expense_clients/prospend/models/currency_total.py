from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CurrencyTotal")


@_attrs_define
class CurrencyTotal:
    """Gross, net and tax amounts in one currency.

    Attributes:
        gross_amount (float | None | Unset):  Example: 1247.63.
        net_amount (float | None | Unset):  Example: 1143.3.
        tax_amount (float | None | Unset):  Example: 104.33.
        currency_code (None | str | Unset): ISO 4217 currency code. Example: AUD.
        currency (None | str | Unset): ISO 4217 currency code (older beta name of `currencyCode`).
    """

    gross_amount: float | None | Unset = UNSET
    net_amount: float | None | Unset = UNSET
    tax_amount: float | None | Unset = UNSET
    currency_code: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gross_amount: float | None | Unset
        if isinstance(self.gross_amount, Unset):
            gross_amount = UNSET
        else:
            gross_amount = self.gross_amount

        net_amount: float | None | Unset
        if isinstance(self.net_amount, Unset):
            net_amount = UNSET
        else:
            net_amount = self.net_amount

        tax_amount: float | None | Unset
        if isinstance(self.tax_amount, Unset):
            tax_amount = UNSET
        else:
            tax_amount = self.tax_amount

        currency_code: None | str | Unset
        if isinstance(self.currency_code, Unset):
            currency_code = UNSET
        else:
            currency_code = self.currency_code

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if gross_amount is not UNSET:
            field_dict["grossAmount"] = gross_amount
        if net_amount is not UNSET:
            field_dict["netAmount"] = net_amount
        if tax_amount is not UNSET:
            field_dict["taxAmount"] = tax_amount
        if currency_code is not UNSET:
            field_dict["currencyCode"] = currency_code
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_gross_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        gross_amount = _parse_gross_amount(d.pop("grossAmount", UNSET))

        def _parse_net_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        net_amount = _parse_net_amount(d.pop("netAmount", UNSET))

        def _parse_tax_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        tax_amount = _parse_tax_amount(d.pop("taxAmount", UNSET))

        def _parse_currency_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency_code = _parse_currency_code(d.pop("currencyCode", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        currency_total = cls(
            gross_amount=gross_amount,
            net_amount=net_amount,
            tax_amount=tax_amount,
            currency_code=currency_code,
            currency=currency,
        )

        currency_total.additional_properties = d
        return currency_total

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
