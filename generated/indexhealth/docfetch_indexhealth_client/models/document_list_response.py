from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.document_summary import DocumentSummary


T = TypeVar("T", bound="DocumentListResponse")


@_attrs_define
class DocumentListResponse:
    """
    Attributes:
        status_code (int):
        data (list[DocumentSummary]):
        message (str | Unset):
    """

    status_code: int
    data: list[DocumentSummary]
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status_code = self.status_code

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statusCode": status_code,
                "data": data,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_summary import DocumentSummary  # noqa: PLC0415

        d = as_object(src_dict, "DocumentListResponse")
        status_code = required_field(d, "statusCode", "DocumentListResponse")

        data = []
        _data = required_field(d, "data", "DocumentListResponse")
        for data_item_data in _data:
            data_item = DocumentSummary.from_dict(data_item_data)

            data.append(data_item)

        message = optional_field(d, "message")

        document_list_response = cls(
            status_code=status_code,
            data=data,
            message=message,
        )

        document_list_response.additional_properties = d
        return document_list_response

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
