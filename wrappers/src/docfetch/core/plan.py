"""Small pieces the pipeline and the provider resolvers share (no I/O)."""

from __future__ import annotations

from docfetch.errors import DocfetchError
from docfetch.errors import DownloadError
from docfetch.errors import InvalidInputError

__all__ = ["DEFAULT_WAIT", "Order", "as_docfetch_error", "check_concurrency", "check_wait_timeout"]

DEFAULT_WAIT = 600.0
"""Seconds ``download`` waits for each job to end, unless told otherwise."""

Order = tuple[int, int]
"""Where a result belongs in the caller's order: (position of its id in the input, emission count)."""


def check_concurrency(concurrency: int) -> int:
    if not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidInputError(f"concurrency must be a whole number >= 1, not {concurrency!r}")
    return concurrency


def check_wait_timeout(seconds: float) -> float:
    if not isinstance(seconds, int | float) or not seconds >= 0:  # also rejects NaN
        raise InvalidInputError(f"wait_timeout must be >= 0 seconds, not {seconds!r}")
    return float(seconds)


def as_docfetch_error(exc: Exception) -> DocfetchError:
    """Any failure of one item as a DocfetchError (an unexpected one wrapped, its cause kept)."""
    if isinstance(exc, DocfetchError):
        return exc
    error = DownloadError(f"unexpected {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error
