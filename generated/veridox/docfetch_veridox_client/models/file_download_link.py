from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="FileDownloadLink")


@_attrs_define
class FileDownloadLink:
    """
    Attributes:
        file_id (UUID):
        download_url (str): Signed URL; valid until `expires_at` (60 minutes after issue).
        expires_at (datetime.datetime | Unset):
        label (str | Unset): The file's label (its name as given at case creation).
    """

    file_id: UUID
    download_url: str
    expires_at: datetime.datetime | Unset = UNSET
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = str(self.file_id)

        download_url = self.download_url

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
                "download_url": download_url,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "FileDownloadLink")
        file_id = UUID(required_field(d, "file_id", "FileDownloadLink"))

        download_url = required_field(d, "download_url", "FileDownloadLink")

        _expires_at = optional_field(d, "expires_at")
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        label = optional_field(d, "label")

        file_download_link = cls(
            file_id=file_id,
            download_url=download_url,
            expires_at=expires_at,
            label=label,
        )

        file_download_link.additional_properties = d
        return file_download_link

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
