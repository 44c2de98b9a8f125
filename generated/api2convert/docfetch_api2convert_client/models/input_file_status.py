from enum import StrEnum


class InputFileStatus(StrEnum):
    CANCELED = "canceled"
    DOWNLOADING = "downloading"
    FAILED = "failed"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
