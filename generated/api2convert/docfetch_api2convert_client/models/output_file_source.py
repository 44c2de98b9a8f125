from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="OutputFileSource")


@_attrs_define
class OutputFileSource:
    """Sources for the files including the input files and conversion used.

    Attributes:
        conversion (str | Unset):
        input_ (list[str] | Unset):
    """

    conversion: str | Unset = UNSET
    input_: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversion = self.conversion

        input_: list[str] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = self.input_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if conversion is not UNSET:
            field_dict["conversion"] = conversion
        if input_ is not UNSET:
            field_dict["input"] = input_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "OutputFileSource")
        conversion = optional_field(d, "conversion")

        input_ = cast(list[str], optional_field(d, "input"))

        output_file_source = cls(
            conversion=conversion,
            input_=input_,
        )

        output_file_source.additional_properties = d
        return output_file_source

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
