"""Veridox Files: :class:`VeridoxClient` and its async twin :class:`AsyncVeridoxClient` (see ``_async.py``
for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_veridox_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_clients
from docfetch.providers.veridox.rules import API_KEY_ENV as API_KEY_ENV
from docfetch.providers.veridox.rules import BASE_URL_ENV as BASE_URL_ENV
from docfetch.providers.veridox.rules import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from docfetch.providers.veridox.rules import FACTS
from docfetch.providers.veridox.rules import FILE_ID_PATTERN as FILE_ID_PATTERN
from docfetch.providers.veridox.rules import MAX_IDS_PER_REQUEST as MAX_IDS_PER_REQUEST
from docfetch.providers.veridox.rules import REQUESTS_PER_MINUTE as REQUESTS_PER_MINUTE
from docfetch.providers.veridox.rules import SignedUrl as SignedUrl
from docfetch.providers.veridox.rules import VeridoxFileAccessError as VeridoxFileAccessError
from docfetch.providers.veridox.rules import VeridoxFileError as VeridoxFileError
from docfetch.providers.veridox.rules import VeridoxFileNotFoundError as VeridoxFileNotFoundError
from docfetch.providers.veridox.rules import VeridoxFileNotUploadedError as VeridoxFileNotUploadedError
from docfetch.providers.veridox.rules import parse_veridox_error as parse_veridox_error
from docfetch.providers.veridox.rules import shared_rate_limiter as shared_rate_limiter
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

if TYPE_CHECKING:
    from docfetch.providers.veridox._async import AsyncVeridoxClient as AsyncVeridoxClient
    from docfetch.providers.veridox._sync import VeridoxClient as VeridoxClient
else:  # each client loads when first named
    __getattr__ = lazy_clients(FACTS, globals())
