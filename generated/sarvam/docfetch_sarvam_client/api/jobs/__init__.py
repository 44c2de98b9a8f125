"""Contains endpoint functions for accessing the API (each module loads on first access)"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import create_job, get_download_links, get_job_status, start_job, upload_files

__all__ = (
    "create_job",
    "upload_files",
    "start_job",
    "get_job_status",
    "get_download_links",
)


def __getattr__(name: str) -> Any:
    # An endpoint module (and with it httpx) loads on first use, so importing this package stays light.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
