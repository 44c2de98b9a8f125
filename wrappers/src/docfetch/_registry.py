"""Facts about the five providers (names, environment variables, default base URLs, id rules), read
from ``providers.toml`` beside this file: the one place they are written. Read by the provider clients,
the command line and the emulators; ``noxfile.py`` and tools read the same file. Standard library only.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

__all__ = ["PROVIDERS", "ProviderFacts", "facts"]

FACTS_FILE = Path(__file__).with_name("providers.toml")


@dataclass(frozen=True)
class ProviderFacts:
    name: str
    brand: str  # the provider's own name, for messages
    title: str
    client_class: str  # in docfetch.<name>; the async twin is "Async" + this
    credentials: Mapping[str, str]  # emulator info key (and client keyword) -> environment variable
    id_what: str  # what an id is, in error messages
    id_help: str  # what ID means, for --help
    example_ids: tuple[str, ...]
    files: str  # what `download` saves, for the help texts
    default_base_url: str | None = None  # None: the variable is required (no public default exists)
    id_form: str | None = None  # how valid ids look, for error messages ("UUIDs")
    id_pattern: str | None = None  # a full-match regular expression for ids, when the API has one
    waits_for_jobs: bool = False  # download waits for each job to reach a terminal state

    @cached_property
    def id_regex(self) -> re.Pattern[str] | None:
        return None if self.id_pattern is None else re.compile(self.id_pattern)

    @property
    def module(self) -> str:
        return f"docfetch.{self.name}"

    @property
    def generated_package(self) -> str:
        return f"docfetch_{self.name}_client"

    @property
    def base_url_env(self) -> str:
        return f"{self.name.upper()}_BASE_URL"

    @property
    def variables(self) -> tuple[str, ...]:
        return (*self.credentials.values(), self.base_url_env)


def _load() -> dict[str, ProviderFacts]:
    table = tomllib.loads(FACTS_FILE.read_text(encoding="utf-8"))
    return {
        name: ProviderFacts(name=name, **{**row, "example_ids": tuple(row["example_ids"])})
        for name, row in table.items()
    }


PROVIDERS: Mapping[str, ProviderFacts] = _load()


def facts(name: str) -> ProviderFacts:
    return PROVIDERS[name]
