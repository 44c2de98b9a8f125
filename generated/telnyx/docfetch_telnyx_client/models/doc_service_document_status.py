from enum import StrEnum


class DocServiceDocumentStatus(StrEnum):
    DENIED = "denied"
    PENDING = "pending"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
