"""State of the Index Health emulator: client credentials, JWT-like tokens and documents.

Tests drive it through `IndexHealthState` (reachable as `RunningEmulator.state`); the FastAPI app in
`indexhealth.py` only reads and updates it. Seeded content is deterministic from `config.seed`; token
expiry and document processing are computed from `ctx.clock`, so a fake clock moves them on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from docfetch_emulator_models.indexhealth import DocumentType

from ._framework import EmulatorContext
from ._framework import StoredObject

# Seeded documents carry fixed timestamps (not the wall clock) so listings are reproducible.
SEED_TIME = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
PROCESSING_STEPS = 4  # an added file-based document reaches avg_progress 100 after this many job_steps
DEFAULT_GROUP = "demo-group"

_MIME_BY_TYPE = {
    DocumentType.pdf: "application/pdf",
    DocumentType.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentType.txt: "text/plain",
    DocumentType.img: "image/png",
    DocumentType.other: "application/octet-stream",
}
_EXTENSION_BY_TYPE = {
    DocumentType.pdf: ".pdf",
    DocumentType.docx: ".docx",
    DocumentType.txt: ".txt",
    DocumentType.img: ".png",
    DocumentType.other: ".bin",
}


@dataclass(frozen=True)
class Plan:
    plan_id: str
    plan_name: str
    color: str


@dataclass
class Document:
    document_id: str
    document_name: str
    collection_id: str
    collection_name: str
    document_type: DocumentType
    created_at: datetime
    updated_at: datetime
    ready_at: float  # on ctx.clock: when processing reaches 100 %
    processing_time: float
    stored: StoredObject | None = None  # None for URL-based documents
    document_url: str | None = None
    description: str | None = None
    priority: int | None = None
    tags: list[str] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    broken: bool = False  # force the documented 500s for this document

    @property
    def file_path(self) -> str | None:
        """The storage path the real service reports; None marks a URL-based document."""
        if self.stored is None:
            return None
        return f"documents/{self.collection_id}/{self.document_id}{_EXTENSION_BY_TYPE[self.document_type]}"

    @property
    def content_type(self) -> str:
        return _MIME_BY_TYPE[self.document_type]

    @property
    def filename(self) -> str:
        """document_name with the extension of its type ("Filename includes proper extension")."""
        extension = _EXTENSION_BY_TYPE[self.document_type]
        name = self.document_name
        return name if name.lower().endswith(extension) else name + extension

    def progress(self, now: float) -> float:
        if self.processing_time <= 0 or now >= self.ready_at:
            return 100.0
        started = self.ready_at - self.processing_time
        return round(max(0.0, now - started) / self.processing_time * 100, 1)


@dataclass(frozen=True)
class TokenClaims:
    domain: str
    client_id: str
    exp: float
    claims: dict[str, Any]


def pdf_like(body: bytes) -> bytes:
    """Deterministic bytes that start and end like a PDF, so sniffers and viewers recognise the type."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + body + b"\n%%EOF\n"


class IndexHealthState:
    """Credentials, issued tokens and documents of one emulator; thread-safe."""

    def __init__(self, ctx: EmulatorContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._secret = secrets.token_bytes(32)
        self._jti = 0
        self._revoked_up_to = 0  # tokens with a jti up to this one are revoked
        self.client_id = f"ih-client-{ctx.seeded_id('client', 12)}"
        self.client_secret = ctx.seeded_id("client-secret", 40)
        self.fingerprint = "docfetch-emulator"
        self.user: dict[str, str] = {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada.lovelace@example.com",
            "group_name": DEFAULT_GROUP,
        }
        self.collection_id = f"col-{ctx.seeded_id('collection', 8)}"
        self.collection_name = "Benefits 2025"
        self.documents: dict[str, Document] = {}
        self.token_requests = 0  # every POST /generate-client-auth-token that reached the app
        self.token_exchanges = 0  # the successful ones (tokens handed out over HTTP)
        self.downloads: dict[str, int] = {}  # document_id -> direct downloads (GET /download/{id})
        self._seed()

    @property
    def credentials(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "fingerprint": self.fingerprint,
            "user": dict(self.user),
        }

    # ---- documents ----
    def _seed(self) -> None:
        gold = Plan(f"plan-{self._ctx.seeded_id('plan-gold', 8)}", "Gold PPO", "#F5B700")
        self.add_document(
            "Summary of Benefits 2025.pdf",
            description="Plan year 2025 summary of benefits and coverage",
            tags=["benefits", "2025"],
            priority=1,
            plans=[gold],
            created_at=SEED_TIME,
            processed=True,
        )
        self.add_document(
            "Évidence de couverture – Überblick.pdf",
            description="Evidence of coverage (non-ASCII name)",
            tags=["coverage"],
            priority=2,
            created_at=SEED_TIME + timedelta(hours=1),
            processed=True,
        )
        self.add_document(
            "Provider Directory",
            document_url="https://example.com/indexhealth/provider-directory",
            description="URL-based document: it has no file to download",
            created_at=SEED_TIME + timedelta(hours=2),
            processed=True,
        )
        if self._ctx.config.drift:  # reported with a document_type the spec does not list (IMAGE)
            self.add_document(
                "Member ID card.png",
                document_type=DocumentType.img,
                description="Image document (drift mode)",
                created_at=SEED_TIME + timedelta(hours=3),
                processed=True,
            )

    def add_document(
        self,
        name: str,
        data: bytes | None = None,
        *,
        document_type: DocumentType = DocumentType.pdf,
        document_id: str | None = None,
        document_url: str | None = None,
        collection_id: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        priority: int | None = None,
        plans: list[Plan] | None = None,
        created_at: datetime | None = None,
        processed: bool = False,
    ) -> Document:
        """Add a file-based document (PDF-like seeded bytes unless `data`), or a URL one with `document_url`.

        A new file-based document is processed over PROCESSING_STEPS * config.job_step (avg_progress);
        it is downloadable at once, as the docs do not tie downloads to processing.
        """
        with self._lock:
            index = len(self.documents)
            doc_id = document_id or f"doc-{self._ctx.seeded_id(f'document:{index}', 8)}"
            if doc_id in self.documents:
                raise ValueError(f"document {doc_id!r} exists")
        stored: StoredObject | None = None
        if document_url is None:
            content = data if data is not None else self._seeded_content(doc_id, document_type)
            stored = self._ctx.storage.put(content, name=name, content_type=_MIME_BY_TYPE[document_type])
        now = self._ctx.clock()
        processing = 0.0 if processed or stored is None else PROCESSING_STEPS * self._ctx.config.job_step
        stamp = created_at or datetime.fromtimestamp(now, UTC)
        document = Document(
            document_id=doc_id,
            document_name=name,
            collection_id=collection_id or self.collection_id,
            collection_name=self.collection_name,
            document_type=document_type,
            created_at=stamp,
            updated_at=stamp,
            ready_at=now + processing,
            processing_time=processing,
            stored=stored,
            document_url=document_url,
            description=description,
            priority=priority,
            tags=list(tags or []),
            plans=list(plans or []),
        )
        with self._lock:
            self.documents[doc_id] = document
        return document

    def _seeded_content(self, doc_id: str, document_type: DocumentType) -> bytes:
        body = self._ctx.seeded_bytes(f"indexhealth:{doc_id}")
        return pdf_like(body) if document_type is DocumentType.pdf else body

    def remove_document(self, document_id: str) -> None:
        with self._lock:
            document = self.documents.pop(document_id)
        if document.stored is not None:
            self._ctx.storage.delete(document.stored.key)

    def break_document(self, document_id: str, broken: bool = True) -> None:
        """Make both download endpoints answer this document with their documented 500."""
        with self._lock:
            self.documents[document_id].broken = broken

    def find(self, document_id: str) -> Document | None:
        with self._lock:
            return self.documents.get(document_id)

    def index_of(self, document_id: str) -> int:
        """Position in insertion order (picks the hostile name a document reports)."""
        with self._lock:
            return list(self.documents).index(document_id)

    def in_collection(self, collection_id: str) -> list[Document]:
        with self._lock:
            return [doc for doc in self.documents.values() if doc.collection_id == collection_id]

    def downloadable_ids(self) -> list[str]:
        with self._lock:
            return [doc.document_id for doc in self.documents.values() if doc.stored is not None]

    def count_download(self, document_id: str) -> None:
        with self._lock:
            self.downloads[document_id] = self.downloads.get(document_id, 0) + 1

    # ---- tokens ----
    def record_token_request(self, *, issued: bool) -> None:
        with self._lock:
            self.token_requests += 1
            self.token_exchanges += int(issued)

    def credentials_match(self, client_id: str, client_secret: str) -> bool:
        return hmac.compare_digest(client_id.encode(), self.client_id.encode()) and hmac.compare_digest(
            client_secret.encode(), self.client_secret.encode()
        )

    def issue_token(self, user: dict[str, Any] | None = None, *, fingerprint: str | None = None) -> str:
        """A signed JWT-like token (HS256 over a per-emulator secret) valid for config.token_ttl."""
        person = dict(self.user if user is None else user)
        now = self._ctx.clock()
        with self._lock:
            self._jti += 1
            jti = self._jti
        claims: dict[str, Any] = {
            "domain": person.get("group_name") or DEFAULT_GROUP,
            "user_first_name": person.get("first_name"),
            "user_last_name": person.get("last_name"),
            "user_date_of_birth": person.get("date_of_birth"),
            "user_email": person.get("email"),
            "user_phone": person.get("phone"),
            "user_uid": person.get("uid"),
            "client_id": self.client_id,
            "fingerprint": fingerprint or self.fingerprint,
            "iat": now,
            "exp": now + self._ctx.config.token_ttl,
            "jti": jti,
        }
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{header}.{payload}.{self._signature(header, payload)}"

    def verify_token(self, token: str) -> TokenClaims | None:
        """The claims of a genuine, unexpired, unrevoked token; None otherwise."""
        parts = token.split(".")
        if len(parts) != 3 or not hmac.compare_digest(self._signature(parts[0], parts[1]), parts[2]):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
            exp, jti = float(claims["exp"]), int(claims["jti"])
        except (ValueError, KeyError, TypeError):
            return None
        if self._ctx.clock() >= exp or jti <= self._revoked_up_to:
            return None
        return TokenClaims(
            domain=str(claims["domain"]), client_id=str(claims["client_id"]), exp=exp, claims=claims
        )

    def revoke_tokens(self) -> None:
        """Invalidate every token issued so far (as a secret rotation would)."""
        with self._lock:
            self._revoked_up_to = self._jti

    def _signature(self, header: str, payload: str) -> str:
        return _b64(hmac.new(self._secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
