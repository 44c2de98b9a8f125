from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.conversion_metadata import ConversionMetadata
    from ..models.conversion_options import ConversionOptions
    from ..models.output_target import OutputTarget


T = TypeVar("T", bound="Conversion")


@_attrs_define
class Conversion:
    """
    Attributes:
        target (str): Identifier for the job conversion type.
        id (str | Unset): Identifier for the job conversion.
        category (str | Unset): Category for the converted file.
        options (ConversionOptions | Unset): Type of conversion to perform with the file.
        metadata (ConversionMetadata | Unset): Metadata to be inserted/updated/deleted
        output_target (list[OutputTarget] | Unset):
    """

    target: str
    id: str | Unset = UNSET
    category: str | Unset = UNSET
    options: ConversionOptions | Unset = UNSET
    metadata: ConversionMetadata | Unset = UNSET
    output_target: list[OutputTarget] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        target = self.target

        id = self.id

        category = self.category

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        output_target: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.output_target, Unset):
            output_target = []
            for output_target_item_data in self.output_target:
                output_target_item = output_target_item_data.to_dict()
                output_target.append(output_target_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target": target,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if category is not UNSET:
            field_dict["category"] = category
        if options is not UNSET:
            field_dict["options"] = options
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if output_target is not UNSET:
            field_dict["output_target"] = output_target

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion_metadata import ConversionMetadata  # noqa: PLC0415
        from ..models.conversion_options import ConversionOptions  # noqa: PLC0415
        from ..models.output_target import OutputTarget  # noqa: PLC0415

        d = as_object(src_dict, "Conversion")
        target = required_field(d, "target", "Conversion")

        id = optional_field(d, "id")

        category = optional_field(d, "category")

        _options = optional_field(d, "options")
        options: ConversionOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = ConversionOptions.from_dict(_options)

        _metadata = optional_field(d, "metadata")
        metadata: ConversionMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ConversionMetadata.from_dict(_metadata)

        _output_target = optional_field(d, "output_target")
        output_target: list[OutputTarget] | Unset = UNSET
        if _output_target is not UNSET:
            output_target = []
            for output_target_item_data in _output_target:
                output_target_item = OutputTarget.from_dict(output_target_item_data)

                output_target.append(output_target_item)

        conversion = cls(
            target=target,
            id=id,
            category=category,
            options=options,
            metadata=metadata,
            output_target=output_target,
        )

        conversion.additional_properties = d
        return conversion

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
