"""Telnyx Documents clients: ``from docfetch.telnyx import TelnyxClient`` (see docfetch.providers.telnyx)."""

from docfetch.providers.telnyx import *  # noqa: F403
