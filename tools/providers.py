"""The provider names for scripts that run without docfetch installed (nox, tools/generate.py): read
from docfetch's one list of provider facts, wrappers/src/docfetch/_registry.py (stdlib only)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent.parent / "wrappers" / "src" / "docfetch" / "_registry.py"


def provider_names() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("docfetch_registry", REGISTRY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return tuple(module.PROVIDERS)
