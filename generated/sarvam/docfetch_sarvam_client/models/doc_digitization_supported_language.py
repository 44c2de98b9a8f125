from enum import StrEnum


class DocDigitizationSupportedLanguage(StrEnum):
    AS_IN = "as-IN"
    BN_IN = "bn-IN"
    BRX_IN = "brx-IN"
    DOI_IN = "doi-IN"
    EN_IN = "en-IN"
    GU_IN = "gu-IN"
    HI_IN = "hi-IN"
    KN_IN = "kn-IN"
    KOK_IN = "kok-IN"
    KS_IN = "ks-IN"
    MAI_IN = "mai-IN"
    ML_IN = "ml-IN"
    MNI_IN = "mni-IN"
    MR_IN = "mr-IN"
    NE_IN = "ne-IN"
    OD_IN = "od-IN"
    PA_IN = "pa-IN"
    SAT_IN = "sat-IN"
    SA_IN = "sa-IN"
    SD_IN = "sd-IN"
    TA_IN = "ta-IN"
    TE_IN = "te-IN"
    UR_IN = "ur-IN"

    def __str__(self) -> str:
        return str(self.value)
