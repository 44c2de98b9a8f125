"""BENCHMARKS.md from the results of one run."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

from bench.config import BenchConfig
from bench.results import CaseResult
from bench.results import Series
from bench.results import Target

NOTES = Path(__file__).resolve().parent / "NOTES.md"
MIB = 1024 * 1024


def _rate(result: CaseResult, series: Series) -> str:
    work = series.work if series.work is not None else result.work
    if work is None or not series.samples:
        return ""
    per_second = work / series.median
    if result.work_unit == "bytes":
        return f"{per_second / MIB:,.0f} MiB/s"
    if result.work_unit == "calls":
        return f"{series.median / work * 1e6:,.0f} µs/call"
    return f"{per_second:,.0f} {result.work_unit}/s"


def _ratio(result: CaseResult, series: Series) -> str:
    if result.reference is None:
        return ""
    if series.label == result.reference:
        return "1.00 (reference)"
    ratio = result.ratio(series.label)
    return "" if ratio is None else f"{ratio:.2f}"


def _fmt_seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def series_table(result: CaseResult) -> list[str]:
    with_rss = any(s.max_rss_mib is not None for s in result.series)
    with_cpu = any(s.cpu_median is not None for s in result.series)
    head = ["Contender", "Median (s)", "Runs (s)"]
    head += ["Rate"] if result.work is not None else []
    head += ["Time vs reference"] if result.reference else []
    head += ["CPU (s)"] if with_cpu else []
    head += ["Peak RSS"] if with_rss else []
    head += ["Note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for series in result.series:
        row = [series.label, _fmt_seconds(series.median), ", ".join(_fmt_seconds(v) for v in series.seconds)]
        row += [_rate(result, series)] if result.work is not None else []
        row += [_ratio(result, series)] if result.reference else []
        if with_cpu:
            cpu = series.cpu_median
            row.append("" if cpu is None else _fmt_seconds(cpu))
        if with_rss:
            rss = series.max_rss_mib
            row.append("" if rss is None else f"{rss:.1f} MiB")
        row.append(series.note)
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _verdict(target: Target) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[target.met]


def _value(target: Target) -> str:
    if target.value is None:
        return "-"
    return f"{target.value:.2f}" + ("" if target.unit == "x" else f" {target.unit}")


def summary(results: list[CaseResult]) -> list[str]:
    lines = ["| Target | Measured | Goal | Verdict |", "|---|---|---|---|"]
    for result in results:
        for target in result.targets:
            side = ">=" if target.higher_is_better else "<="
            unit = "" if target.unit == "x" else f" {target.unit}"
            measured = _value(target) + (f" ({target.detail})" if target.detail else "")
            lines.append(
                f"| {target.name} | {measured} | {side} {target.limit:.2f}{unit} | {_verdict(target)} |"
            )
    return lines


def render(
    results: list[CaseResult],
    cfg: BenchConfig,
    machine: list[tuple[str, str]],
    *,
    seconds: float,
    command: str,
    changes: list[str],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (what `nox -s bench` runs) on {now}, in {seconds / 60:.1f} min; do not edit "
        "by hand: the profiling notes at the end come from bench/NOTES.md.",
        "",
        f"Figures are medians of {cfg.reps} alternating runs (import times: {cfg.import_runs} runs) and are "
        "compared as ratios of the medians: *time vs reference* below 1 means faster than the reference. "
        "All servers listen on 127.0.0.1 and are started by the run; every contender runs in its own "
        "process, apart from the servers. This machine is small and shared: single runs of one contender "
        "differ by 10-30 %, so read ratios near a goal with that in mind.",
    ]
    if changes:
        out += ["", "Sizes changed from the issue's: " + "; ".join(changes) + "."]
    out += ["", "## Targets", "", *summary(results), "", "## Machine", ""]
    out += [f"- {name}: {value}" for name, value in machine]
    for result in results:
        out += ["", f"## {result.title}", "", result.method, ""]
        if result.series:
            out += series_table(result)
        for skipped in result.skipped:
            out += ["", f"Not measured: {skipped}."]
        for note in result.notes:
            out += ["", note]
    if NOTES.exists():
        out += ["", NOTES.read_text().strip()]
    return "\n".join(out) + "\n"
