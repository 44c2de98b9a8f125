from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.empty_data import EmptyData


T = TypeVar("T", bound="AuthErrorResponse")


@_attrs_define
class AuthErrorResponse:
    """Error envelope of the token endpoint (`status` on the client-credentials page; `statusCode` accepted too).

    Attributes:
        message (str):
        status (int | Unset):
        status_code (int | Unset):
        data (EmptyData | Unset): The empty `data` object of an error envelope.
    """

    message: str
    status: int | Unset = UNSET
    status_code: int | Unset = UNSET
    data: EmptyData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        status = self.status

        status_code = self.status_code

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.empty_data import EmptyData  # noqa: PLC0415

        d = as_object(src_dict, "AuthErrorResponse")
        message = required_field(d, "message", "AuthErrorResponse")

        status = optional_field(d, "status")

        status_code = optional_field(d, "statusCode")

        _data = optional_field(d, "data")
        data: EmptyData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EmptyData.from_dict(_data)

        auth_error_response = cls(
            message=message,
            status=status,
            status_code=status_code,
            data=data,
        )

        auth_error_response.additional_properties = d
        return auth_error_response

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
