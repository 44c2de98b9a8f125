from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_digitization_job_state import DocDigitizationJobState
from ..models.storage_container_type import StorageContainerType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.upload_urls import UploadUrls


T = TypeVar("T", bound="DocDigitizationUploadFilesResponse")


@_attrs_define
class DocDigitizationUploadFilesResponse:
    """Presigned upload URLs

    Attributes:
        job_id (str):
        job_state (DocDigitizationJobState): Current state of the document intelligence job
        upload_urls (UploadUrls): Map of file name to presigned upload URL details
        storage_container_type (StorageContainerType | Unset):
    """

    job_id: str
    job_state: DocDigitizationJobState
    upload_urls: UploadUrls
    storage_container_type: StorageContainerType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        job_state = self.job_state.value

        upload_urls = self.upload_urls.to_dict()

        storage_container_type: str | Unset = UNSET
        if not isinstance(self.storage_container_type, Unset):
            storage_container_type = self.storage_container_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "job_state": job_state,
                "upload_urls": upload_urls,
            }
        )
        if storage_container_type is not UNSET:
            field_dict["storage_container_type"] = storage_container_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upload_urls import UploadUrls  # noqa: PLC0415

        d = as_object(src_dict, "DocDigitizationUploadFilesResponse")
        job_id = required_field(d, "job_id", "DocDigitizationUploadFilesResponse")

        job_state = DocDigitizationJobState.from_wire(
            required_field(d, "job_state", "DocDigitizationUploadFilesResponse")
        )

        upload_urls = UploadUrls.from_dict(required_field(d, "upload_urls", "DocDigitizationUploadFilesResponse"))

        _storage_container_type = optional_field(d, "storage_container_type")
        storage_container_type: StorageContainerType | Unset
        if isinstance(_storage_container_type, Unset):
            storage_container_type = UNSET
        else:
            storage_container_type = StorageContainerType.from_wire(_storage_container_type)

        doc_digitization_upload_files_response = cls(
            job_id=job_id,
            job_state=job_state,
            upload_urls=upload_urls,
            storage_container_type=storage_container_type,
        )

        doc_digitization_upload_files_response.additional_properties = d
        return doc_digitization_upload_files_response

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
