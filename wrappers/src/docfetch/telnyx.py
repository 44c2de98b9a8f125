"""Telnyx Documents clients: ``from docfetch.telnyx import TelnyxClient`` (see docfetch.providers.telnyx)."""

from typing import TYPE_CHECKING

from docfetch.providers.telnyx import *  # noqa: F403

if not TYPE_CHECKING:  # the clients, loaded when first named
    from docfetch.providers.telnyx import __getattr__ as __getattr__
