from enum import StrEnum


class InputFileEngine(StrEnum):
    AUTO = "auto"
    FILE = "file"
    SCREENSHOT = "screenshot"
    SCREENSHOT_PDF = "screenshot_pdf"
    VIDEO = "video"
    WEBSITE = "website"
    ZIP = "zip"

    def __str__(self) -> str:
        return str(self.value)
