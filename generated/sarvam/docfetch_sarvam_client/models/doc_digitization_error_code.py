from enum import StrEnum


class DocDigitizationErrorCode(StrEnum):
    HIGH_LOAD_ERROR = "high_load_error"
    INSUFFICIENT_QUOTA_ERROR = "insufficient_quota_error"
    INTERNAL_SERVER_ERROR = "internal_server_error"
    INVALID_API_KEY_ERROR = "invalid_api_key_error"
    INVALID_REQUEST_ERROR = "invalid_request_error"
    MAX_PAGE_LIMIT_EXCEEDED = "max_page_limit_exceeded"
    NOT_FOUND_ERROR = "not_found_error"
    RATE_LIMIT_EXCEEDED_ERROR = "rate_limit_exceeded_error"
    UNPROCESSABLE_ENTITY_ERROR = "unprocessable_entity_error"

    def __str__(self) -> str:
        return str(self.value)
