from enum import StrEnum


class DocumentSortField(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    FILENAME = "filename"
    FILENAME_DESC = "-filename"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESC = "-updated_at"

    def __str__(self) -> str:
        return str(self.value)
