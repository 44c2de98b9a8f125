from enum import StrEnum


class DocDigitizationJobDetailState(StrEnum):
    FAILED = "Failed"
    PARTIAL_SUCCESS = "PartialSuccess"
    PENDING = "Pending"
    RUNNING = "Running"
    SUCCESS = "Success"

    def __str__(self) -> str:
        return str(self.value)
