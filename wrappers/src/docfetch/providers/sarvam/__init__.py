"""Sarvam Document Intelligence: :class:`SarvamClient` and its async twin :class:`AsyncSarvamClient`
(see ``_async.py`` for the decisions), with the generated models they return."""

from docfetch_sarvam_client.models import (
    DocDigitizationCreateJobResponse,
    DocDigitizationDownloadFilesResponse,
    DocDigitizationErrorCode,
    DocDigitizationErrorDetails,
    DocDigitizationErrorMessage,
    DocDigitizationJobDetail,
    DocDigitizationJobDetailState,
    DocDigitizationJobParameters,
    DocDigitizationJobState,
    DocDigitizationJobStatusResponse,
    DocDigitizationOutputFormat,
    DocDigitizationPageError,
    DocDigitizationSupportedLanguage,
    DocDigitizationUploadFilesResponse,
    DownloadUrls,
    FileSignedURLDetails,
    StorageContainerType,
    TaskFileDetails,
    UploadUrls,
)

from docfetch.providers.sarvam._async import AsyncSarvamClient
from docfetch.providers.sarvam._sync import SarvamClient
from docfetch.providers.sarvam.rules import (
    FACTS,
    INPUT_SUFFIXES,
    MAX_INPUT_BYTES,
    InputChangedError,
    InvalidApiKeyError,
    JobNotStartedError,
    JobOutcome,
    JobRun,
)

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "AsyncSarvamClient",
    "DocDigitizationCreateJobResponse",
    "DocDigitizationDownloadFilesResponse",
    "DocDigitizationErrorCode",
    "DocDigitizationErrorDetails",
    "DocDigitizationErrorMessage",
    "DocDigitizationJobDetail",
    "DocDigitizationJobDetailState",
    "DocDigitizationJobParameters",
    "DocDigitizationJobState",
    "DocDigitizationJobStatusResponse",
    "DocDigitizationOutputFormat",
    "DocDigitizationPageError",
    "DocDigitizationSupportedLanguage",
    "DocDigitizationUploadFilesResponse",
    "DownloadUrls",
    "FileSignedURLDetails",
    "InputChangedError",
    "InvalidApiKeyError",
    "JobNotStartedError",
    "JobOutcome",
    "JobRun",
    "SarvamClient",
    "StorageContainerType",
    "TaskFileDetails",
    "UploadUrls",
]
