from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

if TYPE_CHECKING:
    from ..models.auth_user import AuthUser


T = TypeVar("T", bound="ClientAuthTokenRequest")


@_attrs_define
class ClientAuthTokenRequest:
    """
    Attributes:
        client_id (str):
        client_secret (str):
        fingerprint (str): Device/client identifier.
        user (AuthUser): The end user the token is issued for. `first_name` and `last_name` are required, plus at least
            one of
            `date_of_birth`, `email`, `uid` or `eid` (checked by the service, answered with 400).
    """

    client_id: str
    client_secret: str
    fingerprint: str
    user: AuthUser
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret = self.client_secret

        fingerprint = self.fingerprint

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "fingerprint": fingerprint,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auth_user import AuthUser  # noqa: PLC0415

        d = as_object(src_dict, "ClientAuthTokenRequest")
        client_id = required_field(d, "client_id", "ClientAuthTokenRequest")

        client_secret = required_field(d, "client_secret", "ClientAuthTokenRequest")

        fingerprint = required_field(d, "fingerprint", "ClientAuthTokenRequest")

        user = AuthUser.from_dict(required_field(d, "user", "ClientAuthTokenRequest"))

        client_auth_token_request = cls(
            client_id=client_id,
            client_secret=client_secret,
            fingerprint=fingerprint,
            user=user,
        )

        client_auth_token_request.additional_properties = d
        return client_auth_token_request

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
