"""Case 3: per-call overhead: N download-link calls against an emulator, docfetch against a plain
httpx loop and the official SDK (telnyx, sarvamai)."""

from __future__ import annotations

import importlib.util
from functools import partial
from pathlib import Path

from docfetch.emulators import run_emulator

from bench.config import BenchConfig
from bench.procs import run_worker
from bench.results import CaseResult
from bench.results import Series
from bench.results import Target
from bench.results import alternate

HTTPX_LIMIT = 1.15
PROVIDERS = {
    "telnyx": ("TelnyxClient.links([id])", "GET /v2/documents/{id}/download_link", "telnyx", "Telnyx"),
    "sarvam": (
        "SarvamClient.links([job_id])",
        "POST /doc-digitization/job/v1/{id}/download-files",
        "sarvamai",
        "SarvamAI",
    ),
}


def run(cfg: BenchConfig, workdir: Path) -> list[CaseResult]:
    return [_provider(cfg, provider) for provider in PROVIDERS]


def _provider(cfg: BenchConfig, provider: str) -> CaseResult:
    call, endpoint, sdk_module, sdk_class = PROVIDERS[provider]
    docfetch, plain, sdk = (
        f"docfetch {call}",
        "plain httpx.Client loop",
        f"{sdk_module} {sdk_class} (official SDK)",
    )
    result = CaseResult(
        key=f"calls-{provider}",
        title=f"3. Per-call overhead, {provider}: {cfg.calls} download-link calls ({endpoint})",
        method=(
            f"Each contender runs in a fresh child process against the {provider} emulator (same process "
            f"for all, on its own thread): it builds its client, makes five warm-up calls, then {cfg.calls} "
            "sequential calls for the same id, each returning the signed URL; only those calls are timed. "
            "The plain loop is `httpx.Client.get/post` + `raise_for_status()` + `.json()` with the auth "
            "header set on the client. The emulator's own time per request (FastAPI, pydantic) is part of "
            "every figure, so the ratios understate client-side differences."
        ),
        reference=plain,
        work=cfg.calls,
        work_unit="calls",
    )
    with run_emulator(provider) as emu:
        base: dict[str, object] = {"task": "links", "provider": provider, "base_url": emu.base_url}
        base |= {"api_key": emu.api_key, "id": emu.ids[0], "n": cfg.calls}
        contenders = [(docfetch, "docfetch"), (plain, "httpx")]
        if importlib.util.find_spec(sdk_module) is None:
            result.skipped.append(f"{sdk}: {sdk_module} is not installed")
        elif cfg.telnyx_sdk or provider != "telnyx":
            contenders.append((sdk, "sdk"))
        runners = {label: partial(run_worker, {**base, "impl": impl}) for label, impl in contenders}
        series = {label: Series(label) for label in runners}
        alternate(runners, cfg.reps, series)
    result.series = list(series.values())
    result.targets.append(
        Target(f"Link calls ({provider}): docfetch time / plain httpx", result.ratio(docfetch), HTTPX_LIMIT)
    )
    if sdk in series:
        result.targets.append(
            Target(
                f"Link calls ({provider}): docfetch time / {sdk_module} SDK",
                result.ratio(docfetch, sdk),
                1.0,
            )
        )
    return result
