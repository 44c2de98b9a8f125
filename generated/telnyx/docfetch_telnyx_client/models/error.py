from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.error_meta import ErrorMeta
    from ..models.error_source import ErrorSource


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """
    Attributes:
        code (str):
        title (str):
        detail (str | Unset):
        meta (ErrorMeta | Unset):
        source (ErrorSource | Unset): Which part of the request caused the error.
    """

    code: str
    title: str
    detail: str | Unset = UNSET
    meta: ErrorMeta | Unset = UNSET
    source: ErrorSource | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        title = self.title

        detail = self.detail

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "title": title,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if meta is not UNSET:
            field_dict["meta"] = meta
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_meta import ErrorMeta  # noqa: PLC0415
        from ..models.error_source import ErrorSource  # noqa: PLC0415

        d = as_object(src_dict, "Error")
        code = required_field(d, "code", "Error")

        title = required_field(d, "title", "Error")

        detail = optional_field(d, "detail")

        _meta = optional_field(d, "meta")
        meta: ErrorMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = ErrorMeta.from_dict(_meta)

        _source = optional_field(d, "source")
        source: ErrorSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = ErrorSource.from_dict(_source)

        error = cls(
            code=code,
            title=title,
            detail=detail,
            meta=meta,
            source=source,
        )

        error.additional_properties = d
        return error

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
