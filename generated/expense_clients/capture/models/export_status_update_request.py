from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.export_status import ExportStatus


T = TypeVar("T", bound="ExportStatusUpdateRequest")


@_attrs_define
class ExportStatusUpdateRequest:
    """A batch of export results.

    Example:
        {'exportStatuses': [{'id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'success': True, 'message': 'string',
            'transactionType': 0}]}

    Attributes:
        export_statuses (list[ExportStatus]):
    """

    export_statuses: list[ExportStatus]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        export_statuses = []
        for export_statuses_item_data in self.export_statuses:
            export_statuses_item = export_statuses_item_data.to_dict()
            export_statuses.append(export_statuses_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exportStatuses": export_statuses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.export_status import ExportStatus

        d = dict(src_dict)
        export_statuses = []
        _export_statuses = d.pop("exportStatuses")
        for export_statuses_item_data in _export_statuses:
            export_statuses_item = ExportStatus.from_dict(export_statuses_item_data)

            export_statuses.append(export_statuses_item)

        export_status_update_request = cls(
            export_statuses=export_statuses,
        )

        export_status_update_request.additional_properties = d
        return export_status_update_request

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
