from enum import StrEnum


class StorageContainerType(StrEnum):
    AZURE = "Azure"
    AZURE_V1 = "Azure_V1"
    GOOGLE = "Google"
    LOCAL = "Local"

    def __str__(self) -> str:
        return str(self.value)
