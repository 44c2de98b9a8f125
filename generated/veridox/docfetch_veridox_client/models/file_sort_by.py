from enum import StrEnum


class FileSortBy(StrEnum):
    DATE_CREATED = "date_created"
    RISK_SCORE = "risk_score"

    def __str__(self) -> str:
        return str(self.value)
