from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_target_status import OutputTargetStatus
from ..models.output_target_type import OutputTargetType
from ..types import UNSET, Unset, as_object, optional_field

if TYPE_CHECKING:
    from ..models.output_target_credentials import OutputTargetCredentials
    from ..models.output_target_parameters import OutputTargetParameters


T = TypeVar("T", bound="OutputTarget")


@_attrs_define
class OutputTarget:
    """
    Attributes:
        type_ (OutputTargetType | Unset):
        status (OutputTargetStatus | Unset):
        parameters (OutputTargetParameters | Unset):
        credentials (OutputTargetCredentials | Unset):
    """

    type_: OutputTargetType | Unset = UNSET
    status: OutputTargetStatus | Unset = UNSET
    parameters: OutputTargetParameters | Unset = UNSET
    credentials: OutputTargetCredentials | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        credentials: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credentials, Unset):
            credentials = self.credentials.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if credentials is not UNSET:
            field_dict["credentials"] = credentials

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.output_target_credentials import OutputTargetCredentials  # noqa: PLC0415
        from ..models.output_target_parameters import OutputTargetParameters  # noqa: PLC0415

        d = as_object(src_dict, "OutputTarget")
        _type_ = optional_field(d, "type")
        type_: OutputTargetType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = OutputTargetType.from_wire(_type_)

        _status = optional_field(d, "status")
        status: OutputTargetStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = OutputTargetStatus.from_wire(_status)

        _parameters = optional_field(d, "parameters")
        parameters: OutputTargetParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = OutputTargetParameters.from_dict(_parameters)

        _credentials = optional_field(d, "credentials")
        credentials: OutputTargetCredentials | Unset
        if isinstance(_credentials, Unset):
            credentials = UNSET
        else:
            credentials = OutputTargetCredentials.from_dict(_credentials)

        output_target = cls(
            type_=type_,
            status=status,
            parameters=parameters,
            credentials=credentials,
        )

        output_target.additional_properties = d
        return output_target

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
