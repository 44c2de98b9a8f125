"""Case 4: import time of a docfetch provider client against the official SDK, in fresh interpreters."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from functools import partial
from pathlib import Path

from bench.config import BenchConfig
from bench.results import CaseResult
from bench.results import Sample
from bench.results import Series
from bench.results import Target
from bench.results import alternate

LIMIT = 1 / 3
URL = "http://127.0.0.1:9"
# Timed in-process around the statement, so interpreter start-up (the same for all) is left out.
PRELUDE = "import time as _t\n_s = _t.perf_counter()\n"
EPILOGUE = "\nprint(_t.perf_counter() - _s)\n"
SARVAM_ENV = f"SarvamAIEnvironment(base='{URL}', creative='{URL}', production='ws://127.0.0.1:9')"


@dataclass(frozen=True)
class Pair:
    """A docfetch statement and the official SDK's matching one (label, code each)."""

    ours: tuple[str, str]
    theirs: tuple[str, str]
    targeted: bool = True  # the issue names sarvamai and telnyx; api2convert is for information
    telnyx_sdk: bool = False  # the SDK side is the (slow) official telnyx SDK


PAIRS = [
    Pair(
        ("from docfetch.telnyx import TelnyxClient", "from docfetch.telnyx import TelnyxClient"),
        ("from telnyx import Telnyx", "from telnyx import Telnyx"),
        telnyx_sdk=True,
    ),
    Pair(
        (
            "docfetch.telnyx + TelnyxClient(...)",
            f"from docfetch.telnyx import TelnyxClient\nTelnyxClient(api_key='k', base_url='{URL}/v2')",
        ),
        (
            "telnyx + Telnyx(...).documents",
            f"from telnyx import Telnyx\nTelnyx(api_key='k', base_url='{URL}/v2').documents",
        ),
        telnyx_sdk=True,
    ),
    Pair(
        ("from docfetch.sarvam import SarvamClient", "from docfetch.sarvam import SarvamClient"),
        ("from sarvamai import SarvamAI", "from sarvamai import SarvamAI"),
    ),
    Pair(
        (
            "docfetch.sarvam + SarvamClient(...)",
            f"from docfetch.sarvam import SarvamClient\nSarvamClient(api_key='k', base_url='{URL}')",
        ),
        (
            "sarvamai + SarvamAI(...).document_intelligence",
            "from sarvamai import SarvamAI\nfrom sarvamai.environment import SarvamAIEnvironment\n"
            f"SarvamAI(api_subscription_key='k', environment={SARVAM_ENV}, timeout=10).document_intelligence",
        ),
    ),
    Pair(
        (
            "from docfetch.api2convert import Api2ConvertClient",
            "from docfetch.api2convert import Api2ConvertClient",
        ),
        ("from api2convert import Api2Convert", "from api2convert import Api2Convert"),
        targeted=False,
    ),
]
BASELINE = ("import httpx (every contender imports it)", "import httpx")
# Statements whose import time the report breaks down by package (one `-X importtime` run each).
BREAKDOWNS = {
    "from docfetch.sarvam import SarvamClient": ("docfetch", "docfetch_sarvam_client"),
    "from sarvamai import SarvamAI": ("sarvamai",),
    "from docfetch.telnyx import TelnyxClient": ("docfetch", "docfetch_telnyx_client"),
}
_IMPORTTIME = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)$")


def timed_import(statement: str) -> Sample:
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + statement + EPILOGUE], capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"{statement!r} failed:\n{result.stderr[-3000:]}")
    return Sample(float(result.stdout.strip().splitlines()[-1]))


@cache
def _importtime_rows(statement: str) -> list[re.Match[str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, timeout=120
    )
    return [m for m in map(_IMPORTTIME.match, result.stderr.splitlines()) if m]


def breakdown(statement: str, ours: tuple[str, ...]) -> list[tuple[str, float]]:
    """Milliseconds per package the statement pulls in (``python -X importtime``, one run).

    A package imported by ``ours`` (or at top level) is charged its cumulative time, its own
    dependencies included; what ``ours`` spend themselves is what is left.
    """
    startup = len(_importtime_rows("pass"))  # the interpreter's own start-up imports come first
    rows = _importtime_rows(statement)[startup:]
    charged: dict[str, float] = {}
    total = 0.0
    ancestors: list[tuple[int, str]] = []  # (depth, root) of the enclosing imports
    for match in reversed(rows):  # -X importtime prints children before their parent
        micros, depth, root = int(match[1]), len(match[2]), match[3].split(".")[0]
        while ancestors and ancestors[-1][0] >= depth:
            ancestors.pop()
        parent = ancestors[-1][1] if ancestors else None
        if parent is None:
            total += micros
        if root not in ours and (parent is None or parent in ours):
            charged[root] = charged.get(root, 0.0) + micros
        ancestors.append((depth, root))
    charged[" + ".join(ours) + " themselves"] = total - sum(charged.values())
    return sorted(((name, micros / 1000) for name, micros in charged.items()), key=lambda item: -item[1])


def run(cfg: BenchConfig, workdir: Path) -> CaseResult:
    result = CaseResult(
        key="import",
        title="4. Import time (fresh interpreter)",
        method=(
            "Each statement runs as `python -c` in a new interpreter and times itself with "
            "`time.perf_counter()` around the statement, so interpreter start-up (common to all) is left "
            f"out. Statements alternate, {cfg.import_runs} runs each, after one untimed run of each that "
            "warms the file-system cache. '+ client' rows add constructing a client (no request) and, for "
            "the SDKs, reaching the documents resource, which they load lazily. Ratios (note column) are "
            "against the official SDK's matching row."
        ),
    )
    rows = [pair.ours for pair in PAIRS]
    for pair in PAIRS:
        module = pair.theirs[1].split()[1]  # "from X import ..." / "import X"
        if importlib.util.find_spec(module) is None:
            result.skipped.append(f"`{pair.theirs[0]}`: {module} is not installed")
        elif cfg.telnyx_sdk or not pair.telnyx_sdk:
            rows.append(pair.theirs)
    statements = dict([*rows, BASELINE])
    if cfg.import_warmup:
        for code in statements.values():
            timed_import(code)
    runners = {label: partial(timed_import, code) for label, code in statements.items()}
    series = {label: Series(label) for label in runners}
    alternate(runners, cfg.import_runs, series)
    result.series = list(series.values())
    for pair in PAIRS:
        (mine, _), (sdk, _) = pair.ours, pair.theirs
        ratio = result.ratio(mine, sdk)
        if ratio is None:
            continue
        series[mine].note = f"{ratio:.2f} x `{sdk}`" + ("" if pair.targeted else " (no target)")
        if pair.targeted:
            result.targets.append(Target(f"Import: `{mine}` / `{sdk}`", ratio, LIMIT))
    for statement, ours in BREAKDOWNS.items():
        if statement in statements:
            parts = [f"{name} {ms:.0f}" for name, ms in breakdown(statement, ours) if ms >= 1]
            result.notes.append(
                f"Where `{statement}` spends its time (ms, one `-X importtime` run): {', '.join(parts)}."
            )
    return result
