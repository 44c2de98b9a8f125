from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

if TYPE_CHECKING:
    from ..models.user_warning_details import UserWarningDetails


T = TypeVar("T", bound="UserWarning_")


@_attrs_define
class UserWarning_:
    """
    Attributes:
        source (str | Unset): The source of the warning in the Job definition. Can be one of "input" or "conversion"
        id_source (str | Unset): The unique identifier of the source
        code (int | Unset): A machine readable warning code
        message (str | Unset): A human readable warning message
        details (UserWarningDetails | Unset): Further warning's details
    """

    source: str | Unset = UNSET
    id_source: str | Unset = UNSET
    code: int | Unset = UNSET
    message: str | Unset = UNSET
    details: UserWarningDetails | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        id_source = self.id_source

        code = self.code

        message = self.message

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source is not UNSET:
            field_dict["source"] = source
        if id_source is not UNSET:
            field_dict["id_source"] = id_source
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_warning_details import UserWarningDetails  # noqa: PLC0415

        d = as_object(src_dict, "UserWarning_")
        source = optional_field(d, "source")

        id_source = optional_field(d, "id_source")

        code = optional_field(d, "code")

        message = optional_field(d, "message")

        _details = optional_field(d, "details")
        details: UserWarningDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = UserWarningDetails.from_dict(_details)

        user_warning = cls(
            source=source,
            id_source=id_source,
            code=code,
            message=message,
            details=details,
        )

        user_warning.additional_properties = d
        return user_warning

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
