from enum import StrEnum


class AssetType(StrEnum):
    ELA_OVERLAY = "ela_overlay"
    FILE_DOWNLOAD = "file_download"
    LOG_OUTPUT = "log_output"
    PDF_REPORT = "pdf_report"
    THUMBNAIL = "thumbnail"

    def __str__(self) -> str:
        return str(self.value)
