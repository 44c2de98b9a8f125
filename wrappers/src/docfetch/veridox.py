"""Veridox Files clients: ``from docfetch.veridox import VeridoxClient`` (see docfetch.providers.veridox)."""

from typing import TYPE_CHECKING

from docfetch.providers.veridox import *  # noqa: F403

if not TYPE_CHECKING:  # the clients, loaded when first named
    from docfetch.providers.veridox import __getattr__ as __getattr__
