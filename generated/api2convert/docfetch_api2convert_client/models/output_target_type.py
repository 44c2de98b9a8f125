from enum import StrEnum


class OutputTargetType(StrEnum):
    AMAZONS3 = "amazons3"
    AZURE = "azure"
    FTP = "ftp"
    GDRIVE = "gdrive"
    GOOGLECLOUD = "googlecloud"
    YOUTUBE = "youtube"

    def __str__(self) -> str:
        return str(self.value)
