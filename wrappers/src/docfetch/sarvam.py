"""Sarvam Document Intelligence clients: ``from docfetch.sarvam import SarvamClient`` (see docfetch.providers.sarvam)."""

from docfetch.providers.sarvam import *  # noqa: F403
