"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


def status_code_from_int(code: int) -> HTTPStatus | int:
    """HTTPStatus for registered codes, the plain int otherwise (435, 437, 499, 52x...)."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


class MissingFieldError(KeyError, ValueError):
    """A response lacks a field the spec requires (or has null where null is not allowed).

    ``str(error)`` names the model and the field: ``DocumentDownloadLink: required field 'url' is missing``.
    A KeyError (what the stock generator raised) and a ValueError (a malformed value).
    """

    def __init__(self, model: str, field: str, *, null: bool = False) -> None:
        self.model = model
        self.field = field
        super().__init__(f"{model}: required field {field!r} is {'null' if null else 'missing'}")

    def __str__(self) -> str:
        return str(self.args[0])


def as_object(src: object, model: str) -> dict[str, Any]:
    """A copy of a JSON object to build ``model`` from; TypeError naming the model for anything else."""
    if not isinstance(src, Mapping):
        raise TypeError(f"{model}: expected a JSON object, got {type(src).__name__}")
    return dict(src)


def required_field(d: dict[str, Any], key: str, model: str, *, nullable: bool = False) -> Any:
    """Take a required field out of ``d``: MissingFieldError when it is absent, or null and not ``nullable``."""
    try:
        value = d.pop(key)
    except KeyError:
        raise MissingFieldError(model, key) from None
    if value is None and not nullable:
        raise MissingFieldError(model, key, null=True)
    return value


def optional_field(d: dict[str, Any], key: str) -> Any:
    """Take an optional field whose type has no null out of ``d``: absent and null both give UNSET."""
    value = d.pop(key, UNSET)
    return UNSET if value is None else value


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus | int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "MissingFieldError",
    "RequestFiles",
    "Response",
    "Unset",
    "as_object",
    "optional_field",
    "required_field",
    "status_code_from_int",
]
