"""The conversion targets the API2Convert emulator knows, by category: the one place they are listed.

The real API rejects a target (or category) it does not offer; the official SDK's live conformance test
`test_invalid_target_is_a_typed_error` (QaamGo/api2convert-python tests/live/test_conformance.py) expects
a 400 (ValidationError) or a failed job. The emulator answers 400 at create/PATCH time. The list covers the
targets of the API2Convert conversion catalogue that the docs, the SDK examples and our tests use; add one
here when a test needs it.
"""

from __future__ import annotations

from collections.abc import Iterable

from docfetch_emulator_models.api2convert import Conversion

TARGETS_BY_CATEGORY: dict[str, frozenset[str]] = {
    "archive": frozenset({"7z", "bz2", "gz", "tar", "tgz", "zip"}),
    "audio": frozenset({"aac", "aiff", "alac", "amr", "flac", "m4a", "mp3", "ogg", "opus", "wav", "wma"}),
    "document": frozenset(
        {"csv", "doc", "docx", "html", "md", "odp", "ods", "odt", "pdf", "ppt", "pptx", "rtf", "txt"}
        | {"xls", "xlsx", "xps"}
    ),
    "ebook": frozenset({"azw3", "epub", "fb2", "lit", "lrf", "mobi", "pdb", "tcr"}),
    "hash": frozenset({"adler32", "crc32", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"}),
    "image": frozenset(
        {"avif", "bmp", "eps", "gif", "heic", "ico", "jp2", "jpg", "png", "svg", "tga", "tiff", "webp"}
    ),
    "metadata": frozenset({"json"}),
    "operation": frozenset(
        {"compare-image", "compress", "extract-assets", "resize-image", "thumbnail", "watermark"}
    ),
    "video": frozenset({"3gp", "avi", "flv", "mkv", "mov", "mp4", "mpeg", "ogv", "webm", "wmv"}),
}
KNOWN_TARGETS: frozenset[str] = frozenset().union(*TARGETS_BY_CATEGORY.values())


def conversion_problems(conversions: Iterable[Conversion]) -> dict[str, str]:
    """Per-field messages ("conversion.0.target": ...) for every unknown target or category; {} if none."""
    problems: dict[str, str] = {}
    for index, conversion in enumerate(conversions):
        target = conversion.target.lower()
        category = conversion.category.lower() if conversion.category is not None else None
        if category is not None and category not in TARGETS_BY_CATEGORY:
            problems[f"conversion.{index}.category"] = f"The category '{conversion.category}' does not exist."
        elif target not in TARGETS_BY_CATEGORY.get(category or "", KNOWN_TARGETS):
            where = f" in the category '{conversion.category}'" if category else ""
            problems[f"conversion.{index}.target"] = (
                f"The target '{conversion.target}' is not a valid conversion target{where}."
            )
    return problems
