from enum import StrEnum


class OutputTargetStatus(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    UPLOADING = "uploading"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
