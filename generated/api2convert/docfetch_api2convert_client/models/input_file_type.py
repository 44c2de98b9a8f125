from enum import StrEnum


class InputFileType(StrEnum):
    BASE64 = "base64"
    CLOUD = "cloud"
    GDRIVE_PICKER = "gdrive_picker"
    INPUT_ID = "input_id"
    OUTPUT = "output"
    REMOTE = "remote"
    UPLOAD = "upload"

    def __str__(self) -> str:
        return str(self.value)
