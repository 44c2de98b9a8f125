from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.api_error_details import ApiErrorDetails


T = TypeVar("T", bound="ApiError")


@_attrs_define
class ApiError:
    """Error body shared by every Veridox endpoint.

    Attributes:
        error_code (str): Dotted machine-readable code, e.g. `request.rate-limit`.
        error_message (str): Human-readable message.
        error_details (ApiErrorDetails | Unset): Free-form details about the error (shape not documented).
    """

    error_code: str
    error_message: str
    error_details: ApiErrorDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_code = self.error_code

        error_message = self.error_message

        error_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error_details, Unset):
            error_details = self.error_details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error_code": error_code,
                "error_message": error_message,
            }
        )
        if error_details is not UNSET:
            field_dict["error_details"] = error_details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_error_details import ApiErrorDetails  # noqa: PLC0415

        d = as_object(src_dict, "ApiError")
        error_code = required_field(d, "error_code", "ApiError")

        error_message = required_field(d, "error_message", "ApiError")

        _error_details = optional_field(d, "error_details")
        error_details: ApiErrorDetails | Unset
        if isinstance(_error_details, Unset):
            error_details = UNSET
        else:
            error_details = ApiErrorDetails.from_dict(_error_details)

        api_error = cls(
            error_code=error_code,
            error_message=error_message,
            error_details=error_details,
        )

        api_error.additional_properties = d
        return api_error

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
