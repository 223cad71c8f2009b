from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TransactionRequest")


@_attrs_define
class TransactionRequest:
    """A card transaction to import. `foreignCurrencyAmount` and `foreignCurrencyCode`
    come together or not at all: each is required when the other is present.

        Example:
            {'transactionId': 'txn_1775706370771', 'transactionDate': '2026-01-31', 'postingDate': '2026-02-02',
                'merchantName': 'Telstra', 'mcc': '5943', 'transactionAmount': 700.0, 'currencyCode': 'AUD',
                'foreignCurrencyAmount': 500.0, 'foreignCurrencyCode': 'USD', 'cardHolderName': 'Kylie Magenta', 'cardId':
                '28676', 'cardSuffix': '1111', 'externalCardId': '123123', 'transactionStatus': 'COMPLETED', 'cardProgramCode':
                'AR_AU', 'cardProgramType': 'AR'}

        Attributes:
            transaction_id (str): Unique identifier of the transaction as provided by the external card or banking provider.
                Used for duplicate checking within the same card program.
            transaction_date (str): Date when the transaction occurred on the card/bank account (purchase date).
            posting_date (str): Date when the transaction was posted/settled by the card or banking provider.
            merchant_name (str): Name of the merchant where the transaction occurred, as provided by the card or banking
                provider.
            mcc (str): Merchant Category Code associated with the transaction.
            transaction_amount (float): Amount of the transaction in the billing (card) currency; includes the sign
                (positive/negative).
            currency_code (str): ISO 4217 code of the billing currency (e.g. `AUD`, `USD`).
            card_holder_name (str): Name of the card holder of the card used for this transaction.
            card_suffix (str): Masked or partial card number identifying the specific card.
            transaction_status (str): Status of the transaction in the external provider's lifecycle.
            card_program_code (str): Code identifying the card program within ProSpend (ask ProSpend for the valid codes).
            card_program_type (str): Type/category of the card program (e.g. `AMEX`, `Visa`, `MasterCard`), used to
                distinguish provider/program behaviours.
            foreign_currency_amount (float | None | Unset): Amount in the original purchase currency, if different from the
                billing currency. Required if `foreignCurrencyCode` is present.
            foreign_currency_code (None | str | Unset): ISO 4217 code of the original purchase currency (e.g. `EUR` when the
                card is billed in AUD but the purchase was in EUR). Required if `foreignCurrencyAmount` is present.
            card_id (None | str | Unset): Internal identifier of the card within ProSpend.
            external_card_id (None | str | Unset): Identifier of the card as provided by the external provider.
    """

    transaction_id: str
    transaction_date: str
    posting_date: str
    merchant_name: str
    mcc: str
    transaction_amount: float
    currency_code: str
    card_holder_name: str
    card_suffix: str
    transaction_status: str
    card_program_code: str
    card_program_type: str
    foreign_currency_amount: float | None | Unset = UNSET
    foreign_currency_code: None | str | Unset = UNSET
    card_id: None | str | Unset = UNSET
    external_card_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transaction_id = self.transaction_id

        transaction_date = self.transaction_date

        posting_date = self.posting_date

        merchant_name = self.merchant_name

        mcc = self.mcc

        transaction_amount = self.transaction_amount

        currency_code = self.currency_code

        card_holder_name = self.card_holder_name

        card_suffix = self.card_suffix

        transaction_status = self.transaction_status

        card_program_code = self.card_program_code

        card_program_type = self.card_program_type

        foreign_currency_amount: float | None | Unset
        if isinstance(self.foreign_currency_amount, Unset):
            foreign_currency_amount = UNSET
        else:
            foreign_currency_amount = self.foreign_currency_amount

        foreign_currency_code: None | str | Unset
        if isinstance(self.foreign_currency_code, Unset):
            foreign_currency_code = UNSET
        else:
            foreign_currency_code = self.foreign_currency_code

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "transactionId": transaction_id,
                "transactionDate": transaction_date,
                "postingDate": posting_date,
                "merchantName": merchant_name,
                "mcc": mcc,
                "transactionAmount": transaction_amount,
                "currencyCode": currency_code,
                "cardHolderName": card_holder_name,
                "cardSuffix": card_suffix,
                "transactionStatus": transaction_status,
                "cardProgramCode": card_program_code,
                "cardProgramType": card_program_type,
            }
        )
        if foreign_currency_amount is not UNSET:
            field_dict["foreignCurrencyAmount"] = foreign_currency_amount
        if foreign_currency_code is not UNSET:
            field_dict["foreignCurrencyCode"] = foreign_currency_code
        if card_id is not UNSET:
            field_dict["cardId"] = card_id
        if external_card_id is not UNSET:
            field_dict["externalCardId"] = external_card_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        transaction_id = d.pop("transactionId")

        transaction_date = d.pop("transactionDate")

        posting_date = d.pop("postingDate")

        merchant_name = d.pop("merchantName")

        mcc = d.pop("mcc")

        transaction_amount = d.pop("transactionAmount")

        currency_code = d.pop("currencyCode")

        card_holder_name = d.pop("cardHolderName")

        card_suffix = d.pop("cardSuffix")

        transaction_status = d.pop("transactionStatus")

        card_program_code = d.pop("cardProgramCode")

        card_program_type = d.pop("cardProgramType")

        def _parse_foreign_currency_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        foreign_currency_amount = _parse_foreign_currency_amount(
            d.pop("foreignCurrencyAmount", UNSET)
        )

        def _parse_foreign_currency_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        foreign_currency_code = _parse_foreign_currency_code(
            d.pop("foreignCurrencyCode", UNSET)
        )

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

        transaction_request = cls(
            transaction_id=transaction_id,
            transaction_date=transaction_date,
            posting_date=posting_date,
            merchant_name=merchant_name,
            mcc=mcc,
            transaction_amount=transaction_amount,
            currency_code=currency_code,
            card_holder_name=card_holder_name,
            card_suffix=card_suffix,
            transaction_status=transaction_status,
            card_program_code=card_program_code,
            card_program_type=card_program_type,
            foreign_currency_amount=foreign_currency_amount,
            foreign_currency_code=foreign_currency_code,
            card_id=card_id,
            external_card_id=external_card_id,
        )

        transaction_request.additional_properties = d
        return transaction_request

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
