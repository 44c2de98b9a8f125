"""The `docfetch` command line (console script and `python -m docfetch`).

Start-up stays fast: argparse only; rich, httpx and the provider modules load when a command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from .commands import EXIT_FAILED
from .commands import EXIT_INTERRUPTED
from .commands import EXIT_TERMINATED
from .commands import Terminated
from .parser import build_parser
from .report import describe
from .report import error_line

__all__ = ["build_parser", "main", "run"]

Handler = Callable[[argparse.Namespace], int]
EXIT_USAGE = 2


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _without_httpx_cli() -> None:
    """httpx imports its own command line (click, rich.syntax, pygments: ~0.1 s, 6 MiB) whenever click
    is installed, as it is with docfetch's emulators; this process never runs it, so httpx gets its
    fallback ``main`` instead (the import of ``httpx._main`` fails, which httpx expects)."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def run() -> NoReturn:
    """The ``docfetch`` command: :func:`main`, then the process ends without the interpreter's
    teardown (freeing every module and object: ~0.07 s that a finished command does not need; bench/
    NOTES.md). Everything a run promises is done before ``main`` returns (files placed and synced,
    the archive closed, the report printed); what is buffered is flushed here."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader is gone: as main() answers it
        code = code or EXIT_FAILED
    except (OSError, ValueError):
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    if "logging" in sys.modules:  # handlers a caller's configuration or -v installed
        sys.modules["logging"].shutdown()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _without_httpx_cli()
    given = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(given[0] if given else None)
    args = parser.parse_args(given)
    if getattr(args, "action", None) == "download":
        if not args.ids and args.ids_from is None:
            parser.error("give at least one ID, or --ids-from FILE")
        if args.verify_existing and args.archive is None:
            parser.error("--verify-existing needs --archive FILE")
    handler: Handler = args.handler
    debug: bool = getattr(args, "debug", False)
    verbose: int = getattr(args, "verbose", 0)
    if verbose:  # on stderr: stdout stays the results (--json, --jsonl)
        from docfetch.core.logs import log_to_stderr

        log_to_stderr("debug" if verbose > 1 else "info")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)  # like Ctrl-C: stop cleanly, report, exit 143
    try:
        return handler(args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        error_line("terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:  # e.g. `docfetch ... | head`: the reader is gone, say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:
        from docfetch.errors import DocfetchError
        from docfetch.errors import InvalidInputError

        if debug:
            import traceback

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
