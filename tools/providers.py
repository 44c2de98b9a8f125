"""The provider names for scripts that run without docfetch installed (nox, tools/generate.py): read
from docfetch's one file of provider facts, wrappers/src/docfetch/providers.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

FACTS = Path(__file__).resolve().parent.parent / "wrappers" / "src" / "docfetch" / "providers.toml"


def provider_names() -> tuple[str, ...]:
    return tuple(tomllib.loads(FACTS.read_text(encoding="utf-8")))
