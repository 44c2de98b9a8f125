from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import as_object, required_field

if TYPE_CHECKING:
    from ..models.doc_digitization_error_details import DocDigitizationErrorDetails


T = TypeVar("T", bound="DocDigitizationErrorMessage")


@_attrs_define
class DocDigitizationErrorMessage:
    """Error body of every Sarvam API error response.

    Attributes:
        error (DocDigitizationErrorDetails):
    """

    error: DocDigitizationErrorDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_digitization_error_details import DocDigitizationErrorDetails  # noqa: PLC0415

        d = as_object(src_dict, "DocDigitizationErrorMessage")
        error = DocDigitizationErrorDetails.from_dict(required_field(d, "error", "DocDigitizationErrorMessage"))

        doc_digitization_error_message = cls(
            error=error,
        )

        doc_digitization_error_message.additional_properties = d
        return doc_digitization_error_message

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
