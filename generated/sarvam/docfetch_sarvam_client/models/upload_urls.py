from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object

if TYPE_CHECKING:
    from ..models.file_signed_url_details import FileSignedURLDetails


T = TypeVar("T", bound="UploadUrls")


@_attrs_define
class UploadUrls:
    """Map of file name to presigned upload URL details"""

    additional_properties: dict[str, FileSignedURLDetails] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_signed_url_details import FileSignedURLDetails  # noqa: PLC0415

        d = as_object(src_dict, "UploadUrls")
        upload_urls = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = FileSignedURLDetails.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        upload_urls.additional_properties = additional_properties
        return upload_urls

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> FileSignedURLDetails:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: FileSignedURLDetails) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
