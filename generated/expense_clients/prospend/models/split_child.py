from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SplitChild")


@_attrs_define
class SplitChild:
    """A reference to one split line of an expense.

    Attributes:
        split_id (None | str | Unset):  Example: 456.
        field_link (None | str | Unset): The path of the split line resource. Example:
            /company/4/claim/555/expense/1234567/split/456.
    """

    split_id: None | str | Unset = UNSET
    field_link: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        split_id: None | str | Unset
        if isinstance(self.split_id, Unset):
            split_id = UNSET
        else:
            split_id = self.split_id

        field_link: None | str | Unset
        if isinstance(self.field_link, Unset):
            field_link = UNSET
        else:
            field_link = self.field_link

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if split_id is not UNSET:
            field_dict["splitId"] = split_id
        if field_link is not UNSET:
            field_dict["_link"] = field_link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_split_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        split_id = _parse_split_id(d.pop("splitId", UNSET))

        def _parse_field_link(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field_link = _parse_field_link(d.pop("_link", UNSET))

        split_child = cls(
            split_id=split_id,
            field_link=field_link,
        )

        split_child.additional_properties = d
        return split_child

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
