"""Sarvam Document Intelligence clients: ``from docfetch.sarvam import SarvamClient`` (see docfetch.providers.sarvam)."""

from docfetch.providers.sarvam import *  # noqa: F403
from docfetch.providers.sarvam import __all__ as __all__
