from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

T = TypeVar("T", bound="DocDigitizationUploadFilesRequest")


@_attrs_define
class DocDigitizationUploadFilesRequest:
    """Request to get upload URLs for job files

    Attributes:
        job_id (str): Job identifier returned from create_job
        files (list[str]): File names to upload (exactly 1 file: .pdf or .zip)
    """

    job_id: str
    files: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        files = self.files

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "files": files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocDigitizationUploadFilesRequest")
        job_id = required_field(d, "job_id", "DocDigitizationUploadFilesRequest")

        files = cast(list[str], required_field(d, "files", "DocDigitizationUploadFilesRequest"))

        doc_digitization_upload_files_request = cls(
            job_id=job_id,
            files=files,
        )

        doc_digitization_upload_files_request.additional_properties = d
        return doc_digitization_upload_files_request

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
