from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="FileDownloadError")


@_attrs_define
class FileDownloadError:
    """
    Attributes:
        file_id (UUID):
        error (str | Unset): Why no URL was issued for this id.
    """

    file_id: UUID
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = str(self.file_id)

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "FileDownloadError")
        file_id = UUID(required_field(d, "file_id", "FileDownloadError"))

        error = optional_field(d, "error")

        file_download_error = cls(
            file_id=file_id,
            error=error,
        )

        file_download_error.additional_properties = d
        return file_download_error

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
