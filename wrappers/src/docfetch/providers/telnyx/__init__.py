"""Telnyx Documents: :class:`TelnyxClient` and its async twin :class:`AsyncTelnyxClient` (see
``_async.py`` for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_telnyx_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_clients
from docfetch.providers.telnyx.rules import API_KEY_ENV as API_KEY_ENV
from docfetch.providers.telnyx.rules import BASE_URL_ENV as BASE_URL_ENV
from docfetch.providers.telnyx.rules import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from docfetch.providers.telnyx.rules import FACTS
from docfetch.providers.telnyx.rules import DownloadMethod as DownloadMethod
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

if TYPE_CHECKING:
    from docfetch.providers.telnyx._async import AsyncTelnyxClient as AsyncTelnyxClient
    from docfetch.providers.telnyx._sync import TelnyxClient as TelnyxClient
else:  # each client loads when first named
    __getattr__ = lazy_clients(FACTS, globals())
