"""The Telnyx emulator's document store: seeded documents, the antivirus scan that advances with the clock,
and the handles tests use to add documents and force outcomes."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

from docfetch_emulator_models.telnyx import DocServiceDocumentAvScanStatus as AvScanStatus
from docfetch_emulator_models.telnyx import DocServiceDocumentStatus as ReviewStatus

from ._framework import EmulatorContext

# Seeded demo documents: (filename, content_type, customer_reference, review status, antivirus status).
# The last one is still being scanned when the emulator starts and turns "scanned" after config.job_step.
SEEDED_DOCUMENTS: tuple[tuple[str, str, str, ReviewStatus, AvScanStatus], ...] = (
    ("service-agreement.pdf", "application/pdf", "MY REF 001", ReviewStatus.verified, AvScanStatus.scanned),
    (
        "letter-of-authorization.pdf",
        "application/pdf",
        "PORT-1001",
        ReviewStatus.pending,
        AvScanStatus.scanned,
    ),
    ("utility-bill.png", "image/png", "PORT-1001", ReviewStatus.pending, AvScanStatus.pending_scan),
)
# Leading bytes that make the seeded content look like what its content_type says.
MAGIC: dict[str, bytes] = {
    "application/pdf": b"%PDF-1.7\n",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff\xe0",
}
SEED_SPACING = 3600.0  # seeded documents were "uploaded" an hour apart, the last one an hour ago


def iso8601(timestamp: float) -> str:
    """Telnyx's timestamp format: millisecond precision, `Z` suffix (2018-02-02T22:25:27.521Z)."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class TelnyxDocument:
    id: str
    index: int  # insertion order: picks the hostile name under faults.hostile_names
    filename: str
    content_type: str
    storage_key: str
    sha256: str
    size: int
    customer_reference: str | None
    status: ReviewStatus
    av_scan_status: AvScanStatus
    created_at: float
    updated_at: float
    scan_done_at: float | None = None  # pending_scan turns scanned at this clock time
    direct_downloads: int = 0

    def refresh(self, now: float) -> None:
        """Advance the antivirus scan if its time has come."""
        if (
            self.av_scan_status is AvScanStatus.pending_scan
            and self.scan_done_at is not None
            and now >= self.scan_done_at
        ):
            self.av_scan_status = AvScanStatus.scanned
            self.updated_at = self.scan_done_at
            self.scan_done_at = None


class TelnyxState:
    """Documents by id, plus the API key; thread-safe (tests mutate it while the server runs)."""

    def __init__(self, ctx: EmulatorContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._documents: dict[str, TelnyxDocument] = {}
        self.api_key = (
            f"KEY{ctx.seeded_id('telnyx-api-key', 32).upper()}_{ctx.seeded_id('telnyx-secret', 22)}"
        )

    @property
    def clock(self) -> Callable[[], float]:
        return self._ctx.clock

    def seed(self) -> list[str]:
        """Add the demo documents; returns the ids that are ready to download (scanned)."""
        ready: list[str] = []
        start = self._ctx.clock() - SEED_SPACING * len(SEEDED_DOCUMENTS)
        for position, (name, content_type, reference, status, av_status) in enumerate(SEEDED_DOCUMENTS):
            magic = MAGIC.get(content_type, b"")
            size = max(self._ctx.config.file_size - len(magic), 0)
            data = magic + self._ctx.seeded_bytes(f"telnyx:{name}", size)
            created = start + SEED_SPACING * position
            document = self.add_document(
                data,
                filename=name,
                content_type=content_type,
                customer_reference=reference,
                status=status,
                av_scan_status=av_status,
                created_at=created,
            )
            if av_status is AvScanStatus.scanned:
                ready.append(document.id)
        return ready

    def add_document(
        self,
        data: bytes,
        *,
        filename: str,
        content_type: str = "application/pdf",
        customer_reference: str | None = None,
        status: ReviewStatus = ReviewStatus.pending,
        av_scan_status: AvScanStatus = AvScanStatus.pending_scan,
        scan_after: float | None = None,
        created_at: float | None = None,
    ) -> TelnyxDocument:
        """Store `data` and register a document for it.

        A document added as pending_scan turns scanned `scan_after` seconds later (default
        config.job_step); pass av_scan_status to pin any other state.
        """
        stored = self._ctx.storage.put(data, name=filename, content_type=content_type)
        now = self._ctx.clock()
        created = now if created_at is None else created_at
        with self._lock:
            index = len(self._documents)
            doc_id = str(uuid.UUID(hex=self._ctx.seeded_id(f"telnyx-document:{index}", 32), version=4))
            delay = self._ctx.config.job_step if scan_after is None else scan_after
            document = TelnyxDocument(
                id=doc_id,
                index=index,
                filename=filename,
                content_type=content_type,
                storage_key=stored.key,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                customer_reference=customer_reference,
                status=status,
                av_scan_status=av_scan_status,
                created_at=created,
                updated_at=created,
                scan_done_at=now + delay if av_scan_status is AvScanStatus.pending_scan else None,
            )
            self._documents[doc_id] = document
        return document

    def get(self, doc_id: str) -> TelnyxDocument | None:
        with self._lock:
            document = self._documents.get(doc_id)
            if document is not None:
                document.refresh(self._ctx.clock())
            return document

    def documents(self) -> list[TelnyxDocument]:
        """Every document, scan states brought up to date, in insertion order."""
        now = self._ctx.clock()
        with self._lock:
            for document in self._documents.values():
                document.refresh(now)
            return list(self._documents.values())

    def data(self, doc_id: str) -> bytes:
        return self._ctx.storage.get(self._require(doc_id).storage_key).data

    def set_status(self, doc_id: str, status: ReviewStatus) -> None:
        self._update(doc_id, lambda doc: setattr(doc, "status", status))

    def set_av_scan_status(self, doc_id: str, av_scan_status: AvScanStatus) -> None:
        def apply(doc: TelnyxDocument) -> None:
            doc.av_scan_status = av_scan_status
            doc.scan_done_at = None  # forced: the clock no longer moves it

        self._update(doc_id, apply)

    def remove(self, doc_id: str) -> None:
        """Delete the document and its stored bytes (links to it then fail at the storage origin)."""
        with self._lock:
            document = self._documents.pop(doc_id)
        self._ctx.storage.delete(document.storage_key)

    def count_direct_download(self, doc_id: str) -> None:
        self._update(
            doc_id, lambda doc: setattr(doc, "direct_downloads", doc.direct_downloads + 1), touch=False
        )

    def _require(self, doc_id: str) -> TelnyxDocument:
        document = self.get(doc_id)
        if document is None:
            raise KeyError(doc_id)
        return document

    def _update(self, doc_id: str, change: Callable[[TelnyxDocument], None], *, touch: bool = True) -> None:
        with self._lock:
            document = self._documents[doc_id]
            change(document)
            if touch:
                document.updated_at = self._ctx.clock()
