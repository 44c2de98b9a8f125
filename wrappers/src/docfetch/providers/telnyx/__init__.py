"""Telnyx Documents: :class:`TelnyxClient` and its async twin :class:`AsyncTelnyxClient` (see
``_async.py`` for the decisions), with the generated models they return."""

from docfetch_telnyx_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.providers.telnyx._async import AsyncTelnyxClient as AsyncTelnyxClient
from docfetch.providers.telnyx._sync import TelnyxClient as TelnyxClient
from docfetch.providers.telnyx.rules import FACTS
from docfetch.providers.telnyx.rules import DownloadMethod as DownloadMethod
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url
