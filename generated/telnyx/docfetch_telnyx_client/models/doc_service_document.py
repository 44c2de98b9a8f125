from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_service_document_av_scan_status import DocServiceDocumentAvScanStatus
from ..models.doc_service_document_status import DocServiceDocumentStatus
from ..types import UNSET, Unset, as_object, optional_field

if TYPE_CHECKING:
    from ..models.doc_service_document_size import DocServiceDocumentSize


T = TypeVar("T", bound="DocServiceDocument")


@_attrs_define
class DocServiceDocument:
    """
    Example:
        {'id': '6a09cdc3-8948-47f0-aa62-74ac943d6c58', 'record_type': 'document', 'created_at':
            '2018-02-02T22:25:27.521Z', 'updated_at': '2018-02-02T22:25:27.521Z', 'filename': 'test-document.pdf',
            'customer_reference': 'MY REF 001', 'content_type': 'application/pdf', 'sha256':
            '08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c', 'size': {'amount': 123456, 'unit': 'bytes'},
            'status': 'pending', 'av_scan_status': 'scanned'}

    Attributes:
        created_at (str | Unset): ISO 8601 formatted date-time indicating when the resource was created. Example:
            2018-02-02T22:25:27.521Z.
        id (UUID | Unset): Identifies the resource. Example: 6a09cdc3-8948-47f0-aa62-74ac943d6c58.
        record_type (str | Unset): Identifies the type of the resource. Example: document.
        updated_at (str | Unset): ISO 8601 formatted date-time indicating when the resource was updated. Example:
            2018-02-02T22:25:27.521Z.
        av_scan_status (DocServiceDocumentAvScanStatus | Unset): The antivirus scan status of the document. Example:
            scanned.
        content_type (str | Unset): The document's content_type. Example: application/pdf.
        customer_reference (str | Unset): Optional reference string for customer tracking. Example: MY REF 001.
        filename (str | Unset): The filename of the document. Example: test-document.pdf.
        sha256 (str | Unset): The document's SHA256 hash provided for optional verification purposes. Example:
            08a96c641c3a74e44eb59afb61a24f2cb9f4d7188748e76ba4bb5edfa3cb7d1c.
        size (DocServiceDocumentSize | Unset): Indicates the document's filesize
        status (DocServiceDocumentStatus | Unset): Indicates the current document reviewing status Example: pending.
    """

    created_at: str | Unset = UNSET
    id: UUID | Unset = UNSET
    record_type: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    av_scan_status: DocServiceDocumentAvScanStatus | Unset = UNSET
    content_type: str | Unset = UNSET
    customer_reference: str | Unset = UNSET
    filename: str | Unset = UNSET
    sha256: str | Unset = UNSET
    size: DocServiceDocumentSize | Unset = UNSET
    status: DocServiceDocumentStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        record_type = self.record_type

        updated_at = self.updated_at

        av_scan_status: str | Unset = UNSET
        if not isinstance(self.av_scan_status, Unset):
            av_scan_status = self.av_scan_status.value

        content_type = self.content_type

        customer_reference = self.customer_reference

        filename = self.filename

        sha256 = self.sha256

        size: dict[str, Any] | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size.to_dict()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if id is not UNSET:
            field_dict["id"] = id
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if av_scan_status is not UNSET:
            field_dict["av_scan_status"] = av_scan_status
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if customer_reference is not UNSET:
            field_dict["customer_reference"] = customer_reference
        if filename is not UNSET:
            field_dict["filename"] = filename
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if size is not UNSET:
            field_dict["size"] = size
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_service_document_size import DocServiceDocumentSize  # noqa: PLC0415

        d = as_object(src_dict, "DocServiceDocument")
        created_at = optional_field(d, "created_at")

        _id = optional_field(d, "id")
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        record_type = optional_field(d, "record_type")

        updated_at = optional_field(d, "updated_at")

        _av_scan_status = optional_field(d, "av_scan_status")
        av_scan_status: DocServiceDocumentAvScanStatus | Unset
        if isinstance(_av_scan_status, Unset):
            av_scan_status = UNSET
        else:
            av_scan_status = DocServiceDocumentAvScanStatus.from_wire(_av_scan_status)

        content_type = optional_field(d, "content_type")

        customer_reference = optional_field(d, "customer_reference")

        filename = optional_field(d, "filename")

        sha256 = optional_field(d, "sha256")

        _size = optional_field(d, "size")
        size: DocServiceDocumentSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = DocServiceDocumentSize.from_dict(_size)

        _status = optional_field(d, "status")
        status: DocServiceDocumentStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = DocServiceDocumentStatus.from_wire(_status)

        doc_service_document = cls(
            created_at=created_at,
            id=id,
            record_type=record_type,
            updated_at=updated_at,
            av_scan_status=av_scan_status,
            content_type=content_type,
            customer_reference=customer_reference,
            filename=filename,
            sha256=sha256,
            size=size,
            status=status,
        )

        doc_service_document.additional_properties = d
        return doc_service_document

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
