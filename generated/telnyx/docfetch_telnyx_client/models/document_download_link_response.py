from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

if TYPE_CHECKING:
    from ..models.document_download_link import DocumentDownloadLink


T = TypeVar("T", bound="DocumentDownloadLinkResponse")


@_attrs_define
class DocumentDownloadLinkResponse:
    """
    Example:
        {'data': {'url': 'https://s3.amazonaws.com/bucket/path/to/document?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-
            Credential=...'}}

    Attributes:
        data (DocumentDownloadLink): A temporary pre-signed download URL.
    """

    data: DocumentDownloadLink
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_download_link import DocumentDownloadLink  # noqa: PLC0415

        d = as_object(src_dict, "DocumentDownloadLinkResponse")
        data = DocumentDownloadLink.from_dict(required_field(d, "data", "DocumentDownloadLinkResponse"))

        document_download_link_response = cls(
            data=data,
        )

        document_download_link_response.additional_properties = d
        return document_download_link_response

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
