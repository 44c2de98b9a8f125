from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

T = TypeVar("T", bound="DownloadFilesRequest")


@_attrs_define
class DownloadFilesRequest:
    """
    Attributes:
        file_ids (list[str]): UUIDv7 ids of the files to sign URLs for.
    """

    file_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_ids = self.file_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_ids": file_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DownloadFilesRequest")
        file_ids = cast(list[str], required_field(d, "file_ids", "DownloadFilesRequest"))

        download_files_request = cls(
            file_ids=file_ids,
        )

        download_files_request.additional_properties = d
        return download_files_request

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
