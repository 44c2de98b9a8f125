"""API2Convert clients: ``from docfetch.api2convert import Api2ConvertClient`` (see docfetch.providers.api2convert)."""

from typing import TYPE_CHECKING

from docfetch.providers.api2convert import *  # noqa: F403

if not TYPE_CHECKING:  # the clients, loaded when first named
    from docfetch.providers.api2convert import __getattr__ as __getattr__
