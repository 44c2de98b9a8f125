from enum import StrEnum


class DocDigitizationOutputFormat(StrEnum):
    HTML = "html"
    MD = "md"

    def __str__(self) -> str:
        return str(self.value)
