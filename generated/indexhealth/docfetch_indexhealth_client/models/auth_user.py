from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="AuthUser")


@_attrs_define
class AuthUser:
    """The end user the token is issued for. `first_name` and `last_name` are required, plus at least one of
    `date_of_birth`, `email`, `uid` or `eid` (checked by the service, answered with 400).

        Attributes:
            first_name (str):
            last_name (str):
            date_of_birth (str | Unset): Date of birth, `YYYY-MM-DD` in the docs' example.
            email (str | Unset):
            phone (str | Unset):
            uid (str | Unset): The caller's own user id.
            eid (str | Unset): External/employee id.
            group_name (str | Unset): Tenant ("domain" claim of the token). Required if not given at the root.
    """

    first_name: str
    last_name: str
    date_of_birth: str | Unset = UNSET
    email: str | Unset = UNSET
    phone: str | Unset = UNSET
    uid: str | Unset = UNSET
    eid: str | Unset = UNSET
    group_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        last_name = self.last_name

        date_of_birth = self.date_of_birth

        email = self.email

        phone = self.phone

        uid = self.uid

        eid = self.eid

        group_name = self.group_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "first_name": first_name,
                "last_name": last_name,
            }
        )
        if date_of_birth is not UNSET:
            field_dict["date_of_birth"] = date_of_birth
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if uid is not UNSET:
            field_dict["uid"] = uid
        if eid is not UNSET:
            field_dict["eid"] = eid
        if group_name is not UNSET:
            field_dict["group_name"] = group_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "AuthUser")
        first_name = required_field(d, "first_name", "AuthUser")

        last_name = required_field(d, "last_name", "AuthUser")

        date_of_birth = optional_field(d, "date_of_birth")

        email = optional_field(d, "email")

        phone = optional_field(d, "phone")

        uid = optional_field(d, "uid")

        eid = optional_field(d, "eid")

        group_name = optional_field(d, "group_name")

        auth_user = cls(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            email=email,
            phone=phone,
            uid=uid,
            eid=eid,
            group_name=group_name,
        )

        auth_user.additional_properties = d
        return auth_user

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
