"""API2Convert clients: ``from docfetch.api2convert import Api2ConvertClient`` (see docfetch.providers.api2convert)."""

from docfetch.providers.api2convert import *  # noqa: F403
