"""Index Health clients: ``from docfetch.indexhealth import IndexHealthClient`` (see docfetch.providers.indexhealth)."""

from docfetch.providers.indexhealth import *  # noqa: F403
