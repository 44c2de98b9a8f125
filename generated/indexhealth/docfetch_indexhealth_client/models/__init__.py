"""Contains all the data models used in inputs/outputs"""

from .associated_plan import AssociatedPlan
from .auth_error_response import AuthErrorResponse
from .auth_user import AuthUser
from .client_auth_token_data import ClientAuthTokenData
from .client_auth_token_request import ClientAuthTokenRequest
from .client_auth_token_response import ClientAuthTokenResponse
from .document_details import DocumentDetails
from .document_details_response import DocumentDetailsResponse
from .document_fields import DocumentFields
from .document_id_request import DocumentIdRequest
from .document_list_response import DocumentListResponse
from .document_summary import DocumentSummary
from .document_type import DocumentType
from .download_url import DownloadUrl
from .download_url_response import DownloadUrlResponse
from .empty_data import EmptyData
from .error_envelope import ErrorEnvelope
from .get_documents_request import GetDocumentsRequest

__all__ = (
    "AssociatedPlan",
    "AuthErrorResponse",
    "AuthUser",
    "ClientAuthTokenData",
    "ClientAuthTokenRequest",
    "ClientAuthTokenResponse",
    "DocumentDetails",
    "DocumentDetailsResponse",
    "DocumentFields",
    "DocumentIdRequest",
    "DocumentListResponse",
    "DocumentSummary",
    "DocumentType",
    "DownloadUrl",
    "DownloadUrlResponse",
    "EmptyData",
    "ErrorEnvelope",
    "GetDocumentsRequest",
)
