"""Suite-wide rules: the anyio backend, the emulators' stored bytes, and skips that never pass unnoticed.

Every skip is listed at the end of the run with its reason and counted. With
``DOCFETCH_STRICT_SKIPS=1`` (what the nox sessions CI runs set) a skip is a failure, unless the test is
marked ``may_skip(reason)``: a comparison CI cannot make (a reference tool from Debian, say) after
docfetch's own side has passed. ``DOCFETCH_SKIP_REPORT=path`` appends the skips to ``path``, one
line each, which ``.ci/run`` prints and counts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from docfetch.emulators import RunningEmulator

STRICT_ENV = "DOCFETCH_STRICT_SKIPS"
REPORT_ENV = "DOCFETCH_SKIP_REPORT"
_skipped: list[str] = []
StoredFiles = Callable[["RunningEmulator", str], list[bytes]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _stored_files(emu: RunningEmulator, given: str) -> list[bytes]:
    """The true bytes of every file an emulator serves for one of its ids (a job has one per output)."""
    state, storage = emu.state, emu.storage
    if emu.provider == "sarvam":
        return [storage.get(state.job(given).output_key).data]
    if emu.provider == "indexhealth":
        return [state.find(given).stored.data]
    if emu.provider == "telnyx":
        return [state.data(given)]
    if emu.provider == "veridox":
        return [storage.get(state.object_key(given)).data]
    return [storage.get(output.key).data for output in state.find(given).outputs]


@pytest.fixture
def stored_files() -> StoredFiles:
    """``stored_files(emu, id)``: the bytes an emulator holds for ``id`` (to compare downloads with)."""
    return _stored_files


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "may_skip(reason): a skip CI accepts (counted and reported, never silent)"
    )


def _strict() -> bool:
    return os.environ.get(STRICT_ENV) == "1"


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _reason(report)
    if _strict() and item.get_closest_marker("may_skip") is None:
        report.outcome = "failed"
        report.longrepr = f"skipped in a strict run ({STRICT_ENV}=1), which must run every test: {reason}"
    else:
        _skipped.append(f"{item.nodeid}: {reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    report: pytest.CollectReport = outcome.get_result()  # type: ignore[attr-defined]
    if not report.skipped:
        return
    reason = _reason(report)
    if _strict():
        report.outcome = "failed"
        report.longrepr = f"{collector.nodeid} skipped whole in a strict run ({STRICT_ENV}=1): {reason}"
    else:
        _skipped.append(f"{collector.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"docfetch: {len(_skipped)} test(s) skipped")
    for line in _skipped:
        terminalreporter.write_line(f"  skipped {line}")
    target = os.environ.get(REPORT_ENV)
    if target:
        with Path(target).open("a", encoding="utf-8") as report:
            report.writelines(f"{line}\n" for line in _skipped)
