"""The file-name sanitiser: examples and hypothesis properties (hostile names never escape)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from docfetch import safe_filename
from docfetch.core.filenames import MAX_NAME_BYTES
from docfetch.core.filenames import PART_SUFFIX
from docfetch.core.filenames import filename_from_content_disposition
from docfetch.core.filenames import filename_from_url
from docfetch.core.filenames import unique_names
from docfetch.errors import UnsafeFileNameError
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
hostile_parts = st.sampled_from(
    ["..", ".", "/", "\\", "\x00", "C:", "~", "CON", "nul.txt", "\u202e", "\n", " ", "%2e%2e"]
)
hostile_names = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(hostile_parts, st.text(max_size=10)), max_size=12).map("".join),
)


def assert_safe(name: str) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in RESERVED
    assert not name.endswith(PART_SUFFIX)
    assert not any(c in name for c in '<>:"|?*')


@given(hostile_names)
@example("../../etc/passwd")
@example("..\\..\\windows\\system32")
@example("/absolute/path")
@example("C:\\boot.ini")
@example("a\x00b")
@example("CON")
@example("lpt1.txt")
@example("x" * 1000 + ".pdf")
@example("é" * 300)
@example(".docfetch-part")
@example(". .pdf")  # a leading dot behind a space once survived the strip
def test_sanitised_names_are_always_safe(name: str) -> None:
    assert_safe(safe_filename(name))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_names)
def test_sanitised_names_stay_inside_the_directory(tmp_path: Path, name: str) -> None:
    target = (tmp_path / safe_filename(name)).resolve()
    assert target.parent == tmp_path.resolve()
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # the name is creatable as is
    os.close(fd)
    os.unlink(target)


@given(st.lists(hostile_names, max_size=15))
def test_unique_names_are_distinct_and_safe(names: list[str]) -> None:
    result = unique_names([safe_filename(n) for n in names])
    assert len({n.casefold() for n in result}) == len(result)
    for name in result:
        assert_safe(name)


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=40))
def test_ordinary_names_are_kept(stem: str) -> None:
    name = unicodedata.normalize("NFC", stem) + ".pdf"
    if name.split(".")[0].upper() not in RESERVED and len(name.encode()) <= MAX_NAME_BYTES:
        assert safe_filename(name) == name


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..", "download"),
        ("", "download"),
        ("CON.txt", "_CON.txt"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("\u202egnp.exe", "gnp.exe"),
        (".bashrc", "bashrc"),
        ("report?.pdf", "report_.pdf"),
        ("x.docfetch-part", "x_part"),
    ],
)
def test_examples(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_length_limit_keeps_extension() -> None:
    name = safe_filename("é" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= MAX_NAME_BYTES


def test_strict_mode_refuses_instead_of_fixing() -> None:
    assert safe_filename("fine.pdf", strict=True) == "fine.pdf"
    with pytest.raises(UnsafeFileNameError):
        safe_filename("../x", strict=True)


def test_fallback() -> None:
    assert safe_filename("..", fallback="doc-1") == "doc-1"
    assert safe_filename(None, fallback="../..") == "download"


def test_collisions_and_case() -> None:
    assert unique_names(["a.pdf", "A.pdf", "a.pdf", "b"]) == ["a.pdf", "A (1).pdf", "a (2).pdf", "b"]
    assert unique_names(["a.pdf"], taken=["a.pdf", "a (1).pdf"]) == ["a (2).pdf"]


def test_header_and_url_names() -> None:
    assert (
        filename_from_content_disposition('attachment; filename="document-name.pdf"') == "document-name.pdf"
    )
    assert (
        filename_from_content_disposition("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf")
        == "€ rates.pdf"
    )
    assert filename_from_content_disposition(None) is None
    assert filename_from_content_disposition("inline") is None
    assert filename_from_url("https://s3.test/b/path/My%20File.pdf?X-Amz-Signature=abc") == "My File.pdf"
    assert filename_from_url("https://s3.test/") is None
