from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportExpense")


@_attrs_define
class ExportExpense:
    """One approved expense waiting in the export queue.

    Attributes:
        id (None | str | Unset):  Example: 3fa85f64-5717-4562-b3fc-2c963f66afa6.
        transaction_type (int | None | Unset): Meaning unpublished; carry it and echo it back in the status update.
            Example: 0.
        payment_type (None | str | Unset):
        employee_id (None | str | Unset):
        supplier_code (None | str | Unset):
        person_name (None | str | Unset):
        category_name (None | str | Unset):
        nominal_account (None | str | Unset):
        department (None | str | Unset):
        location (None | str | Unset):
        project (None | str | Unset):
        costcentre (None | str | Unset):
        claim_date (None | str | Unset):  Example: 2025-05-19T08:42:39.396Z.
        reference (None | str | Unset):
        description (None | str | Unset):
        iso_code (None | str | Unset): Currency code.
        exchange_rate (float | None | Unset):
        net_amount (float | None | Unset):
        tax_code (None | str | Unset):
        tax_amount (float | None | Unset):
        gross_amount (float | None | Unset):
        details (None | str | Unset):
        distance (float | None | Unset):
        carbon_amount (float | None | Unset):
    """

    id: None | str | Unset = UNSET
    transaction_type: int | None | Unset = UNSET
    payment_type: None | str | Unset = UNSET
    employee_id: None | str | Unset = UNSET
    supplier_code: None | str | Unset = UNSET
    person_name: None | str | Unset = UNSET
    category_name: None | str | Unset = UNSET
    nominal_account: None | str | Unset = UNSET
    department: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    project: None | str | Unset = UNSET
    costcentre: None | str | Unset = UNSET
    claim_date: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    iso_code: None | str | Unset = UNSET
    exchange_rate: float | None | Unset = UNSET
    net_amount: float | None | Unset = UNSET
    tax_code: None | str | Unset = UNSET
    tax_amount: float | None | Unset = UNSET
    gross_amount: float | None | Unset = UNSET
    details: None | str | Unset = UNSET
    distance: float | None | Unset = UNSET
    carbon_amount: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        transaction_type: int | None | Unset
        if isinstance(self.transaction_type, Unset):
            transaction_type = UNSET
        else:
            transaction_type = self.transaction_type

        payment_type: None | str | Unset
        if isinstance(self.payment_type, Unset):
            payment_type = UNSET
        else:
            payment_type = self.payment_type

        employee_id: None | str | Unset
        if isinstance(self.employee_id, Unset):
            employee_id = UNSET
        else:
            employee_id = self.employee_id

        supplier_code: None | str | Unset
        if isinstance(self.supplier_code, Unset):
            supplier_code = UNSET
        else:
            supplier_code = self.supplier_code

        person_name: None | str | Unset
        if isinstance(self.person_name, Unset):
            person_name = UNSET
        else:
            person_name = self.person_name

        category_name: None | str | Unset
        if isinstance(self.category_name, Unset):
            category_name = UNSET
        else:
            category_name = self.category_name

        nominal_account: None | str | Unset
        if isinstance(self.nominal_account, Unset):
            nominal_account = UNSET
        else:
            nominal_account = self.nominal_account

        department: None | str | Unset
        if isinstance(self.department, Unset):
            department = UNSET
        else:
            department = self.department

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        project: None | str | Unset
        if isinstance(self.project, Unset):
            project = UNSET
        else:
            project = self.project

        costcentre: None | str | Unset
        if isinstance(self.costcentre, Unset):
            costcentre = UNSET
        else:
            costcentre = self.costcentre

        claim_date: None | str | Unset
        if isinstance(self.claim_date, Unset):
            claim_date = UNSET
        else:
            claim_date = self.claim_date

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        iso_code: None | str | Unset
        if isinstance(self.iso_code, Unset):
            iso_code = UNSET
        else:
            iso_code = self.iso_code

        exchange_rate: float | None | Unset
        if isinstance(self.exchange_rate, Unset):
            exchange_rate = UNSET
        else:
            exchange_rate = self.exchange_rate

        net_amount: float | None | Unset
        if isinstance(self.net_amount, Unset):
            net_amount = UNSET
        else:
            net_amount = self.net_amount

        tax_code: None | str | Unset
        if isinstance(self.tax_code, Unset):
            tax_code = UNSET
        else:
            tax_code = self.tax_code

        tax_amount: float | None | Unset
        if isinstance(self.tax_amount, Unset):
            tax_amount = UNSET
        else:
            tax_amount = self.tax_amount

        gross_amount: float | None | Unset
        if isinstance(self.gross_amount, Unset):
            gross_amount = UNSET
        else:
            gross_amount = self.gross_amount

        details: None | str | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        else:
            details = self.details

        distance: float | None | Unset
        if isinstance(self.distance, Unset):
            distance = UNSET
        else:
            distance = self.distance

        carbon_amount: float | None | Unset
        if isinstance(self.carbon_amount, Unset):
            carbon_amount = UNSET
        else:
            carbon_amount = self.carbon_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if transaction_type is not UNSET:
            field_dict["transactionType"] = transaction_type
        if payment_type is not UNSET:
            field_dict["paymentType"] = payment_type
        if employee_id is not UNSET:
            field_dict["employeeId"] = employee_id
        if supplier_code is not UNSET:
            field_dict["supplierCode"] = supplier_code
        if person_name is not UNSET:
            field_dict["personName"] = person_name
        if category_name is not UNSET:
            field_dict["categoryName"] = category_name
        if nominal_account is not UNSET:
            field_dict["nominalAccount"] = nominal_account
        if department is not UNSET:
            field_dict["department"] = department
        if location is not UNSET:
            field_dict["location"] = location
        if project is not UNSET:
            field_dict["project"] = project
        if costcentre is not UNSET:
            field_dict["costcentre"] = costcentre
        if claim_date is not UNSET:
            field_dict["claimDate"] = claim_date
        if reference is not UNSET:
            field_dict["reference"] = reference
        if description is not UNSET:
            field_dict["description"] = description
        if iso_code is not UNSET:
            field_dict["isoCode"] = iso_code
        if exchange_rate is not UNSET:
            field_dict["exchangeRate"] = exchange_rate
        if net_amount is not UNSET:
            field_dict["netAmount"] = net_amount
        if tax_code is not UNSET:
            field_dict["taxCode"] = tax_code
        if tax_amount is not UNSET:
            field_dict["taxAmount"] = tax_amount
        if gross_amount is not UNSET:
            field_dict["grossAmount"] = gross_amount
        if details is not UNSET:
            field_dict["details"] = details
        if distance is not UNSET:
            field_dict["distance"] = distance
        if carbon_amount is not UNSET:
            field_dict["carbonAmount"] = carbon_amount

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_transaction_type(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        transaction_type = _parse_transaction_type(d.pop("transactionType", UNSET))

        def _parse_payment_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_type = _parse_payment_type(d.pop("paymentType", UNSET))

        def _parse_employee_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        employee_id = _parse_employee_id(d.pop("employeeId", UNSET))

        def _parse_supplier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        supplier_code = _parse_supplier_code(d.pop("supplierCode", UNSET))

        def _parse_person_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        person_name = _parse_person_name(d.pop("personName", UNSET))

        def _parse_category_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category_name = _parse_category_name(d.pop("categoryName", UNSET))

        def _parse_nominal_account(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        nominal_account = _parse_nominal_account(d.pop("nominalAccount", UNSET))

        def _parse_department(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        department = _parse_department(d.pop("department", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_project(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        def _parse_costcentre(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        costcentre = _parse_costcentre(d.pop("costcentre", UNSET))

        def _parse_claim_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claim_date = _parse_claim_date(d.pop("claimDate", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_iso_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        iso_code = _parse_iso_code(d.pop("isoCode", UNSET))

        def _parse_exchange_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        exchange_rate = _parse_exchange_rate(d.pop("exchangeRate", UNSET))

        def _parse_net_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        net_amount = _parse_net_amount(d.pop("netAmount", UNSET))

        def _parse_tax_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax_code = _parse_tax_code(d.pop("taxCode", UNSET))

        def _parse_tax_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        tax_amount = _parse_tax_amount(d.pop("taxAmount", UNSET))

        def _parse_gross_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        gross_amount = _parse_gross_amount(d.pop("grossAmount", UNSET))

        def _parse_details(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        details = _parse_details(d.pop("details", UNSET))

        def _parse_distance(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        distance = _parse_distance(d.pop("distance", UNSET))

        def _parse_carbon_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        carbon_amount = _parse_carbon_amount(d.pop("carbonAmount", UNSET))

        export_expense = cls(
            id=id,
            transaction_type=transaction_type,
            payment_type=payment_type,
            employee_id=employee_id,
            supplier_code=supplier_code,
            person_name=person_name,
            category_name=category_name,
            nominal_account=nominal_account,
            department=department,
            location=location,
            project=project,
            costcentre=costcentre,
            claim_date=claim_date,
            reference=reference,
            description=description,
            iso_code=iso_code,
            exchange_rate=exchange_rate,
            net_amount=net_amount,
            tax_code=tax_code,
            tax_amount=tax_amount,
            gross_amount=gross_amount,
            details=details,
            distance=distance,
            carbon_amount=carbon_amount,
        )

        export_expense.additional_properties = d
        return export_expense

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
