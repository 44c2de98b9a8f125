from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="DocDigitizationPageError")


@_attrs_define
class DocDigitizationPageError:
    """Error details for a specific page.

    Attributes:
        page_number (int | Unset): Page number that failed (1-based)
        error_code (str | Unset):
        error_message (str | Unset):
    """

    page_number: int | Unset = UNSET
    error_code: str | Unset = UNSET
    error_message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        page_number = self.page_number

        error_code = self.error_code

        error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if page_number is not UNSET:
            field_dict["page_number"] = page_number
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocDigitizationPageError")
        page_number = optional_field(d, "page_number")

        error_code = optional_field(d, "error_code")

        error_message = optional_field(d, "error_message")

        doc_digitization_page_error = cls(
            page_number=page_number,
            error_code=error_code,
            error_message=error_message,
        )

        doc_digitization_page_error.additional_properties = d
        return doc_digitization_page_error

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
