from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.download_url import DownloadUrl


T = TypeVar("T", bound="DownloadUrlResponse")


@_attrs_define
class DownloadUrlResponse:
    """
    Attributes:
        data (DownloadUrl):
        status_code (int | Unset):
        message (str | Unset):
    """

    data: DownloadUrl
    status_code: int | Unset = UNSET
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        status_code = self.status_code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if status_code is not UNSET:
            field_dict["statusCode"] = status_code
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.download_url import DownloadUrl  # noqa: PLC0415

        d = as_object(src_dict, "DownloadUrlResponse")
        data = DownloadUrl.from_dict(required_field(d, "data", "DownloadUrlResponse"))

        status_code = optional_field(d, "statusCode")

        message = optional_field(d, "message")

        download_url_response = cls(
            data=data,
            status_code=status_code,
            message=message,
        )

        download_url_response.additional_properties = d
        return download_url_response

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
