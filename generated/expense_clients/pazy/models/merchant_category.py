from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant_category_group_extra_type_0 import (
        MerchantCategoryGroupExtraType0,
    )


T = TypeVar("T", bound="MerchantCategory")


@_attrs_define
class MerchantCategory:
    """Merchant Category Code details. Present only when MCC data is available.

    Attributes:
        code (None | str | Unset): MCC code
        group_slug (None | str | Unset): MCC group slug
        group_name (None | str | Unset): MCC group name
        group_description (None | str | Unset): MCC group description
        group_extra (MerchantCategoryGroupExtraType0 | None | Unset): Additional MCC group metadata
    """

    code: None | str | Unset = UNSET
    group_slug: None | str | Unset = UNSET
    group_name: None | str | Unset = UNSET
    group_description: None | str | Unset = UNSET
    group_extra: MerchantCategoryGroupExtraType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.merchant_category_group_extra_type_0 import (
            MerchantCategoryGroupExtraType0,
        )

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        group_slug: None | str | Unset
        if isinstance(self.group_slug, Unset):
            group_slug = UNSET
        else:
            group_slug = self.group_slug

        group_name: None | str | Unset
        if isinstance(self.group_name, Unset):
            group_name = UNSET
        else:
            group_name = self.group_name

        group_description: None | str | Unset
        if isinstance(self.group_description, Unset):
            group_description = UNSET
        else:
            group_description = self.group_description

        group_extra: dict[str, Any] | None | Unset
        if isinstance(self.group_extra, Unset):
            group_extra = UNSET
        elif isinstance(self.group_extra, MerchantCategoryGroupExtraType0):
            group_extra = self.group_extra.to_dict()
        else:
            group_extra = self.group_extra

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if group_slug is not UNSET:
            field_dict["groupSlug"] = group_slug
        if group_name is not UNSET:
            field_dict["groupName"] = group_name
        if group_description is not UNSET:
            field_dict["groupDescription"] = group_description
        if group_extra is not UNSET:
            field_dict["groupExtra"] = group_extra

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant_category_group_extra_type_0 import (
            MerchantCategoryGroupExtraType0,
        )

        d = dict(src_dict)

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_group_slug(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_slug = _parse_group_slug(d.pop("groupSlug", UNSET))

        def _parse_group_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_name = _parse_group_name(d.pop("groupName", UNSET))

        def _parse_group_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_description = _parse_group_description(d.pop("groupDescription", UNSET))

        def _parse_group_extra(
            data: object,
        ) -> MerchantCategoryGroupExtraType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                group_extra_type_0 = MerchantCategoryGroupExtraType0.from_dict(data)

                return group_extra_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MerchantCategoryGroupExtraType0 | None | Unset, data)

        group_extra = _parse_group_extra(d.pop("groupExtra", UNSET))

        merchant_category = cls(
            code=code,
            group_slug=group_slug,
            group_name=group_name,
            group_description=group_description,
            group_extra=group_extra,
        )

        merchant_category.additional_properties = d
        return merchant_category

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
