from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="Status")


@_attrs_define
class Status:
    """A job's status: a machine-readable code and a human-readable description.

    Attributes:
        code (str): Status code identifier. Documented values: created, incomplete, ready, pending, downloading, queued,
            processing, completed, failed, canceled. Terminal: completed, failed, canceled. The API may add codes; treat
            unknown ones as non-terminal.
        info (str | Unset): Description of the status code.
    """

    code: str
    info: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        info = self.info

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if info is not UNSET:
            field_dict["info"] = info

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "Status")
        code = required_field(d, "code", "Status")

        info = optional_field(d, "info")

        status = cls(
            code=code,
            info=info,
        )

        status.additional_properties = d
        return status

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
