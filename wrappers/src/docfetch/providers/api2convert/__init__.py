"""API2Convert: :class:`Api2ConvertClient` and its async twin :class:`AsyncApi2ConvertClient` (see
``rules.py`` and ``outputs.py`` for the decisions), with the generated models they return."""

from typing import TYPE_CHECKING

from docfetch_api2convert_client.models import *  # noqa: F403 - the models the clients return, from one import root

from docfetch.core.lazy import lazy_clients
from docfetch.errors import JobNotStartedError as JobNotStartedError
from docfetch.providers.api2convert.outputs import DownloadPasswordError as DownloadPasswordError
from docfetch.providers.api2convert.outputs import OutputDisabledError as OutputDisabledError
from docfetch.providers.api2convert.outputs import OutputExpiredError as OutputExpiredError
from docfetch.providers.api2convert.outputs import OutputLinkRefusedError as OutputLinkRefusedError
from docfetch.providers.api2convert.outputs import OutputOveruseError as OutputOveruseError
from docfetch.providers.api2convert.outputs import OutputUnavailableError as OutputUnavailableError
from docfetch.providers.api2convert.rules import API_KEY_ENV as API_KEY_ENV
from docfetch.providers.api2convert.rules import BASE_URL_ENV as BASE_URL_ENV
from docfetch.providers.api2convert.rules import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from docfetch.providers.api2convert.rules import FACTS
from docfetch.providers.api2convert.rules import ConversionFailedError as ConversionFailedError
from docfetch.providers.api2convert.rules import JobCanceledError as JobCanceledError
from docfetch.providers.api2convert.rules import PaymentRequiredError as PaymentRequiredError
from docfetch.types import FileResult as FileResult
from docfetch.types import Link as Link

if TYPE_CHECKING:
    from docfetch.providers.api2convert._async import AsyncApi2ConvertClient as AsyncApi2ConvertClient
    from docfetch.providers.api2convert._sync import Api2ConvertClient as Api2ConvertClient
else:  # each client loads when first named
    __getattr__ = lazy_clients(FACTS, globals())
