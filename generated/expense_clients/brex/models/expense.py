from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address import Address
    from ..models.budget import Budget
    from ..models.custom_field import CustomField
    from ..models.department import Department
    from ..models.expense_user import ExpenseUser
    from ..models.location import Location
    from ..models.merchant import Merchant
    from ..models.money import Money
    from ..models.payment import Payment
    from ..models.receipt import Receipt


T = TypeVar("T", bound="Expense")


@_attrs_define
class Expense:
    """An expense. Only `id` and `updated_at` are guaranteed; expanded members
    (`location`, `department`, `merchant`, `receipts`, `budget`, `user`, `payment`)
    appear with `expand[]`, `custom_fields` with `load_custom_fields`.

        Attributes:
            id (str):
            updated_at (str):  Example: 2019-08-24T14:15:22Z.
            memo (None | str | Unset):
            location_id (None | str | Unset):
            location (Location | None | Unset):
            address (Address | None | Unset):
            department_id (None | str | Unset):
            department (Department | None | Unset):
            payment_posted_at (None | str | Unset):  Example: 2019-08-24T14:15:22Z.
            category (None | str | Unset): Expense category (an upper-case code). Example: ADVERTISING_AND_MARKETING.
            merchant_id (None | str | Unset):
            merchant (Merchant | None | Unset):
            receipts (list[Receipt] | None | Unset):
            budget_id (None | str | Unset):
            budget (Budget | None | Unset):
            expense_type (None | str | Unset):
            original_amount (Money | None | Unset):
            billing_amount (Money | None | Unset):
            budget_amount (Money | None | Unset):
            purchased_at (None | str | Unset):  Example: 2019-08-24T14:15:22Z.
            status (None | str | Unset):
            payment_status (None | str | Unset):
            user_id (None | str | Unset):
            user (ExpenseUser | None | Unset):
            payment (None | Payment | Unset):
            custom_fields (list[CustomField] | None | Unset):
            trip_id (None | str | Unset):
    """

    id: str
    updated_at: str
    memo: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    location: Location | None | Unset = UNSET
    address: Address | None | Unset = UNSET
    department_id: None | str | Unset = UNSET
    department: Department | None | Unset = UNSET
    payment_posted_at: None | str | Unset = UNSET
    category: None | str | Unset = UNSET
    merchant_id: None | str | Unset = UNSET
    merchant: Merchant | None | Unset = UNSET
    receipts: list[Receipt] | None | Unset = UNSET
    budget_id: None | str | Unset = UNSET
    budget: Budget | None | Unset = UNSET
    expense_type: None | str | Unset = UNSET
    original_amount: Money | None | Unset = UNSET
    billing_amount: Money | None | Unset = UNSET
    budget_amount: Money | None | Unset = UNSET
    purchased_at: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    payment_status: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    user: ExpenseUser | None | Unset = UNSET
    payment: None | Payment | Unset = UNSET
    custom_fields: list[CustomField] | None | Unset = UNSET
    trip_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address
        from ..models.budget import Budget
        from ..models.department import Department
        from ..models.expense_user import ExpenseUser
        from ..models.location import Location
        from ..models.merchant import Merchant
        from ..models.money import Money
        from ..models.payment import Payment

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

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, Location):
            location = self.location.to_dict()
        else:
            location = self.location

        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, Address):
            address = self.address.to_dict()
        else:
            address = self.address

        department_id: None | str | Unset
        if isinstance(self.department_id, Unset):
            department_id = UNSET
        else:
            department_id = self.department_id

        department: dict[str, Any] | None | Unset
        if isinstance(self.department, Unset):
            department = UNSET
        elif isinstance(self.department, Department):
            department = self.department.to_dict()
        else:
            department = self.department

        payment_posted_at: None | str | Unset
        if isinstance(self.payment_posted_at, Unset):
            payment_posted_at = UNSET
        else:
            payment_posted_at = self.payment_posted_at

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

        merchant: dict[str, Any] | None | Unset
        if isinstance(self.merchant, Unset):
            merchant = UNSET
        elif isinstance(self.merchant, Merchant):
            merchant = self.merchant.to_dict()
        else:
            merchant = self.merchant

        receipts: list[dict[str, Any]] | None | Unset
        if isinstance(self.receipts, Unset):
            receipts = UNSET
        elif isinstance(self.receipts, list):
            receipts = []
            for receipts_type_0_item_data in self.receipts:
                receipts_type_0_item = receipts_type_0_item_data.to_dict()
                receipts.append(receipts_type_0_item)

        else:
            receipts = self.receipts

        budget_id: None | str | Unset
        if isinstance(self.budget_id, Unset):
            budget_id = UNSET
        else:
            budget_id = self.budget_id

        budget: dict[str, Any] | None | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        elif isinstance(self.budget, Budget):
            budget = self.budget.to_dict()
        else:
            budget = self.budget

        expense_type: None | str | Unset
        if isinstance(self.expense_type, Unset):
            expense_type = UNSET
        else:
            expense_type = self.expense_type

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

        budget_amount: dict[str, Any] | None | Unset
        if isinstance(self.budget_amount, Unset):
            budget_amount = UNSET
        elif isinstance(self.budget_amount, Money):
            budget_amount = self.budget_amount.to_dict()
        else:
            budget_amount = self.budget_amount

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

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        user: dict[str, Any] | None | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        elif isinstance(self.user, ExpenseUser):
            user = self.user.to_dict()
        else:
            user = self.user

        payment: dict[str, Any] | None | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        elif isinstance(self.payment, Payment):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        custom_fields: list[dict[str, Any]] | None | Unset
        if isinstance(self.custom_fields, Unset):
            custom_fields = UNSET
        elif isinstance(self.custom_fields, list):
            custom_fields = []
            for custom_fields_type_0_item_data in self.custom_fields:
                custom_fields_type_0_item = custom_fields_type_0_item_data.to_dict()
                custom_fields.append(custom_fields_type_0_item)

        else:
            custom_fields = self.custom_fields

        trip_id: None | str | Unset
        if isinstance(self.trip_id, Unset):
            trip_id = UNSET
        else:
            trip_id = self.trip_id

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
        if location is not UNSET:
            field_dict["location"] = location
        if address is not UNSET:
            field_dict["address"] = address
        if department_id is not UNSET:
            field_dict["department_id"] = department_id
        if department is not UNSET:
            field_dict["department"] = department
        if payment_posted_at is not UNSET:
            field_dict["payment_posted_at"] = payment_posted_at
        if category is not UNSET:
            field_dict["category"] = category
        if merchant_id is not UNSET:
            field_dict["merchant_id"] = merchant_id
        if merchant is not UNSET:
            field_dict["merchant"] = merchant
        if receipts is not UNSET:
            field_dict["receipts"] = receipts
        if budget_id is not UNSET:
            field_dict["budget_id"] = budget_id
        if budget is not UNSET:
            field_dict["budget"] = budget
        if expense_type is not UNSET:
            field_dict["expense_type"] = expense_type
        if original_amount is not UNSET:
            field_dict["original_amount"] = original_amount
        if billing_amount is not UNSET:
            field_dict["billing_amount"] = billing_amount
        if budget_amount is not UNSET:
            field_dict["budget_amount"] = budget_amount
        if purchased_at is not UNSET:
            field_dict["purchased_at"] = purchased_at
        if status is not UNSET:
            field_dict["status"] = status
        if payment_status is not UNSET:
            field_dict["payment_status"] = payment_status
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if user is not UNSET:
            field_dict["user"] = user
        if payment is not UNSET:
            field_dict["payment"] = payment
        if custom_fields is not UNSET:
            field_dict["custom_fields"] = custom_fields
        if trip_id is not UNSET:
            field_dict["trip_id"] = trip_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.address import Address
        from ..models.budget import Budget
        from ..models.custom_field import CustomField
        from ..models.department import Department
        from ..models.expense_user import ExpenseUser
        from ..models.location import Location
        from ..models.merchant import Merchant
        from ..models.money import Money
        from ..models.payment import Payment
        from ..models.receipt import Receipt

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

        def _parse_location(data: object) -> Location | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_1 = Location.from_dict(data)

                return location_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_address(data: object) -> Address | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_1 = Address.from_dict(data)

                return address_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Address | None | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        def _parse_department_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        department_id = _parse_department_id(d.pop("department_id", UNSET))

        def _parse_department(data: object) -> Department | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                department_type_1 = Department.from_dict(data)

                return department_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Department | None | Unset, data)

        department = _parse_department(d.pop("department", UNSET))

        def _parse_payment_posted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_posted_at = _parse_payment_posted_at(d.pop("payment_posted_at", UNSET))

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

        def _parse_merchant(data: object) -> Merchant | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                merchant_type_1 = Merchant.from_dict(data)

                return merchant_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Merchant | None | Unset, data)

        merchant = _parse_merchant(d.pop("merchant", UNSET))

        def _parse_receipts(data: object) -> list[Receipt] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                receipts_type_0 = []
                _receipts_type_0 = data
                for receipts_type_0_item_data in _receipts_type_0:
                    receipts_type_0_item = Receipt.from_dict(receipts_type_0_item_data)

                    receipts_type_0.append(receipts_type_0_item)

                return receipts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Receipt] | None | Unset, data)

        receipts = _parse_receipts(d.pop("receipts", UNSET))

        def _parse_budget_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        budget_id = _parse_budget_id(d.pop("budget_id", UNSET))

        def _parse_budget(data: object) -> Budget | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                budget_type_1 = Budget.from_dict(data)

                return budget_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Budget | None | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))

        def _parse_expense_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expense_type = _parse_expense_type(d.pop("expense_type", UNSET))

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

        def _parse_budget_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                budget_amount_type_1 = Money.from_dict(data)

                return budget_amount_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        budget_amount = _parse_budget_amount(d.pop("budget_amount", UNSET))

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

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        def _parse_user(data: object) -> ExpenseUser | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_1 = ExpenseUser.from_dict(data)

                return user_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExpenseUser | None | Unset, data)

        user = _parse_user(d.pop("user", UNSET))

        def _parse_payment(data: object) -> None | Payment | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_1 = Payment.from_dict(data)

                return payment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Payment | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        def _parse_custom_fields(data: object) -> list[CustomField] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                custom_fields_type_0 = []
                _custom_fields_type_0 = data
                for custom_fields_type_0_item_data in _custom_fields_type_0:
                    custom_fields_type_0_item = CustomField.from_dict(
                        custom_fields_type_0_item_data
                    )

                    custom_fields_type_0.append(custom_fields_type_0_item)

                return custom_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CustomField] | None | Unset, data)

        custom_fields = _parse_custom_fields(d.pop("custom_fields", UNSET))

        def _parse_trip_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trip_id = _parse_trip_id(d.pop("trip_id", UNSET))

        expense = cls(
            id=id,
            updated_at=updated_at,
            memo=memo,
            location_id=location_id,
            location=location,
            address=address,
            department_id=department_id,
            department=department,
            payment_posted_at=payment_posted_at,
            category=category,
            merchant_id=merchant_id,
            merchant=merchant,
            receipts=receipts,
            budget_id=budget_id,
            budget=budget,
            expense_type=expense_type,
            original_amount=original_amount,
            billing_amount=billing_amount,
            budget_amount=budget_amount,
            purchased_at=purchased_at,
            status=status,
            payment_status=payment_status,
            user_id=user_id,
            user=user,
            payment=payment,
            custom_fields=custom_fields,
            trip_id=trip_id,
        )

        expense.additional_properties = d
        return expense

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
