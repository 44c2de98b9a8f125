from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, as_object, optional_field

if TYPE_CHECKING:
    from ..models.conversion import Conversion
    from ..models.input_file import InputFile
    from ..models.limits import Limits


T = TypeVar("T", bound="JobRequest")


@_attrs_define
class JobRequest:
    """The fields a client may send when creating a job (POST) or changing one (PATCH). Send `{"process": true}` to start a
    job that was created with `process: false`.

        Attributes:
            process (bool | Unset): Determine if the job must be processed as soon as it is ready. The server assumes true
                when it is left out.
            fail_on_input_error (bool | Unset): Determine if the job should fail or not in case of at least one input cannot
                be downloaded. The server assumes true when it is left out.
            fail_on_conversion_error (bool | Unset): Determine if the job should fail or not in case of at least one
                conversion fails. The server assumes true when it is left out.
            conversion (list[Conversion] | Unset): Type of conversion or conversions to be carried out.
            input_ (list[InputFile] | Unset): Source or sources of the files to be converted.
            limits (Limits | Unset):
            callback (str | Unset): Callback url to the the status updates
            notify_status (bool | Unset): If set to true, a callback will be sent for each job status change. The server
                assumes false when it is left out.
            download_passwords (list[str] | Unset): Array of download passwords for the job. Any password in the list grants
                download access to all outputs of this job. Send the full list via PATCH to add, remove, or rotate passwords.
    """

    process: bool | Unset = UNSET
    fail_on_input_error: bool | Unset = UNSET
    fail_on_conversion_error: bool | Unset = UNSET
    conversion: list[Conversion] | Unset = UNSET
    input_: list[InputFile] | Unset = UNSET
    limits: Limits | Unset = UNSET
    callback: str | Unset = UNSET
    notify_status: bool | Unset = UNSET
    download_passwords: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        process = self.process

        fail_on_input_error = self.fail_on_input_error

        fail_on_conversion_error = self.fail_on_conversion_error

        conversion: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conversion, Unset):
            conversion = []
            for conversion_item_data in self.conversion:
                conversion_item = conversion_item_data.to_dict()
                conversion.append(conversion_item)

        input_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = []
            for input_item_data in self.input_:
                input_item = input_item_data.to_dict()
                input_.append(input_item)

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        callback = self.callback

        notify_status = self.notify_status

        download_passwords: list[str] | Unset = UNSET
        if not isinstance(self.download_passwords, Unset):
            download_passwords = self.download_passwords

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if process is not UNSET:
            field_dict["process"] = process
        if fail_on_input_error is not UNSET:
            field_dict["fail_on_input_error"] = fail_on_input_error
        if fail_on_conversion_error is not UNSET:
            field_dict["fail_on_conversion_error"] = fail_on_conversion_error
        if conversion is not UNSET:
            field_dict["conversion"] = conversion
        if input_ is not UNSET:
            field_dict["input"] = input_
        if limits is not UNSET:
            field_dict["limits"] = limits
        if callback is not UNSET:
            field_dict["callback"] = callback
        if notify_status is not UNSET:
            field_dict["notify_status"] = notify_status
        if download_passwords is not UNSET:
            field_dict["download_passwords"] = download_passwords

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion import Conversion  # noqa: PLC0415
        from ..models.input_file import InputFile  # noqa: PLC0415
        from ..models.limits import Limits  # noqa: PLC0415

        d = as_object(src_dict, "JobRequest")
        process = optional_field(d, "process")

        fail_on_input_error = optional_field(d, "fail_on_input_error")

        fail_on_conversion_error = optional_field(d, "fail_on_conversion_error")

        _conversion = optional_field(d, "conversion")
        conversion: list[Conversion] | Unset = UNSET
        if _conversion is not UNSET:
            conversion = []
            for conversion_item_data in _conversion:
                conversion_item = Conversion.from_dict(conversion_item_data)

                conversion.append(conversion_item)

        _input_ = optional_field(d, "input")
        input_: list[InputFile] | Unset = UNSET
        if _input_ is not UNSET:
            input_ = []
            for input_item_data in _input_:
                input_item = InputFile.from_dict(input_item_data)

                input_.append(input_item)

        _limits = optional_field(d, "limits")
        limits: Limits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = Limits.from_dict(_limits)

        callback = optional_field(d, "callback")

        notify_status = optional_field(d, "notify_status")

        download_passwords = cast(list[str], optional_field(d, "download_passwords"))

        job_request = cls(
            process=process,
            fail_on_input_error=fail_on_input_error,
            fail_on_conversion_error=fail_on_conversion_error,
            conversion=conversion,
            input_=input_,
            limits=limits,
            callback=callback,
            notify_status=notify_status,
            download_passwords=download_passwords,
        )

        job_request.additional_properties = d
        return job_request

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
