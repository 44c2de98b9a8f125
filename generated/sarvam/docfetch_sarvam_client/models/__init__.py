"""Contains all the data models used in inputs/outputs"""

from .doc_digitization_create_job_request import DocDigitizationCreateJobRequest
from .doc_digitization_create_job_response import DocDigitizationCreateJobResponse
from .doc_digitization_download_files_response import DocDigitizationDownloadFilesResponse
from .doc_digitization_error_code import DocDigitizationErrorCode
from .doc_digitization_error_details import DocDigitizationErrorDetails
from .doc_digitization_error_message import DocDigitizationErrorMessage
from .doc_digitization_job_detail import DocDigitizationJobDetail
from .doc_digitization_job_detail_state import DocDigitizationJobDetailState
from .doc_digitization_job_parameters import DocDigitizationJobParameters
from .doc_digitization_job_state import DocDigitizationJobState
from .doc_digitization_job_status_response import DocDigitizationJobStatusResponse
from .doc_digitization_output_format import DocDigitizationOutputFormat
from .doc_digitization_page_error import DocDigitizationPageError
from .doc_digitization_supported_language import DocDigitizationSupportedLanguage
from .doc_digitization_upload_files_request import DocDigitizationUploadFilesRequest
from .doc_digitization_upload_files_response import DocDigitizationUploadFilesResponse
from .doc_digitization_webhook_callback import DocDigitizationWebhookCallback
from .download_urls import DownloadUrls
from .file_metadata import FileMetadata
from .file_signed_url_details import FileSignedURLDetails
from .storage_container_type import StorageContainerType
from .task_file_details import TaskFileDetails
from .upload_urls import UploadUrls

__all__ = (
    "DocDigitizationCreateJobRequest",
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
    "DocDigitizationUploadFilesRequest",
    "DocDigitizationUploadFilesResponse",
    "DocDigitizationWebhookCallback",
    "DownloadUrls",
    "FileMetadata",
    "FileSignedURLDetails",
    "StorageContainerType",
    "TaskFileDetails",
    "UploadUrls",
)
