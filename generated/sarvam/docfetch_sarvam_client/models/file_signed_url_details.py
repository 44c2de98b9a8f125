from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, required_field

if TYPE_CHECKING:
    from ..models.file_metadata import FileMetadata


T = TypeVar("T", bound="FileSignedURLDetails")


@_attrs_define
class FileSignedURLDetails:
    """
    Attributes:
        file_url (str): Presigned URL on the storage host (needs no API key)
        file_metadata (FileMetadata | None | Unset):
    """

    file_url: str
    file_metadata: FileMetadata | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.file_metadata import FileMetadata  # noqa: PLC0415

        file_url = self.file_url

        file_metadata: dict[str, Any] | None | Unset
        if isinstance(self.file_metadata, Unset):
            file_metadata = UNSET
        elif isinstance(self.file_metadata, FileMetadata):
            file_metadata = self.file_metadata.to_dict()
        else:
            file_metadata = self.file_metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_url": file_url,
            }
        )
        if file_metadata is not UNSET:
            field_dict["file_metadata"] = file_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_metadata import FileMetadata  # noqa: PLC0415

        d = as_object(src_dict, "FileSignedURLDetails")
        file_url = required_field(d, "file_url", "FileSignedURLDetails")

        def _parse_file_metadata(data: object) -> FileMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                file_metadata_type_0 = FileMetadata.from_dict(data)

                return file_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FileMetadata | None | Unset, data)

        file_metadata = _parse_file_metadata(d.pop("file_metadata", UNSET))

        file_signed_url_details = cls(
            file_url=file_url,
            file_metadata=file_metadata,
        )

        file_signed_url_details.additional_properties = d
        return file_signed_url_details

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
