"""What the command line knows about each provider (the facts are in :mod:`docfetch._registry`): how to
load its client class, and the environment an emulator's JSON line stands for.

Provider modules are imported only when a command runs (a client's first use loads httpx and the
generated client), so ``docfetch --help`` stays fast.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any

from docfetch._registry import PROVIDERS
from docfetch._registry import ProviderFacts

if TYPE_CHECKING:
    from docfetch.core._sync.client import DocumentClient

__all__ = ["PROVIDERS", "ProviderFacts", "environment_for", "load_client_class"]


def load_client_class(provider: str) -> type[DocumentClient]:
    """The synchronous client class of ``provider`` (imported now, not at start-up)."""
    from docfetch.errors import DocfetchError

    info = PROVIDERS[provider]
    try:
        module = importlib.import_module(info.module)
    except ModuleNotFoundError as exc:  # a broken installation, e.g. its generated client is missing
        raise DocfetchError(f"{provider}: cannot load the client ({exc}); reinstall docfetch") from exc
    client_class: type[DocumentClient] = getattr(module, info.client_class)
    return client_class


def environment_for(info_line: Mapping[str, Any]) -> dict[str, str]:
    """The environment variables the CLI reads, from an emulator's JSON line (``docfetch emulate``)."""
    provider = PROVIDERS[str(info_line["provider"])]
    env = {provider.base_url_env: str(info_line["base_url"])}
    for key, variable in provider.credentials.items():
        value = info_line[key]
        env[variable] = value if isinstance(value, str) else json.dumps(value)
    return env
