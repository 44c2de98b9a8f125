"""A typed user script: save documents from each provider, then report.

Checked with `mypy --strict` in CI (`nox -s types`), so the names and fields used here are the ones
the clients really expose. Run it against real credentials (environment variables as in README.md)
or against emulators (`docfetch emulate PROVIDER` prints the values to export).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from docfetch import FileResult
from docfetch.api2convert import Api2ConvertClient
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError
from docfetch.indexhealth import AsyncIndexHealthClient
from docfetch.indexhealth import IndexHealthClient
from docfetch.sarvam import SarvamClient
from docfetch.telnyx import AsyncTelnyxClient
from docfetch.telnyx import TelnyxClient
from docfetch.veridox import VeridoxClient


def report(results: Sequence[FileResult]) -> int:
    failures = 0
    for result in results:
        if result.ok and result.path is not None:
            print(f"saved {result.id}: {result.path} ({result.bytes} bytes, sha256 {result.sha256})")
        else:
            failures += 1
            print(f"failed {result.id}: {result.error}", file=sys.stderr)
    return failures


def telnyx_document(document_id: str, dest: Path) -> int:
    with TelnyxClient() as telnyx:
        document = telnyx.retrieve_document(document_id)
        print(document.filename, document.sha256)
        return report(telnyx.download([document_id], dest))


def sarvam_job(job_id: str, dest: Path) -> int:
    with SarvamClient() as sarvam:
        outcome = sarvam.wait_for_job(job_id, timeout=300)
        if outcome.warning:
            print(outcome.warning)
        return report(sarvam.download([job_id], dest))


def veridox_files(file_ids: list[str], dest: Path) -> int:
    with VeridoxClient() as veridox:
        for link in veridox.links(file_ids):
            print(link.id, link.name, link.expires_at)
        return report(veridox.download(file_ids, dest, concurrency=8))


def api2convert_job(job_id: str, dest: Path) -> int:
    with Api2ConvertClient() as client:
        job = client.wait_for_job(job_id, timeout=300)
        print(job.id, job.status.code)
        return report(client.download([job_id], dest))


def indexhealth_document(document_id: str, dest: Path) -> int:
    with IndexHealthClient() as client:
        details = client.get_document_details(document_id)
        print(details.document_name)
        return report(client.download([document_id], dest))


async def both_async(telnyx_id: str, indexhealth_id: str, dest: Path) -> int:
    async with AsyncTelnyxClient() as telnyx, AsyncIndexHealthClient() as indexhealth:
        first, second = await asyncio.gather(
            telnyx.download([telnyx_id], dest), indexhealth.download([indexhealth_id], dest)
        )
    return report([*first, *second])


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: fetch_documents.py PROVIDER ID", file=sys.stderr)
        return 2
    provider, item, dest = argv[1], argv[2], Path("downloads")
    try:
        if provider == "telnyx":
            failed = telnyx_document(item, dest)
        elif provider == "sarvam":
            failed = sarvam_job(item, dest)
        elif provider == "veridox":
            failed = veridox_files([item], dest)
        elif provider == "api2convert":
            failed = api2convert_job(item, dest)
        elif provider == "indexhealth":
            failed = indexhealth_document(item, dest)
        else:
            print(f"unknown provider {provider!r}", file=sys.stderr)
            return 2
    except InvalidInputError as exc:  # bad id or missing credentials: nothing was sent
        print(exc, file=sys.stderr)
        return 2
    except DocfetchError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
