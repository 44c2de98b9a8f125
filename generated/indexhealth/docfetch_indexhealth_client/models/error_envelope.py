from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.empty_data import EmptyData


T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope:
    """Error envelope of the document endpoints; `statusCode` equals the HTTP status.

    Attributes:
        status_code (int):
        message (str):
        data (EmptyData | Unset): The empty `data` object of an error envelope.
    """

    status_code: int
    message: str
    data: EmptyData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status_code = self.status_code

        message = self.message

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statusCode": status_code,
                "message": message,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.empty_data import EmptyData  # noqa: PLC0415

        d = as_object(src_dict, "ErrorEnvelope")
        status_code = required_field(d, "statusCode", "ErrorEnvelope")

        message = required_field(d, "message", "ErrorEnvelope")

        _data = optional_field(d, "data")
        data: EmptyData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EmptyData.from_dict(_data)

        error_envelope = cls(
            status_code=status_code,
            message=message,
            data=data,
        )

        error_envelope.additional_properties = d
        return error_envelope

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
