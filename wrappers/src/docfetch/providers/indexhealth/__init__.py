"""Index Health documents: :class:`IndexHealthClient` and its async twin :class:`AsyncIndexHealthClient`
(see ``_async.py`` for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_indexhealth_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_clients
from docfetch.providers.indexhealth.rules import BASE_URL_ENV as BASE_URL_ENV
from docfetch.providers.indexhealth.rules import CLIENT_ID_ENV as CLIENT_ID_ENV
from docfetch.providers.indexhealth.rules import CLIENT_SECRET_ENV as CLIENT_SECRET_ENV
from docfetch.providers.indexhealth.rules import FACTS
from docfetch.providers.indexhealth.rules import FINGERPRINT_ENV as FINGERPRINT_ENV
from docfetch.providers.indexhealth.rules import LINK_LIFETIME as LINK_LIFETIME
from docfetch.providers.indexhealth.rules import USER_ENV as USER_ENV
from docfetch.providers.indexhealth.rules import DocumentNotFoundError as DocumentNotFoundError
from docfetch.providers.indexhealth.rules import DownloadMethod as DownloadMethod
from docfetch.providers.indexhealth.rules import MissingBaseUrlError as MissingBaseUrlError
from docfetch.providers.indexhealth.rules import MissingFieldsError as MissingFieldsError
from docfetch.providers.indexhealth.rules import UnauthorizedError as UnauthorizedError
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

if TYPE_CHECKING:
    from docfetch.providers.indexhealth._async import AsyncIndexHealthClient as AsyncIndexHealthClient
    from docfetch.providers.indexhealth._sync import IndexHealthClient as IndexHealthClient
else:  # each client loads when first named
    __getattr__ = lazy_clients(FACTS, globals())
