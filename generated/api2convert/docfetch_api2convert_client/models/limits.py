from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

if TYPE_CHECKING:
    from ..models.limits_input import LimitsInput
    from ..models.limits_job import LimitsJob
    from ..models.limits_output import LimitsOutput


T = TypeVar("T", bound="Limits")


@_attrs_define
class Limits:
    """
    Attributes:
        job (LimitsJob | Unset): Job related limits
        input_ (LimitsInput | Unset): Inputs related limits
        output (LimitsOutput | Unset): Conversions related limits
    """

    job: LimitsJob | Unset = UNSET
    input_: LimitsInput | Unset = UNSET
    output: LimitsOutput | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.job, Unset):
            job = self.job.to_dict()

        input_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = self.input_.to_dict()

        output: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = self.output.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if job is not UNSET:
            field_dict["job"] = job
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits_input import LimitsInput  # noqa: PLC0415
        from ..models.limits_job import LimitsJob  # noqa: PLC0415
        from ..models.limits_output import LimitsOutput  # noqa: PLC0415

        d = as_object(src_dict, "Limits")
        _job = optional_field(d, "job")
        job: LimitsJob | Unset
        if isinstance(_job, Unset):
            job = UNSET
        else:
            job = LimitsJob.from_dict(_job)

        _input_ = optional_field(d, "input")
        input_: LimitsInput | Unset
        if isinstance(_input_, Unset):
            input_ = UNSET
        else:
            input_ = LimitsInput.from_dict(_input_)

        _output = optional_field(d, "output")
        output: LimitsOutput | Unset
        if isinstance(_output, Unset):
            output = UNSET
        else:
            output = LimitsOutput.from_dict(_output)

        limits = cls(
            job=job,
            input_=input_,
            output=output,
        )

        limits.additional_properties = d
        return limits

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
