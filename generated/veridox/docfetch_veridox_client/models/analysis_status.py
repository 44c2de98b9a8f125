from enum import StrEnum


class AnalysisStatus(StrEnum):
    PROCESSING = "processing"
    SETTLED = "settled"
    WAITING_FOR_UPLOAD = "waiting_for_upload"

    def __str__(self) -> str:
        return str(self.value)
