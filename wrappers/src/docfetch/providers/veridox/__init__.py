"""Veridox Files: :class:`VeridoxClient` and its async twin :class:`AsyncVeridoxClient` (see ``_async.py``
for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_veridox_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_attributes
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

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

if TYPE_CHECKING:
    from docfetch.providers.veridox._async import AsyncVeridoxClient as AsyncVeridoxClient
    from docfetch.providers.veridox._sync import VeridoxClient as VeridoxClient
else:  # the clients load when first named: the sync client never loads the async one, nor the reverse
    __getattr__ = lazy_attributes(
        {
            "VeridoxClient": "docfetch.providers.veridox._sync",
            "AsyncVeridoxClient": "docfetch.providers.veridox._async",
        },
        globals(),
    )
