"""What a case produces: timed series, targets and notes, and the statistics over them."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass
class Sample:
    """One run: wall seconds, and whatever else the run measured (CPU seconds, max RSS in KiB, bytes)."""

    seconds: float
    cpu_seconds: float | None = None  # user + system of the contender's process (all threads)
    maxrss_kib: int | None = None
    baseline_kib: int | None = None  # peak RSS before the measured part began
    bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # what else a worker measured (e.g. "first")


@dataclass
class Series:
    """The runs of one contender in one case."""

    label: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    work: float | None = None  # units of work per run when not the case's

    @property
    def seconds(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float | None:
        values = [s.cpu_seconds for s in self.samples if s.cpu_seconds is not None]
        return statistics.median(values) if values else None

    @property
    def max_rss_mib(self) -> float | None:
        values = [s.maxrss_kib for s in self.samples if s.maxrss_kib is not None]
        return max(values) / 1024 if values else None

    @property
    def baseline_rss_mib(self) -> float | None:
        values = [s.baseline_kib for s in self.samples if s.baseline_kib is not None]
        return max(values) / 1024 if values else None


@dataclass
class Target:
    """A goal from the issue: ``value`` compared with ``limit`` (``higher_is_better`` picks the side)."""

    name: str
    value: float | None
    limit: float
    unit: str = "x"
    higher_is_better: bool = False
    detail: str = ""  # context shown beside the measured value

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit


@dataclass
class CaseResult:
    """One case of the report: a table of series (one of them the reference) and its targets."""

    key: str
    title: str
    method: str
    series: list[Series] = field(default_factory=list)
    reference: str | None = None  # label of the series ratios are taken against
    work: float | None = None  # units of work per run (bytes, files, calls), for a rate column
    work_unit: str = ""
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # contenders not measured, with the reason

    def get(self, label: str) -> Series | None:
        return next((s for s in self.series if s.label == label), None)

    def ratio(self, label: str, reference: str | None = None) -> float | None:
        """median(label) / median(reference): below 1 means ``label`` took less time."""
        mine, theirs = self.get(label), self.get(reference or self.reference or "")
        if mine is None or theirs is None or not mine.samples or not theirs.samples:
            return None
        return mine.median / theirs.median


def alternate(runners: Mapping[str, Callable[[], Sample]], reps: int, series: Mapping[str, Series]) -> None:
    """Run every contender once per round, in turn, ``reps`` rounds (so drift hits all alike)."""
    for _ in range(reps):
        for label, run in runners.items():
            series[label].samples.append(run())
