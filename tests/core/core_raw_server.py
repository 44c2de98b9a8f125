"""A scripted raw HTTP/1.1 server for the direct-path tests (sync and async): each request gets the next
raw answer, so framing, hang-ups and protocol errors can be produced exactly."""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections import deque

HANG_UP = b"\0hang up"  # ends a scripted answer: the server closes the connection after sending it
PAUSE = b"\0pause"  # inside a scripted answer: the server sends what came before, waits 0.1 s, goes on


class RawServer:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 answering each request with the next scripted raw
    answer (``None``: close the connection without answering; b"": never answer). Counts connections."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.answers: deque[bytes | None] = deque()
        self.connections = 0
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server.connections += 1
                sock: socket.socket = self.request
                if context is not None:
                    sock = context.wrap_socket(sock, server_side=True)
                buffer = b""
                while True:
                    while b"\r\n\r\n" not in buffer:
                        data = sock.recv(65536)
                        if not data:
                            return
                        buffer += data
                    _, _, buffer = buffer.partition(b"\r\n\r\n")
                    answer = server.answers.popleft() if server.answers else ok(b"hello")
                    if answer is None:
                        return
                    if answer == b"":
                        threading.Event().wait(5)
                        return
                    closing = answer.endswith(HANG_UP)
                    *parts, last = answer.removesuffix(HANG_UP).split(PAUSE)
                    for part in parts:
                        sock.sendall(part)
                        time.sleep(0.1)
                    sock.sendall(last)
                    if closing or answer.startswith(b"HTTP/1.0") or b"connection: close" in answer:
                        return

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def port(self) -> int:
        port: int = self._server.server_address[1]
        return port

    def url(self, path: str = "/x", scheme: str = "http", host: str = "127.0.0.1") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)
