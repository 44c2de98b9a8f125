"""Contains all the data models used in inputs/outputs"""

from .doc_service_document import DocServiceDocument
from .doc_service_document_av_scan_status import DocServiceDocumentAvScanStatus
from .doc_service_document_size import DocServiceDocumentSize
from .doc_service_document_status import DocServiceDocumentStatus
from .doc_service_record import DocServiceRecord
from .document_download_link import DocumentDownloadLink
from .document_download_link_response import DocumentDownloadLinkResponse
from .document_list_response import DocumentListResponse
from .document_response import DocumentResponse
from .document_sort_field import DocumentSortField
from .error import Error
from .error_meta import ErrorMeta
from .error_response import ErrorResponse
from .error_source import ErrorSource
from .pagination_meta import PaginationMeta

__all__ = (
    "DocServiceDocument",
    "DocServiceDocumentAvScanStatus",
    "DocServiceDocumentSize",
    "DocServiceDocumentStatus",
    "DocServiceRecord",
    "DocumentDownloadLink",
    "DocumentDownloadLinkResponse",
    "DocumentListResponse",
    "DocumentResponse",
    "DocumentSortField",
    "Error",
    "ErrorMeta",
    "ErrorResponse",
    "ErrorSource",
    "PaginationMeta",
)
