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
        data (list[DocumentSummary]):
        status_code (int | Unset):
        message (str | Unset):
    """

    data: list[DocumentSummary]
    status_code: int | Unset = UNSET
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        status_code = self.status_code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_summary import DocumentSummary  # noqa: PLC0415

        d = as_object(src_dict, "DocumentListResponse")
        data = []
        _data = required_field(d, "data", "DocumentListResponse")
        for data_item_data in _data:
            data_item = DocumentSummary.from_dict(data_item_data)

            data.append(data_item)

        status_code = optional_field(d, "statusCode")

        message = optional_field(d, "message")

        document_list_response = cls(
            data=data,
            status_code=status_code,
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
