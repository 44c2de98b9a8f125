from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

T = TypeVar("T", bound="DocServiceRecord")


@_attrs_define
class DocServiceRecord:
    """
    Attributes:
        created_at (str | Unset): ISO 8601 formatted date-time indicating when the resource was created. Example:
            2018-02-02T22:25:27.521Z.
        id (UUID | Unset): Identifies the resource. Example: 6a09cdc3-8948-47f0-aa62-74ac943d6c58.
        record_type (str | Unset): Identifies the type of the resource. Example: sample_record_type.
        updated_at (str | Unset): ISO 8601 formatted date-time indicating when the resource was updated. Example:
            2018-02-02T22:25:27.521Z.
    """

    created_at: str | Unset = UNSET
    id: UUID | Unset = UNSET
    record_type: str | Unset = UNSET
    updated_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        record_type = self.record_type

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if id is not UNSET:
            field_dict["id"] = id
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "DocServiceRecord")
        created_at = optional_field(d, "created_at")

        _id = optional_field(d, "id")
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        record_type = optional_field(d, "record_type")

        updated_at = optional_field(d, "updated_at")

        doc_service_record = cls(
            created_at=created_at,
            id=id,
            record_type=record_type,
            updated_at=updated_at,
        )

        doc_service_record.additional_properties = d
        return doc_service_record

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
