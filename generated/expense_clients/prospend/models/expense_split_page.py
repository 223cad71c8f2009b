from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.expense_split import ExpenseSplit


T = TypeVar("T", bound="ExpenseSplitPage")


@_attrs_define
class ExpenseSplitPage:
    """One page of the split lines of an expense.

    Attributes:
        page (list[ExpenseSplit]):
        next_cursor (None | str | Unset):
    """

    page: list[ExpenseSplit]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        page = []
        for page_item_data in self.page:
            page_item = page_item_data.to_dict()
            page.append(page_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "page": page,
            }
        )
        if next_cursor is not UNSET:
            field_dict["nextCursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.expense_split import ExpenseSplit

        d = dict(src_dict)
        page = []
        _page = d.pop("page")
        for page_item_data in _page:
            page_item = ExpenseSplit.from_dict(page_item_data)

            page.append(page_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor", UNSET))

        expense_split_page = cls(
            page=page,
            next_cursor=next_cursor,
        )

        expense_split_page.additional_properties = d
        return expense_split_page

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
