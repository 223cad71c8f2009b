from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approver import Approver
    from ..models.currency_total import CurrencyTotal
    from ..models.custom_field import CustomField


T = TypeVar("T", bound="Claim")


@_attrs_define
class Claim:
    """A request made by an employee for business expenses, with the totals and summary details of its expenses.

    Example:
        {'id': '3462', 'companyId': '1', 'claimantId': '4645', 'employeeNumber': 'E00012', 'claimantName': 'Kylie
            Magenta', 'claimantExternalCode': 'ABC', 'claimType': 'Master Card', 'status': 'Finalised',
            'claimCurrencyTotals': [{'grossAmount': 1247.63, 'netAmount': 1143.3, 'taxAmount': 104.33, 'currencyCode':
            'AUD'}], 'transactionTotals': [{'grossAmount': 300, 'netAmount': 281.82, 'taxAmount': 18.18, 'currencyCode':
            'AUD'}, {'grossAmount': 250, 'netAmount': 227.28, 'taxAmount': 22.72, 'currencyCode': 'GBP'}, {'grossAmount':
            300, 'netAmount': 272.73, 'taxAmount': 27.27, 'currencyCode': 'USD'}, {'grossAmount': 100, 'netAmount': 90.91,
            'taxAmount': 9.09, 'currencyCode': 'NZD'}], 'summary': '', 'notes': '', 'approvers': [{'id': '4709', 'name':
            'John Red', 'approvedDate': '2025-05-01T00:00:00Z'}, {'id': '4710', 'name': 'Kaylie Magenta', 'approvedDate':
            '2025-05-02T00:00:00Z'}], 'fromDate': '1970-01-01T00:00:00Z', 'toDate': '1970-01-01T00:00:00Z', 'approvedDate':
            '1970-01-01T00:00:00Z', 'finalisedDate': '1970-01-01T00:00:00Z', 'createdDate': '1970-01-01T00:00:00Z',
            'updatedDate': '1970-01-01T00:00:00Z', 'customFields': [{'type': 'text', 'name': 'Test Custom Field', 'value':
            'optional'}]}

    Attributes:
        id (str): The ID of the claim.
        company_id (None | str | Unset):
        claimant_id (None | str | Unset): The ID of the employee who made the claim.
        employee_number (None | str | Unset):
        claimant_name (None | str | Unset):
        claimant_external_code (None | str | Unset):
        claim_type (None | str | Unset): Where the claim comes from, for example a card type (`Master Card`).
        status (None | str | Unset):
        claim_currency_totals (list[CurrencyTotal] | None | Unset): Totals in the claim currency.
        transaction_totals (list[CurrencyTotal] | None | Unset): Totals per transaction currency.
        summary (None | str | Unset):
        notes (None | str | Unset):
        approvers (list[Approver] | None | Unset):
        from_date (None | str | Unset): Start of the claim period; `1970-01-01T00:00:00Z` means not set.
        to_date (None | str | Unset): End of the claim period; `1970-01-01T00:00:00Z` means not set.
        approved_date (None | str | Unset): When the claim was approved; `1970-01-01T00:00:00Z` means not set.
        finalised_date (None | str | Unset): When the claim was finalised; `1970-01-01T00:00:00Z` means not set.
        created_date (None | str | Unset): When the claim was created; `1970-01-01T00:00:00Z` means not set.
        updated_date (None | str | Unset): When the claim was last updated; `1970-01-01T00:00:00Z` means not set.
        custom_fields (list[CustomField] | None | Unset):
        created_on (None | str | Unset): Older beta name of `createdDate`.
        updated_on (None | str | Unset): Older beta name of `updatedDate`.
    """

    id: str
    company_id: None | str | Unset = UNSET
    claimant_id: None | str | Unset = UNSET
    employee_number: None | str | Unset = UNSET
    claimant_name: None | str | Unset = UNSET
    claimant_external_code: None | str | Unset = UNSET
    claim_type: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    claim_currency_totals: list[CurrencyTotal] | None | Unset = UNSET
    transaction_totals: list[CurrencyTotal] | None | Unset = UNSET
    summary: None | str | Unset = UNSET
    notes: None | str | Unset = UNSET
    approvers: list[Approver] | None | Unset = UNSET
    from_date: None | str | Unset = UNSET
    to_date: None | str | Unset = UNSET
    approved_date: None | str | Unset = UNSET
    finalised_date: None | str | Unset = UNSET
    created_date: None | str | Unset = UNSET
    updated_date: None | str | Unset = UNSET
    custom_fields: list[CustomField] | None | Unset = UNSET
    created_on: None | str | Unset = UNSET
    updated_on: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        claimant_id: None | str | Unset
        if isinstance(self.claimant_id, Unset):
            claimant_id = UNSET
        else:
            claimant_id = self.claimant_id

        employee_number: None | str | Unset
        if isinstance(self.employee_number, Unset):
            employee_number = UNSET
        else:
            employee_number = self.employee_number

        claimant_name: None | str | Unset
        if isinstance(self.claimant_name, Unset):
            claimant_name = UNSET
        else:
            claimant_name = self.claimant_name

        claimant_external_code: None | str | Unset
        if isinstance(self.claimant_external_code, Unset):
            claimant_external_code = UNSET
        else:
            claimant_external_code = self.claimant_external_code

        claim_type: None | str | Unset
        if isinstance(self.claim_type, Unset):
            claim_type = UNSET
        else:
            claim_type = self.claim_type

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        claim_currency_totals: list[dict[str, Any]] | None | Unset
        if isinstance(self.claim_currency_totals, Unset):
            claim_currency_totals = UNSET
        elif isinstance(self.claim_currency_totals, list):
            claim_currency_totals = []
            for claim_currency_totals_type_0_item_data in self.claim_currency_totals:
                claim_currency_totals_type_0_item = (
                    claim_currency_totals_type_0_item_data.to_dict()
                )
                claim_currency_totals.append(claim_currency_totals_type_0_item)

        else:
            claim_currency_totals = self.claim_currency_totals

        transaction_totals: list[dict[str, Any]] | None | Unset
        if isinstance(self.transaction_totals, Unset):
            transaction_totals = UNSET
        elif isinstance(self.transaction_totals, list):
            transaction_totals = []
            for transaction_totals_type_0_item_data in self.transaction_totals:
                transaction_totals_type_0_item = (
                    transaction_totals_type_0_item_data.to_dict()
                )
                transaction_totals.append(transaction_totals_type_0_item)

        else:
            transaction_totals = self.transaction_totals

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        approvers: list[dict[str, Any]] | None | Unset
        if isinstance(self.approvers, Unset):
            approvers = UNSET
        elif isinstance(self.approvers, list):
            approvers = []
            for approvers_type_0_item_data in self.approvers:
                approvers_type_0_item = approvers_type_0_item_data.to_dict()
                approvers.append(approvers_type_0_item)

        else:
            approvers = self.approvers

        from_date: None | str | Unset
        if isinstance(self.from_date, Unset):
            from_date = UNSET
        else:
            from_date = self.from_date

        to_date: None | str | Unset
        if isinstance(self.to_date, Unset):
            to_date = UNSET
        else:
            to_date = self.to_date

        approved_date: None | str | Unset
        if isinstance(self.approved_date, Unset):
            approved_date = UNSET
        else:
            approved_date = self.approved_date

        finalised_date: None | str | Unset
        if isinstance(self.finalised_date, Unset):
            finalised_date = UNSET
        else:
            finalised_date = self.finalised_date

        created_date: None | str | Unset
        if isinstance(self.created_date, Unset):
            created_date = UNSET
        else:
            created_date = self.created_date

        updated_date: None | str | Unset
        if isinstance(self.updated_date, Unset):
            updated_date = UNSET
        else:
            updated_date = self.updated_date

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

        created_on: None | str | Unset
        if isinstance(self.created_on, Unset):
            created_on = UNSET
        else:
            created_on = self.created_on

        updated_on: None | str | Unset
        if isinstance(self.updated_on, Unset):
            updated_on = UNSET
        else:
            updated_on = self.updated_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if claimant_id is not UNSET:
            field_dict["claimantId"] = claimant_id
        if employee_number is not UNSET:
            field_dict["employeeNumber"] = employee_number
        if claimant_name is not UNSET:
            field_dict["claimantName"] = claimant_name
        if claimant_external_code is not UNSET:
            field_dict["claimantExternalCode"] = claimant_external_code
        if claim_type is not UNSET:
            field_dict["claimType"] = claim_type
        if status is not UNSET:
            field_dict["status"] = status
        if claim_currency_totals is not UNSET:
            field_dict["claimCurrencyTotals"] = claim_currency_totals
        if transaction_totals is not UNSET:
            field_dict["transactionTotals"] = transaction_totals
        if summary is not UNSET:
            field_dict["summary"] = summary
        if notes is not UNSET:
            field_dict["notes"] = notes
        if approvers is not UNSET:
            field_dict["approvers"] = approvers
        if from_date is not UNSET:
            field_dict["fromDate"] = from_date
        if to_date is not UNSET:
            field_dict["toDate"] = to_date
        if approved_date is not UNSET:
            field_dict["approvedDate"] = approved_date
        if finalised_date is not UNSET:
            field_dict["finalisedDate"] = finalised_date
        if created_date is not UNSET:
            field_dict["createdDate"] = created_date
        if updated_date is not UNSET:
            field_dict["updatedDate"] = updated_date
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields
        if created_on is not UNSET:
            field_dict["createdOn"] = created_on
        if updated_on is not UNSET:
            field_dict["updatedOn"] = updated_on

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.approver import Approver
        from ..models.currency_total import CurrencyTotal
        from ..models.custom_field import CustomField

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("companyId", UNSET))

        def _parse_claimant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claimant_id = _parse_claimant_id(d.pop("claimantId", UNSET))

        def _parse_employee_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        employee_number = _parse_employee_number(d.pop("employeeNumber", UNSET))

        def _parse_claimant_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claimant_name = _parse_claimant_name(d.pop("claimantName", UNSET))

        def _parse_claimant_external_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claimant_external_code = _parse_claimant_external_code(
            d.pop("claimantExternalCode", UNSET)
        )

        def _parse_claim_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claim_type = _parse_claim_type(d.pop("claimType", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_claim_currency_totals(
            data: object,
        ) -> list[CurrencyTotal] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                claim_currency_totals_type_0 = []
                _claim_currency_totals_type_0 = data
                for (
                    claim_currency_totals_type_0_item_data
                ) in _claim_currency_totals_type_0:
                    claim_currency_totals_type_0_item = CurrencyTotal.from_dict(
                        claim_currency_totals_type_0_item_data
                    )

                    claim_currency_totals_type_0.append(
                        claim_currency_totals_type_0_item
                    )

                return claim_currency_totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CurrencyTotal] | None | Unset, data)

        claim_currency_totals = _parse_claim_currency_totals(
            d.pop("claimCurrencyTotals", UNSET)
        )

        def _parse_transaction_totals(
            data: object,
        ) -> list[CurrencyTotal] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                transaction_totals_type_0 = []
                _transaction_totals_type_0 = data
                for transaction_totals_type_0_item_data in _transaction_totals_type_0:
                    transaction_totals_type_0_item = CurrencyTotal.from_dict(
                        transaction_totals_type_0_item_data
                    )

                    transaction_totals_type_0.append(transaction_totals_type_0_item)

                return transaction_totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CurrencyTotal] | None | Unset, data)

        transaction_totals = _parse_transaction_totals(
            d.pop("transactionTotals", UNSET)
        )

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_approvers(data: object) -> list[Approver] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                approvers_type_0 = []
                _approvers_type_0 = data
                for approvers_type_0_item_data in _approvers_type_0:
                    approvers_type_0_item = Approver.from_dict(
                        approvers_type_0_item_data
                    )

                    approvers_type_0.append(approvers_type_0_item)

                return approvers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Approver] | None | Unset, data)

        approvers = _parse_approvers(d.pop("approvers", UNSET))

        def _parse_from_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_date = _parse_from_date(d.pop("fromDate", UNSET))

        def _parse_to_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_date = _parse_to_date(d.pop("toDate", UNSET))

        def _parse_approved_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approved_date = _parse_approved_date(d.pop("approvedDate", UNSET))

        def _parse_finalised_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finalised_date = _parse_finalised_date(d.pop("finalisedDate", UNSET))

        def _parse_created_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_date = _parse_created_date(d.pop("createdDate", UNSET))

        def _parse_updated_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_date = _parse_updated_date(d.pop("updatedDate", UNSET))

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

        custom_fields = _parse_custom_fields(d.pop("customFields", UNSET))

        def _parse_created_on(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_on = _parse_created_on(d.pop("createdOn", UNSET))

        def _parse_updated_on(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_on = _parse_updated_on(d.pop("updatedOn", UNSET))

        claim = cls(
            id=id,
            company_id=company_id,
            claimant_id=claimant_id,
            employee_number=employee_number,
            claimant_name=claimant_name,
            claimant_external_code=claimant_external_code,
            claim_type=claim_type,
            status=status,
            claim_currency_totals=claim_currency_totals,
            transaction_totals=transaction_totals,
            summary=summary,
            notes=notes,
            approvers=approvers,
            from_date=from_date,
            to_date=to_date,
            approved_date=approved_date,
            finalised_date=finalised_date,
            created_date=created_date,
            updated_date=updated_date,
            custom_fields=custom_fields,
            created_on=created_on,
            updated_on=updated_on,
        )

        claim.additional_properties = d
        return claim

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
