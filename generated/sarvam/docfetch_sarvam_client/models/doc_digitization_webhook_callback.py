from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="DocDigitizationWebhookCallback")


@_attrs_define
class DocDigitizationWebhookCallback:
    """Webhook configuration for job completion notification

    Attributes:
        url (str): HTTPS webhook URL to call upon job completion (HTTP not allowed)
        auth_token (str | Unset): Sent as the X-SARVAM-JOB-CALLBACK-TOKEN header Default: ''.
    """

    url: str
    auth_token: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        auth_token = self.auth_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )
        if auth_token is not UNSET:
            field_dict["auth_token"] = auth_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocDigitizationWebhookCallback")
        url = required_field(d, "url", "DocDigitizationWebhookCallback")

        auth_token = optional_field(d, "auth_token")

        doc_digitization_webhook_callback = cls(
            url=url,
            auth_token=auth_token,
        )

        doc_digitization_webhook_callback.additional_properties = d
        return doc_digitization_webhook_callback

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
