"""One TLS context per client, whose trusted certificates load at the first TLS handshake.

httpx builds a context for every client it makes (``httpx.create_ssl_context``), at construction and
even for http:// URLs; loading the CA bundle costs 30-90 ms of CPU here (the system bundle named by
``SSL_CERT_FILE`` holds ~140 certificates). A docfetch client makes two httpx clients (API and
storage) and, in sync code, the direct storage path (:mod:`docfetch.core.direct`) needs one too:
they all share one :class:`OnDemandTrust`, which costs nothing until an https URL is met.

It trusts what httpx's default context trusts, chosen from the environment when it is made:
``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi's bundle (``tests/core`` compares it with
``httpx.create_ssl_context()``).
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any

__all__ = ["OnDemandTrust"]


class OnDemandTrust(ssl.SSLContext):
    """A verifying client context (as ``ssl.create_default_context`` makes one) whose CA certificates
    are loaded by the first ``wrap_socket`` / ``wrap_bio`` (every TLS connection goes through one)."""

    _cafile: str | None
    _capath: str | None
    _loaded: bool
    _load_lock: threading.Lock

    def __new__(cls) -> OnDemandTrust:
        context = super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)
        if sys.version_info >= (3, 13):  # what create_default_context adds there
            context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            context.keylog_filename = keylog
        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if not cafile and not capath:
            import certifi  # httpx's default

            cafile = certifi.where()
        context._cafile, context._capath = (cafile, None) if cafile else (None, capath)
        context._loaded = False
        context._load_lock = threading.Lock()
        return context

    def __init__(self) -> None:  # ssl.SSLContext takes its protocol in __new__
        pass

    def _trust(self) -> None:
        if self._loaded:
            return
        with self._load_lock:
            if not self._loaded:
                self.load_verify_locations(cafile=self._cafile, capath=self._capath)
                self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._trust()
        return super().wrap_bio(*args, **kwargs)
