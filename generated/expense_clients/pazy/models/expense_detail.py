from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_info import CardInfo
    from ..models.expense_transaction import ExpenseTransaction
    from ..models.initiator import Initiator
    from ..models.line_item import LineItem
    from ..models.merchant import Merchant
    from ..models.processing_status import ProcessingStatus
    from ..models.vendor import Vendor


T = TypeVar("T", bound="ExpenseDetail")


@_attrs_define
class ExpenseDetail:
    """One expense with line items, taxes, merchant and transaction data. Dates are
    ISO 8601 strings. `merchant.mcc` and `processingStatus` are present only when
    the underlying data exists.

        Attributes:
            id (str): Unique identifier (slug) for the expense
            expense_type (None | str | Unset): Type of the expense
            description (None | str | Unset): Description of the expense
            item_count (int | None | Unset): Number of line items in the expense
            expense_date (None | str | Unset): Date the expense was incurred (ISO 8601 format)
            due_date (None | str | Unset): Due date for the expense (ISO 8601 format)
            accounting_date (None | str | Unset): Accounting date for the expense (ISO 8601 format)
            approved_date (None | str | Unset): Date the expense was approved (ISO 8601 format)
            recipient_id (None | str | Unset): Identifier of the payment recipient
            recipient_type (None | str | Unset): Type of the payment recipient
            payment_date (None | str | Unset): Date the expense was paid (ISO 8601 format)
            amount (float | None | str | Unset):
            currency (None | str | Unset): Currency code (e.g., INR) Example: INR.
            state (None | str | Unset):
            payment_state (None | str | Unset): Payment state of the expense
            amount_paid (float | None | str | Unset):
            date_created (None | str | Unset): Date the expense was created in the system (ISO 8601 format)
            remarks (None | str | Unset): Notes / remarks on the expense
            source (None | str | Unset):
            synced_reference_id (None | str | Unset): Reference identifier of the expense in the connected accounting
                platform
            document_id (None | str | Unset): Identifier of the source document, if any
            sync_state (None | str | Unset):
            sync_mode (None | str | Unset): Synchronization mode for the expense
            accounting_platform (None | str | Unset): Name of the connected accounting platform. Present only when an
                accounting integration is connected.
            self_url (None | str | Unset): Shareable URL for viewing the expense in the web interface
            identifier (None | str | Unset): Human-readable identifier / number for the expense
            card_info (CardInfo | None | Unset):
            transaction (ExpenseTransaction | None | Unset):
            initiator (Initiator | None | Unset):
            merchant (Merchant | None | Unset):
            vendor (None | Unset | Vendor):
            line_items (list[LineItem] | None | Unset): Line items on the expense
            processing_status (None | ProcessingStatus | Unset):
    """

    id: str
    expense_type: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    item_count: int | None | Unset = UNSET
    expense_date: None | str | Unset = UNSET
    due_date: None | str | Unset = UNSET
    accounting_date: None | str | Unset = UNSET
    approved_date: None | str | Unset = UNSET
    recipient_id: None | str | Unset = UNSET
    recipient_type: None | str | Unset = UNSET
    payment_date: None | str | Unset = UNSET
    amount: float | None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    payment_state: None | str | Unset = UNSET
    amount_paid: float | None | str | Unset = UNSET
    date_created: None | str | Unset = UNSET
    remarks: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    synced_reference_id: None | str | Unset = UNSET
    document_id: None | str | Unset = UNSET
    sync_state: None | str | Unset = UNSET
    sync_mode: None | str | Unset = UNSET
    accounting_platform: None | str | Unset = UNSET
    self_url: None | str | Unset = UNSET
    identifier: None | str | Unset = UNSET
    card_info: CardInfo | None | Unset = UNSET
    transaction: ExpenseTransaction | None | Unset = UNSET
    initiator: Initiator | None | Unset = UNSET
    merchant: Merchant | None | Unset = UNSET
    vendor: None | Unset | Vendor = UNSET
    line_items: list[LineItem] | None | Unset = UNSET
    processing_status: None | ProcessingStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.card_info import CardInfo
        from ..models.expense_transaction import ExpenseTransaction
        from ..models.initiator import Initiator
        from ..models.merchant import Merchant
        from ..models.processing_status import ProcessingStatus
        from ..models.vendor import Vendor

        id = self.id

        expense_type: None | str | Unset
        if isinstance(self.expense_type, Unset):
            expense_type = UNSET
        else:
            expense_type = self.expense_type

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        item_count: int | None | Unset
        if isinstance(self.item_count, Unset):
            item_count = UNSET
        else:
            item_count = self.item_count

        expense_date: None | str | Unset
        if isinstance(self.expense_date, Unset):
            expense_date = UNSET
        else:
            expense_date = self.expense_date

        due_date: None | str | Unset
        if isinstance(self.due_date, Unset):
            due_date = UNSET
        else:
            due_date = self.due_date

        accounting_date: None | str | Unset
        if isinstance(self.accounting_date, Unset):
            accounting_date = UNSET
        else:
            accounting_date = self.accounting_date

        approved_date: None | str | Unset
        if isinstance(self.approved_date, Unset):
            approved_date = UNSET
        else:
            approved_date = self.approved_date

        recipient_id: None | str | Unset
        if isinstance(self.recipient_id, Unset):
            recipient_id = UNSET
        else:
            recipient_id = self.recipient_id

        recipient_type: None | str | Unset
        if isinstance(self.recipient_type, Unset):
            recipient_type = UNSET
        else:
            recipient_type = self.recipient_type

        payment_date: None | str | Unset
        if isinstance(self.payment_date, Unset):
            payment_date = UNSET
        else:
            payment_date = self.payment_date

        amount: float | None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        payment_state: None | str | Unset
        if isinstance(self.payment_state, Unset):
            payment_state = UNSET
        else:
            payment_state = self.payment_state

        amount_paid: float | None | str | Unset
        if isinstance(self.amount_paid, Unset):
            amount_paid = UNSET
        else:
            amount_paid = self.amount_paid

        date_created: None | str | Unset
        if isinstance(self.date_created, Unset):
            date_created = UNSET
        else:
            date_created = self.date_created

        remarks: None | str | Unset
        if isinstance(self.remarks, Unset):
            remarks = UNSET
        else:
            remarks = self.remarks

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        synced_reference_id: None | str | Unset
        if isinstance(self.synced_reference_id, Unset):
            synced_reference_id = UNSET
        else:
            synced_reference_id = self.synced_reference_id

        document_id: None | str | Unset
        if isinstance(self.document_id, Unset):
            document_id = UNSET
        else:
            document_id = self.document_id

        sync_state: None | str | Unset
        if isinstance(self.sync_state, Unset):
            sync_state = UNSET
        else:
            sync_state = self.sync_state

        sync_mode: None | str | Unset
        if isinstance(self.sync_mode, Unset):
            sync_mode = UNSET
        else:
            sync_mode = self.sync_mode

        accounting_platform: None | str | Unset
        if isinstance(self.accounting_platform, Unset):
            accounting_platform = UNSET
        else:
            accounting_platform = self.accounting_platform

        self_url: None | str | Unset
        if isinstance(self.self_url, Unset):
            self_url = UNSET
        else:
            self_url = self.self_url

        identifier: None | str | Unset
        if isinstance(self.identifier, Unset):
            identifier = UNSET
        else:
            identifier = self.identifier

        card_info: dict[str, Any] | None | Unset
        if isinstance(self.card_info, Unset):
            card_info = UNSET
        elif isinstance(self.card_info, CardInfo):
            card_info = self.card_info.to_dict()
        else:
            card_info = self.card_info

        transaction: dict[str, Any] | None | Unset
        if isinstance(self.transaction, Unset):
            transaction = UNSET
        elif isinstance(self.transaction, ExpenseTransaction):
            transaction = self.transaction.to_dict()
        else:
            transaction = self.transaction

        initiator: dict[str, Any] | None | Unset
        if isinstance(self.initiator, Unset):
            initiator = UNSET
        elif isinstance(self.initiator, Initiator):
            initiator = self.initiator.to_dict()
        else:
            initiator = self.initiator

        merchant: dict[str, Any] | None | Unset
        if isinstance(self.merchant, Unset):
            merchant = UNSET
        elif isinstance(self.merchant, Merchant):
            merchant = self.merchant.to_dict()
        else:
            merchant = self.merchant

        vendor: dict[str, Any] | None | Unset
        if isinstance(self.vendor, Unset):
            vendor = UNSET
        elif isinstance(self.vendor, Vendor):
            vendor = self.vendor.to_dict()
        else:
            vendor = self.vendor

        line_items: list[dict[str, Any]] | None | Unset
        if isinstance(self.line_items, Unset):
            line_items = UNSET
        elif isinstance(self.line_items, list):
            line_items = []
            for line_items_type_0_item_data in self.line_items:
                line_items_type_0_item = line_items_type_0_item_data.to_dict()
                line_items.append(line_items_type_0_item)

        else:
            line_items = self.line_items

        processing_status: dict[str, Any] | None | Unset
        if isinstance(self.processing_status, Unset):
            processing_status = UNSET
        elif isinstance(self.processing_status, ProcessingStatus):
            processing_status = self.processing_status.to_dict()
        else:
            processing_status = self.processing_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if expense_type is not UNSET:
            field_dict["expenseType"] = expense_type
        if description is not UNSET:
            field_dict["description"] = description
        if item_count is not UNSET:
            field_dict["itemCount"] = item_count
        if expense_date is not UNSET:
            field_dict["expenseDate"] = expense_date
        if due_date is not UNSET:
            field_dict["dueDate"] = due_date
        if accounting_date is not UNSET:
            field_dict["accountingDate"] = accounting_date
        if approved_date is not UNSET:
            field_dict["approvedDate"] = approved_date
        if recipient_id is not UNSET:
            field_dict["recipientId"] = recipient_id
        if recipient_type is not UNSET:
            field_dict["recipientType"] = recipient_type
        if payment_date is not UNSET:
            field_dict["paymentDate"] = payment_date
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if state is not UNSET:
            field_dict["state"] = state
        if payment_state is not UNSET:
            field_dict["paymentState"] = payment_state
        if amount_paid is not UNSET:
            field_dict["amountPaid"] = amount_paid
        if date_created is not UNSET:
            field_dict["dateCreated"] = date_created
        if remarks is not UNSET:
            field_dict["remarks"] = remarks
        if source is not UNSET:
            field_dict["source"] = source
        if synced_reference_id is not UNSET:
            field_dict["syncedReferenceId"] = synced_reference_id
        if document_id is not UNSET:
            field_dict["documentId"] = document_id
        if sync_state is not UNSET:
            field_dict["syncState"] = sync_state
        if sync_mode is not UNSET:
            field_dict["syncMode"] = sync_mode
        if accounting_platform is not UNSET:
            field_dict["accountingPlatform"] = accounting_platform
        if self_url is not UNSET:
            field_dict["selfUrl"] = self_url
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if card_info is not UNSET:
            field_dict["cardInfo"] = card_info
        if transaction is not UNSET:
            field_dict["transaction"] = transaction
        if initiator is not UNSET:
            field_dict["initiator"] = initiator
        if merchant is not UNSET:
            field_dict["merchant"] = merchant
        if vendor is not UNSET:
            field_dict["vendor"] = vendor
        if line_items is not UNSET:
            field_dict["lineItems"] = line_items
        if processing_status is not UNSET:
            field_dict["processingStatus"] = processing_status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.card_info import CardInfo
        from ..models.expense_transaction import ExpenseTransaction
        from ..models.initiator import Initiator
        from ..models.line_item import LineItem
        from ..models.merchant import Merchant
        from ..models.processing_status import ProcessingStatus
        from ..models.vendor import Vendor

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_expense_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expense_type = _parse_expense_type(d.pop("expenseType", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_item_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        item_count = _parse_item_count(d.pop("itemCount", UNSET))

        def _parse_expense_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expense_date = _parse_expense_date(d.pop("expenseDate", UNSET))

        def _parse_due_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        due_date = _parse_due_date(d.pop("dueDate", UNSET))

        def _parse_accounting_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accounting_date = _parse_accounting_date(d.pop("accountingDate", UNSET))

        def _parse_approved_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        approved_date = _parse_approved_date(d.pop("approvedDate", UNSET))

        def _parse_recipient_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient_id = _parse_recipient_id(d.pop("recipientId", UNSET))

        def _parse_recipient_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient_type = _parse_recipient_type(d.pop("recipientType", UNSET))

        def _parse_payment_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_date = _parse_payment_date(d.pop("paymentDate", UNSET))

        def _parse_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        def _parse_payment_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_state = _parse_payment_state(d.pop("paymentState", UNSET))

        def _parse_amount_paid(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        amount_paid = _parse_amount_paid(d.pop("amountPaid", UNSET))

        def _parse_date_created(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        date_created = _parse_date_created(d.pop("dateCreated", UNSET))

        def _parse_remarks(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        remarks = _parse_remarks(d.pop("remarks", UNSET))

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_synced_reference_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        synced_reference_id = _parse_synced_reference_id(
            d.pop("syncedReferenceId", UNSET)
        )

        def _parse_document_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_id = _parse_document_id(d.pop("documentId", UNSET))

        def _parse_sync_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sync_state = _parse_sync_state(d.pop("syncState", UNSET))

        def _parse_sync_mode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sync_mode = _parse_sync_mode(d.pop("syncMode", UNSET))

        def _parse_accounting_platform(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accounting_platform = _parse_accounting_platform(
            d.pop("accountingPlatform", UNSET)
        )

        def _parse_self_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        self_url = _parse_self_url(d.pop("selfUrl", UNSET))

        def _parse_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier = _parse_identifier(d.pop("identifier", UNSET))

        def _parse_card_info(data: object) -> CardInfo | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                card_info_type_1 = CardInfo.from_dict(data)

                return card_info_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CardInfo | None | Unset, data)

        card_info = _parse_card_info(d.pop("cardInfo", UNSET))

        def _parse_transaction(data: object) -> ExpenseTransaction | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transaction_type_1 = ExpenseTransaction.from_dict(data)

                return transaction_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExpenseTransaction | None | Unset, data)

        transaction = _parse_transaction(d.pop("transaction", UNSET))

        def _parse_initiator(data: object) -> Initiator | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                initiator_type_1 = Initiator.from_dict(data)

                return initiator_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Initiator | None | Unset, data)

        initiator = _parse_initiator(d.pop("initiator", UNSET))

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

        def _parse_vendor(data: object) -> None | Unset | Vendor:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                vendor_type_1 = Vendor.from_dict(data)

                return vendor_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Vendor, data)

        vendor = _parse_vendor(d.pop("vendor", UNSET))

        def _parse_line_items(data: object) -> list[LineItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                line_items_type_0 = []
                _line_items_type_0 = data
                for line_items_type_0_item_data in _line_items_type_0:
                    line_items_type_0_item = LineItem.from_dict(
                        line_items_type_0_item_data
                    )

                    line_items_type_0.append(line_items_type_0_item)

                return line_items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[LineItem] | None | Unset, data)

        line_items = _parse_line_items(d.pop("lineItems", UNSET))

        def _parse_processing_status(data: object) -> None | ProcessingStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                processing_status_type_1 = ProcessingStatus.from_dict(data)

                return processing_status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessingStatus | Unset, data)

        processing_status = _parse_processing_status(d.pop("processingStatus", UNSET))

        expense_detail = cls(
            id=id,
            expense_type=expense_type,
            description=description,
            item_count=item_count,
            expense_date=expense_date,
            due_date=due_date,
            accounting_date=accounting_date,
            approved_date=approved_date,
            recipient_id=recipient_id,
            recipient_type=recipient_type,
            payment_date=payment_date,
            amount=amount,
            currency=currency,
            state=state,
            payment_state=payment_state,
            amount_paid=amount_paid,
            date_created=date_created,
            remarks=remarks,
            source=source,
            synced_reference_id=synced_reference_id,
            document_id=document_id,
            sync_state=sync_state,
            sync_mode=sync_mode,
            accounting_platform=accounting_platform,
            self_url=self_url,
            identifier=identifier,
            card_info=card_info,
            transaction=transaction,
            initiator=initiator,
            merchant=merchant,
            vendor=vendor,
            line_items=line_items,
            processing_status=processing_status,
        )

        expense_detail.additional_properties = d
        return expense_detail

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
