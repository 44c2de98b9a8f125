"""Case 1: one large file through the Telnyx flow (download link from the emulator, then the bytes),
docfetch against ``curl -o`` on the same signed URL; and docfetch's peak memory, small vs large."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch_emulator_models.telnyx import DocServiceDocumentAvScanStatus as AvScanStatus

from bench.config import MIB
from bench.config import BenchConfig
from bench.procs import clear_dir
from bench.procs import docfetch_command
from bench.procs import run_timed
from bench.procs import run_worker
from bench.procs import settle_disk
from bench.procs import sha256_of
from bench.results import CaseResult
from bench.results import Sample
from bench.results import Series
from bench.results import Target
from bench.results import alternate
from bench.servers import nginx
from bench.servers import nginx_binary
from bench.servers import readable_tree
from bench.servers import served_dir

DOCFETCH = "docfetch TelnyxClient.download"
CLI = "docfetch telnyx download ID --out DIR (whole process)"
CLI_MEMORY_LIMIT_MIB = 64.0
CURL = "curl -o"
CURL_SAFE = "curl -o, then sha256sum and sync of the file"
MEMORY_LIMIT_MIB = 100.0
FLAT_LIMIT_MIB = 8.0  # the large file's peak RSS may exceed the small one's by this much at most
WRITE_CHUNK = 8 * MIB


@dataclass(frozen=True)
class Published:
    """A document of the Telnyx emulator, with its size and sha256 (what docfetch verifies)."""

    doc_id: str
    size: int
    sha256: str


def _random_file(path: Path, size: int) -> str:
    """Write ``size`` random (incompressible) bytes; return their sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        left = size
        while left:
            chunk = os.urandom(min(WRITE_CHUNK, left))
            handle.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def publish(emu: RunningEmulator, workdir: Path, name: str, size: int, *, www: Path | None) -> Published:
    """A scanned Telnyx document of ``size`` random bytes.

    With nginx (``www``, the directory it serves) the emulator keeps a placeholder object and the
    document record is pointed at the real file (its size and sha256 set to the file's): the link
    the API hands out names the object's key, and nginx serves ``www/o/<key>``. Without nginx the
    emulator's own storage holds and serves the bytes.
    """
    staging = workdir / f".{name}.staging"
    sha256 = _random_file(staging, size)
    state = emu.state
    if www is None:
        data = staging.read_bytes()
        staging.unlink()
        document = state.add_document(
            data, filename=name, content_type="application/octet-stream", av_scan_status=AvScanStatus.scanned
        )
        return Published(document.id, size, sha256)
    document = state.add_document(
        b"", filename=name, content_type="application/octet-stream", av_scan_status=AvScanStatus.scanned
    )
    document.size, document.sha256 = size, sha256
    shutil.move(staging, www / "o" / document.storage_key)
    return Published(document.id, size, sha256)


def signed_link(emu: RunningEmulator, doc_id: str) -> str:
    """The download link the Telnyx API hands out, fetched with plain httpx (not timed)."""
    response = httpx.get(f"{emu.base_url}/documents/{doc_id}/download_link", headers=emu.auth_headers())
    response.raise_for_status()
    return str(response.json()["data"]["url"])


def run(cfg: BenchConfig, workdir: Path) -> CaseResult:
    result = CaseResult(
        key="large",
        title=f"1. One large file ({cfg.large_size // MIB} MiB) through the Telnyx flow",
        method=(
            "docfetch runs `TelnyxClient.download([id], dest)` in a fresh child process (timed from the call to "
            "its return: the document lookup and download-link calls to the emulator, the transfer, sha256 "
            "verification, fsync and the atomic rename; interpreter start and imports excluded). curl runs "
            "`curl -sS --fail -o FILE URL` on a signed URL fetched once from the same emulator (timed as a "
            f"whole process); '{CURL_SAFE}' adds what docfetch guarantees on top (`sha256sum FILE && sync "
            "FILE`), for context. The API is the Telnyx emulator; the file bytes are served by nginx "
            "(sendfile, one worker): the emulator's storage key is kept, its base URL is pointed at nginx, "
            "and the document record's size and sha256 are set to the file's. Runs alternate; before each, "
            "the previous output is deleted and `sync` flushes its dirty pages. Throughput = size / median. "
            "Peak RSS is the docfetch process's whole peak (interpreter and imports included). "
            f"'{CLI}' is the command a user runs, timed as a whole fresh process, for its peak RSS."
        ),
        reference=CURL,
        work=cfg.large_size,
        work_unit="bytes",
    )
    use_nginx = nginx_binary() is not None
    have_curl = shutil.which("curl") is not None
    dest = workdir / "out"
    dest.mkdir()
    labels = (DOCFETCH, CLI, CURL, CURL_SAFE)
    series = {label: Series(label) for label in labels}
    small = Series(f"docfetch, {cfg.memory_small_size // MIB} MiB file", work=cfg.memory_small_size)
    with ExitStack() as stack:
        emu = stack.enter_context(run_emulator("telnyx"))
        www = stack.enter_context(served_dir()) if use_nginx else None
        if www is not None:
            (www / "o").mkdir()
        large_doc = publish(emu, workdir, "large.bin", cfg.large_size, www=www)
        small_doc = publish(emu, workdir, "small.bin", cfg.memory_small_size, www=www)

        def docfetch(doc: Published) -> Sample:
            spec = {
                "task": "telnyx_download",
                "base_url": emu.base_url,
                "api_key": emu.api_key,
                "id": doc.doc_id,
                "dest": str(dest),
                "expect_sha256": doc.sha256,
                "expect_files": 1,
            }
            sample = run_worker(spec)
            clear_dir(dest)
            settle_disk()
            return sample

        def command(doc: Published) -> Sample:
            env = {**os.environ, "TELNYX_API_KEY": str(emu.api_key), "TELNYX_BASE_URL": emu.base_url}
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: from bytecode
            download = ["telnyx", "download", doc.doc_id, "--out", str(dest)]
            sample = run_timed([*docfetch_command("cli-large"), *download], env=env)
            size = (dest / "large.bin").stat().st_size
            if size != doc.size:
                raise RuntimeError(f"the command wrote {size} bytes, not the document's {doc.size}")
            clear_dir(dest)
            settle_disk()
            return Sample(sample.seconds, sample.cpu_seconds, sample.maxrss_kib, bytes=size)

        runners: dict[str, Callable[[], Sample]] = {
            DOCFETCH: lambda: docfetch(large_doc),
            CLI: lambda: command(large_doc),
        }
        if www is None:
            result.notes.append("nginx is not installed: the emulator's storage served the bytes.")
            result.skipped.append(f"{CURL}: nginx is not installed")
        elif not have_curl:
            result.skipped.append(f"{CURL}: curl is not installed")
        if www is not None:
            readable_tree(www)
            emu.storage.base_url = stack.enter_context(nginx(www))
        if www is not None and have_curl:
            url, target = signed_link(emu, large_doc.doc_id), dest / "large.bin"
            runners[CURL] = lambda: curl(curl_command(url, target), target, large_doc)
            runners[CURL_SAFE] = lambda: curl(curl_command(url, target, safe=True), target, large_doc)
        alternate(runners, cfg.reps, series)
        alternate({small.label: lambda: docfetch(small_doc)}, cfg.reps, {small.label: small})
    result.series = [*(series[label] for label in labels if series[label].samples), small]
    _targets(result, series[DOCFETCH], series[CURL], small)
    cli_rss = series[CLI].max_rss_mib
    result.targets.append(
        Target("Large file: CLI peak RSS (whole process)", cli_rss, CLI_MEMORY_LIMIT_MIB, unit="MiB")
    )
    return result


def curl_command(url: str, target: Path, *, safe: bool = False) -> list[str]:
    if not safe:
        return ["curl", "-sS", "--fail", "-o", str(target), url]
    script = 'curl -sS --fail -o "$1" "$2" && sha256sum "$1" >/dev/null && sync "$1"'
    return ["sh", "-c", script, "sh", str(target), url]


def curl(command: list[str], target: Path, doc: Published) -> Sample:
    """One timed curl run; the file is then checked (size and sha256, untimed) and removed."""
    sample = run_timed(command)
    size = target.stat().st_size if target.exists() else 0
    if size != doc.size or sha256_of(target) != doc.sha256:
        raise RuntimeError(f"curl wrote {size} bytes that are not the document's {doc.size}")
    target.unlink()
    settle_disk()
    return Sample(sample.seconds, cpu_seconds=sample.cpu_seconds, bytes=size)


def _targets(result: CaseResult, docfetch: Series, curl: Series, small: Series) -> None:
    if curl.samples:
        result.targets.append(
            Target(
                "Large file: docfetch throughput / curl's",
                curl.median / docfetch.median,
                0.9,
                higher_is_better=True,
            )
        )
    large_rss, small_rss, before = docfetch.max_rss_mib, small.max_rss_mib, docfetch.baseline_rss_mib
    detail = "" if before is None else f"{before:.1f} MiB of it before the download began"
    result.targets.append(
        Target("Large file: docfetch peak RSS", large_rss, MEMORY_LIMIT_MIB, unit="MiB", detail=detail)
    )
    if large_rss is not None and small_rss is not None:
        result.targets.append(
            Target(
                "Large file: peak RSS growth, small to large file (flat)",
                large_rss - small_rss,
                FLAT_LIMIT_MIB,
                unit="MiB",
                detail=f"{small_rss:.1f} MiB -> {large_rss:.1f} MiB",
            )
        )
