"""Contains endpoint functions for accessing the API (each module loads on first access)"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import download_files, get_asset_url, list_files

__all__ = (
    "download_files",
    "list_files",
    "get_asset_url",
)


def __getattr__(name: str) -> Any:
    # An endpoint module (and with it httpx) loads on first use, so importing this package stays light.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
