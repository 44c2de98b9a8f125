from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.input_file_engine import InputFileEngine
from ..models.input_file_status import InputFileStatus
from ..models.input_file_type import InputFileType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.input_file_credentials import InputFileCredentials
    from ..models.input_file_metadata import InputFileMetadata
    from ..models.input_file_options import InputFileOptions
    from ..models.input_file_parameters import InputFileParameters


T = TypeVar("T", bound="InputFile")


@_attrs_define
class InputFile:
    """An input file as a request sends it: `type` and `source` are required.

    Attributes:
        type_ (InputFileType): How the file has been generated.
        source (str): The source of the file to be used that can be either, an external url, an identifier for an
            uploaded file to the server, an identifier for another input or the cloud storage (e.g. amazons3).
        id (str | Unset): Unique identifier for the file.
        status (InputFileStatus | Unset): Status code identifier.
        engine (InputFileEngine | Unset): The remote download engine to use. E.g., if a remote web page contains an
            embedded video to download, use "video". If you need the full HTML page, use "website". If you need a
            screenshot, use "screenshot".
        options (InputFileOptions | Unset): Options to modify the default downloading behaviour
        filename (str | Unset): Filename of the file.
        size (int | Unset): Size of the file in bytes.
        hash_ (str | Unset): (deprecated, use checksum instead) File hash for content verification
        checksum (str | Unset): Hash for content verification.
        content_type (str | Unset): Content type for file conversion definition
        created_at (str | Unset): Date and time when the job was created. ISO 8601, possibly without a timezone.
        modified_at (str | Unset): Date and time when the job was last modified. ISO 8601, possibly without a timezone.
        credentials (InputFileCredentials | Unset): Credentials needed to download or decrypt the input file.
        parameters (InputFileParameters | Unset): Any extra parameter that is specified in the documentation, if not
            recognized, it will be ignored.
        metadata (InputFileMetadata | Unset): Might contain useful metadata for some file formats.
    """

    type_: InputFileType
    source: str
    id: str | Unset = UNSET
    status: InputFileStatus | Unset = UNSET
    engine: InputFileEngine | Unset = UNSET
    options: InputFileOptions | Unset = UNSET
    filename: str | Unset = UNSET
    size: int | Unset = UNSET
    hash_: str | Unset = UNSET
    checksum: str | Unset = UNSET
    content_type: str | Unset = UNSET
    created_at: str | Unset = UNSET
    modified_at: str | Unset = UNSET
    credentials: InputFileCredentials | Unset = UNSET
    parameters: InputFileParameters | Unset = UNSET
    metadata: InputFileMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        source = self.source

        id = self.id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        engine: str | Unset = UNSET
        if not isinstance(self.engine, Unset):
            engine = self.engine.value

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        filename = self.filename

        size = self.size

        hash_ = self.hash_

        checksum = self.checksum

        content_type = self.content_type

        created_at = self.created_at

        modified_at = self.modified_at

        credentials: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credentials, Unset):
            credentials = self.credentials.to_dict()

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "source": source,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if status is not UNSET:
            field_dict["status"] = status
        if engine is not UNSET:
            field_dict["engine"] = engine
        if options is not UNSET:
            field_dict["options"] = options
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size is not UNSET:
            field_dict["size"] = size
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if checksum is not UNSET:
            field_dict["checksum"] = checksum
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if modified_at is not UNSET:
            field_dict["modified_at"] = modified_at
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.input_file_credentials import InputFileCredentials  # noqa: PLC0415
        from ..models.input_file_metadata import InputFileMetadata  # noqa: PLC0415
        from ..models.input_file_options import InputFileOptions  # noqa: PLC0415
        from ..models.input_file_parameters import InputFileParameters  # noqa: PLC0415

        d = as_object(src_dict, "InputFile")
        type_ = InputFileType.from_wire(required_field(d, "type", "InputFile"))

        source = required_field(d, "source", "InputFile")

        id = optional_field(d, "id")

        _status = optional_field(d, "status")
        status: InputFileStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = InputFileStatus.from_wire(_status)

        _engine = optional_field(d, "engine")
        engine: InputFileEngine | Unset
        if isinstance(_engine, Unset):
            engine = UNSET
        else:
            engine = InputFileEngine.from_wire(_engine)

        _options = optional_field(d, "options")
        options: InputFileOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = InputFileOptions.from_dict(_options)

        filename = optional_field(d, "filename")

        size = optional_field(d, "size")

        hash_ = optional_field(d, "hash")

        checksum = optional_field(d, "checksum")

        content_type = optional_field(d, "content_type")

        created_at = optional_field(d, "created_at")

        modified_at = optional_field(d, "modified_at")

        _credentials = optional_field(d, "credentials")
        credentials: InputFileCredentials | Unset
        if isinstance(_credentials, Unset):
            credentials = UNSET
        else:
            credentials = InputFileCredentials.from_dict(_credentials)

        _parameters = optional_field(d, "parameters")
        parameters: InputFileParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = InputFileParameters.from_dict(_parameters)

        _metadata = optional_field(d, "metadata")
        metadata: InputFileMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = InputFileMetadata.from_dict(_metadata)

        input_file = cls(
            type_=type_,
            source=source,
            id=id,
            status=status,
            engine=engine,
            options=options,
            filename=filename,
            size=size,
            hash_=hash_,
            checksum=checksum,
            content_type=content_type,
            created_at=created_at,
            modified_at=modified_at,
            credentials=credentials,
            parameters=parameters,
            metadata=metadata,
        )

        input_file.additional_properties = d
        return input_file

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
