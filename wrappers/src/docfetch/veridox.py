"""Veridox Files clients: ``from docfetch.veridox import VeridoxClient`` (see docfetch.providers.veridox)."""

from docfetch.providers.veridox import *  # noqa: F403
