from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

if TYPE_CHECKING:
    from ..models.doc_service_document import DocServiceDocument


T = TypeVar("T", bound="DocumentResponse")


@_attrs_define
class DocumentResponse:
    """A single document.

    Example:
        {'data': {'id': '6a09cdc3-8948-47f0-aa62-74ac943d6c58', 'record_type': 'document', 'created_at':
            '2018-02-02T22:25:27.521Z', 'updated_at': '2018-02-02T22:25:27.521Z', 'filename': 'test-document.pdf',
            'customer_reference': 'MY REF 001', 'content_type': 'application/pdf', 'sha256':
            '08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c', 'size': {'amount': 123456, 'unit': 'bytes'},
            'status': 'pending', 'av_scan_status': 'scanned'}}

    Attributes:
        data (DocServiceDocument):  Example: {'id': '6a09cdc3-8948-47f0-aa62-74ac943d6c58', 'record_type': 'document',
            'created_at': '2018-02-02T22:25:27.521Z', 'updated_at': '2018-02-02T22:25:27.521Z', 'filename': 'test-
            document.pdf', 'customer_reference': 'MY REF 001', 'content_type': 'application/pdf', 'sha256':
            '08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c', 'size': {'amount': 123456, 'unit': 'bytes'},
            'status': 'pending', 'av_scan_status': 'scanned'}.
    """

    data: DocServiceDocument
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_service_document import DocServiceDocument  # noqa: PLC0415

        d = as_object(src_dict, "DocumentResponse")
        data = DocServiceDocument.from_dict(required_field(d, "data", "DocumentResponse"))

        document_response = cls(
            data=data,
        )

        document_response.additional_properties = d
        return document_response

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
