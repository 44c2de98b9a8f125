from enum import StrEnum


class DocumentType(StrEnum):
    DOCX = "DOCX"
    IMG = "IMG"
    OTHER = "OTHER"
    PDF = "PDF"
    TXT = "TXT"

    def __str__(self) -> str:
        return str(self.value)
