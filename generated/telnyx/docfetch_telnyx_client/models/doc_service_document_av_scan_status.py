from enum import StrEnum


class DocServiceDocumentAvScanStatus(StrEnum):
    INFECTED = "infected"
    NOT_SCANNED = "not_scanned"
    PENDING_SCAN = "pending_scan"
    SCANNED = "scanned"

    def __str__(self) -> str:
        return str(self.value)
