from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.client_auth_token_data import ClientAuthTokenData


T = TypeVar("T", bound="ClientAuthTokenResponse")


@_attrs_define
class ClientAuthTokenResponse:
    """Success envelope of the token endpoint; the docs show `status` or `statusCode`, so both are optional.

    Attributes:
        data (ClientAuthTokenData): Carries the token as `auth_token` (client-credentials page) or `access_token`
            (download page).
        status (int | Unset):
        status_code (int | Unset):
        message (str | Unset):
    """

    data: ClientAuthTokenData
    status: int | Unset = UNSET
    status_code: int | Unset = UNSET
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        status = self.status

        status_code = self.status_code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.client_auth_token_data import ClientAuthTokenData  # noqa: PLC0415

        d = as_object(src_dict, "ClientAuthTokenResponse")
        data = ClientAuthTokenData.from_dict(required_field(d, "data", "ClientAuthTokenResponse"))

        status = optional_field(d, "status")

        status_code = optional_field(d, "statusCode")

        message = optional_field(d, "message")

        client_auth_token_response = cls(
            data=data,
            status=status,
            status_code=status_code,
            message=message,
        )

        client_auth_token_response.additional_properties = d
        return client_auth_token_response

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
