"""One measured run in a fresh child process: ``python -P bench/worker.py < spec.json``.

Prints one JSON line: ``seconds`` and ``cpu_seconds`` (wall, and user + system of all threads, of
the measured part only: imports and client construction are outside it), ``maxrss_kib`` (the
process's peak RSS, getrusage), ``baseline_kib`` (peak RSS before the measured part: interpreter,
imports, client) and ``bytes`` when files were written. A run that did not do the whole job (a failed file, a wrong digest) exits non-zero.

Self-contained on purpose (standard library plus the client under test), so the child imports
nothing the measurement does not need.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

Spec = dict[str, Any]
WARMUP_CALLS = 5


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process
    return usage.ru_utime + usage.ru_stime


class Stopwatch:
    """Wall and CPU (user + system, all threads) seconds of the block."""

    def __enter__(self) -> Stopwatch:
        self.seconds = self.cpu_seconds = 0.0
        self._wall, self._cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = cpu_seconds() - self._cpu

    def result(self, **extra: Any) -> dict[str, Any]:
        return {"seconds": self.seconds, "cpu_seconds": self.cpu_seconds, **extra}


def _check_files(results: Sequence[Any], spec: Spec) -> int:
    """Every result ok, the expected count, digests as published; returns the bytes written."""
    failed = [f"{r.id}: {r.error}" for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} of {len(results)} failed, first: {failed[0]}")
    if len(results) != spec.get("expect_files", len(results)):
        raise SystemExit(f"{len(results)} files saved, expected {spec['expect_files']}")
    expected = spec.get("expect_sha256")
    if expected is not None and results[0].sha256 != expected:
        raise SystemExit(f"sha256 {results[0].sha256} != {expected}")
    return sum(int(r.bytes) for r in results)


def load_deferred(client: Any, package: str) -> None:
    """Import what a docfetch client loads on its first call (httpx, the download engine, the generated
    endpoint modules) and run its deferred build, so imports stay outside the measured part as for
    every other contender."""
    import importlib
    import pkgutil

    importlib.import_module("docfetch.core._sync.pipeline")
    api = importlib.import_module(f"{package}.api")
    for info in pkgutil.walk_packages(api.__path__, f"{package}.api."):
        importlib.import_module(info.name)
    assert client._parts  # runs the deferred build (settings, auth, generated client)


def telnyx_download(spec: Spec) -> dict[str, Any]:
    from docfetch.telnyx import TelnyxClient

    with TelnyxClient(api_key=spec["api_key"], base_url=spec["base_url"]) as client:
        load_deferred(client, "docfetch_telnyx_client")
        baseline = peak_rss_kib()
        with Stopwatch() as watch:
            results = client.download([spec["id"]], spec["dest"], overwrite=True)
    return watch.result(bytes=_check_files(results, spec), baseline_kib=baseline)


def veridox_download(spec: Spec) -> dict[str, Any]:
    from docfetch import TokenBucket
    from docfetch.veridox import AsyncVeridoxClient
    from docfetch.veridox import VeridoxClient

    ids, dest, concurrency = spec["ids"], spec["dest"], spec["concurrency"]
    # Veridox allows 20 signing requests a minute and the client paces itself to that; the emulator's
    # limit is off for the benchmark, so the client's pacing is lifted too (the API's limit is not
    # docfetch's speed).
    settings = {
        "api_key": spec["api_key"],
        "base_url": spec["base_url"],
        "rate_limiter": TokenBucket(1e6, 1e6),
    }
    if spec.get("async"):

        async def run() -> tuple[Stopwatch, Any]:
            async with AsyncVeridoxClient(**settings) as client:
                load_deferred(client, "docfetch_veridox_client")
                with Stopwatch() as watch:
                    results = await client.download(ids, dest, overwrite=True, concurrency=concurrency)
                return watch, results

        watch, results = asyncio.run(run())
    else:
        with VeridoxClient(**settings) as client:
            load_deferred(client, "docfetch_veridox_client")
            with Stopwatch() as watch:
                results = client.download(ids, dest, overwrite=True, concurrency=concurrency)
    return watch.result(bytes=_check_files(results, spec))


def api2convert_download(spec: Spec) -> dict[str, Any]:
    """Every output of one API2Convert job, as ``docfetch api2convert download`` does, minus the process."""
    from docfetch.api2convert import Api2ConvertClient

    with Api2ConvertClient(api_key=spec["api_key"], base_url=spec["base_url"]) as client:
        load_deferred(client, "docfetch_api2convert_client")
        with Stopwatch() as watch:
            results = client.download([spec["job_id"]], spec["dest"], concurrency=spec["concurrency"])
    return watch.result(bytes=_check_files(results, spec))


def engine_download(spec: Spec) -> dict[str, Any]:
    """docfetch's download engine alone on already-resolved URLs (what aria2c and curl are given)."""
    from docfetch import DownloadItem
    from docfetch import download_many

    items = [DownloadItem(id=name, url=url, name=name) for name, url in spec["urls"]]
    with Stopwatch() as watch:
        results = download_many(items, spec["dest"], overwrite=True, concurrency=spec["concurrency"])
    return watch.result(bytes=_check_files(results, spec))


# --- download-link calls ------------------------------------------------------------------------


def _link_caller(spec: Spec) -> tuple[Callable[[], str], Callable[[], None]]:
    """(one download-link call returning the URL, close) for spec's provider and implementation."""
    provider, impl, key, base, doc = (
        spec["provider"],
        spec["impl"],
        spec["api_key"],
        spec["base_url"],
        spec["id"],
    )
    if impl == "docfetch":
        client: Any
        if provider == "telnyx":
            from docfetch.telnyx import TelnyxClient

            client = TelnyxClient(api_key=key, base_url=base)
        else:
            from docfetch.sarvam import SarvamClient

            client = SarvamClient(api_key=key, base_url=base)
        return (lambda: str(client.links([doc])[0].url)), client.close
    if impl == "httpx":
        import httpx

        if provider == "telnyx":
            http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"})
            path = f"/documents/{doc}/download_link"
            return (lambda: str(_ok(http.get(path)).json()["data"]["url"])), http.close
        http = httpx.Client(base_url=base, headers={"api-subscription-key": key})
        path = f"/doc-digitization/job/v1/{doc}/download-files"
        return (lambda: _first_url(_ok(http.post(path)).json())), http.close
    if provider == "telnyx":
        from telnyx import Telnyx

        sdk = Telnyx(api_key=key, base_url=base)
        return (lambda: str(sdk.documents.generate_download_link(doc).data.url)), sdk.close
    from sarvamai import SarvamAI
    from sarvamai.environment import SarvamAIEnvironment

    env = SarvamAIEnvironment(base=base, creative=f"{base}/dubbing", production=base.replace("http", "ws", 1))
    sarvam = SarvamAI(api_subscription_key=key, environment=env, timeout=10)
    calls = sarvam.document_intelligence

    def sarvam_link() -> str:
        links = calls.get_download_links(job_id=doc).download_urls
        return str(next(iter(links.values())).file_url)

    return sarvam_link, lambda: None


def _ok(response: Any) -> Any:
    response.raise_for_status()
    return response


def _first_url(body: dict[str, Any]) -> str:
    return str(next(iter(body["download_urls"].values()))["file_url"])


def links(spec: Spec) -> dict[str, Any]:
    call, close = _link_caller(spec)
    try:
        for _ in range(WARMUP_CALLS):  # connection set up, lazy imports done
            call()
        with Stopwatch() as watch:
            for _ in range(spec["n"]):
                url = call()
    finally:
        close()
    if not url.startswith("http"):
        raise SystemExit(f"not a URL: {url!r}")
    return watch.result()


def veridox_stream(spec: Spec) -> dict[str, Any]:
    """``iter_download`` over a file of ids (read as the run goes), paced at ``requests_per_minute``:
    when the first result arrived, and when the last did."""
    from pathlib import Path

    from docfetch.core.ratelimit import TokenBucket
    from docfetch.veridox import VeridoxClient

    bucket = TokenBucket.per_minute(spec["requests_per_minute"])
    lines = Path(spec["ids_file"])
    with VeridoxClient(api_key=spec["api_key"], base_url=spec["base_url"], rate_limiter=bucket) as client:
        first: float | None = None
        saved = 0
        with Stopwatch() as watch, lines.open() as ids:
            for result in client.iter_download(
                (line.strip() for line in ids), spec["dest"], concurrency=spec["c"]
            ):
                if not result.ok:
                    raise SystemExit(f"{result.id}: {result.error}")
                saved += 1
                first = first if first is not None else time.perf_counter() - watch._wall
    return watch.result(first=first, files=saved)


TASKS: dict[str, Callable[[Spec], dict[str, Any]]] = {
    "veridox_stream": veridox_stream,
    "telnyx_download": telnyx_download,
    "veridox_download": veridox_download,
    "engine_download": engine_download,
    "api2convert_download": api2convert_download,
    "links": links,
}


def main() -> int:
    spec: Spec = json.loads(sys.stdin.read())
    result = TASKS[spec["task"]](spec)
    result["maxrss_kib"] = peak_rss_kib()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
