from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_breakdown import AmountBreakdown
    from ..models.tax import Tax


T = TypeVar("T", bound="LineItem")


@_attrs_define
class LineItem:
    """A line item on the expense.

    Attributes:
        id (None | str | Unset): Unique identifier of the line item
        description (None | str | Unset): Line item description
        amount (float | None | Unset): Total amount for the line item
        rate (float | None | Unset): Unit rate for the line item
        quantity (float | None | Unset): Quantity for the line item
        ledger_type (None | str | Unset): Ledger type mapped to the line item
        ledger_id (None | str | Unset): Ledger identifier mapped to the line item
        sku_id (None | str | Unset): SKU identifier mapped to the line item
        trx_tax (None | Tax | Unset): Transaction (e.g., GST) tax details for the line item
        wht_tax (None | Tax | Unset): Withholding (e.g., TDS) tax details for the line item
        amount_breakdown (AmountBreakdown | None | Unset):
    """

    id: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    amount: float | None | Unset = UNSET
    rate: float | None | Unset = UNSET
    quantity: float | None | Unset = UNSET
    ledger_type: None | str | Unset = UNSET
    ledger_id: None | str | Unset = UNSET
    sku_id: None | str | Unset = UNSET
    trx_tax: None | Tax | Unset = UNSET
    wht_tax: None | Tax | Unset = UNSET
    amount_breakdown: AmountBreakdown | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_breakdown import AmountBreakdown
        from ..models.tax import Tax

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        amount: float | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        rate: float | None | Unset
        if isinstance(self.rate, Unset):
            rate = UNSET
        else:
            rate = self.rate

        quantity: float | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        ledger_type: None | str | Unset
        if isinstance(self.ledger_type, Unset):
            ledger_type = UNSET
        else:
            ledger_type = self.ledger_type

        ledger_id: None | str | Unset
        if isinstance(self.ledger_id, Unset):
            ledger_id = UNSET
        else:
            ledger_id = self.ledger_id

        sku_id: None | str | Unset
        if isinstance(self.sku_id, Unset):
            sku_id = UNSET
        else:
            sku_id = self.sku_id

        trx_tax: dict[str, Any] | None | Unset
        if isinstance(self.trx_tax, Unset):
            trx_tax = UNSET
        elif isinstance(self.trx_tax, Tax):
            trx_tax = self.trx_tax.to_dict()
        else:
            trx_tax = self.trx_tax

        wht_tax: dict[str, Any] | None | Unset
        if isinstance(self.wht_tax, Unset):
            wht_tax = UNSET
        elif isinstance(self.wht_tax, Tax):
            wht_tax = self.wht_tax.to_dict()
        else:
            wht_tax = self.wht_tax

        amount_breakdown: dict[str, Any] | None | Unset
        if isinstance(self.amount_breakdown, Unset):
            amount_breakdown = UNSET
        elif isinstance(self.amount_breakdown, AmountBreakdown):
            amount_breakdown = self.amount_breakdown.to_dict()
        else:
            amount_breakdown = self.amount_breakdown

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if description is not UNSET:
            field_dict["description"] = description
        if amount is not UNSET:
            field_dict["amount"] = amount
        if rate is not UNSET:
            field_dict["rate"] = rate
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if ledger_type is not UNSET:
            field_dict["ledgerType"] = ledger_type
        if ledger_id is not UNSET:
            field_dict["ledgerId"] = ledger_id
        if sku_id is not UNSET:
            field_dict["skuId"] = sku_id
        if trx_tax is not UNSET:
            field_dict["trxTax"] = trx_tax
        if wht_tax is not UNSET:
            field_dict["whtTax"] = wht_tax
        if amount_breakdown is not UNSET:
            field_dict["amountBreakdown"] = amount_breakdown

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_breakdown import AmountBreakdown
        from ..models.tax import Tax

        d = dict(src_dict)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rate = _parse_rate(d.pop("rate", UNSET))

        def _parse_quantity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_ledger_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_type = _parse_ledger_type(d.pop("ledgerType", UNSET))

        def _parse_ledger_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_id = _parse_ledger_id(d.pop("ledgerId", UNSET))

        def _parse_sku_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku_id = _parse_sku_id(d.pop("skuId", UNSET))

        def _parse_trx_tax(data: object) -> None | Tax | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trx_tax_type_1 = Tax.from_dict(data)

                return trx_tax_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tax | Unset, data)

        trx_tax = _parse_trx_tax(d.pop("trxTax", UNSET))

        def _parse_wht_tax(data: object) -> None | Tax | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wht_tax_type_1 = Tax.from_dict(data)

                return wht_tax_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tax | Unset, data)

        wht_tax = _parse_wht_tax(d.pop("whtTax", UNSET))

        def _parse_amount_breakdown(data: object) -> AmountBreakdown | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                amount_breakdown_type_1 = AmountBreakdown.from_dict(data)

                return amount_breakdown_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AmountBreakdown | None | Unset, data)

        amount_breakdown = _parse_amount_breakdown(d.pop("amountBreakdown", UNSET))

        line_item = cls(
            id=id,
            description=description,
            amount=amount,
            rate=rate,
            quantity=quantity,
            ledger_type=ledger_type,
            ledger_id=ledger_id,
            sku_id=sku_id,
            trx_tax=trx_tax,
            wht_tax=wht_tax,
            amount_breakdown=amount_breakdown,
        )

        line_item.additional_properties = d
        return line_item

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
