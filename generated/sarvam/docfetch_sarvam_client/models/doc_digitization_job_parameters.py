from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.doc_digitization_output_format import DocDigitizationOutputFormat
from ..models.doc_digitization_supported_language import DocDigitizationSupportedLanguage
from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="DocDigitizationJobParameters")


@_attrs_define
class DocDigitizationJobParameters:
    """Document language and output format of a job.

    Attributes:
        language (DocDigitizationSupportedLanguage | Unset): BCP-47 code of the document's primary language (the server
            defaults to hi-IN).
        output_format (DocDigitizationOutputFormat | Unset): Format of the extracted content inside the output ZIP (the
            server defaults to md). The docs also list `json`, but the live API rejects it with 400.
    """

    language: DocDigitizationSupportedLanguage | Unset = UNSET
    output_format: DocDigitizationOutputFormat | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if language is not UNSET:
            field_dict["language"] = language
        if output_format is not UNSET:
            field_dict["output_format"] = output_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocDigitizationJobParameters")
        _language = optional_field(d, "language")
        language: DocDigitizationSupportedLanguage | Unset
        if isinstance(_language, Unset):
            language = UNSET
        else:
            language = DocDigitizationSupportedLanguage.from_wire(_language)

        _output_format = optional_field(d, "output_format")
        output_format: DocDigitizationOutputFormat | Unset
        if isinstance(_output_format, Unset):
            output_format = UNSET
        else:
            output_format = DocDigitizationOutputFormat.from_wire(_output_format)

        doc_digitization_job_parameters = cls(
            language=language,
            output_format=output_format,
        )

        doc_digitization_job_parameters.additional_properties = d
        return doc_digitization_job_parameters

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
