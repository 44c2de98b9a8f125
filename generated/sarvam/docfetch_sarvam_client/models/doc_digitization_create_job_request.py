from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, required_field

if TYPE_CHECKING:
    from ..models.doc_digitization_job_parameters import DocDigitizationJobParameters
    from ..models.doc_digitization_webhook_callback import DocDigitizationWebhookCallback


T = TypeVar("T", bound="DocDigitizationCreateJobRequest")


@_attrs_define
class DocDigitizationCreateJobRequest:
    """Request body for creating a new document intelligence job

    Attributes:
        job_parameters (DocDigitizationJobParameters): Document language and output format of a job.
        callback (DocDigitizationWebhookCallback | None | Unset): Optional webhook for completion notification
    """

    job_parameters: DocDigitizationJobParameters
    callback: DocDigitizationWebhookCallback | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.doc_digitization_webhook_callback import DocDigitizationWebhookCallback  # noqa: PLC0415

        job_parameters = self.job_parameters.to_dict()

        callback: dict[str, Any] | None | Unset
        if isinstance(self.callback, Unset):
            callback = UNSET
        elif isinstance(self.callback, DocDigitizationWebhookCallback):
            callback = self.callback.to_dict()
        else:
            callback = self.callback

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_parameters": job_parameters,
            }
        )
        if callback is not UNSET:
            field_dict["callback"] = callback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.doc_digitization_job_parameters import DocDigitizationJobParameters  # noqa: PLC0415
        from ..models.doc_digitization_webhook_callback import DocDigitizationWebhookCallback  # noqa: PLC0415

        d = as_object(src_dict, "DocDigitizationCreateJobRequest")
        job_parameters = DocDigitizationJobParameters.from_dict(
            required_field(d, "job_parameters", "DocDigitizationCreateJobRequest")
        )

        def _parse_callback(data: object) -> DocDigitizationWebhookCallback | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                callback_type_0 = DocDigitizationWebhookCallback.from_dict(data)

                return callback_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocDigitizationWebhookCallback | None | Unset, data)

        callback = _parse_callback(d.pop("callback", UNSET))

        doc_digitization_create_job_request = cls(
            job_parameters=job_parameters,
            callback=callback,
        )

        doc_digitization_create_job_request.additional_properties = d
        return doc_digitization_create_job_request

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
