"""API2Convert: :class:`Api2ConvertClient` and its async twin :class:`AsyncApi2ConvertClient` (see
``rules.py`` for the decisions), with the generated models they return."""

from docfetch_api2convert_client.models import (
    Conversion,
    InputFile,
    InputFileType,
    Job,
    JobRequest,
    OutputFile,
    OutputFileStatus,
    Status,
    UserError,
)

from docfetch.errors import JobNotStartedError
from docfetch.providers.api2convert._async import AsyncApi2ConvertClient
from docfetch.providers.api2convert._sync import Api2ConvertClient
from docfetch.providers.api2convert.rules import (
    FACTS,
    ConversionFailedError,
    DownloadPasswordError,
    JobCanceledError,
    OutputDisabledError,
    OutputExpiredError,
    OutputLinkRefusedError,
    OutputOveruseError,
    OutputUnavailableError,
    PaymentRequiredError,
)
from docfetch.types import FileResult, Link

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "Api2ConvertClient",
    "AsyncApi2ConvertClient",
    "Conversion",
    "ConversionFailedError",
    "DownloadPasswordError",
    "FileResult",
    "InputFile",
    "InputFileType",
    "Job",
    "JobCanceledError",
    "JobNotStartedError",
    "JobRequest",
    "Link",
    "OutputDisabledError",
    "OutputExpiredError",
    "OutputFile",
    "OutputFileStatus",
    "OutputLinkRefusedError",
    "OutputOveruseError",
    "OutputUnavailableError",
    "PaymentRequiredError",
    "Status",
    "UserError",
]
