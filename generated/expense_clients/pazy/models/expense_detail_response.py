from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.expense_detail import ExpenseDetail


T = TypeVar("T", bound="ExpenseDetailResponse")


@_attrs_define
class ExpenseDetailResponse:
    """Success envelope of the expense details.

    Attributes:
        data (ExpenseDetail): One expense with line items, taxes, merchant and transaction data. Dates are
            ISO 8601 strings. `merchant.mcc` and `processingStatus` are present only when
            the underlying data exists.
        ok (bool | None | Unset):  Example: True.
    """

    data: ExpenseDetail
    ok: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        ok: bool | None | Unset
        if isinstance(self.ok, Unset):
            ok = UNSET
        else:
            ok = self.ok

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if ok is not UNSET:
            field_dict["ok"] = ok

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.expense_detail import ExpenseDetail

        d = dict(src_dict)
        data = ExpenseDetail.from_dict(d.pop("data"))

        def _parse_ok(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        ok = _parse_ok(d.pop("ok", UNSET))

        expense_detail_response = cls(
            data=data,
            ok=ok,
        )

        expense_detail_response.additional_properties = d
        return expense_detail_response

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
