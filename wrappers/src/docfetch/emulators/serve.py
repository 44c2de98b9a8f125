"""Run an ASGI app with uvicorn (h11, optionally over TLS) in a background thread on a socket bound here."""

from __future__ import annotations

import logging
import socket
import threading
import time

from ._asgi import ASGIApp
from ._asgi import DeliberateAbort

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class _HideDeliberateAborts(logging.Filter):
    """Injected drop/short faults end in DeliberateAbort; uvicorn would log each as an app crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DeliberateAbort))


_filter_installed = False


def _install_log_filter() -> None:
    global _filter_installed
    if not _filter_installed:
        logging.getLogger("uvicorn.error").addFilter(_HideDeliberateAborts())
        _filter_installed = True


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 picks a free port (read it back from the socket)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the proto says TCP.
    # Without it, a response written in two parts (head, body) waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_for(sock: socket.socket, scheme: str = "http") -> str:
    """scheme://host:port for a bound socket; wildcard hosts map to loopback so the URL is usable."""
    host, port = sock.getsockname()[:2]
    if host == "0.0.0.0":
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


class ServerThread:
    """One uvicorn server on an already-bound socket, started and stopped from the calling thread."""

    def __init__(self, app: ASGIApp, sock: socket.socket, name: str, *, tls_pem: str | None = None) -> None:
        """`tls_pem`: a PEM file with the private key and certificate chain; the server then speaks HTTPS."""
        import uvicorn  # deferred: the emulators extra is optional

        _install_log_filter()
        self.sock = sock
        config = uvicorn.Config(
            app,
            http="h11",
            ws="none",
            loop="asyncio",
            lifespan="auto",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
            ssl_certfile=tls_pem,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"docfetch-emulator-{name}", daemon=True)
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self.sock])
        except BaseException as exc:  # reported by start() or stop(), not lost in the thread
            self._error = exc

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"emulator server failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"emulator server did not start within {timeout} s")
            time.sleep(0.01)

    def request_stop(self) -> None:
        """Ask the server to exit without waiting (stop several at once, then `stop()` each)."""
        self._server.should_exit = True

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        self.request_stop()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)
        self.sock.close()
