from enum import StrEnum


class OutputFileStatus(StrEnum):
    DISABLED = "disabled"
    ENABLED = "enabled"
    EXPIRED = "expired"
    OVERUSE = "overuse"

    def __str__(self) -> str:
        return str(self.value)
