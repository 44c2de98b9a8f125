from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="DocServiceDocumentSize")


@_attrs_define
class DocServiceDocumentSize:
    """Indicates the document's filesize

    Attributes:
        amount (int | Unset): The number of bytes Example: 123456.
        unit (str | Unset): Identifies the unit Example: bytes.
    """

    amount: int | Unset = UNSET
    unit: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        unit = self.unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if unit is not UNSET:
            field_dict["unit"] = unit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocServiceDocumentSize")
        amount = optional_field(d, "amount")

        unit = optional_field(d, "unit")

        doc_service_document_size = cls(
            amount=amount,
            unit=unit,
        )

        doc_service_document_size.additional_properties = d
        return doc_service_document_size

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
