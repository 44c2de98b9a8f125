from enum import StrEnum


class JobType(StrEnum):
    JOB = "job"

    def __str__(self) -> str:
        return str(self.value)
