from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.doc_service_document import DocServiceDocument
    from ..models.pagination_meta import PaginationMeta


T = TypeVar("T", bound="DocumentListResponse")


@_attrs_define
class DocumentListResponse:
    """A page of documents, ordered by created_at descending.

    Example:
        {'data': [{'id': '6a09cdc3-8948-47f0-aa62-74ac943d6c58', 'record_type': 'document', 'created_at':
            '2018-02-02T22:25:27.521Z', 'updated_at': '2018-02-02T22:25:27.521Z', 'filename': 'test-document.pdf',
            'customer_reference': 'MY REF 001', 'content_type': 'application/pdf', 'sha256':
            '08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c', 'size': {'amount': 123456, 'unit': 'bytes'},
            'status': 'pending', 'av_scan_status': 'scanned'}], 'meta': {'page_number': 1, 'page_size': 20, 'total_pages':
            1, 'total_results': 1}}

    Attributes:
        data (list[DocServiceDocument]):
        meta (PaginationMeta | Unset):
    """

    data: list[DocServiceDocument]
    meta: PaginationMeta | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if meta is not UNSET:
            field_dict["meta"] = meta

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_service_document import DocServiceDocument  # noqa: PLC0415
        from ..models.pagination_meta import PaginationMeta  # noqa: PLC0415

        d = as_object(src_dict, "DocumentListResponse")
        data = []
        _data = required_field(d, "data", "DocumentListResponse")
        for data_item_data in _data:
            data_item = DocServiceDocument.from_dict(data_item_data)

            data.append(data_item)

        _meta = optional_field(d, "meta")
        meta: PaginationMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = PaginationMeta.from_dict(_meta)

        document_list_response = cls(
            data=data,
            meta=meta,
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
