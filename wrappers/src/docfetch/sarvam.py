"""Sarvam Document Intelligence clients: ``from docfetch.sarvam import SarvamClient`` (see docfetch.providers.sarvam)."""

from typing import TYPE_CHECKING

from docfetch.providers.sarvam import *  # noqa: F403

if not TYPE_CHECKING:  # the clients, loaded when first named
    from docfetch.providers.sarvam import __getattr__ as __getattr__
