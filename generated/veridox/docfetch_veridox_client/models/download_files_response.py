from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.file_download_error import FileDownloadError
    from ..models.file_download_link import FileDownloadLink


T = TypeVar("T", bound="DownloadFilesResponse")


@_attrs_define
class DownloadFilesResponse:
    """
    Attributes:
        files (list[FileDownloadLink]): Signed URLs for the files that could be resolved.
        errors (list[FileDownloadError] | Unset): One entry per file id that could not be resolved.
    """

    files: list[FileDownloadLink]
    errors: list[FileDownloadError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_download_error import FileDownloadError  # noqa: PLC0415
        from ..models.file_download_link import FileDownloadLink  # noqa: PLC0415

        d = as_object(src_dict, "DownloadFilesResponse")
        files = []
        _files = required_field(d, "files", "DownloadFilesResponse")
        for files_item_data in _files:
            files_item = FileDownloadLink.from_dict(files_item_data)

            files.append(files_item)

        _errors = optional_field(d, "errors")
        errors: list[FileDownloadError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FileDownloadError.from_dict(errors_item_data)

                errors.append(errors_item)

        download_files_response = cls(
            files=files,
            errors=errors,
        )

        download_files_response.additional_properties = d
        return download_files_response

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
