"""`docfetch emulate PROVIDER`: serve a local emulator (needs the `emulators` extra)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import sys
import threading
from types import FrameType

from .providers import PROVIDERS

EMULATORS_HINT = "pip install 'docfetch[emulators]'"
EMULATOR_DEPENDENCIES = ("fastapi", "uvicorn", "pydantic")
EXAMPLE = """\
example:
  $ docfetch emulate telnyx --port 0
  {"provider": "telnyx", "base_url": "http://127.0.0.1:35733/v2", "api_key": "KEY...", "ids": [...], ...}
  # in another shell, with the variables the line names:
  $ TELNYX_BASE_URL=http://127.0.0.1:35733/v2 TELNYX_API_KEY=KEY... docfetch telnyx download ID --out docs
  # --tls: https URLs and "ca_cert" (a PEM file to trust, e.g. SSL_CERT_FILE=<ca_cert>)
"""


def add_emulate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    emulate = commands.add_parser(
        "emulate",
        help="serve a local emulator of a provider's API",
        description="Serve a local emulator; prints one JSON line (base_url, credentials, ids), "
        "then serves until SIGINT/SIGTERM.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    emulate.add_argument("provider", choices=tuple(PROVIDERS), metavar="PROVIDER", help=", ".join(PROVIDERS))
    emulate.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    emulate.add_argument("--port", type=int, default=0, help="API port (default 0: a free port)")
    emulate.add_argument("--storage-port", type=int, default=0, help="storage port (default 0: a free port)")
    emulate.add_argument(
        "--tls",
        action="store_true",
        help="serve API and storage over HTTPS with a certificate from a new local CA (path in ca_cert)",
    )
    emulate.add_argument(
        "--drift",
        action="store_true",
        help="answer like a newer API version: unknown fields and enum values, optional fields left out, "
        "timestamps with a UTC offset",
    )
    emulate.set_defaults(handler=run_emulate)


def run_emulate(args: argparse.Namespace) -> int:
    missing = [name for name in EMULATOR_DEPENDENCIES if importlib.util.find_spec(name) is None]
    if missing:
        print(f"docfetch emulate needs {' and '.join(missing)}: {EMULATORS_HINT}", file=sys.stderr)
        return 2
    from docfetch.emulators import load_builder
    from docfetch.emulators import run_emulator

    try:
        builder = load_builder(args.provider)
    except ModuleNotFoundError as exc:  # a dependency of the provider module, e.g. the emulator models
        print(
            f"docfetch emulate {args.provider}: missing module {exc.name}: {EMULATORS_HINT}", file=sys.stderr
        )
        return 2

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with run_emulator(
            args.provider,
            host=args.host,
            port=args.port,
            storage_port=args.storage_port,
            builder=builder,
            tls=args.tls,
            drift=args.drift,
        ) as running:
            print(json.dumps(running.info()), flush=True)
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
