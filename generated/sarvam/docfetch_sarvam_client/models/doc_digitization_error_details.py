from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_digitization_error_code import DocDigitizationErrorCode
from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="DocDigitizationErrorDetails")


@_attrs_define
class DocDigitizationErrorDetails:
    """
    Attributes:
        message (str): Message describing the error
        code (DocDigitizationErrorCode): Error code; the six values of the endpoint schema plus the codes of Sarvam's
            errors page.
        request_id (str | Unset): Unique identifier for the request. Format: date_UUID4 Default: ''.
    """

    message: str
    code: DocDigitizationErrorCode
    request_id: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        code = self.code.value

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "code": code,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocDigitizationErrorDetails")
        message = required_field(d, "message", "DocDigitizationErrorDetails")

        code = DocDigitizationErrorCode.from_wire(required_field(d, "code", "DocDigitizationErrorDetails"))

        request_id = optional_field(d, "request_id")

        doc_digitization_error_details = cls(
            message=message,
            code=code,
            request_id=request_id,
        )

        doc_digitization_error_details.additional_properties = d
        return doc_digitization_error_details

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
