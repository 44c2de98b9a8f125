from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="ClientAuthTokenData")


@_attrs_define
class ClientAuthTokenData:
    """Carries the token as `auth_token` (client-credentials page) or `access_token` (download page).

    Attributes:
        auth_token (str | Unset): JWT bearer token (client-credentials page).
        access_token (str | Unset): JWT bearer token (name used in the download page's example).
    """

    auth_token: str | Unset = UNSET
    access_token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_token = self.auth_token

        access_token = self.access_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if auth_token is not UNSET:
            field_dict["auth_token"] = auth_token
        if access_token is not UNSET:
            field_dict["access_token"] = access_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "ClientAuthTokenData")
        auth_token = optional_field(d, "auth_token")

        access_token = optional_field(d, "access_token")

        client_auth_token_data = cls(
            auth_token=auth_token,
            access_token=access_token,
        )

        client_auth_token_data.additional_properties = d
        return client_auth_token_data

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
