from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_type import JobType
from ..types import UNSET, Unset, as_object, optional_field, required_field

if TYPE_CHECKING:
    from ..models.conversion import Conversion
    from ..models.job_input_file import JobInputFile
    from ..models.limits import Limits
    from ..models.output_file import OutputFile
    from ..models.status import Status
    from ..models.user_error import UserError
    from ..models.user_warning import UserWarning_


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A conversion job: its inputs, conversions, status and (once completed) outputs.

    Attributes:
        id (str): Unique identifier for the job.
        status (Status): A job's status: a machine-readable code and a human-readable description.
        token (str | Unset): Token to identify client allowed to run the job.
        type_ (JobType | Unset): Type of the job created.
        errors (list[UserError] | Unset): Errors that happens in downloads or conversions
        warnings (list[UserWarning_] | Unset): Warnings that happens in downloads or conversions
        process (bool | Unset): Determine if the job must be processed as soon as it is ready. Default: True.
        fail_on_input_error (bool | Unset): Determine if the job should fail or not in case of at least one input cannot
            be downloaded Default: True.
        fail_on_conversion_error (bool | Unset): Determine if the job should fail or not in case of at least one
            conversion fails Default: True.
        conversion (list[Conversion] | Unset): Type of conversion or conversions to be carried out.
        limits (Limits | Unset):
        input_ (list[JobInputFile] | Unset): Source or sources of the files to be converted.
        output (list[OutputFile] | Unset): Output or Outputs of the conversion.
        callback (str | Unset): Callback url to the the status updates
        notify_status (bool | Unset): If set to true, a callback will be sent for each job status change Default: False.
        server (str | Unset): Server assigned for file uploads and downloads
        spent (int | Unset): Credits spent to complete the job
        created_at (str | Unset): Date and time when the job was created. ISO 8601, possibly without a timezone.
        modified_at (str | Unset): Date and time when the job was last modified. ISO 8601, possibly without a timezone.
        download_passwords (list[str] | Unset): Array of download passwords for the job. Any password in the list grants
            download access to all outputs of this job. Send the full list via PATCH to add, remove, or rotate passwords.
    """

    id: str
    status: Status
    token: str | Unset = UNSET
    type_: JobType | Unset = UNSET
    errors: list[UserError] | Unset = UNSET
    warnings: list[UserWarning_] | Unset = UNSET
    process: bool | Unset = True
    fail_on_input_error: bool | Unset = True
    fail_on_conversion_error: bool | Unset = True
    conversion: list[Conversion] | Unset = UNSET
    limits: Limits | Unset = UNSET
    input_: list[JobInputFile] | Unset = UNSET
    output: list[OutputFile] | Unset = UNSET
    callback: str | Unset = UNSET
    notify_status: bool | Unset = False
    server: str | Unset = UNSET
    spent: int | Unset = UNSET
    created_at: str | Unset = UNSET
    modified_at: str | Unset = UNSET
    download_passwords: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.to_dict()

        token = self.token

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        process = self.process

        fail_on_input_error = self.fail_on_input_error

        fail_on_conversion_error = self.fail_on_conversion_error

        conversion: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conversion, Unset):
            conversion = []
            for conversion_item_data in self.conversion:
                conversion_item = conversion_item_data.to_dict()
                conversion.append(conversion_item)

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        input_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = []
            for input_item_data in self.input_:
                input_item = input_item_data.to_dict()
                input_.append(input_item)

        output: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.output, Unset):
            output = []
            for output_item_data in self.output:
                output_item = output_item_data.to_dict()
                output.append(output_item)

        callback = self.callback

        notify_status = self.notify_status

        server = self.server

        spent = self.spent

        created_at = self.created_at

        modified_at = self.modified_at

        download_passwords: list[str] | Unset = UNSET
        if not isinstance(self.download_passwords, Unset):
            download_passwords = self.download_passwords

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if token is not UNSET:
            field_dict["token"] = token
        if type_ is not UNSET:
            field_dict["type"] = type_
        if errors is not UNSET:
            field_dict["errors"] = errors
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if process is not UNSET:
            field_dict["process"] = process
        if fail_on_input_error is not UNSET:
            field_dict["fail_on_input_error"] = fail_on_input_error
        if fail_on_conversion_error is not UNSET:
            field_dict["fail_on_conversion_error"] = fail_on_conversion_error
        if conversion is not UNSET:
            field_dict["conversion"] = conversion
        if limits is not UNSET:
            field_dict["limits"] = limits
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output
        if callback is not UNSET:
            field_dict["callback"] = callback
        if notify_status is not UNSET:
            field_dict["notify_status"] = notify_status
        if server is not UNSET:
            field_dict["server"] = server
        if spent is not UNSET:
            field_dict["spent"] = spent
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if modified_at is not UNSET:
            field_dict["modified_at"] = modified_at
        if download_passwords is not UNSET:
            field_dict["download_passwords"] = download_passwords

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion import Conversion  # noqa: PLC0415
        from ..models.job_input_file import JobInputFile  # noqa: PLC0415
        from ..models.limits import Limits  # noqa: PLC0415
        from ..models.output_file import OutputFile  # noqa: PLC0415
        from ..models.status import Status  # noqa: PLC0415
        from ..models.user_error import UserError  # noqa: PLC0415
        from ..models.user_warning import UserWarning_  # noqa: PLC0415

        d = as_object(src_dict, "Job")
        id = required_field(d, "id", "Job")

        status = Status.from_dict(required_field(d, "status", "Job"))

        token = optional_field(d, "token")

        _type_ = optional_field(d, "type")
        type_: JobType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = JobType.from_wire(_type_)

        _errors = optional_field(d, "errors")
        errors: list[UserError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = UserError.from_dict(errors_item_data)

                errors.append(errors_item)

        _warnings = optional_field(d, "warnings")
        warnings: list[UserWarning_] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = UserWarning_.from_dict(warnings_item_data)

                warnings.append(warnings_item)

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

        _limits = optional_field(d, "limits")
        limits: Limits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = Limits.from_dict(_limits)

        _input_ = optional_field(d, "input")
        input_: list[JobInputFile] | Unset = UNSET
        if _input_ is not UNSET:
            input_ = []
            for input_item_data in _input_:
                input_item = JobInputFile.from_dict(input_item_data)

                input_.append(input_item)

        _output = optional_field(d, "output")
        output: list[OutputFile] | Unset = UNSET
        if _output is not UNSET:
            output = []
            for output_item_data in _output:
                output_item = OutputFile.from_dict(output_item_data)

                output.append(output_item)

        callback = optional_field(d, "callback")

        notify_status = optional_field(d, "notify_status")

        server = optional_field(d, "server")

        spent = optional_field(d, "spent")

        created_at = optional_field(d, "created_at")

        modified_at = optional_field(d, "modified_at")

        download_passwords = cast(list[str], optional_field(d, "download_passwords"))

        job = cls(
            id=id,
            status=status,
            token=token,
            type_=type_,
            errors=errors,
            warnings=warnings,
            process=process,
            fail_on_input_error=fail_on_input_error,
            fail_on_conversion_error=fail_on_conversion_error,
            conversion=conversion,
            limits=limits,
            input_=input_,
            output=output,
            callback=callback,
            notify_status=notify_status,
            server=server,
            spent=spent,
            created_at=created_at,
            modified_at=modified_at,
            download_passwords=download_passwords,
        )

        job.additional_properties = d
        return job

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
