from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_digitization_job_state import DocDigitizationJobState
from ..models.storage_container_type import StorageContainerType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.doc_digitization_job_detail import DocDigitizationJobDetail


T = TypeVar("T", bound="DocDigitizationJobStatusResponse")


@_attrs_define
class DocDigitizationJobStatusResponse:
    """Response model for job status endpoint.

    Attributes:
        job_id (str):
        job_state (DocDigitizationJobState): Current state of the document intelligence job
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
        storage_container_type (StorageContainerType | Unset):
        total_files (int | Unset): Total input files (always 1) Default: 0.
        successful_files_count (int | Unset):  Default: 0.
        failed_files_count (int | Unset):  Default: 0.
        error_message (str | Unset): Job-level error message (set on Failed jobs) Default: ''.
        job_details (list[DocDigitizationJobDetail] | Unset):
    """

    job_id: str
    job_state: DocDigitizationJobState
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    storage_container_type: StorageContainerType | Unset = UNSET
    total_files: int | Unset = 0
    successful_files_count: int | Unset = 0
    failed_files_count: int | Unset = 0
    error_message: str | Unset = ""
    job_details: list[DocDigitizationJobDetail] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        job_state = self.job_state.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        storage_container_type: str | Unset = UNSET
        if not isinstance(self.storage_container_type, Unset):
            storage_container_type = self.storage_container_type.value

        total_files = self.total_files

        successful_files_count = self.successful_files_count

        failed_files_count = self.failed_files_count

        error_message = self.error_message

        job_details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.job_details, Unset):
            job_details = []
            for job_details_item_data in self.job_details:
                job_details_item = job_details_item_data.to_dict()
                job_details.append(job_details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "job_state": job_state,
            }
        )
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if storage_container_type is not UNSET:
            field_dict["storage_container_type"] = storage_container_type
        if total_files is not UNSET:
            field_dict["total_files"] = total_files
        if successful_files_count is not UNSET:
            field_dict["successful_files_count"] = successful_files_count
        if failed_files_count is not UNSET:
            field_dict["failed_files_count"] = failed_files_count
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if job_details is not UNSET:
            field_dict["job_details"] = job_details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_digitization_job_detail import DocDigitizationJobDetail  # noqa: PLC0415

        d = as_object(src_dict, "DocDigitizationJobStatusResponse")
        job_id = required_field(d, "job_id", "DocDigitizationJobStatusResponse")

        job_state = DocDigitizationJobState.from_wire(
            required_field(d, "job_state", "DocDigitizationJobStatusResponse")
        )

        _created_at = optional_field(d, "created_at")
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = optional_field(d, "updated_at")
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        _storage_container_type = optional_field(d, "storage_container_type")
        storage_container_type: StorageContainerType | Unset
        if isinstance(_storage_container_type, Unset):
            storage_container_type = UNSET
        else:
            storage_container_type = StorageContainerType.from_wire(_storage_container_type)

        total_files = optional_field(d, "total_files")

        successful_files_count = optional_field(d, "successful_files_count")

        failed_files_count = optional_field(d, "failed_files_count")

        error_message = optional_field(d, "error_message")

        _job_details = optional_field(d, "job_details")
        job_details: list[DocDigitizationJobDetail] | Unset = UNSET
        if _job_details is not UNSET:
            job_details = []
            for job_details_item_data in _job_details:
                job_details_item = DocDigitizationJobDetail.from_dict(job_details_item_data)

                job_details.append(job_details_item)

        doc_digitization_job_status_response = cls(
            job_id=job_id,
            job_state=job_state,
            created_at=created_at,
            updated_at=updated_at,
            storage_container_type=storage_container_type,
            total_files=total_files,
            successful_files_count=successful_files_count,
            failed_files_count=failed_files_count,
            error_message=error_message,
            job_details=job_details,
        )

        doc_digitization_job_status_response.additional_properties = d
        return doc_digitization_job_status_response

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
