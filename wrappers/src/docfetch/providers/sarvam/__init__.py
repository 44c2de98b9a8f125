"""Sarvam Document Intelligence: :class:`SarvamClient` and its async twin :class:`AsyncSarvamClient`
(see ``_async.py`` for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_sarvam_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_clients
from docfetch.providers.sarvam.rules import API_KEY_ENV as API_KEY_ENV
from docfetch.providers.sarvam.rules import BASE_URL_ENV as BASE_URL_ENV
from docfetch.providers.sarvam.rules import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from docfetch.providers.sarvam.rules import FACTS
from docfetch.providers.sarvam.rules import INPUT_SUFFIXES as INPUT_SUFFIXES
from docfetch.providers.sarvam.rules import MAX_INPUT_BYTES as MAX_INPUT_BYTES
from docfetch.providers.sarvam.rules import InputChangedError as InputChangedError
from docfetch.providers.sarvam.rules import InvalidApiKeyError as InvalidApiKeyError
from docfetch.providers.sarvam.rules import JobNotStartedError as JobNotStartedError
from docfetch.providers.sarvam.rules import JobOutcome as JobOutcome
from docfetch.providers.sarvam.rules import JobRun as JobRun
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

if TYPE_CHECKING:
    from docfetch.providers.sarvam._async import AsyncSarvamClient as AsyncSarvamClient
    from docfetch.providers.sarvam._sync import SarvamClient as SarvamClient
else:  # each client loads when first named
    __getattr__ = lazy_clients(FACTS, globals())
