from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="CardExpense")


@_attrs_define
class CardExpense:
    """The updated expense as returned by the card-expense update (not expanded).

    Attributes:
        id (str):
        updated_at (str):  Example: 2019-08-24T14:15:22Z.
        memo (None | str | Unset):
        location_id (None | str | Unset):
        department_id (None | str | Unset):
        category (None | str | Unset):  Example: ADVERTISING_AND_MARKETING.
        merchant_id (None | str | Unset):
        budget_id (None | str | Unset):
        original_amount (Money | None | Unset):
        billing_amount (Money | None | Unset):
        purchased_at (None | str | Unset):  Example: 2019-08-24T14:15:22Z.
        status (None | str | Unset):
        payment_status (None | str | Unset):
    """

    id: str
    updated_at: str
    memo: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    department_id: None | str | Unset = UNSET
    category: None | str | Unset = UNSET
    merchant_id: None | str | Unset = UNSET
    budget_id: None | str | Unset = UNSET
    original_amount: Money | None | Unset = UNSET
    billing_amount: Money | None | Unset = UNSET
    purchased_at: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    payment_status: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money

        id = self.id

        updated_at = self.updated_at

        memo: None | str | Unset
        if isinstance(self.memo, Unset):
            memo = UNSET
        else:
            memo = self.memo

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        department_id: None | str | Unset
        if isinstance(self.department_id, Unset):
            department_id = UNSET
        else:
            department_id = self.department_id

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        merchant_id: None | str | Unset
        if isinstance(self.merchant_id, Unset):
            merchant_id = UNSET
        else:
            merchant_id = self.merchant_id

        budget_id: None | str | Unset
        if isinstance(self.budget_id, Unset):
            budget_id = UNSET
        else:
            budget_id = self.budget_id

        original_amount: dict[str, Any] | None | Unset
        if isinstance(self.original_amount, Unset):
            original_amount = UNSET
        elif isinstance(self.original_amount, Money):
            original_amount = self.original_amount.to_dict()
        else:
            original_amount = self.original_amount

        billing_amount: dict[str, Any] | None | Unset
        if isinstance(self.billing_amount, Unset):
            billing_amount = UNSET
        elif isinstance(self.billing_amount, Money):
            billing_amount = self.billing_amount.to_dict()
        else:
            billing_amount = self.billing_amount

        purchased_at: None | str | Unset
        if isinstance(self.purchased_at, Unset):
            purchased_at = UNSET
        else:
            purchased_at = self.purchased_at

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        payment_status: None | str | Unset
        if isinstance(self.payment_status, Unset):
            payment_status = UNSET
        else:
            payment_status = self.payment_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "updated_at": updated_at,
            }
        )
        if memo is not UNSET:
            field_dict["memo"] = memo
        if location_id is not UNSET:
            field_dict["location_id"] = location_id
        if department_id is not UNSET:
            field_dict["department_id"] = department_id
        if category is not UNSET:
            field_dict["category"] = category
        if merchant_id is not UNSET:
            field_dict["merchant_id"] = merchant_id
        if budget_id is not UNSET:
            field_dict["budget_id"] = budget_id
        if original_amount is not UNSET:
            field_dict["original_amount"] = original_amount
        if billing_amount is not UNSET:
            field_dict["billing_amount"] = billing_amount
        if purchased_at is not UNSET:
            field_dict["purchased_at"] = purchased_at
        if status is not UNSET:
            field_dict["status"] = status
        if payment_status is not UNSET:
            field_dict["payment_status"] = payment_status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)
        id = d.pop("id")

        updated_at = d.pop("updated_at")

        def _parse_memo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        memo = _parse_memo(d.pop("memo", UNSET))

        def _parse_location_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location_id = _parse_location_id(d.pop("location_id", UNSET))

        def _parse_department_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        department_id = _parse_department_id(d.pop("department_id", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_merchant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merchant_id = _parse_merchant_id(d.pop("merchant_id", UNSET))

        def _parse_budget_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        budget_id = _parse_budget_id(d.pop("budget_id", UNSET))

        def _parse_original_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                original_amount_type_1 = Money.from_dict(data)

                return original_amount_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        original_amount = _parse_original_amount(d.pop("original_amount", UNSET))

        def _parse_billing_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                billing_amount_type_1 = Money.from_dict(data)

                return billing_amount_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        billing_amount = _parse_billing_amount(d.pop("billing_amount", UNSET))

        def _parse_purchased_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purchased_at = _parse_purchased_at(d.pop("purchased_at", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_payment_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_status = _parse_payment_status(d.pop("payment_status", UNSET))

        card_expense = cls(
            id=id,
            updated_at=updated_at,
            memo=memo,
            location_id=location_id,
            department_id=department_id,
            category=category,
            merchant_id=merchant_id,
            budget_id=budget_id,
            original_amount=original_amount,
            billing_amount=billing_amount,
            purchased_at=purchased_at,
            status=status,
            payment_status=payment_status,
        )

        card_expense.additional_properties = d
        return card_expense

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
