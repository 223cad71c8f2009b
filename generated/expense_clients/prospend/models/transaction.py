from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Transaction")


@_attrs_define
class Transaction:
    """A card transaction as stored by ProSpend: the request's fields plus `id`, `companyId`, `createdDate` and
    `exchangeRate`. Optional request fields may come back as null.

        Example:
            {'id': '12345', 'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31', 'postingDate':
                '2026-02-02', 'merchantName': 'Telstra', 'mcc': '5943', 'transactionAmount': 700.0, 'currencyCode': 'AUD',
                'cardHolderName': 'Kylie Magenta', 'cardSuffix': '1111', 'cardId': '28676', 'externalCardId': '123123',
                'transactionStatus': 'COMPLETED', 'cardProgramCode': 'AR_AU', 'cardProgramType': 'AR', 'companyId': '4',
                'createdDate': '2026-04-09', 'foreignCurrencyCode': 'USD', 'exchangeRate': None, 'foreignCurrencyAmount': 500.0}

        Attributes:
            id (None | str | Unset): ProSpend's ID of the transaction.
            transaction_id (None | str | Unset): The external provider's transaction identifier (the de-duplication key).
            transaction_date (None | str | Unset):
            posting_date (None | str | Unset):
            merchant_name (None | str | Unset):
            mcc (None | str | Unset):
            transaction_amount (float | None | Unset):
            currency_code (None | str | Unset):
            card_holder_name (None | str | Unset):
            card_suffix (None | str | Unset):
            card_id (None | str | Unset):
            external_card_id (None | str | Unset):
            transaction_status (None | str | Unset):
            card_program_code (None | str | Unset):
            card_program_type (None | str | Unset):
            company_id (None | str | Unset):
            created_date (None | str | Unset): When ProSpend recorded the transaction.
            foreign_currency_code (None | str | Unset):
            exchange_rate (float | None | Unset):
            foreign_currency_amount (float | None | Unset):
    """

    id: None | str | Unset = UNSET
    transaction_id: None | str | Unset = UNSET
    transaction_date: None | str | Unset = UNSET
    posting_date: None | str | Unset = UNSET
    merchant_name: None | str | Unset = UNSET
    mcc: None | str | Unset = UNSET
    transaction_amount: float | None | Unset = UNSET
    currency_code: None | str | Unset = UNSET
    card_holder_name: None | str | Unset = UNSET
    card_suffix: None | str | Unset = UNSET
    card_id: None | str | Unset = UNSET
    external_card_id: None | str | Unset = UNSET
    transaction_status: None | str | Unset = UNSET
    card_program_code: None | str | Unset = UNSET
    card_program_type: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    created_date: None | str | Unset = UNSET
    foreign_currency_code: None | str | Unset = UNSET
    exchange_rate: float | None | Unset = UNSET
    foreign_currency_amount: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        transaction_id: None | str | Unset
        if isinstance(self.transaction_id, Unset):
            transaction_id = UNSET
        else:
            transaction_id = self.transaction_id

        transaction_date: None | str | Unset
        if isinstance(self.transaction_date, Unset):
            transaction_date = UNSET
        else:
            transaction_date = self.transaction_date

        posting_date: None | str | Unset
        if isinstance(self.posting_date, Unset):
            posting_date = UNSET
        else:
            posting_date = self.posting_date

        merchant_name: None | str | Unset
        if isinstance(self.merchant_name, Unset):
            merchant_name = UNSET
        else:
            merchant_name = self.merchant_name

        mcc: None | str | Unset
        if isinstance(self.mcc, Unset):
            mcc = UNSET
        else:
            mcc = self.mcc

        transaction_amount: float | None | Unset
        if isinstance(self.transaction_amount, Unset):
            transaction_amount = UNSET
        else:
            transaction_amount = self.transaction_amount

        currency_code: None | str | Unset
        if isinstance(self.currency_code, Unset):
            currency_code = UNSET
        else:
            currency_code = self.currency_code

        card_holder_name: None | str | Unset
        if isinstance(self.card_holder_name, Unset):
            card_holder_name = UNSET
        else:
            card_holder_name = self.card_holder_name

        card_suffix: None | str | Unset
        if isinstance(self.card_suffix, Unset):
            card_suffix = UNSET
        else:
            card_suffix = self.card_suffix

        card_id: None | str | Unset
        if isinstance(self.card_id, Unset):
            card_id = UNSET
        else:
            card_id = self.card_id

        external_card_id: None | str | Unset
        if isinstance(self.external_card_id, Unset):
            external_card_id = UNSET
        else:
            external_card_id = self.external_card_id

        transaction_status: None | str | Unset
        if isinstance(self.transaction_status, Unset):
            transaction_status = UNSET
        else:
            transaction_status = self.transaction_status

        card_program_code: None | str | Unset
        if isinstance(self.card_program_code, Unset):
            card_program_code = UNSET
        else:
            card_program_code = self.card_program_code

        card_program_type: None | str | Unset
        if isinstance(self.card_program_type, Unset):
            card_program_type = UNSET
        else:
            card_program_type = self.card_program_type

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        created_date: None | str | Unset
        if isinstance(self.created_date, Unset):
            created_date = UNSET
        else:
            created_date = self.created_date

        foreign_currency_code: None | str | Unset
        if isinstance(self.foreign_currency_code, Unset):
            foreign_currency_code = UNSET
        else:
            foreign_currency_code = self.foreign_currency_code

        exchange_rate: float | None | Unset
        if isinstance(self.exchange_rate, Unset):
            exchange_rate = UNSET
        else:
            exchange_rate = self.exchange_rate

        foreign_currency_amount: float | None | Unset
        if isinstance(self.foreign_currency_amount, Unset):
            foreign_currency_amount = UNSET
        else:
            foreign_currency_amount = self.foreign_currency_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if transaction_id is not UNSET:
            field_dict["transactionId"] = transaction_id
        if transaction_date is not UNSET:
            field_dict["transactionDate"] = transaction_date
        if posting_date is not UNSET:
            field_dict["postingDate"] = posting_date
        if merchant_name is not UNSET:
            field_dict["merchantName"] = merchant_name
        if mcc is not UNSET:
            field_dict["mcc"] = mcc
        if transaction_amount is not UNSET:
            field_dict["transactionAmount"] = transaction_amount
        if currency_code is not UNSET:
            field_dict["currencyCode"] = currency_code
        if card_holder_name is not UNSET:
            field_dict["cardHolderName"] = card_holder_name
        if card_suffix is not UNSET:
            field_dict["cardSuffix"] = card_suffix
        if card_id is not UNSET:
            field_dict["cardId"] = card_id
        if external_card_id is not UNSET:
            field_dict["externalCardId"] = external_card_id
        if transaction_status is not UNSET:
            field_dict["transactionStatus"] = transaction_status
        if card_program_code is not UNSET:
            field_dict["cardProgramCode"] = card_program_code
        if card_program_type is not UNSET:
            field_dict["cardProgramType"] = card_program_type
        if company_id is not UNSET:
            field_dict["companyId"] = company_id
        if created_date is not UNSET:
            field_dict["createdDate"] = created_date
        if foreign_currency_code is not UNSET:
            field_dict["foreignCurrencyCode"] = foreign_currency_code
        if exchange_rate is not UNSET:
            field_dict["exchangeRate"] = exchange_rate
        if foreign_currency_amount is not UNSET:
            field_dict["foreignCurrencyAmount"] = foreign_currency_amount

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

        def _parse_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_id = _parse_transaction_id(d.pop("transactionId", UNSET))

        def _parse_transaction_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_date = _parse_transaction_date(d.pop("transactionDate", UNSET))

        def _parse_posting_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        posting_date = _parse_posting_date(d.pop("postingDate", UNSET))

        def _parse_merchant_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merchant_name = _parse_merchant_name(d.pop("merchantName", UNSET))

        def _parse_mcc(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mcc = _parse_mcc(d.pop("mcc", UNSET))

        def _parse_transaction_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        transaction_amount = _parse_transaction_amount(
            d.pop("transactionAmount", UNSET)
        )

        def _parse_currency_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency_code = _parse_currency_code(d.pop("currencyCode", UNSET))

        def _parse_card_holder_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_holder_name = _parse_card_holder_name(d.pop("cardHolderName", UNSET))

        def _parse_card_suffix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_suffix = _parse_card_suffix(d.pop("cardSuffix", UNSET))

        def _parse_card_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_id = _parse_card_id(d.pop("cardId", UNSET))

        def _parse_external_card_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_card_id = _parse_external_card_id(d.pop("externalCardId", UNSET))

        def _parse_transaction_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_status = _parse_transaction_status(
            d.pop("transactionStatus", UNSET)
        )

        def _parse_card_program_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_program_code = _parse_card_program_code(d.pop("cardProgramCode", UNSET))

        def _parse_card_program_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_program_type = _parse_card_program_type(d.pop("cardProgramType", UNSET))

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("companyId", UNSET))

        def _parse_created_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_date = _parse_created_date(d.pop("createdDate", UNSET))

        def _parse_foreign_currency_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        foreign_currency_code = _parse_foreign_currency_code(
            d.pop("foreignCurrencyCode", UNSET)
        )

        def _parse_exchange_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        exchange_rate = _parse_exchange_rate(d.pop("exchangeRate", UNSET))

        def _parse_foreign_currency_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        foreign_currency_amount = _parse_foreign_currency_amount(
            d.pop("foreignCurrencyAmount", UNSET)
        )

        transaction = cls(
            id=id,
            transaction_id=transaction_id,
            transaction_date=transaction_date,
            posting_date=posting_date,
            merchant_name=merchant_name,
            mcc=mcc,
            transaction_amount=transaction_amount,
            currency_code=currency_code,
            card_holder_name=card_holder_name,
            card_suffix=card_suffix,
            card_id=card_id,
            external_card_id=external_card_id,
            transaction_status=transaction_status,
            card_program_code=card_program_code,
            card_program_type=card_program_type,
            company_id=company_id,
            created_date=created_date,
            foreign_currency_code=foreign_currency_code,
            exchange_rate=exchange_rate,
            foreign_currency_amount=foreign_currency_amount,
        )

        transaction.additional_properties = d
        return transaction

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
