"""Index Health clients: ``from docfetch.indexhealth import IndexHealthClient`` (see docfetch.providers.indexhealth)."""

from typing import TYPE_CHECKING

from docfetch.providers.indexhealth import *  # noqa: F403

if not TYPE_CHECKING:  # the clients, loaded when first named
    from docfetch.providers.indexhealth import __getattr__ as __getattr__
