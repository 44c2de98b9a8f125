from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.analysis_outcome import AnalysisOutcome
from ..models.analysis_status import AnalysisStatus
from ..types import UNSET, Unset, as_object, optional_field, required_field

T = TypeVar("T", bound="FileSummary")


@_attrs_define
class FileSummary:
    """
    Attributes:
        file_id (UUID):
        case_id (UUID | Unset):
        case_label (None | str | Unset):
        label (str | Unset):
        mime_type (None | str | Unset):
        thumbnail_url (None | str | Unset):
        current_risk_score (None | str | Unset): Risk score as a string (e.g. "72"); null until analysed.
        analysis_status (AnalysisStatus | Unset):
        analysis_outcome (AnalysisOutcome | None | Unset):
        current_analysis_phase (None | str | Unset):
        uploaded_at (datetime.datetime | None | Unset):
        created_at (datetime.datetime | Unset):
    """

    file_id: UUID
    case_id: UUID | Unset = UNSET
    case_label: None | str | Unset = UNSET
    label: str | Unset = UNSET
    mime_type: None | str | Unset = UNSET
    thumbnail_url: None | str | Unset = UNSET
    current_risk_score: None | str | Unset = UNSET
    analysis_status: AnalysisStatus | Unset = UNSET
    analysis_outcome: AnalysisOutcome | None | Unset = UNSET
    current_analysis_phase: None | str | Unset = UNSET
    uploaded_at: datetime.datetime | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = str(self.file_id)

        case_id: str | Unset = UNSET
        if not isinstance(self.case_id, Unset):
            case_id = str(self.case_id)

        case_label: None | str | Unset
        if isinstance(self.case_label, Unset):
            case_label = UNSET
        else:
            case_label = self.case_label

        label = self.label

        mime_type: None | str | Unset
        if isinstance(self.mime_type, Unset):
            mime_type = UNSET
        else:
            mime_type = self.mime_type

        thumbnail_url: None | str | Unset
        if isinstance(self.thumbnail_url, Unset):
            thumbnail_url = UNSET
        else:
            thumbnail_url = self.thumbnail_url

        current_risk_score: None | str | Unset
        if isinstance(self.current_risk_score, Unset):
            current_risk_score = UNSET
        else:
            current_risk_score = self.current_risk_score

        analysis_status: str | Unset = UNSET
        if not isinstance(self.analysis_status, Unset):
            analysis_status = self.analysis_status.value

        analysis_outcome: None | str | Unset
        if isinstance(self.analysis_outcome, Unset):
            analysis_outcome = UNSET
        elif isinstance(self.analysis_outcome, AnalysisOutcome):
            analysis_outcome = self.analysis_outcome.value
        else:
            analysis_outcome = self.analysis_outcome

        current_analysis_phase: None | str | Unset
        if isinstance(self.current_analysis_phase, Unset):
            current_analysis_phase = UNSET
        else:
            current_analysis_phase = self.current_analysis_phase

        uploaded_at: None | str | Unset
        if isinstance(self.uploaded_at, Unset):
            uploaded_at = UNSET
        elif isinstance(self.uploaded_at, datetime.datetime):
            uploaded_at = self.uploaded_at.isoformat()
        else:
            uploaded_at = self.uploaded_at

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
            }
        )
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if case_label is not UNSET:
            field_dict["case_label"] = case_label
        if label is not UNSET:
            field_dict["label"] = label
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if thumbnail_url is not UNSET:
            field_dict["thumbnail_url"] = thumbnail_url
        if current_risk_score is not UNSET:
            field_dict["current_risk_score"] = current_risk_score
        if analysis_status is not UNSET:
            field_dict["analysis_status"] = analysis_status
        if analysis_outcome is not UNSET:
            field_dict["analysis_outcome"] = analysis_outcome
        if current_analysis_phase is not UNSET:
            field_dict["current_analysis_phase"] = current_analysis_phase
        if uploaded_at is not UNSET:
            field_dict["uploaded_at"] = uploaded_at
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = as_object(src_dict, "FileSummary")
        file_id = UUID(required_field(d, "file_id", "FileSummary"))

        _case_id = optional_field(d, "case_id")
        case_id: UUID | Unset
        if isinstance(_case_id, Unset):
            case_id = UNSET
        else:
            case_id = UUID(_case_id)

        def _parse_case_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        case_label = _parse_case_label(d.pop("case_label", UNSET))

        label = optional_field(d, "label")

        def _parse_mime_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mime_type = _parse_mime_type(d.pop("mime_type", UNSET))

        def _parse_thumbnail_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        thumbnail_url = _parse_thumbnail_url(d.pop("thumbnail_url", UNSET))

        def _parse_current_risk_score(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_risk_score = _parse_current_risk_score(d.pop("current_risk_score", UNSET))

        _analysis_status = optional_field(d, "analysis_status")
        analysis_status: AnalysisStatus | Unset
        if isinstance(_analysis_status, Unset):
            analysis_status = UNSET
        else:
            analysis_status = AnalysisStatus.from_wire(_analysis_status)

        def _parse_analysis_outcome(data: object) -> AnalysisOutcome | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                analysis_outcome_type_0 = AnalysisOutcome.from_wire(data)

                return analysis_outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnalysisOutcome | None | Unset, data)

        analysis_outcome = _parse_analysis_outcome(d.pop("analysis_outcome", UNSET))

        def _parse_current_analysis_phase(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_analysis_phase = _parse_current_analysis_phase(d.pop("current_analysis_phase", UNSET))

        def _parse_uploaded_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                uploaded_at_type_0 = datetime.datetime.fromisoformat(data)

                return uploaded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        uploaded_at = _parse_uploaded_at(d.pop("uploaded_at", UNSET))

        _created_at = optional_field(d, "created_at")
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        file_summary = cls(
            file_id=file_id,
            case_id=case_id,
            case_label=case_label,
            label=label,
            mime_type=mime_type,
            thumbnail_url=thumbnail_url,
            current_risk_score=current_risk_score,
            analysis_status=analysis_status,
            analysis_outcome=analysis_outcome,
            current_analysis_phase=current_analysis_phase,
            uploaded_at=uploaded_at,
            created_at=created_at,
        )

        file_summary.additional_properties = d
        return file_summary

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
