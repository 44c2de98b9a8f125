from enum import StrEnum
from typing import Any


class AssetType(StrEnum):
    ELA_OVERLAY = "ela_overlay"
    FILE_DOWNLOAD = "file_download"
    LOG_OUTPUT = "log_output"
    PDF_REPORT = "pdf_report"
    THUMBNAIL = "thumbnail"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_wire(cls, value: object) -> "AssetType":
        """The member for a value read from a response (every generated ``from_dict`` uses this).

        A string the spec does not list gives an *unknown* member instead of raising: ``is_unknown``
        is True, and ``.value`` / ``str()`` are the string received (``.name`` is ``"UNKNOWN"``).
        The same string gives the same member. ``AssetType(value)`` stays strict
        (ValueError), for checking input. A value that is not a string raises ValueError.
        """
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        if value in cls._value2member_map_:
            return cls(value)
        member = _UNKNOWN.get(value)
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = "UNKNOWN"
            member._value_ = value
            if len(_UNKNOWN) < _MAX_UNKNOWN:
                member = _UNKNOWN.setdefault(value, member)
        return member

    @property
    def is_unknown(self) -> bool:
        """True for a value the spec does not list (made by ``from_wire``)."""
        return type(self)._member_map_.get(self._name_) is not self

    def __reduce_ex__(self, proto: object) -> tuple[Any, ...]:
        return type(self).from_wire, (self._value_,)


_MAX_UNKNOWN = 256  # distinct unknown values kept (and so identical from call to call) per enum
_UNKNOWN: dict[str, AssetType] = {}
