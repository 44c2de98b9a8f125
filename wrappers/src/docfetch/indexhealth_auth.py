"""Index Health credentials without I/O: settings checked at construction, the token request body,
and reading the token endpoint's answer (used by :mod:`docfetch.indexhealth`).

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
from typing import TYPE_CHECKING

from docfetch_indexhealth_client.models import AuthUser, ClientAuthTokenRequest, ClientAuthTokenResponse

from docfetch._provider import check_base_url, setting
from docfetch.errors import APIStatusError, AuthFlowError, InvalidInputError, MissingCredentialsError

__all__ = [
    "BASE_URL_ENV",
    "CLIENT_ID_ENV",
    "CLIENT_SECRET_ENV",
    "FINGERPRINT_ENV",
    "PROVIDER",
    "USER_ENV",
    "USER_IDENTIFIERS",
    "MissingBaseUrlError",
    "base_url_setting",
    "exchange_refused",
    "parse_user",
    "token_from",
    "token_lifetime",
    "token_request",
]

PROVIDER = "indexhealth"
CLIENT_ID_ENV = "INDEXHEALTH_CLIENT_ID"
CLIENT_SECRET_ENV = "INDEXHEALTH_CLIENT_SECRET"  # noqa: S105 - a variable name, not a secret
FINGERPRINT_ENV = "INDEXHEALTH_FINGERPRINT"
USER_ENV = "INDEXHEALTH_USER"
BASE_URL_ENV = "INDEXHEALTH_BASE_URL"
USER_IDENTIFIERS = ("email", "date_of_birth", "uid", "eid")
USER_FIELDS = frozenset({"first_name", "last_name", "phone", "group_name", *USER_IDENTIFIERS})
REFRESH_MARGIN = 30.0  # renew this long before expiry (a tenth of the lifetime for short-lived tokens)

UserInput = AuthUser | Mapping[str, object] | str

if TYPE_CHECKING:
    from docfetch.auth import Token


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
    from docfetch.auth import Token  # with httpx: loaded once a token is actually fetched

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
