"""Contains all the data models used in inputs/outputs"""

from .conversion import Conversion
from .conversion_metadata import ConversionMetadata
from .conversion_options import ConversionOptions
from .error import Error
from .error_errors import ErrorErrors
from .input_file import InputFile
from .input_file_credentials import InputFileCredentials
from .input_file_engine import InputFileEngine
from .input_file_metadata import InputFileMetadata
from .input_file_options import InputFileOptions
from .input_file_parameters import InputFileParameters
from .input_file_status import InputFileStatus
from .input_file_type import InputFileType
from .job import Job
from .job_input_file import JobInputFile
from .job_request import JobRequest
from .job_type import JobType
from .limits import Limits
from .limits_input import LimitsInput
from .limits_job import LimitsJob
from .limits_output import LimitsOutput
from .output_file import OutputFile
from .output_file_metadata import OutputFileMetadata
from .output_file_source import OutputFileSource
from .output_file_status import OutputFileStatus
from .output_target import OutputTarget
from .output_target_credentials import OutputTargetCredentials
from .output_target_parameters import OutputTargetParameters
from .output_target_status import OutputTargetStatus
from .output_target_type import OutputTargetType
from .status import Status
from .user_error import UserError
from .user_error_details import UserErrorDetails
from .user_warning import UserWarning_
from .user_warning_details import UserWarningDetails

__all__ = (
    "Conversion",
    "ConversionMetadata",
    "ConversionOptions",
    "Error",
    "ErrorErrors",
    "InputFile",
    "InputFileCredentials",
    "InputFileEngine",
    "InputFileMetadata",
    "InputFileOptions",
    "InputFileParameters",
    "InputFileStatus",
    "InputFileType",
    "Job",
    "JobInputFile",
    "JobRequest",
    "JobType",
    "Limits",
    "LimitsInput",
    "LimitsJob",
    "LimitsOutput",
    "OutputFile",
    "OutputFileMetadata",
    "OutputFileSource",
    "OutputFileStatus",
    "OutputTarget",
    "OutputTargetCredentials",
    "OutputTargetParameters",
    "OutputTargetStatus",
    "OutputTargetType",
    "Status",
    "UserError",
    "UserErrorDetails",
    "UserWarning_",
    "UserWarningDetails",
)
