"""Contains endpoint functions for accessing the API (each module loads on first access)"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import create_job, get_job, list_job_outputs, list_jobs, update_job

__all__ = (
    "list_jobs",
    "create_job",
    "get_job",
    "update_job",
    "list_job_outputs",
)


def __getattr__(name: str) -> Any:
    # An endpoint module (and with it httpx) loads on first use, so importing this package stays light.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
