from enum import StrEnum


class DocDigitizationJobState(StrEnum):
    ACCEPTED = "Accepted"
    COMPLETED = "Completed"
    FAILED = "Failed"
    PARTIALLY_COMPLETED = "PartiallyCompleted"
    PENDING = "Pending"
    RUNNING = "Running"

    def __str__(self) -> str:
        return str(self.value)
