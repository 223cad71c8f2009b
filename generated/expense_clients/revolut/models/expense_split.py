from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.category import Category
    from ..models.expense_split_amount import ExpenseSplitAmount
    from ..models.tax_rate import TaxRate


T = TypeVar("T", bound="ExpenseSplit")


@_attrs_define
class ExpenseSplit:
    """One part of an expense.

    Attributes:
        amount (ExpenseSplitAmount): The original amount of the expense split.
        category (Category | None | Unset):
        tax_rate (None | TaxRate | Unset):
    """

    amount: ExpenseSplitAmount
    category: Category | None | Unset = UNSET
    tax_rate: None | TaxRate | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.category import Category
        from ..models.tax_rate import TaxRate

        amount = self.amount.to_dict()

        category: dict[str, Any] | None | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, Category):
            category = self.category.to_dict()
        else:
            category = self.category

        tax_rate: dict[str, Any] | None | Unset
        if isinstance(self.tax_rate, Unset):
            tax_rate = UNSET
        elif isinstance(self.tax_rate, TaxRate):
            tax_rate = self.tax_rate.to_dict()
        else:
            tax_rate = self.tax_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if tax_rate is not UNSET:
            field_dict["tax_rate"] = tax_rate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.category import Category
        from ..models.expense_split_amount import ExpenseSplitAmount
        from ..models.tax_rate import TaxRate

        d = dict(src_dict)
        amount = ExpenseSplitAmount.from_dict(d.pop("amount"))

        def _parse_category(data: object) -> Category | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                category_type_1 = Category.from_dict(data)

                return category_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Category | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_tax_rate(data: object) -> None | TaxRate | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tax_rate_type_1 = TaxRate.from_dict(data)

                return tax_rate_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaxRate | Unset, data)

        tax_rate = _parse_tax_rate(d.pop("tax_rate", UNSET))

        expense_split = cls(
            amount=amount,
            category=category,
            tax_rate=tax_rate,
        )

        expense_split.additional_properties = d
        return expense_split

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
