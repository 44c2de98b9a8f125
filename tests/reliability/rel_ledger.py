"""The reliability ledger: what each category of the suite ran, injected and observed, for RELIABILITY.md.

Tests record into the session-scoped ``ledger`` fixture (conftest.py); pytest's own outcomes (passed,
failed, skipped per category) are added by a report hook. With ``DOCFETCH_RELIABILITY_RESULTS=path``
set, the session writes everything as JSON there; ``rel_report.py`` turns that into the results table
of RELIABILITY.md.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

CATEGORIES: dict[str, str] = {
    "drops": "Dropped connections",
    "throttling": "Throttling and outages",
    "tampering": "Lies and tampering",
    "names": "Hostile names",
    "credentials": "Credentials",
    "input": "Bad input from the user",
    "load": "Load",
    "concurrency": "Concurrency",
    "reruns": "Reruns after a kill (download archive)",
}


@dataclass
class CategoryRecord:
    """Counts for one category; ``outcomes`` says how each run ended (e.g. "byte-identical")."""

    runs: int = 0
    faults: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    tests: Counter[str] = field(default_factory=Counter)  # pytest outcome -> count
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "faults": self.faults,
            "outcomes": dict(sorted(self.outcomes.items())),
            "tests": dict(sorted(self.tests.items())),
            "notes": self.notes,
        }


class Ledger:
    """Thread-safe counters by category (tests may record from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.categories: dict[str, CategoryRecord] = {name: CategoryRecord() for name in CATEGORIES}

    def _category(self, category: str) -> CategoryRecord:
        if category not in self.categories:
            raise KeyError(f"unknown reliability category {category!r}; known: {', '.join(CATEGORIES)}")
        return self.categories[category]

    def run(self, category: str, outcome: str, *, faults: int = 0) -> None:
        """One exercised operation (a file download, a CLI call, a links call) and how it ended."""
        with self._lock:
            record = self._category(category)
            record.runs += 1
            record.faults += faults
            record.outcomes[outcome] += 1

    def faults(self, category: str, count: int) -> None:
        """Faults that hit the run but are not tied to one operation (e.g. a 429 burst)."""
        with self._lock:
            self._category(category).faults += count

    def note(self, category: str, text: str) -> None:
        """A line worth keeping in the report, e.g. the seed and offsets of the drop faults."""
        with self._lock:
            self._category(category).notes.append(text)

    def test_outcome(self, category: str, outcome: str) -> None:
        with self._lock:
            self._category(category).tests[outcome] += 1

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {name: record.to_json() for name, record in self.categories.items()}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")
