from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_type import DocumentType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.associated_plan import AssociatedPlan


T = TypeVar("T", bound="DocumentDetails")


@_attrs_define
class DocumentDetails:
    """A document as returned by get-document-details.

    Attributes:
        document_id (str):
        document_name (str | Unset):
        document_description (None | str | Unset):
        document_type (DocumentType | None | Unset):
        document_priority (int | None | str | Unset): Priority as set by sync-document (type not stated in the docs).
        collection_id (str | Unset):
        collection_name (None | str | Unset):
        document_file_path (None | str | Unset): Storage path of the uploaded file; absent for URL-based documents
            (which cannot be downloaded).
        document_url (None | str | Unset): External URL of a URL-based document.
        document_tags (list[str] | None | Unset):
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
        associated_plans (list[AssociatedPlan] | None | Unset):
    """

    document_id: str
    document_name: str | Unset = UNSET
    document_description: None | str | Unset = UNSET
    document_type: DocumentType | None | Unset = UNSET
    document_priority: int | None | str | Unset = UNSET
    collection_id: str | Unset = UNSET
    collection_name: None | str | Unset = UNSET
    document_file_path: None | str | Unset = UNSET
    document_url: None | str | Unset = UNSET
    document_tags: list[str] | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    associated_plans: list[AssociatedPlan] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        document_name = self.document_name

        document_description: None | str | Unset
        if isinstance(self.document_description, Unset):
            document_description = UNSET
        else:
            document_description = self.document_description

        document_type: None | str | Unset
        if isinstance(self.document_type, Unset):
            document_type = UNSET
        elif isinstance(self.document_type, DocumentType):
            document_type = self.document_type.value
        else:
            document_type = self.document_type

        document_priority: int | None | str | Unset
        if isinstance(self.document_priority, Unset):
            document_priority = UNSET
        else:
            document_priority = self.document_priority

        collection_id = self.collection_id

        collection_name: None | str | Unset
        if isinstance(self.collection_name, Unset):
            collection_name = UNSET
        else:
            collection_name = self.collection_name

        document_file_path: None | str | Unset
        if isinstance(self.document_file_path, Unset):
            document_file_path = UNSET
        else:
            document_file_path = self.document_file_path

        document_url: None | str | Unset
        if isinstance(self.document_url, Unset):
            document_url = UNSET
        else:
            document_url = self.document_url

        document_tags: list[str] | None | Unset
        if isinstance(self.document_tags, Unset):
            document_tags = UNSET
        elif isinstance(self.document_tags, list):
            document_tags = self.document_tags

        else:
            document_tags = self.document_tags

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        associated_plans: list[dict[str, Any]] | None | Unset
        if isinstance(self.associated_plans, Unset):
            associated_plans = UNSET
        elif isinstance(self.associated_plans, list):
            associated_plans = []
            for associated_plans_type_0_item_data in self.associated_plans:
                associated_plans_type_0_item = associated_plans_type_0_item_data.to_dict()
                associated_plans.append(associated_plans_type_0_item)

        else:
            associated_plans = self.associated_plans

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document_id": document_id,
            }
        )
        if document_name is not UNSET:
            field_dict["document_name"] = document_name
        if document_description is not UNSET:
            field_dict["document_description"] = document_description
        if document_type is not UNSET:
            field_dict["document_type"] = document_type
        if document_priority is not UNSET:
            field_dict["document_priority"] = document_priority
        if collection_id is not UNSET:
            field_dict["collection_id"] = collection_id
        if collection_name is not UNSET:
            field_dict["collection_name"] = collection_name
        if document_file_path is not UNSET:
            field_dict["document_file_path"] = document_file_path
        if document_url is not UNSET:
            field_dict["document_url"] = document_url
        if document_tags is not UNSET:
            field_dict["document_tags"] = document_tags
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if associated_plans is not UNSET:
            field_dict["associated_plans"] = associated_plans

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.associated_plan import AssociatedPlan  # noqa: PLC0415

        d = as_object(src_dict, "DocumentDetails")
        document_id = required_field(d, "document_id", "DocumentDetails")

        document_name = optional_field(d, "document_name")

        def _parse_document_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_description = _parse_document_description(d.pop("document_description", UNSET))

        def _parse_document_type(data: object) -> DocumentType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                document_type_type_0 = DocumentType.from_wire(data)

                return document_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentType | None | Unset, data)

        document_type = _parse_document_type(d.pop("document_type", UNSET))

        def _parse_document_priority(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        document_priority = _parse_document_priority(d.pop("document_priority", UNSET))

        collection_id = optional_field(d, "collection_id")

        def _parse_collection_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        collection_name = _parse_collection_name(d.pop("collection_name", UNSET))

        def _parse_document_file_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_file_path = _parse_document_file_path(d.pop("document_file_path", UNSET))

        def _parse_document_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_url = _parse_document_url(d.pop("document_url", UNSET))

        def _parse_document_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                document_tags_type_0 = cast(list[str], data)

                return document_tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        document_tags = _parse_document_tags(d.pop("document_tags", UNSET))

        _created_at = optional_field(d, "created_at")
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = optional_field(d, "updated_at")
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        def _parse_associated_plans(data: object) -> list[AssociatedPlan] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                associated_plans_type_0 = []
                _associated_plans_type_0 = data
                for associated_plans_type_0_item_data in _associated_plans_type_0:
                    associated_plans_type_0_item = AssociatedPlan.from_dict(associated_plans_type_0_item_data)

                    associated_plans_type_0.append(associated_plans_type_0_item)

                return associated_plans_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AssociatedPlan] | None | Unset, data)

        associated_plans = _parse_associated_plans(d.pop("associated_plans", UNSET))

        document_details = cls(
            document_id=document_id,
            document_name=document_name,
            document_description=document_description,
            document_type=document_type,
            document_priority=document_priority,
            collection_id=collection_id,
            collection_name=collection_name,
            document_file_path=document_file_path,
            document_url=document_url,
            document_tags=document_tags,
            created_at=created_at,
            updated_at=updated_at,
            associated_plans=associated_plans,
        )

        document_details.additional_properties = d
        return document_details

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
