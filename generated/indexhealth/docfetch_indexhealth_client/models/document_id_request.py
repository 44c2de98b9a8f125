from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

T = TypeVar("T", bound="DocumentIdRequest")


@_attrs_define
class DocumentIdRequest:
    """
    Attributes:
        document_id (str): Unique identifier for the document (free-form, e.g. "doc-123" or a UUID).
    """

    document_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document_id": document_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocumentIdRequest")
        document_id = required_field(d, "document_id", "DocumentIdRequest")

        document_id_request = cls(
            document_id=document_id,
        )

        document_id_request.additional_properties = d
        return document_id_request

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
