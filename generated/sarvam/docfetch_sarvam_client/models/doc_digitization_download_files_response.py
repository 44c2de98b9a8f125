from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_digitization_job_state import DocDigitizationJobState
from ..models.storage_container_type import StorageContainerType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.download_urls import DownloadUrls


T = TypeVar("T", bound="DocDigitizationDownloadFilesResponse")


@_attrs_define
class DocDigitizationDownloadFilesResponse:
    """Response for download-files endpoint.

    Attributes:
        job_id (str):
        job_state (DocDigitizationJobState): Current state of the document intelligence job
        download_urls (DownloadUrls): Map of file name to presigned download URL details
        storage_container_type (StorageContainerType | Unset):
        error_code (None | str | Unset):
        error_message (None | str | Unset):
    """

    job_id: str
    job_state: DocDigitizationJobState
    download_urls: DownloadUrls
    storage_container_type: StorageContainerType | Unset = UNSET
    error_code: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        job_state = self.job_state.value

        download_urls = self.download_urls.to_dict()

        storage_container_type: str | Unset = UNSET
        if not isinstance(self.storage_container_type, Unset):
            storage_container_type = self.storage_container_type.value

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "job_state": job_state,
                "download_urls": download_urls,
            }
        )
        if storage_container_type is not UNSET:
            field_dict["storage_container_type"] = storage_container_type
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.download_urls import DownloadUrls  # noqa: PLC0415

        d = as_object(src_dict, "DocDigitizationDownloadFilesResponse")
        job_id = required_field(d, "job_id", "DocDigitizationDownloadFilesResponse")

        job_state = DocDigitizationJobState.from_wire(
            required_field(d, "job_state", "DocDigitizationDownloadFilesResponse")
        )

        download_urls = DownloadUrls.from_dict(
            required_field(d, "download_urls", "DocDigitizationDownloadFilesResponse")
        )

        _storage_container_type = optional_field(d, "storage_container_type")
        storage_container_type: StorageContainerType | Unset
        if isinstance(_storage_container_type, Unset):
            storage_container_type = UNSET
        else:
            storage_container_type = StorageContainerType.from_wire(_storage_container_type)

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("error_code", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        doc_digitization_download_files_response = cls(
            job_id=job_id,
            job_state=job_state,
            download_urls=download_urls,
            storage_container_type=storage_container_type,
            error_code=error_code,
            error_message=error_message,
        )

        doc_digitization_download_files_response.additional_properties = d
        return doc_digitization_download_files_response

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
