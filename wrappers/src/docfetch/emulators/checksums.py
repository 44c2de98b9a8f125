"""The forms a provider may report a file checksum in (`EmulatorConfig.output_checksum`, API2Convert).

API2Convert documents a 32-hex `checksum` (MD5); clients should cope with other algorithms and spellings.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Literal

Style = Literal["hex", "upper", "base64", "prefixed"]

# form -> (hashlib algorithm, how the digest is written)
CHECKSUM_FORMS: dict[str, tuple[str, Style]] = {
    "md5": ("md5", "hex"),  # the documented form: 32 lower-case hex digits
    "sha1": ("sha1", "hex"),
    "sha256": ("sha256", "hex"),
    "sha512": ("sha512", "hex"),
    "md5-upper": ("md5", "upper"),  # 32 upper-case hex digits
    "md5-base64": ("md5", "base64"),  # base64 of the raw digest, as Content-MD5 headers carry it
    "sha256-prefixed": ("sha256", "prefixed"),  # "sha256:<hex>"
}


def hex_digest(algorithm: str, data: bytes) -> str:
    return hashlib.new(algorithm, data, usedforsecurity=False).hexdigest()


def written_checksum(form: str, hex_value: str) -> str:
    """`hex_value` (a digest of the form's algorithm) written the way `form` says."""
    algorithm, style = CHECKSUM_FORMS[form]
    if style == "upper":
        return hex_value.upper()
    if style == "base64":
        return base64.b64encode(bytes.fromhex(hex_value)).decode()
    if style == "prefixed":
        return f"{algorithm}:{hex_value}"
    return hex_value
