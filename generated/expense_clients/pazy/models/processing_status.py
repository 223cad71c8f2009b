from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProcessingStatus")


@_attrs_define
class ProcessingStatus:
    """Document-processing status. Present only when the expense was created from a
    document being processed.

        Attributes:
            processing_id (None | str | Unset): Identifier of the processing job
            status (None | str | Unset): Current processing state
            is_ready (bool | None | Unset): Whether processing has completed and the data is ready
    """

    processing_id: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    is_ready: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        processing_id: None | str | Unset
        if isinstance(self.processing_id, Unset):
            processing_id = UNSET
        else:
            processing_id = self.processing_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        is_ready: bool | None | Unset
        if isinstance(self.is_ready, Unset):
            is_ready = UNSET
        else:
            is_ready = self.is_ready

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if processing_id is not UNSET:
            field_dict["processingId"] = processing_id
        if status is not UNSET:
            field_dict["status"] = status
        if is_ready is not UNSET:
            field_dict["isReady"] = is_ready

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_processing_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        processing_id = _parse_processing_id(d.pop("processingId", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_is_ready(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_ready = _parse_is_ready(d.pop("isReady", UNSET))

        processing_status = cls(
            processing_id=processing_id,
            status=status,
            is_ready=is_ready,
        )

        processing_status.additional_properties = d
        return processing_status

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
