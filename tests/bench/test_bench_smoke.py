"""Every benchmark case (issue 7) run tiny, once, so the harness keeps working. docfetch's side always
runs and must pass. The reference tools come from Debian (curl, aria2c, nginx): where they are missing
(CI has only Python and pip) the comparison is skipped after docfetch's side has passed, and the skip is
counted and reported (``may_skip``). The regeneration case runs in its own nox session
(``nox -s regeneration_smoke``), where the pinned generator tools are installed; without them it fails
in a strict run. The full run is `nox -s bench`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the bench package lives at the repository root, beside tests/
    sys.path.insert(0, str(ROOT))

from bench import case_calls  # noqa: E402
from bench import case_generate  # noqa: E402
from bench import case_import  # noqa: E402
from bench import case_large  # noqa: E402
from bench import case_many  # noqa: E402
from bench.config import MIB  # noqa: E402
from bench.config import SMOKE  # noqa: E402
from bench.report import render  # noqa: E402
from bench.results import CaseResult  # noqa: E402
from bench.results import Series  # noqa: E402
from bench.run import parse_size  # noqa: E402

DEBIAN_TOOLS = "the reference tools come from Debian packages; CI's machine has only Python and pip"


def report(*results: CaseResult) -> str:
    return render(list(results), SMOKE, [("CPU", "smoke")], seconds=1.0, command="smoke", changes=[])


def measured(result: CaseResult, label: str) -> Series:
    series = result.get(label)
    assert series is not None, f"{label} missing from {[s.label for s in result.series]}"
    assert len(series.samples) == SMOKE.reps
    assert all(sample.seconds > 0 for sample in series.samples)
    return series


def skip_if_references_missing(result: CaseResult) -> None:
    if result.skipped:
        pytest.skip("docfetch's side ran; not measured: " + "; ".join(result.skipped))


@pytest.mark.may_skip(DEBIAN_TOOLS)
def test_large_file(tmp_path: Path) -> None:
    result = case_large.run(SMOKE, tmp_path)
    docfetch = measured(result, case_large.DOCFETCH)
    assert all(sample.bytes == SMOKE.large_size for sample in docfetch.samples)
    assert docfetch.max_rss_mib is not None and 10 < docfetch.max_rss_mib < 1024
    rss = next(t for t in result.targets if t.name == "Large file: docfetch peak RSS")
    assert rss.value == docfetch.max_rss_mib
    assert "| docfetch TelnyxClient.download |" in report(result)
    cli_rss = next(t for t in result.targets if t.name == "Large file: CLI peak RSS (whole process)")
    assert cli_rss.value == measured(result, case_large.CLI).max_rss_mib
    skip_if_references_missing(result)
    curl = measured(result, case_large.CURL)
    assert curl.samples[0].bytes == SMOKE.large_size
    throughput = result.targets[0]
    assert throughput.value == pytest.approx(curl.median / docfetch.median)


@pytest.mark.may_skip(DEBIAN_TOOLS)
def test_many_files(tmp_path: Path) -> None:
    result, *whole = case_many.run(SMOKE, tmp_path)
    total = SMOKE.many_files * SMOKE.many_file_size
    docfetch = [s for s in result.series if s.label.startswith("docfetch")]
    assert len(docfetch) == 3
    for series in docfetch:
        assert all(sample.bytes == total for sample in measured(result, series.label).samples)
    assert "AsyncVeridoxClient" in report(result)
    assert [(r.work, r.key) for r in whole] == [(n, f"many-whole-{n}") for n, _ in SMOKE.many_whole]
    for sized in whole:  # the command as a whole process, and the same download in process
        command, in_process = sized.series[:2]
        assert command.label.startswith("docfetch api2convert download JOB")
        assert measured(sized, command.label).max_rss_mib is not None
        assert measured(sized, in_process.label).samples[0].bytes is not None
        assert "x floor" in command.note and "TCP connections" in sized.notes[0]
    assert "whole process" in report(*whole)
    skip_if_references_missing(result)
    assert {s.label.split()[0] for s in result.series} == {"docfetch", "aria2c", "curl"}
    assert result.targets[0].value == pytest.approx(result.ratio(docfetch[0].label))
    for sized in whole:
        skip_if_references_missing(sized)
        assert sized.reference is not None and sized.get(sized.reference) is not None
        assert sized.targets[0].value == pytest.approx(sized.ratio(sized.series[0].label))


def test_link_calls(tmp_path: Path) -> None:
    results = case_calls.run(SMOKE, tmp_path)
    assert [r.key for r in results] == ["calls-telnyx", "calls-sarvam"]
    for result in results:
        for series in result.series:
            measured(result, series.label)
        assert result.reference is not None and result.get(result.reference) is not None
        assert result.targets[0].value is not None
    assert "µs/call" in report(*results)
    for result in results:
        skip_if_references_missing(result)


def test_import_times(tmp_path: Path) -> None:
    result = case_import.run(SMOKE, tmp_path)
    labels = [s.label for s in result.series]
    assert "from docfetch.telnyx import TelnyxClient" in labels
    assert "from docfetch.api2convert import Api2ConvertClient" in labels
    for label in labels:
        assert 0 < measured(result, label).median < 30
    skip_if_references_missing(result)
    assert [t.name.split(" / ")[1] for t in result.targets] == [  # the telnyx SDK is left out (slow)
        "`from sarvamai import SarvamAI`",
        "`sarvamai + SarvamAI(...).document_intelligence`",
    ]
    assert "(no target)" in report(result)
    assert any(
        note.startswith("Where `from docfetch.sarvam import SarvamClient` spends") for note in result.notes
    )


@pytest.mark.generator
def test_regeneration(tmp_path: Path) -> None:
    if case_generate.generator_python() is None:
        pytest.skip(
            f"no interpreter with {', '.join(case_generate.TOOLS)} beside it: run nox -s regeneration_smoke"
        )
    result = case_generate.run(SMOKE, tmp_path)
    assert result.skipped == []
    (series,) = result.series
    measured(result, series.label)
    (provider,) = SMOKE.generate_providers
    regenerated = tmp_path / "tree" / "generated" / provider
    assert (regenerated / "pyproject.toml").exists()
    assert case_generate.differences(regenerated, ROOT / "generated" / provider) == []


def test_sizes_parse() -> None:
    assert parse_size("256MiB") == 256 * MIB
    assert parse_size("1gib") == 1024 * MIB
    assert parse_size("4096") == 4096
