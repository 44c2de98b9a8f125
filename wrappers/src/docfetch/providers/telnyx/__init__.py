"""Telnyx Documents: :class:`TelnyxClient` and its async twin :class:`AsyncTelnyxClient` (see
``_async.py`` for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_telnyx_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_attributes
from docfetch.providers.telnyx.rules import FACTS
from docfetch.providers.telnyx.rules import DownloadMethod as DownloadMethod
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

if TYPE_CHECKING:
    from docfetch.providers.telnyx._async import AsyncTelnyxClient as AsyncTelnyxClient
    from docfetch.providers.telnyx._sync import TelnyxClient as TelnyxClient
else:  # the clients load when first named: the sync client never loads the async one, nor the reverse
    __getattr__ = lazy_attributes(
        {
            "TelnyxClient": "docfetch.providers.telnyx._sync",
            "AsyncTelnyxClient": "docfetch.providers.telnyx._async",
        },
        globals(),
    )
