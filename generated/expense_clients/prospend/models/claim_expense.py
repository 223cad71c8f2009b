from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.currency_total import CurrencyTotal
    from ..models.custom_field import CustomField
    from ..models.recipient import Recipient
    from ..models.split_child import SplitChild


T = TypeVar("T", bound="ClaimExpense")


@_attrs_define
class ClaimExpense:
    """One expense (transaction) of a claim: price, quantity, description and totals, with its split lines, allocations and
    Fringe Benefit Tax data.

        Example:
            {'id': '1234567', 'companyId': '1', 'entityId': 'ENT1', 'description': '', 'glCode': 'GL001', 'isSplit': True,
                'splitChildren': [{'splitId': '456', '_link': '/company/4/claim/555/expense/1234567/split/456'}, {'splitId':
                '457', '_link': '/company/4/claim/555/line/expense/split/457'}], 'taxCode': 'GST', 'itemQty': 5.0,
                'netUnitRate': 10.0, 'claimCurrencyTotal': {'grossAmount': 89.37, 'netAmount': 81.24, 'taxAmount': 8.13,
                'currencyCode': 'AUD'}, 'transactionTotal': {'grossAmount': 50, 'netAmount': 45.45, 'taxAmount': 4.55,
                'currencyCode': 'GBP'}, 'portfolioCode': 'PORT_CODE', 'projectCode': 'PRJ_CODE', 'costCenterCode': 'CC001',
                'externalCode': '', 'isOmitted': False, 'isPersonal': False, 'recipient': {'type': 'Guest', 'code': '', 'name':
                'Jane Doe', 'employeeId': 'EM12345', 'employeeNumber': 'HR12345'}, 'createdDate': '1970-01-01T00:00:00Z',
                'updatedDate': '1970-01-01T00:00:00Z', 'customFields': [{'type': 'date', 'name': 'Arrival', 'value':
                'optional'}, {'type': 'text', 'name': 'City', 'value': 'optional'}]}

        Attributes:
            id (str): The ID of the expense (unique within its claim).
            company_id (None | str | Unset):
            entity_id (None | str | Unset):  Example: ENT1.
            description (None | str | Unset):
            gl_code (None | str | Unset): General ledger code.
            is_split (bool | None | Unset): Whether the expense is divided into split lines (see `splitChildren`).
            split_children (list[SplitChild] | None | Unset):
            tax_code (None | str | Unset):
            item_qty (float | None | Unset): Item quantity.
            net_unit_rate (float | None | Unset): Net price per unit.
            claim_currency_total (CurrencyTotal | None | Unset): Totals in the claim currency.
            transaction_total (CurrencyTotal | None | Unset): Totals in the transaction currency.
            portfolio_code (None | str | Unset):
            project_code (None | str | Unset):
            cost_center_code (None | str | Unset):
            external_code (None | str | Unset):
            is_omitted (bool | None | Unset): Omitted lines are excluded from the invoice totals and from approvals and
                workflows.
            is_personal (bool | None | Unset): A personal (not business) expense.
            recipient (None | Recipient | Unset):
            created_date (None | str | Unset): When the expense was created; `1970-01-01T00:00:00Z` means not set.
            updated_date (None | str | Unset): When the expense was last updated; `1970-01-01T00:00:00Z` means not set.
            custom_fields (list[CustomField] | None | Unset):
            total (CurrencyTotal | None | Unset): Older beta name of `claimCurrencyTotal`.
            created_on (None | str | Unset): Older beta name of `createdDate`.
            updated_on (None | str | Unset): Older beta name of `updatedDate`.
    """

    id: str
    company_id: None | str | Unset = UNSET
    entity_id: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    gl_code: None | str | Unset = UNSET
    is_split: bool | None | Unset = UNSET
    split_children: list[SplitChild] | None | Unset = UNSET
    tax_code: None | str | Unset = UNSET
    item_qty: float | None | Unset = UNSET
    net_unit_rate: float | None | Unset = UNSET
    claim_currency_total: CurrencyTotal | None | Unset = UNSET
    transaction_total: CurrencyTotal | None | Unset = UNSET
    portfolio_code: None | str | Unset = UNSET
    project_code: None | str | Unset = UNSET
    cost_center_code: None | str | Unset = UNSET
    external_code: None | str | Unset = UNSET
    is_omitted: bool | None | Unset = UNSET
    is_personal: bool | None | Unset = UNSET
    recipient: None | Recipient | Unset = UNSET
    created_date: None | str | Unset = UNSET
    updated_date: None | str | Unset = UNSET
    custom_fields: list[CustomField] | None | Unset = UNSET
    total: CurrencyTotal | None | Unset = UNSET
    created_on: None | str | Unset = UNSET
    updated_on: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.currency_total import CurrencyTotal
        from ..models.recipient import Recipient

        id = self.id

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        gl_code: None | str | Unset
        if isinstance(self.gl_code, Unset):
            gl_code = UNSET
        else:
            gl_code = self.gl_code

        is_split: bool | None | Unset
        if isinstance(self.is_split, Unset):
            is_split = UNSET
        else:
            is_split = self.is_split

        split_children: list[dict[str, Any]] | None | Unset
        if isinstance(self.split_children, Unset):
            split_children = UNSET
        elif isinstance(self.split_children, list):
            split_children = []
            for split_children_type_0_item_data in self.split_children:
                split_children_type_0_item = split_children_type_0_item_data.to_dict()
                split_children.append(split_children_type_0_item)

        else:
            split_children = self.split_children

        tax_code: None | str | Unset
        if isinstance(self.tax_code, Unset):
            tax_code = UNSET
        else:
            tax_code = self.tax_code

        item_qty: float | None | Unset
        if isinstance(self.item_qty, Unset):
            item_qty = UNSET
        else:
            item_qty = self.item_qty

        net_unit_rate: float | None | Unset
        if isinstance(self.net_unit_rate, Unset):
            net_unit_rate = UNSET
        else:
            net_unit_rate = self.net_unit_rate

        claim_currency_total: dict[str, Any] | None | Unset
        if isinstance(self.claim_currency_total, Unset):
            claim_currency_total = UNSET
        elif isinstance(self.claim_currency_total, CurrencyTotal):
            claim_currency_total = self.claim_currency_total.to_dict()
        else:
            claim_currency_total = self.claim_currency_total

        transaction_total: dict[str, Any] | None | Unset
        if isinstance(self.transaction_total, Unset):
            transaction_total = UNSET
        elif isinstance(self.transaction_total, CurrencyTotal):
            transaction_total = self.transaction_total.to_dict()
        else:
            transaction_total = self.transaction_total

        portfolio_code: None | str | Unset
        if isinstance(self.portfolio_code, Unset):
            portfolio_code = UNSET
        else:
            portfolio_code = self.portfolio_code

        project_code: None | str | Unset
        if isinstance(self.project_code, Unset):
            project_code = UNSET
        else:
            project_code = self.project_code

        cost_center_code: None | str | Unset
        if isinstance(self.cost_center_code, Unset):
            cost_center_code = UNSET
        else:
            cost_center_code = self.cost_center_code

        external_code: None | str | Unset
        if isinstance(self.external_code, Unset):
            external_code = UNSET
        else:
            external_code = self.external_code

        is_omitted: bool | None | Unset
        if isinstance(self.is_omitted, Unset):
            is_omitted = UNSET
        else:
            is_omitted = self.is_omitted

        is_personal: bool | None | Unset
        if isinstance(self.is_personal, Unset):
            is_personal = UNSET
        else:
            is_personal = self.is_personal

        recipient: dict[str, Any] | None | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        elif isinstance(self.recipient, Recipient):
            recipient = self.recipient.to_dict()
        else:
            recipient = self.recipient

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

        total: dict[str, Any] | None | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        elif isinstance(self.total, CurrencyTotal):
            total = self.total.to_dict()
        else:
            total = self.total

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
        if entity_id is not UNSET:
            field_dict["entityId"] = entity_id
        if description is not UNSET:
            field_dict["description"] = description
        if gl_code is not UNSET:
            field_dict["glCode"] = gl_code
        if is_split is not UNSET:
            field_dict["isSplit"] = is_split
        if split_children is not UNSET:
            field_dict["splitChildren"] = split_children
        if tax_code is not UNSET:
            field_dict["taxCode"] = tax_code
        if item_qty is not UNSET:
            field_dict["itemQty"] = item_qty
        if net_unit_rate is not UNSET:
            field_dict["netUnitRate"] = net_unit_rate
        if claim_currency_total is not UNSET:
            field_dict["claimCurrencyTotal"] = claim_currency_total
        if transaction_total is not UNSET:
            field_dict["transactionTotal"] = transaction_total
        if portfolio_code is not UNSET:
            field_dict["portfolioCode"] = portfolio_code
        if project_code is not UNSET:
            field_dict["projectCode"] = project_code
        if cost_center_code is not UNSET:
            field_dict["costCenterCode"] = cost_center_code
        if external_code is not UNSET:
            field_dict["externalCode"] = external_code
        if is_omitted is not UNSET:
            field_dict["isOmitted"] = is_omitted
        if is_personal is not UNSET:
            field_dict["isPersonal"] = is_personal
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if created_date is not UNSET:
            field_dict["createdDate"] = created_date
        if updated_date is not UNSET:
            field_dict["updatedDate"] = updated_date
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields
        if total is not UNSET:
            field_dict["total"] = total
        if created_on is not UNSET:
            field_dict["createdOn"] = created_on
        if updated_on is not UNSET:
            field_dict["updatedOn"] = updated_on

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.currency_total import CurrencyTotal
        from ..models.custom_field import CustomField
        from ..models.recipient import Recipient
        from ..models.split_child import SplitChild

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("companyId", UNSET))

        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entityId", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_gl_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gl_code = _parse_gl_code(d.pop("glCode", UNSET))

        def _parse_is_split(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_split = _parse_is_split(d.pop("isSplit", UNSET))

        def _parse_split_children(data: object) -> list[SplitChild] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                split_children_type_0 = []
                _split_children_type_0 = data
                for split_children_type_0_item_data in _split_children_type_0:
                    split_children_type_0_item = SplitChild.from_dict(
                        split_children_type_0_item_data
                    )

                    split_children_type_0.append(split_children_type_0_item)

                return split_children_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SplitChild] | None | Unset, data)

        split_children = _parse_split_children(d.pop("splitChildren", UNSET))

        def _parse_tax_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax_code = _parse_tax_code(d.pop("taxCode", UNSET))

        def _parse_item_qty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        item_qty = _parse_item_qty(d.pop("itemQty", UNSET))

        def _parse_net_unit_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        net_unit_rate = _parse_net_unit_rate(d.pop("netUnitRate", UNSET))

        def _parse_claim_currency_total(data: object) -> CurrencyTotal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                claim_currency_total_type_1 = CurrencyTotal.from_dict(data)

                return claim_currency_total_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CurrencyTotal | None | Unset, data)

        claim_currency_total = _parse_claim_currency_total(
            d.pop("claimCurrencyTotal", UNSET)
        )

        def _parse_transaction_total(data: object) -> CurrencyTotal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transaction_total_type_1 = CurrencyTotal.from_dict(data)

                return transaction_total_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CurrencyTotal | None | Unset, data)

        transaction_total = _parse_transaction_total(d.pop("transactionTotal", UNSET))

        def _parse_portfolio_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        portfolio_code = _parse_portfolio_code(d.pop("portfolioCode", UNSET))

        def _parse_project_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_code = _parse_project_code(d.pop("projectCode", UNSET))

        def _parse_cost_center_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cost_center_code = _parse_cost_center_code(d.pop("costCenterCode", UNSET))

        def _parse_external_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_code = _parse_external_code(d.pop("externalCode", UNSET))

        def _parse_is_omitted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_omitted = _parse_is_omitted(d.pop("isOmitted", UNSET))

        def _parse_is_personal(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_personal = _parse_is_personal(d.pop("isPersonal", UNSET))

        def _parse_recipient(data: object) -> None | Recipient | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recipient_type_1 = Recipient.from_dict(data)

                return recipient_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recipient | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

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

        def _parse_total(data: object) -> CurrencyTotal | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                total_type_1 = CurrencyTotal.from_dict(data)

                return total_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CurrencyTotal | None | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

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

        claim_expense = cls(
            id=id,
            company_id=company_id,
            entity_id=entity_id,
            description=description,
            gl_code=gl_code,
            is_split=is_split,
            split_children=split_children,
            tax_code=tax_code,
            item_qty=item_qty,
            net_unit_rate=net_unit_rate,
            claim_currency_total=claim_currency_total,
            transaction_total=transaction_total,
            portfolio_code=portfolio_code,
            project_code=project_code,
            cost_center_code=cost_center_code,
            external_code=external_code,
            is_omitted=is_omitted,
            is_personal=is_personal,
            recipient=recipient,
            created_date=created_date,
            updated_date=updated_date,
            custom_fields=custom_fields,
            total=total,
            created_on=created_on,
            updated_on=updated_on,
        )

        claim_expense.additional_properties = d
        return claim_expense

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
