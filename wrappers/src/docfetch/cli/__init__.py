"""The `docfetch` command line (console script and `python -m docfetch`).

Start-up stays fast: argparse only; rich, httpx and the provider modules load when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from .parser import build_parser
from .report import describe, error_line

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    debug: bool = getattr(args, "debug", False)
    try:
        return handler(args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `docfetch ... | head`: the reader is gone, say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:
        from docfetch.errors import DocfetchError, InvalidInputError

        if debug:
            traceback.print_exc()
        if isinstance(exc, InvalidInputError):
            error_line(f"error: {describe(exc)}")
            return EXIT_USAGE
        if isinstance(exc, DocfetchError):
            error_line(describe(exc))
        else:
            hint = "" if debug else " (run again with --debug for the traceback)"
            error_line(f"unexpected {type(exc).__name__}: {describe(exc)}{hint}")
        return EXIT_FAILED
