"""Index Health rules, shared by both clients (no I/O): settings and credentials checked at
construction, the token request and answer, document ids, the typed errors of its statuses
(435/437 and its ``{statusCode, data, message}`` envelope) and links.

The token endpoint needs client credentials plus the end user the token is issued for; the user comes
from ``user=`` or ``INDEXHEALTH_USER`` (a JSON object) and is checked here with the service's own rules
(``first_name``, ``last_name`` and one of ``email`` / ``date_of_birth`` / ``uid`` / ``eid``), so a bad
value fails at construction instead of as a 400 on the first request.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from datetime import datetime
from datetime import timedelta
from typing import TYPE_CHECKING
from typing import Literal

from docfetch_indexhealth_client.models import AuthUser
from docfetch_indexhealth_client.models import ClientAuthTokenRequest
from docfetch_indexhealth_client.models import ClientAuthTokenResponse

from docfetch._registry import facts
from docfetch.core.filenames import filename_from_url
from docfetch.core.filenames import first_name
from docfetch.core.hints import is_small_json
from docfetch.core.retry import DOWNLOAD_RETRY
from docfetch.core.settings import check_base_url
from docfetch.core.settings import check_id as check_text_id
from docfetch.core.settings import setting
from docfetch.errors import APIStatusError
from docfetch.errors import AuthenticationError
from docfetch.errors import AuthFlowError
from docfetch.errors import InvalidInputError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import NonStandardStatusError
from docfetch.errors import NotFoundError
from docfetch.errors import PermissionDeniedError
from docfetch.types import Link

if TYPE_CHECKING:
    import httpx

    from docfetch.core.auth import Token

FACTS = facts("indexhealth")
PROVIDER = FACTS.name
CLIENT_ID_ENV = FACTS.credentials["client_id"]
CLIENT_SECRET_ENV = FACTS.credentials["client_secret"]
FINGERPRINT_ENV = FACTS.credentials["fingerprint"]
USER_ENV = FACTS.credentials["user"]
BASE_URL_ENV = FACTS.base_url_env
USER_IDENTIFIERS = ("email", "date_of_birth", "uid", "eid")
USER_FIELDS = frozenset({"first_name", "last_name", "phone", "group_name", *USER_IDENTIFIERS})
REFRESH_MARGIN = 30.0  # renew this long before expiry (a tenth of the lifetime for short-lived tokens)

UserInput = AuthUser | Mapping[str, object] | str


class MissingBaseUrlError(MissingCredentialsError):
    """No base URL: Index Health issues one per customer and publishes no default."""

    def __init__(self) -> None:
        super().__init__(BASE_URL_ENV, PROVIDER)
        self.args = (
            f"{PROVIDER}: no base URL given; Index Health issues one per customer (there is no public "
            f"default), so pass base_url= or set the environment variable {BASE_URL_ENV}",
        )


def base_url_setting(value: str | None) -> str:
    """The API base URL from the argument or INDEXHEALTH_BASE_URL; an http(s) URL, required."""
    try:
        url = setting(value, BASE_URL_ENV, provider=PROVIDER)
    except MissingCredentialsError:
        raise MissingBaseUrlError() from None
    return check_base_url(url, provider=PROVIDER, env_var=BASE_URL_ENV)


def _user_problem(data: Mapping[str, object]) -> str | None:
    not_text = sorted(key for key, value in data.items() if not isinstance(value, str))
    if not_text:
        return f"values must be strings ({', '.join(not_text)})"
    unknown = sorted(set(data) - USER_FIELDS)
    if unknown:
        return f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(USER_FIELDS))}"
    filled = {key for key, value in data.items() if isinstance(value, str) and value.strip()}
    missing = [key for key in ("first_name", "last_name") if key not in filled]
    if missing:
        return f"missing {' and '.join(missing)}"
    if not filled.intersection(USER_IDENTIFIERS):
        return f"needs one of {', '.join(USER_IDENTIFIERS)}"
    return None


def parse_user(value: UserInput, *, source: str = USER_ENV) -> AuthUser:
    """The end user tokens are issued for, from a model, a mapping or a JSON object text."""
    data: object
    if isinstance(value, AuthUser):
        data = value.to_dict()
    elif isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError as exc:
            raise InvalidInputError(f"{source} is not valid JSON ({exc.args[0]})") from None
    else:
        data = dict(value)
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"{source} must be a JSON object like "
            '{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}'
        )
    problem = _user_problem(data)
    if problem is not None:
        raise InvalidInputError(f"{source}: {problem}")
    return AuthUser.from_dict(data)


def token_request(
    client_id: str | None, client_secret: str | None, fingerprint: str | None, user: UserInput | None
) -> ClientAuthTokenRequest:
    """The token request body from arguments or the environment; MissingCredentialsError names the variable."""
    found_id = setting(client_id, CLIENT_ID_ENV, provider=PROVIDER)
    found_secret = setting(client_secret, CLIENT_SECRET_ENV, provider=PROVIDER)
    found_fingerprint = setting(fingerprint, FINGERPRINT_ENV, provider=PROVIDER)
    found_user = user if user is not None else setting(None, USER_ENV, provider=PROVIDER)
    return ClientAuthTokenRequest(
        client_id=found_id,
        client_secret=found_secret,
        fingerprint=found_fingerprint,
        user=parse_user(found_user, source=USER_ENV if user is None else "user"),
    )


def token_lifetime(token: str) -> float | None:
    """``exp - iat`` of a JWT (both on the issuer's clock, so local clock skew does not matter).

    The signature is not checked: the lifetime only decides when to ask for a new token. None when the
    token is not a JWT with numeric ``exp`` and ``iat``.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        lifetime = float(claims["exp"]) - float(claims["iat"])
    except (ValueError, KeyError, TypeError):
        return None
    return lifetime if math.isfinite(lifetime) and lifetime >= 0 else None


def token_from(answer: ClientAuthTokenResponse) -> Token:
    from docfetch.core.auth import Token  # with httpx: loaded once a token is actually fetched

    """The bearer token of a 200 answer: ``data.auth_token``, else ``data.access_token`` (the docs show both)."""
    value = answer.data.auth_token or answer.data.access_token
    if not isinstance(value, str) or not value.strip():
        raise AuthFlowError(f"{PROVIDER}: the token endpoint answered 200 without auth_token or access_token")
    lifetime = token_lifetime(value)
    expires_in = None if lifetime is None else lifetime - min(REFRESH_MARGIN, lifetime / 10)
    return Token(value.strip(), expires_in=expires_in)


def exchange_refused(error: APIStatusError) -> AuthFlowError:
    """A refused token exchange (400 missing fields, 401 bad client) as AuthFlowError with the provider's words."""
    if error.status_code == 400:
        hint = f"check {USER_ENV}, {CLIENT_ID_ENV}, {CLIENT_SECRET_ENV} and {FINGERPRINT_ENV}"
    else:
        hint = f"check {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}"
    said = error.message or "no message"
    refused = AuthFlowError(f"{PROVIDER}: token exchange refused (HTTP {error.status_code}): {said}; {hint}")
    refused.__cause__ = error
    return refused


DownloadMethod = Literal["direct", "signed_url"]
DOWNLOAD_METHODS: tuple[DownloadMethod, ...] = ("direct", "signed_url")
LINK_LIFETIME = timedelta(hours=1)
"""How long a presigned URL from ``POST /download`` is valid (documented)."""


class MissingFieldsError(NonStandardStatusError):
    """435 "Missing Required Fields": an empty id ("Document ID is required"), or a URL-based document
    that has no file to download ("Document has no file path")."""


class DocumentNotFoundError(NonStandardStatusError, NotFoundError):
    """437 "Document not found": no document with this id (catch it as a ``NotFoundError`` too)."""


class UnauthorizedError(PermissionDeniedError, AuthenticationError):
    """403 "UNAUTHORIZED": the bearer token was refused even after one fresh exchange."""


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    403: UnauthorizedError,
    435: MissingFieldsError,
    437: DocumentNotFoundError,
}


def check_method(method: str) -> DownloadMethod:
    for known in DOWNLOAD_METHODS:
        if method == known:
            return known
    raise InvalidInputError(f"method must be one of {', '.join(DOWNLOAD_METHODS)}, not {method!r}")


def check_collection_id(collection_id: str) -> str:
    if not isinstance(collection_id, str) or not collection_id.strip():
        raise InvalidInputError(f"invalid collection id {collection_id!r}: must be a non-empty string")
    return collection_id


def engine_handles(status: int) -> bool:
    """Statuses the download engine must see itself: success, 3xx, 416 and the retried ones."""
    return status < 400 or status == 416 or status in DOWNLOAD_RETRY.retry_statuses


def link_for(document_id: str, url: str, asked_at: datetime) -> Link:
    raw = filename_from_url(url)
    name = first_name([raw], fallback=document_id) if raw else None
    return Link(document_id, name, url, asked_at + LINK_LIFETIME)


def check_document_id(given: str) -> str:
    """A document id is sent as one path segment: no ``/``, not ``.`` or ``..``; the rest is encoded."""
    check_text_id(given, what=FACTS.id_what)
    if "/" in given:
        raise InvalidInputError(f"invalid document id {given!r}: '/' is not allowed")
    if given.strip() in (".", ".."):
        raise InvalidInputError(f"invalid document id {given!r}: not an id")
    return given


def envelope_status(response: httpx.Response) -> int | None:
    """The ``statusCode`` (``status`` on the token endpoint) a small JSON body states, if any: Index
    Health may answer HTTP 200 with an error envelope."""
    if not is_small_json(response):
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    found = data.get("statusCode", data.get("status"))
    return found if isinstance(found, int) and not isinstance(found, bool) else None
