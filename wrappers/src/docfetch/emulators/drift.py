"""Drift mode (`EmulatorConfig.drift`): an emulator answers like a newer version of its API.

A tolerant client must still complete its flow; a strict one (exact enums, required optional fields,
one timestamp format) breaks. `DriftMiddleware` rewrites every JSON response of a provider's API with
the provider's `DriftRules`:

- an unknown field (`UNKNOWN_FIELD`, an object) is added to every JSON object, maps excepted;
- documented enum values are replaced by values the spec does not list (`new_values`);
- optional fields a client does not strictly need are left out (`omit`);
- timestamps get a UTC offset and microseconds (`2026-12-07T15:41:12.345000+05:30`, same instant).

Drift that depends on state (intermediate job states, file names only in a URI path, labels without an
extension, extra seeded records) is in the provider modules, which read `ctx.config.drift`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import PurePosixPath
from typing import Any

from ._asgi import ASGIApp
from ._asgi import Message
from ._asgi import Receive
from ._asgi import Scope
from ._asgi import Send

UNKNOWN_FIELD = "added_in_newer_version"
UNKNOWN_VALUE: dict[str, Any] = {"since": "2027-01", "note": "a field this client's spec does not list"}
DRIFT_OFFSET = timezone(timedelta(hours=5, minutes=30))


@dataclass(frozen=True)
class DriftRules:
    """How one provider's JSON drifts; fields are matched by name at any depth."""

    new_values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # field -> {old: new}
    omit: frozenset[str] = frozenset()  # optional fields left out
    timestamps: frozenset[str] = frozenset()  # ISO 8601 fields re-written with an offset
    maps: frozenset[str] = frozenset()  # fields whose object is a map (its keys are data): no field added


def drift_json(value: Any, rules: DriftRules, *, is_map: bool = False) -> Any:
    """`value` (decoded JSON) as the newer API version would send it."""
    if isinstance(value, list):
        return [drift_json(item, rules) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if not is_map and key in rules.omit:
            continue
        if isinstance(item, str) and not is_map:
            item = rules.new_values.get(key, {}).get(item, item)
            if key in rules.timestamps:
                item = shifted_timestamp(item)
        result[key] = drift_json(item, rules, is_map=not is_map and key in rules.maps)
    if not is_map:
        result[UNKNOWN_FIELD] = dict(UNKNOWN_VALUE)
    return result


def shifted_timestamp(text: str) -> str:
    """An ISO 8601 timestamp (no offset means UTC) at +05:30 with microseconds; other text unchanged."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(DRIFT_OFFSET).isoformat(timespec="microseconds")


def without_extension(name: str) -> str:
    """`name` without its last suffix ("scan.final.pdf" -> "scan.final"); names without one unchanged."""
    suffix = PurePosixPath(name).suffix
    return name[: -len(suffix)] if suffix and len(suffix) < len(name) else name


class DriftMiddleware:
    """Rewrites every JSON response of `app` with `drift_json`; other bodies pass through untouched."""

    def __init__(self, app: ASGIApp, rules: DriftRules) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _is_json(message):
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            raw = b"".join(chunks)
            body = json.dumps(drift_json(json.loads(raw), self.rules)).encode() if raw.strip() else raw
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


def _is_json(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return bool(value.split(b";")[0].strip().lower() == b"application/json")
    return False
