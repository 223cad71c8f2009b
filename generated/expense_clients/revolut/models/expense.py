from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.expense_labels import ExpenseLabels
    from ..models.expense_spent_amount import ExpenseSpentAmount
    from ..models.expense_split import ExpenseSplit


T = TypeVar("T", bound="Expense")


@_attrs_define
class Expense:
    """An expense, tied to a transaction or a reimbursement request.

    Attributes:
        id (str): The ID of the expense.
        state (str): The state of the expense:
            - `missing_info`: missing some required information; the initial state.
            - `awaiting_review`: awaiting approval before it can be completed.
            - `rejected`: rejected by the approver; the submitter should fix and resubmit.
            - `pending_reimbursement`: the reimbursement request was approved and awaits
              reimbursement (transaction type `external`).
            - `refund_requested`: rejected, and repayment to the business was requested
              (card transactions).
            - `refunded`: an admin marked the expense as repaid.
            - `approved`: approved and now completed.
            - `reverted`: the related transaction was reverted (for example by the merchant);
              the expense is completed.

            An admin who approved, marked repaid/completed or requested repayment can revert
            the decision; the expense then goes back to `missing_info`.
        transaction_type (str): The type of the transaction related to the expense.
        expense_date (str): Typically the date and time of the expense transaction, ISO 8601:
            its completion time (`completed_at`) once the transaction is completed,
            otherwise its creation time. For reimbursements, the payment date given in
            the reimbursement request. So the value can move while an expense completes.
        splits (list[ExpenseSplit]): The splits of the expense. A single expense can be divided into multiple parts, for
            example to allocate portions of it to different categories.
        receipt_ids (list[str]): The IDs of the receipts related to the expense.
        spent_amount (ExpenseSpentAmount): The expense amount in billed currency.
        description (None | str | Unset): The description of the expense.
        submitted_at (None | str | Unset): The date and time the expense was submitted in ISO 8601 format.
        completed_at (None | str | Unset): The date and time the expense was completed in ISO 8601 format.
        payer (None | str | Unset): The name of the team member who made the transaction, refund request or ATM
            withdrawal, or the name of the business if the transaction is of type `fee`.
        merchant (None | str | Unset): The name of the merchant.
        transaction_id (None | str | Unset): The ID of the transaction related to the expense. Not available for
            transactions of type `external`.
        labels (ExpenseLabels | None | Unset):
    """

    id: str
    state: str
    transaction_type: str
    expense_date: str
    splits: list[ExpenseSplit]
    receipt_ids: list[str]
    spent_amount: ExpenseSpentAmount
    description: None | str | Unset = UNSET
    submitted_at: None | str | Unset = UNSET
    completed_at: None | str | Unset = UNSET
    payer: None | str | Unset = UNSET
    merchant: None | str | Unset = UNSET
    transaction_id: None | str | Unset = UNSET
    labels: ExpenseLabels | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.expense_labels import ExpenseLabels

        id = self.id

        state = self.state

        transaction_type = self.transaction_type

        expense_date = self.expense_date

        splits = []
        for splits_item_data in self.splits:
            splits_item = splits_item_data.to_dict()
            splits.append(splits_item)

        receipt_ids = self.receipt_ids

        spent_amount = self.spent_amount.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        submitted_at: None | str | Unset
        if isinstance(self.submitted_at, Unset):
            submitted_at = UNSET
        else:
            submitted_at = self.submitted_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        payer: None | str | Unset
        if isinstance(self.payer, Unset):
            payer = UNSET
        else:
            payer = self.payer

        merchant: None | str | Unset
        if isinstance(self.merchant, Unset):
            merchant = UNSET
        else:
            merchant = self.merchant

        transaction_id: None | str | Unset
        if isinstance(self.transaction_id, Unset):
            transaction_id = UNSET
        else:
            transaction_id = self.transaction_id

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, ExpenseLabels):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "state": state,
                "transaction_type": transaction_type,
                "expense_date": expense_date,
                "splits": splits,
                "receipt_ids": receipt_ids,
                "spent_amount": spent_amount,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if submitted_at is not UNSET:
            field_dict["submitted_at"] = submitted_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if payer is not UNSET:
            field_dict["payer"] = payer
        if merchant is not UNSET:
            field_dict["merchant"] = merchant
        if transaction_id is not UNSET:
            field_dict["transaction_id"] = transaction_id
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.expense_labels import ExpenseLabels
        from ..models.expense_spent_amount import ExpenseSpentAmount
        from ..models.expense_split import ExpenseSplit

        d = dict(src_dict)
        id = d.pop("id")

        state = d.pop("state")

        transaction_type = d.pop("transaction_type")

        expense_date = d.pop("expense_date")

        splits = []
        _splits = d.pop("splits")
        for splits_item_data in _splits:
            splits_item = ExpenseSplit.from_dict(splits_item_data)

            splits.append(splits_item)

        receipt_ids = cast(list[str], d.pop("receipt_ids"))

        spent_amount = ExpenseSpentAmount.from_dict(d.pop("spent_amount"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_submitted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        submitted_at = _parse_submitted_at(d.pop("submitted_at", UNSET))

        def _parse_completed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_payer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payer = _parse_payer(d.pop("payer", UNSET))

        def _parse_merchant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merchant = _parse_merchant(d.pop("merchant", UNSET))

        def _parse_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_id = _parse_transaction_id(d.pop("transaction_id", UNSET))

        def _parse_labels(data: object) -> ExpenseLabels | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_1 = ExpenseLabels.from_dict(data)

                return labels_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExpenseLabels | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        expense = cls(
            id=id,
            state=state,
            transaction_type=transaction_type,
            expense_date=expense_date,
            splits=splits,
            receipt_ids=receipt_ids,
            spent_amount=spent_amount,
            description=description,
            submitted_at=submitted_at,
            completed_at=completed_at,
            payer=payer,
            merchant=merchant,
            transaction_id=transaction_id,
            labels=labels,
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
