"""Making file names from servers safe to create inside a destination directory.

:func:`safe_filename` keeps only the last path component (``/`` and ``\\`` both count), removes
control and invisible formatting characters (NUL, C0/C1, bidi overrides), replaces characters
Windows forbids, strips leading dots and trailing dots/spaces, prefixes reserved device names
(``CON``, ``NUL``, ``COM1``...), and limits the UTF-8 length (default 200 bytes, leaving room for
a temporary-file prefix/suffix and a `` (n)`` counter within the usual 255-byte limit) while
keeping the extension. The result is never empty, ``.`` or ``..`` and never contains a separator.

:func:`with_extension` completes a name that has no file extension (a label such as ``passport-scan``)
from the response: the extension of its ``Content-Disposition`` name, else the one its
``Content-Type`` stands for.

:func:`unique_names` resolves collisions inside one batch (case-insensitively, for
case-insensitive file systems) as ``name (1).ext``, ``name (2).ext``...
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote
from urllib.parse import urlsplit

from docfetch.errors import UnsafeFileNameError

if TYPE_CHECKING:
    from mimetypes import MimeTypes

__all__ = [
    "MAX_NAME_BYTES",
    "PART_SUFFIX",
    "claim_unique_name",
    "filename_from_content_disposition",
    "filename_from_url",
    "first_name",
    "known_extension",
    "safe_filename",
    "unique_names",
    "with_extension",
]

MAX_NAME_BYTES = 200
PART_SUFFIX = ".docfetch-part"
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_SEPARATORS = re.compile(r"[/\\]")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # the only ASCII characters _visible changes (all Cc)
_EDGES = re.compile(r"^[\s.]+|[\s.]+$")  # dots and spaces at either end, in any mix
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_MAX_EXT_BYTES = 16


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "_" if category != "Cf" else ""
    return ch


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def _split_ext(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode("utf-8")) + 1 > _MAX_EXT_BYTES or " " in ext:
        return name, ""
    return stem, "." + ext


def _clean(name: str, max_bytes: int) -> str:
    """The sanitised form of ``name``; empty when nothing usable remains."""
    # ASCII (nearly every name): NFC changes nothing and only control characters are not visible;
    # the per-character look-up costs ~0.1 ms per name.
    text = name if name.isascii() else unicodedata.normalize("NFC", name)
    text = _SEPARATORS.split(text)[-1]
    text = _ASCII_CONTROL.sub("_", text) if text.isascii() else "".join(_visible(ch) for ch in text)
    text = _FORBIDDEN.sub("_", text)
    text = _EDGES.sub("", text)
    if text.endswith(PART_SUFFIX):
        text = text[: -len(PART_SUFFIX)] + "_part"
    if not text:
        return ""
    stem, ext = _split_ext(text)
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    stem = _truncate_utf8(stem, max_bytes - len(ext.encode("utf-8"))).rstrip(". ")
    return (stem or "_") + ext


def safe_filename(
    name: str | None, *, fallback: str = "download", max_bytes: int = MAX_NAME_BYTES, strict: bool = False
) -> str:
    """A safe single file name for ``name`` (see module docstring).

    With ``strict=True`` a name that would need changing raises :class:`UnsafeFileNameError`
    instead (for names the user typed). ``fallback`` is used when nothing usable remains.
    """
    if max_bytes < 8:
        raise ValueError("max_bytes must be at least 8")
    original = name or ""
    result = _clean(original, max_bytes)
    if strict and result != original:
        raise UnsafeFileNameError(f"unsafe file name {original!r} (a safe form would be {result!r})")
    return result or _clean(fallback, max_bytes) or "download"


def unique_names(
    names: Iterable[str], *, taken: Iterable[str] = (), max_bytes: int = MAX_NAME_BYTES
) -> list[str]:
    """Make already-safe ``names`` distinct from each other and from ``taken`` (case-insensitive)."""
    used = {n.casefold() for n in taken}
    return [claim_unique_name(name, used, max_bytes=max_bytes) for name in names]


def claim_unique_name(name: str, used: set[str], *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name``, or ``name (1).ext``, ``(2)``... whichever is not in ``used`` (a set of casefolded
    names, which it joins). Callers reserving names one at a time keep ``used`` between calls, so a
    batch costs O(n), not O(n^2)."""
    candidate = name
    counter = 0
    while candidate.casefold() in used:
        counter += 1
        stem, ext = _split_ext(name)
        suffix = f" ({counter})"
        room = max_bytes - len(ext.encode("utf-8")) - len(suffix)
        candidate = _truncate_utf8(stem, room) + suffix + ext
    used.add(candidate.casefold())
    return candidate


def filename_from_content_disposition(header: str | None) -> str | None:
    """The raw (unsanitised) file name of a ``Content-Disposition`` header, RFC 6266/5987 aware:
    ``filename*`` (UTF-8, percent-encoded) wins over the ASCII ``filename`` fallback (RFC 6266 4.3)."""
    if not header:
        return None
    from email.message import Message  # lazy: only needed when a server names the file
    from email.utils import collapse_rfc2231_value

    message = Message()
    message["content-disposition"] = header
    try:
        params = message.get_params(header="content-disposition") or []
        # RFC 2231 decoding turns ``filename*`` into a ``filename`` whose value is a (charset, lang, text) tuple.
        names = [value for key, value in params[1:] if key.lower() == "filename"]
        extended = [value for value in names if isinstance(value, tuple)]
        chosen = (extended or names)[0] if names else None
        found = None if chosen is None else collapse_rfc2231_value(chosen).strip()
    except (ValueError, LookupError):
        return None
    return found or None


def filename_from_url(url: str) -> str | None:
    """The last non-empty path segment of ``url``, percent-decoded (unsanitised)."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return unquote(segments[-1]) if segments else None


def first_name(candidates: Iterable[str | None], *, fallback: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """The first candidate that sanitises to something usable, else ``fallback`` made safe."""
    for candidate in candidates:
        cleaned = _clean(candidate or "", max_bytes)
        if cleaned:
            return cleaned
    return safe_filename(fallback, max_bytes=max_bytes)


# --- extensions ----------------------------------------------------------------------------------

_GENERIC_TYPES = frozenset(
    {
        "application/octet-stream",
        "binary/octet-stream",
        "application/binary",
        "application/unknown",
        "application/download",
        "application/force-download",
        "application/x-download",
    }
)
"""Content types that say nothing about the file: they never add an extension."""


@functools.cache
def _types() -> MimeTypes:
    """Python's built-in type table only (never the machine's mime.types): the same names everywhere."""
    from mimetypes import MimeTypes

    return MimeTypes()


def known_extension(name: str | None) -> str | None:
    """The extension of ``name`` when it names a known file type (``".pdf"``), else None
    (``"passport-scan"``, ``"statement-2024.03"``)."""
    _, ext = _split_ext(name or "")
    return ext if ext and _names_a_type(ext) else None


@functools.lru_cache(maxsize=1024)
def _names_a_type(ext: str) -> bool:
    return _types().guess_type(f"file{ext}", strict=False)[0] is not None


def extension_for(content_type: str | None) -> str | None:
    """The usual extension of a specific ``Content-Type`` (``application/pdf`` -> ``.pdf``); None for
    a generic one (``application/octet-stream``) or one Python does not know."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if not mime or mime in _GENERIC_TYPES:
        return None
    return _types().guess_extension(mime, strict=False)


def with_extension(name: str, *, disposition: str | None, content_type: str | None) -> str:
    """``name`` as given when it has a known extension; otherwise completed with the extension of the
    ``Content-Disposition`` name, else the one ``Content-Type`` stands for (unchanged if neither
    says). Not sanitised: pass the result through :func:`safe_filename` / :func:`first_name`."""
    if known_extension(name):
        return name
    extension = known_extension(disposition) or extension_for(content_type)
    return name + extension if extension else name
