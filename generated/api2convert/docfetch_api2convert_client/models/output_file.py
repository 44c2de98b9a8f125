from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_file_status import OutputFileStatus
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.output_file_metadata import OutputFileMetadata
    from ..models.output_file_source import OutputFileSource


T = TypeVar("T", bound="OutputFile")


@_attrs_define
class OutputFile:
    """A converted file. `uri` is self-contained: a plain GET without the API key.

    Attributes:
        id (str): Unique identifier for the file.
        source (OutputFileSource | Unset): Sources for the files including the input files and conversion used.
        filename (str | Unset): The file name of the converted file.
        uri (str | Unset): URL for downloading the file: a plain GET, no API key. Append `?encoding=base64` for a
            base64-encoded body.
        size (int | Unset): Size of the file in bytes.
        status (OutputFileStatus | Unset): Output status. `enabled`: The file can be downloaded. `disabled`: The file
            was deleted. `expired`: The file is no longer available on our servers. Files are available for 24h. `overuse`:
            The file was already downloaded too often for the maximum allowed downloads value which is typically 10.
        content_type (str | Unset): The mime type of the output file.
        downloads_counter (int | Unset): Number of times the output has been downloaded.
        checksum (str | Unset): MD5 of the file's content, 32 lowercase hex digits.
        created_at (str | Unset): Date and time when the output was created. ISO 8601, possibly without a timezone.
        metadata (OutputFileMetadata | Unset): Might contain useful metadata for some file formats.
    """

    id: str
    source: OutputFileSource | Unset = UNSET
    filename: str | Unset = UNSET
    uri: str | Unset = UNSET
    size: int | Unset = UNSET
    status: OutputFileStatus | Unset = UNSET
    content_type: str | Unset = UNSET
    downloads_counter: int | Unset = UNSET
    checksum: str | Unset = UNSET
    created_at: str | Unset = UNSET
    metadata: OutputFileMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        filename = self.filename

        uri = self.uri

        size = self.size

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        content_type = self.content_type

        downloads_counter = self.downloads_counter

        checksum = self.checksum

        created_at = self.created_at

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if filename is not UNSET:
            field_dict["filename"] = filename
        if uri is not UNSET:
            field_dict["uri"] = uri
        if size is not UNSET:
            field_dict["size"] = size
        if status is not UNSET:
            field_dict["status"] = status
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if downloads_counter is not UNSET:
            field_dict["downloads_counter"] = downloads_counter
        if checksum is not UNSET:
            field_dict["checksum"] = checksum
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.output_file_metadata import OutputFileMetadata  # noqa: PLC0415
        from ..models.output_file_source import OutputFileSource  # noqa: PLC0415

        d = as_object(src_dict, "OutputFile")
        id = required_field(d, "id", "OutputFile")

        _source = optional_field(d, "source")
        source: OutputFileSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = OutputFileSource.from_dict(_source)

        filename = optional_field(d, "filename")

        uri = optional_field(d, "uri")

        size = optional_field(d, "size")

        _status = optional_field(d, "status")
        status: OutputFileStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = OutputFileStatus.from_wire(_status)

        content_type = optional_field(d, "content_type")

        downloads_counter = optional_field(d, "downloads_counter")

        checksum = optional_field(d, "checksum")

        created_at = optional_field(d, "created_at")

        _metadata = optional_field(d, "metadata")
        metadata: OutputFileMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = OutputFileMetadata.from_dict(_metadata)

        output_file = cls(
            id=id,
            source=source,
            filename=filename,
            uri=uri,
            size=size,
            status=status,
            content_type=content_type,
            downloads_counter=downloads_counter,
            checksum=checksum,
            created_at=created_at,
            metadata=metadata,
        )

        output_file.additional_properties = d
        return output_file

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
