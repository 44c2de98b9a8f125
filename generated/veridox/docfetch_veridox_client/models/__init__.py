"""Contains all the data models used in inputs/outputs"""

from .analysis_outcome import AnalysisOutcome
from .analysis_status import AnalysisStatus
from .api_error import ApiError
from .api_error_details import ApiErrorDetails
from .asset_type import AssetType
from .asset_url import AssetUrl
from .download_files_request import DownloadFilesRequest
from .download_files_response import DownloadFilesResponse
from .file_download_error import FileDownloadError
from .file_download_link import FileDownloadLink
from .file_list import FileList
from .file_sort_by import FileSortBy
from .file_summary import FileSummary
from .sort_order import SortOrder

__all__ = (
    "AnalysisOutcome",
    "AnalysisStatus",
    "ApiError",
    "ApiErrorDetails",
    "AssetType",
    "AssetUrl",
    "DownloadFilesRequest",
    "DownloadFilesResponse",
    "FileDownloadError",
    "FileDownloadLink",
    "FileList",
    "FileSortBy",
    "FileSummary",
    "SortOrder",
)
