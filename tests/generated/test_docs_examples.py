"""The generated clients read what the providers document, and what they may send tomorrow (tolerant reader).

Every response example of the operations we generate is parsed through the endpoint's ``build_response``
and its model's ``from_dict``, then checked for the fields docfetch's flows use. The examples come from:

* the curated specs (``specs/<provider>/openapi.yaml``): media-type ``example`` / ``examples`` and
  whole-object schema examples;
* the upstream OpenAPI documents (telnyx ``upstream-spec3.yml``, api2convert ``upstream-openapi.json``) and
  the OpenAPI blocks embedded in ``source-doc.txt``: they have per-field examples only, so one body per
  response is composed from them (a field without an example is left out, as a real response may do);
* ``docs_examples.yaml`` beside this file: examples the docs give only as prose, each with its source.

Then the policy itself (templates/README.md, specs/*/PROVENANCE.md): an enum value the spec does not list
parses into an unknown member that keeps the raw string; extra fields are kept; optional fields may be
missing or null; a missing required field raises an error naming the model and the field; request-side
enums and models stay strict. No network: bodies are handed to ``build_response`` directly.
"""

from __future__ import annotations

import copy
import enum
import importlib
import json
import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import attrs
import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "providers"  # /work/shared/providers, as in noxfile.py
PROVIDERS = ("sarvam", "indexhealth", "telnyx", "veridox", "api2convert")
FIXTURE = Path(__file__).with_name("docs_examples.yaml")

Json = dict[str, Any]


class Example(NamedTuple):
    provider: str
    operation: str  # curated operationId
    status: int
    source: str
    body: Any


def _ids(examples: list[Example]) -> list[str]:
    """Short test ids: provider-operation-status-origin-N (the full source is in the assertion messages)."""
    ids = []
    for index, e in enumerate(examples):
        origin = re.sub(r"[^A-Za-z0-9_.-]", "", e.source.split(" ")[0].split("/")[-1])
        ids.append(f"{e.provider}-{e.operation}-{e.status}-{origin}-{index}")
    return ids


# --- loading the examples ----------------------------------------------------------------------------


def _load_yaml(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a SafeLoader variant


def _resolve(spec: Json, node: Any, seen: frozenset[str] = frozenset()) -> Any:
    """A node with its local ``$ref`` followed (sibling keys win, as OpenAPI 3.1 allows)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return {}
        seen = seen | {ref}
        target: Any = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _compose(spec: Json, schema: Any, seen: frozenset[str] = frozenset()) -> Any:
    """A body made of the schema's own per-field examples; None when no field has one."""
    if isinstance(schema, dict) and "$ref" in schema:
        if schema["$ref"] in seen:
            return None
        seen = seen | {schema["$ref"]}
    node = _resolve(spec, schema)
    if not isinstance(node, dict):
        return None
    if "example" in node:
        value = node["example"]
        if node.get("type") == "object" and isinstance(value, str):
            value = json.loads(value)  # api2convert upstream writes object examples as JSON text (its F3)
        return value
    if isinstance(node.get("examples"), list) and node["examples"]:
        return node["examples"][0]
    if "allOf" in node:
        merged: Json = {}
        for part in node["allOf"]:
            value = _compose(spec, part, seen)
            if isinstance(value, dict):
                merged.update(value)
        return merged or None
    if node.get("type") == "array" or "items" in node:
        item = _compose(spec, node.get("items", {}), seen)
        return None if item is None else [item]
    composed = {name: _compose(spec, prop, seen) for name, prop in node.get("properties", {}).items()}
    return {name: value for name, value in composed.items() if value is not None} or None


def _status(code: str) -> int:
    return 500 if code == "default" else int(code)


def curated_examples() -> Iterator[Example]:
    """Every response example written in the curated specs."""
    for provider in PROVIDERS:
        spec = _load_yaml(ROOT / "specs" / provider / "openapi.yaml")
        for item in spec["paths"].values():
            for op in item.values():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                for code, response in op["responses"].items():
                    media = _resolve(spec, response).get("content", {}).get("application/json")
                    if media is None:
                        continue
                    schema = _resolve(spec, media["schema"])
                    bodies: list[tuple[str, Any]] = []
                    if "example" in media:
                        bodies.append(("media example", media["example"]))
                    for name, example in media.get("examples", {}).items():
                        bodies.append((f"media examples.{name}", _resolve(spec, example)["value"]))
                    if "example" in schema:
                        bodies.append(("schema example", schema["example"]))
                    for index, value in enumerate(schema.get("examples", [])):
                        bodies.append((f"schema examples[{index}]", value))
                    for where, body in bodies:
                        source = f"specs/{provider}/openapi.yaml {op['operationId']} {code} {where}"
                        yield Example(provider, op["operationId"], _status(code), source, body)


# (upstream path, method) -> curated operationId, as in specs/<provider>/curate.py
TELNYX_OPERATIONS = {
    ("/documents", "get"): "list_documents",
    ("/documents/{id}", "get"): "retrieve_document",
    ("/documents/{id}/download_link", "get"): "get_document_download_link",
}
API2CONVERT_OPERATIONS = {
    ("/jobs", "get"): "list_jobs",
    ("/jobs", "post"): "create_job",
    ("/jobs/{job_id}", "get"): "get_job",
    ("/jobs/{job_id}", "patch"): "update_job",
    ("/jobs/{job_id}/output", "get"): "list_job_outputs",
}
SARVAM_OPERATIONS = {("/doc-digitization/job/v1/{job_id}/download-files", "post"): "get_download_links"}


def upstream_examples(
    provider: str, spec: Json, operations: dict[tuple[str, str], str], origin: str
) -> Iterator[Example]:
    """Media-type examples of an upstream document, else one body composed from its per-field examples."""
    for (path, method), operation in operations.items():
        op = spec["paths"].get(path, {}).get(method)
        if op is None:
            continue
        for code, response in op["responses"].items():
            media = _resolve(spec, response).get("content", {}).get("application/json")
            if media is None or code == "204":  # a 204 has no body (api2convert upstream declares one: F16)
                continue
            explicit = [media["example"]] if "example" in media else []
            explicit += [_resolve(spec, e)["value"] for e in media.get("examples", {}).values()]
            for body in explicit:
                yield Example(provider, operation, _status(code), f"{origin} {method} {path} {code}", body)
            composed = None if explicit else _compose(spec, media["schema"])
            if composed is not None:
                source = f"{origin} {method} {path} {code} (composed from per-field examples)"
                yield Example(provider, operation, _status(code), source, composed)


def embedded_specs(provider: str) -> Iterator[Json]:
    """The OpenAPI documents quoted in a provider's source-doc.txt (```yaml / ````yaml fences)."""
    path = SHARED / provider / "source-doc.txt"
    if not path.exists():
        return
    for block in re.findall(r"^`{3,4}yaml[^\n]*\n(.*?)^`{3,4}\s*$", path.read_text(), re.M | re.S):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and "openapi" in document:
            yield document


def fixture_examples() -> Iterator[Example]:
    for entry in _load_yaml(FIXTURE):
        yield Example(entry["provider"], entry["operation"], entry["status"], entry["source"], entry["body"])


def upstream_and_doc_examples() -> Iterator[Example]:
    telnyx_upstream = SHARED / "telnyx" / "upstream-spec3.yml"
    if telnyx_upstream.exists():  # 4 MB, not vendored (specs/telnyx/PROVENANCE.md)
        spec = _load_yaml(telnyx_upstream)
        yield from upstream_examples("telnyx", spec, TELNYX_OPERATIONS, "telnyx upstream-spec3.yml")
    # The same file as /work/shared/providers/api2convert/upstream-openapi.json (vendored, hash-checked).
    api2convert = json.loads((ROOT / "specs" / "api2convert" / "upstream-openapi.json").read_text())
    yield from upstream_examples("api2convert", api2convert, API2CONVERT_OPERATIONS, "api2convert upstream")
    for spec in embedded_specs("telnyx"):
        yield from upstream_examples("telnyx", spec, TELNYX_OPERATIONS, "telnyx source-doc.txt OpenAPI")
    for spec in embedded_specs("sarvam"):  # per-field examples: none (so nothing to compose)
        yield from upstream_examples("sarvam", spec, SARVAM_OPERATIONS, "sarvam source-doc.txt OpenAPI")
    yield from fixture_examples()


CURATED = list(curated_examples())
OTHERS = list(upstream_and_doc_examples())


# --- parsing through the generated endpoint ----------------------------------------------------------


def _operation_tags() -> dict[tuple[str, str], str]:
    tags = {}
    for provider in PROVIDERS:
        spec = _load_yaml(ROOT / "specs" / provider / "openapi.yaml")
        for item in spec["paths"].values():
            for op in item.values():
                if isinstance(op, dict) and "operationId" in op:
                    tags[provider, op["operationId"]] = op["tags"][0]
    return tags


TAGS = _operation_tags()


def endpoint(provider: str, operation: str) -> Any:
    return importlib.import_module(f"docfetch_{provider}_client.api.{TAGS[provider, operation]}.{operation}")


def build(provider: str, operation: str, status: int, body: Any) -> Any:
    """The parsed body, as the handwritten layer gets it: ``build_response(...).parsed``."""
    client_module = importlib.import_module(f"docfetch_{provider}_client.client")
    client = client_module.Client(base_url="http://127.0.0.1:9")  # never used to send anything
    request = httpx.Request("GET", "http://127.0.0.1:9/")
    response = httpx.Response(status, json=body, request=request)
    return endpoint(provider, operation).build_response(client=client, response=response).parsed


def models(provider: str) -> Any:
    return importlib.import_module(f"docfetch_{provider}_client.models")


def _nonempty_str(value: object) -> None:
    assert isinstance(value, str), value


def _sarvam_job(parsed: Any) -> None:
    m = models("sarvam")
    _nonempty_str(parsed.job_id)
    assert isinstance(parsed.job_state, m.DocDigitizationJobState)


def _sarvam_urls(parsed: Any, urls: Any) -> None:
    _sarvam_job(parsed)
    for details in urls.additional_properties.values():
        assert isinstance(details, models("sarvam").FileSignedURLDetails)
        _nonempty_str(details.file_url)


def _indexhealth_documents(parsed: Any) -> None:
    for document in parsed.data:
        _nonempty_str(document.document_id)


def _indexhealth_token(parsed: Any) -> None:
    token = parsed.data.auth_token or parsed.data.access_token
    assert isinstance(token, str) and token


def _veridox_links(parsed: Any) -> None:
    for link in parsed.files:
        assert isinstance(link.file_id, UUID)
        _nonempty_str(link.download_url)
    for error in parsed.errors or []:
        assert isinstance(error.file_id, UUID)


def _telnyx_documents(parsed: Any) -> None:
    documents = parsed.data if isinstance(parsed.data, list) else [parsed.data]
    for document in documents:
        assert isinstance(document, models("telnyx").DocServiceDocument)


def _veridox_files(parsed: Any) -> None:
    for file in parsed.files:
        assert isinstance(file.file_id, UUID)


def _api2convert_job(job: Any) -> None:
    m = models("api2convert")
    assert isinstance(job, m.Job)
    _nonempty_str(job.id)
    _nonempty_str(job.status.code)
    for output in job.output or []:
        _nonempty_str(output.id)


def _api2convert_jobs(jobs: Any) -> None:
    for job in jobs:
        _api2convert_job(job)


def _api2convert_outputs(outputs: Any) -> None:
    for output in outputs:
        assert isinstance(output, models("api2convert").OutputFile)
        _nonempty_str(output.id)


# What each download flow reads from a 2xx answer (wrappers/src/docfetch/<provider>.py).
FLOW_FIELDS: dict[tuple[str, str], Callable[[Any], None]] = {
    ("sarvam", "create_job"): _sarvam_job,
    ("sarvam", "upload_files"): lambda p: _sarvam_urls(p, p.upload_urls),
    ("sarvam", "start_job"): _sarvam_job,
    ("sarvam", "get_job_status"): _sarvam_job,
    ("sarvam", "get_download_links"): lambda p: _sarvam_urls(p, p.download_urls),
    ("indexhealth", "generate_client_auth_token"): _indexhealth_token,
    ("indexhealth", "get_documents"): _indexhealth_documents,
    ("indexhealth", "get_document_details"): lambda p: _nonempty_str(p.data.document_id),
    ("indexhealth", "request_download"): lambda p: _nonempty_str(p.data.download_url),
    ("telnyx", "list_documents"): _telnyx_documents,
    ("telnyx", "retrieve_document"): _telnyx_documents,
    ("telnyx", "get_document_download_link"): lambda p: _nonempty_str(p.data.url),
    ("veridox", "download_files"): _veridox_links,
    ("veridox", "list_files"): _veridox_files,
    ("veridox", "get_asset_url"): lambda p: _nonempty_str(p.url),
    ("api2convert", "list_jobs"): _api2convert_jobs,
    ("api2convert", "create_job"): _api2convert_job,
    ("api2convert", "get_job"): _api2convert_job,
    ("api2convert", "update_job"): _api2convert_job,
    ("api2convert", "list_job_outputs"): _api2convert_outputs,
}


def check_example(example: Example) -> Any:
    try:
        parsed = build(example.provider, example.operation, example.status, copy.deepcopy(example.body))
    except Exception as exc:
        raise AssertionError(f"{example.source}: {exc!r}") from exc
    assert parsed is not None, f"{example.source}: {example.status} is not a documented status"
    items = parsed if isinstance(parsed, list) else [parsed]
    for item in items:  # what to_dict writes reads back the same
        assert type(item).from_dict(json.loads(json.dumps(item.to_dict()))).to_dict() == item.to_dict()
    # The model's own from_dict gives the same object as the endpoint.
    if isinstance(parsed, list):
        assert [type(i).from_dict(b) for i, b in zip(parsed, example.body, strict=True)] == parsed
    else:
        assert type(parsed).from_dict(copy.deepcopy(example.body)) == parsed
    if 200 <= example.status <= 299:
        FLOW_FIELDS[example.provider, example.operation](parsed)
    return parsed


@pytest.mark.parametrize("example", CURATED, ids=_ids(CURATED))
def test_curated_spec_examples_parse(example: Example) -> None:
    check_example(example)


@pytest.mark.parametrize("example", OTHERS, ids=_ids(OTHERS))
def test_upstream_and_docs_examples_parse(example: Example) -> None:
    check_example(example)


def test_every_provider_has_examples() -> None:
    found = {(e.provider, 200 <= e.status <= 299) for e in CURATED + OTHERS}
    assert found >= {(p, True) for p in PROVIDERS}
    sources = {e.source.split(" ")[0] for e in OTHERS}
    assert "api2convert" in sources  # the upstream document is vendored, so always there
    if (SHARED / "telnyx" / "upstream-spec3.yml").exists():
        assert "telnyx" in sources


def test_docs_examples_that_lack_fields_parse() -> None:
    """The docs' own job (no `process`, `fail_on_*`, `filename`; an empty `uri`) and Veridox's placeholder
    link parse: what is unusable is then judged per output / per file by the flow, not per response."""
    from docfetch.providers.api2convert.rules import status_code
    from docfetch.providers.api2convert.outputs import unavailable
    from docfetch.veridox import SignedUrl

    doc_job = next(e for e in OTHERS if e.provider == "api2convert" and e.source.startswith("source-doc.txt"))
    job = check_example(doc_job)
    unset = importlib.import_module("docfetch_api2convert_client.types").UNSET
    assert job.process is unset and job.fail_on_input_error is unset and job.notify_status is unset
    assert job.output[0].uri == "" and job.output[0].filename is unset
    assert status_code(job) == "completed"
    assert "no usable http(s) uri" in str(unavailable(job.id, job.output[0]))

    doc_links = next(e for e in OTHERS if e.provider == "veridox" and e.source.startswith("source-doc.txt"))
    answer = check_example(doc_links)
    link = SignedUrl("3c90c3cc-0d44-4b50-8888-8dd25736052a", link=answer.files[0]).to_link()
    assert link.url == "<string>" and link.expires_at is not None and link.name


# --- the policy: unknown enum values ---------------------------------------------------------------


def _telnyx_document(**changes: Any) -> Json:
    return {"data": {"id": "6a09cdc3-8948-47f0-aa62-74ac943d6c58", "filename": "a.pdf", **changes}}


def _api2convert_job_body(**changes: Any) -> Json:
    return {"id": "9e7a5a34-6f8b-4b3b-b67e-150c407614b8", "status": {"code": "completed"}, **changes}


UNKNOWN_ENUMS = [
    # (provider, operation, status, body, path to the value, enum class name, raw value)
    (
        "telnyx",
        "retrieve_document",
        200,
        _telnyx_document(status="archived"),
        "data.status",
        "DocServiceDocumentStatus",
        "archived",
    ),
    (
        "telnyx",
        "retrieve_document",
        200,
        _telnyx_document(av_scan_status="quarantined"),
        "data.av_scan_status",
        "DocServiceDocumentAvScanStatus",
        "quarantined",
    ),
    (
        "sarvam",
        "get_job_status",
        200,
        {"job_id": "j1", "job_state": "Cancelled"},
        "job_state",
        "DocDigitizationJobState",
        "Cancelled",
    ),
    (
        "sarvam",
        "get_job_status",
        200,
        {"job_id": "j1", "job_state": "Running", "storage_container_type": "S3"},
        "storage_container_type",
        "StorageContainerType",
        "S3",
    ),
    (
        "sarvam",
        "get_job_status",
        200,
        {"job_id": "j1", "job_state": "Running", "job_details": [{"state": "Queued"}]},
        "job_details.0.state",
        "DocDigitizationJobDetailState",
        "Queued",
    ),
    (
        "sarvam",
        "create_job",
        400,
        {"error": {"message": "m", "code": "payload_too_large_error"}},
        "error.code",
        "DocDigitizationErrorCode",
        "payload_too_large_error",
    ),
    (
        "indexhealth",
        "get_document_details",
        200,
        {"data": {"document_id": "doc-1", "document_type": "XLSX"}},
        "data.document_type",
        "DocumentType",
        "XLSX",
    ),
    (
        "veridox",
        "list_files",
        200,
        {"files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f", "analysis_status": "archived"}]},
        "files.0.analysis_status",
        "AnalysisStatus",
        "archived",
    ),
    (
        "veridox",
        "list_files",
        200,
        {"files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f", "analysis_outcome": "inconclusive"}]},
        "files.0.analysis_outcome",
        "AnalysisOutcome",
        "inconclusive",
    ),
    ("api2convert", "get_job", 200, _api2convert_job_body(type="batch"), "type_", "JobType", "batch"),
    (
        "api2convert",
        "get_job",
        200,
        _api2convert_job_body(output=[{"id": "o1", "status": "purged"}]),
        "output.0.status",
        "OutputFileStatus",
        "purged",
    ),
    (
        "api2convert",
        "get_job",
        200,
        _api2convert_job_body(input=[{"type": "dropbox", "status": "queued"}]),
        "input_.0.type_",
        "InputFileType",
        "dropbox",
    ),
    (
        "api2convert",
        "get_job",
        200,
        _api2convert_job_body(input=[{"status": "queued"}]),
        "input_.0.status",
        "InputFileStatus",
        "queued",
    ),
]


def _at(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


@pytest.mark.parametrize(
    ("provider", "operation", "status", "body", "path", "enum_name", "raw"),
    UNKNOWN_ENUMS,
    ids=[f"{case[0]}-{case[5]}" for case in UNKNOWN_ENUMS],
)
def test_unknown_enum_value_parses_and_keeps_the_raw_string(
    provider: str, operation: str, status: int, body: Json, path: str, enum_name: str, raw: str
) -> None:
    parsed = build(provider, operation, status, body)
    value = _at(parsed, path)
    enum_class = getattr(models(provider), enum_name)
    assert isinstance(value, enum_class)
    assert value.is_unknown
    assert value.value == raw and str(value) == raw and f"{value}" == raw and value == raw
    assert value.name == "UNKNOWN"
    assert value not in list(enum_class)  # the documented members are unchanged
    assert enum_class.from_wire(raw) is value  # the same string gives the same member
    with pytest.raises(ValueError, match="is not a valid"):
        enum_class(raw)  # the class itself stays strict, for checking input
    assert raw in json.dumps(parsed.to_dict())  # written back as received
    if 200 <= status <= 299:
        FLOW_FIELDS[provider, operation](parsed)


def _generated_enums() -> list[type[enum.Enum]]:
    found = []
    for provider in PROVIDERS:
        module = models(provider)
        found += [
            obj
            for name in module.__all__
            if isinstance(obj := getattr(module, name), type) and issubclass(obj, enum.Enum)
        ]
    return found


@pytest.mark.parametrize(
    "enum_class", _generated_enums(), ids=lambda c: f"{c.__module__.split('_')[1]}-{c.__name__}"
)
def test_every_generated_enum_is_tolerant(enum_class: Any) -> None:
    for member in enum_class:
        assert enum_class.from_wire(member.value) is member
        assert not member.is_unknown
    unknown = enum_class.from_wire("docfetch-new-value")
    assert unknown.is_unknown and unknown.value == "docfetch-new-value"
    assert pickle.loads(pickle.dumps(unknown)) is unknown  # noqa: S301 - our own bytes
    assert copy.deepcopy(unknown) is unknown
    with pytest.raises(ValueError, match="is not a valid"):
        enum_class.from_wire(7)  # a wrong JSON type is not an unknown value
    with pytest.raises(ValueError, match="is not a valid"):
        enum_class("docfetch-new-value")


def test_request_side_checks_stay_strict() -> None:
    """Enums built from user input are still refused before anything is sent."""
    from docfetch.errors import InvalidInputError
    from docfetch.providers.sarvam.rules import check_language, check_output_format

    with pytest.raises(InvalidInputError):
        check_language("xx-IN")
    with pytest.raises(InvalidInputError):
        check_output_format("json")
    telnyx = models("telnyx")
    with pytest.raises(ValueError, match="is not a valid"):
        telnyx.DocumentSortField("size")


# --- the policy: extra, missing and null fields --------------------------------------------------------


def test_extra_fields_are_kept() -> None:
    # The live create-job answer carries undocumented keys (specs/sarvam/PROVENANCE.md, S5).
    body = {
        "job_id": "20260726_46a20ccd-4a7d-4e5b-abcb-cc6571da48b2",
        "job_state": "Accepted",
        "storage_container_type": "Azure_V1",
        "job_parameters": {"language": "en-IN", "output_format": "md", "pages": "1-3"},
        "prompt_type": "default",
        "prompt": None,
        "source": "api",
    }
    created = build("sarvam", "create_job", 202, body)
    assert created.additional_properties == {"prompt_type": "default", "prompt": None, "source": "api"}
    assert created.job_parameters.additional_properties == {"pages": "1-3"}
    assert created.to_dict()["prompt_type"] == "default"

    document = build(
        "telnyx", "retrieve_document", 200, _telnyx_document(region="eu", size={"amount": 1, "x": 2})
    )
    assert document.data["region"] == "eu" and document.data.size.additional_properties == {"x": 2}
    job = build(
        "api2convert", "get_job", 200, _api2convert_job_body(priority=3, output=[{"id": "o1", "etag": "e"}])
    )
    assert job["priority"] == 3 and job.output[0]["etag"] == "e"
    link = build(
        "veridox",
        "download_files",
        200,
        {"files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f", "download_url": "u", "sha256": "ab"}]},
    )
    assert link.files[0]["sha256"] == "ab"
    details = build(
        "indexhealth", "request_download", 200, {"data": {"download_url": "https://x/y", "ttl": 3600}}
    )
    assert details.data["ttl"] == 3600


MINIMAL = [
    # Only what a flow needs: every other field of the answer is missing.
    ("sarvam", "create_job", 202, {"job_id": "j1", "job_state": "Accepted"}),
    (
        "sarvam",
        "upload_files",
        200,
        {"job_id": "j1", "job_state": "Accepted", "upload_urls": {"a.pdf": {"file_url": "u"}}},
    ),
    (
        "sarvam",
        "get_job_status",
        200,
        {"job_id": "j1", "job_state": "PartiallyCompleted", "job_details": [{"page_errors": [{}]}]},
    ),
    (
        "sarvam",
        "get_download_links",
        200,
        {"job_id": "j1", "job_state": "Completed", "download_urls": {"document.zip": {"file_url": "u"}}},
    ),
    ("indexhealth", "get_documents", 200, {"data": [{"document_id": "doc-1"}]}),
    (
        "indexhealth",
        "get_document_details",
        200,
        {"data": {"document_id": "doc-1", "associated_plans": [{}]}},
    ),
    ("indexhealth", "request_download", 200, {"data": {"download_url": "https://x/y"}}),
    ("telnyx", "list_documents", 200, {"data": [{}]}),
    ("telnyx", "retrieve_document", 200, {"data": {}}),
    ("telnyx", "get_document_download_link", 200, {"data": {"url": "https://x/y"}}),
    (
        "veridox",
        "download_files",
        200,
        {
            "files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f", "download_url": "u"}],
            "errors": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e10"}],
        },
    ),
    ("veridox", "list_files", 200, {"files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f"}]}),
    ("veridox", "get_asset_url", 200, {"url": "https://x/y"}),
    (
        "api2convert",
        "get_job",
        200,
        {"id": "j1", "status": {"code": "processing"}, "input": [{}], "output": [{"id": "o1"}]},
    ),
    ("api2convert", "list_jobs", 200, [{"id": "j1", "status": {"code": "ready"}}]),
    ("api2convert", "list_job_outputs", 200, [{"id": "o1"}]),
]


@pytest.mark.parametrize(
    ("provider", "operation", "status", "body"), MINIMAL, ids=[f"{c[0]}-{c[1]}" for c in MINIMAL]
)
def test_missing_optional_fields_parse(provider: str, operation: str, status: int, body: Any) -> None:
    FLOW_FIELDS[provider, operation](build(provider, operation, status, body))


def _nulls(body: Any, keep: set[str]) -> Any:
    """``body`` with every optional field (every key outside ``keep``) set to null, recursively."""
    if isinstance(body, list):
        return [_nulls(item, keep) for item in body]
    if isinstance(body, dict):
        return {k: _nulls(v, keep) if k in keep else None for k, v in body.items()}
    return body


NULLS = [
    (
        "sarvam",
        "get_job_status",
        200,
        {
            "job_id": "j1",
            "job_state": "Running",
            "created_at": "t",
            "updated_at": "t",
            "storage_container_type": "Azure",
            "total_files": 1,
            "job_details": [],
            "error_message": "",
        },
        {"job_id", "job_state"},
    ),
    (
        "indexhealth",
        "get_documents",
        200,
        {
            "statusCode": 200,
            "message": "OKAY",
            "data": [
                {
                    "document_id": "d",
                    "document_name": "n",
                    "collection_id": "c",
                    "created_at": "t",
                    "updated_at": "t",
                    "document_type": "PDF",
                }
            ],
        },
        {"data", "document_id"},
    ),
    (
        "telnyx",
        "list_documents",
        200,
        {
            "data": [{"id": "x", "size": {"amount": 1}, "status": "pending", "sha256": "s"}],
            "meta": {"total_pages": 1},
        },
        {"data"},
    ),
    (
        "veridox",
        "download_files",
        200,
        {
            "files": [
                {
                    "file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f",
                    "download_url": "u",
                    "expires_at": "x",
                    "label": "l",
                }
            ],
            "errors": [],
        },
        {"files", "file_id", "download_url"},
    ),
    (
        "api2convert",
        "get_job",
        200,
        {
            "id": "j1",
            "status": {"code": "queued", "info": "i"},
            "type": "job",
            "process": True,
            "limits": {},
            "conversion": [],
            "input": [],
            "output": [],
            "errors": [],
            "callback": "c",
            "notify_status": False,
            "spent": 0,
        },
        {"id", "status", "code"},
    ),
]


def _no_null_outside_nullable_fields(value: Any, where: str) -> None:
    """No None in a field whose declared type has no None (null optional fields become UNSET)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _no_null_outside_nullable_fields(item, f"{where}[{index}]")
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            inner = getattr(value, field.name)
            assert inner is not None or "None" in str(field.type), f"{where}.{field.name} is None"
            _no_null_outside_nullable_fields(inner, f"{where}.{field.name}")


@pytest.mark.parametrize(
    ("provider", "operation", "status", "body", "keep"), NULLS, ids=[c[0] for c in NULLS]
)
def test_null_optional_fields_parse_as_unset(
    provider: str, operation: str, status: int, body: Any, keep: set[str]
) -> None:
    parsed = build(provider, operation, status, _nulls(body, keep))
    FLOW_FIELDS[provider, operation](parsed)
    _no_null_outside_nullable_fields(parsed, type(parsed).__name__)


# --- the policy: required fields ------------------------------------------------------------------------


MISSING = [
    # (provider, operation, status, body, model, field)
    ("telnyx", "get_document_download_link", 200, {"data": {}}, "DocumentDownloadLink", "url"),
    ("telnyx", "get_document_download_link", 200, {}, "DocumentDownloadLinkResponse", "data"),
    ("sarvam", "get_job_status", 200, {"job_id": "j1"}, "DocDigitizationJobStatusResponse", "job_state"),
    (
        "sarvam",
        "get_download_links",
        200,
        {"job_id": "j1", "job_state": "Completed", "download_urls": {"d.zip": {}}},
        "FileSignedURLDetails",
        "file_url",
    ),
    ("indexhealth", "request_download", 200, {"statusCode": 200, "data": {}}, "DownloadUrl", "download_url"),
    (
        "indexhealth",
        "get_documents",
        200,
        {"data": [{"document_name": "n"}]},
        "DocumentSummary",
        "document_id",
    ),
    (
        "veridox",
        "download_files",
        200,
        {"files": [{"file_id": "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f"}]},
        "FileDownloadLink",
        "download_url",
    ),
    ("api2convert", "get_job", 200, {"status": {"code": "completed"}}, "Job", "id"),
    ("api2convert", "get_job", 200, {"id": "j1", "status": {"info": "i"}}, "Status", "code"),
    ("api2convert", "list_job_outputs", 200, [{"uri": "https://x/y"}], "OutputFile", "id"),
]


@pytest.mark.parametrize(
    ("provider", "operation", "status", "body", "model", "field"),
    MISSING,
    ids=[f"{c[0]}-{c[4]}.{c[5]}" for c in MISSING],
)
def test_missing_required_field_raises_naming_it(
    provider: str, operation: str, status: int, body: Any, model: str, field: str
) -> None:
    types = importlib.import_module(f"docfetch_{provider}_client.types")
    with pytest.raises(types.MissingFieldError) as caught:
        build(provider, operation, status, body)
    error = caught.value
    assert str(error) == f"{model}: required field '{field}' is missing"
    assert (error.model, error.field) == (model, field)
    assert isinstance(error, KeyError) and isinstance(error, ValueError)


NULL_REQUIRED = [
    ("telnyx", "get_document_download_link", 200, {"data": {"url": None}}, "DocumentDownloadLink", "url"),
    (
        "sarvam",
        "get_job_status",
        200,
        {"job_id": "j1", "job_state": None},
        "DocDigitizationJobStatusResponse",
        "job_state",
    ),
    ("veridox", "download_files", 200, {"files": None}, "DownloadFilesResponse", "files"),
    ("api2convert", "get_job", 200, {"id": None, "status": {"code": "completed"}}, "Job", "id"),
    ("indexhealth", "request_download", 200, {"data": {"download_url": None}}, "DownloadUrl", "download_url"),
]


@pytest.mark.parametrize(
    ("provider", "operation", "status", "body", "model", "field"),
    NULL_REQUIRED,
    ids=[f"{c[0]}-{c[4]}.{c[5]}" for c in NULL_REQUIRED],
)
def test_null_required_field_raises_naming_it(
    provider: str, operation: str, status: int, body: Any, model: str, field: str
) -> None:
    types = importlib.import_module(f"docfetch_{provider}_client.types")
    with pytest.raises(
        types.MissingFieldError, match=re.escape(f"{model}: required field '{field}' is null")
    ):
        build(provider, operation, status, body)


def test_wrong_json_type_names_the_model() -> None:
    with pytest.raises(TypeError, match="DocumentDownloadLink: expected a JSON object, got str"):
        build("telnyx", "get_document_download_link", 200, {"data": "https://x/y"})


def test_the_handwritten_layer_reports_the_provider_model_and_field() -> None:
    from docfetch.core.settings import ApiSettings
    from docfetch.core.settings import as_timeout
    from docfetch.core.settings import ApiSettings, as_timeout
    from docfetch.errors import ResponseValidationError

    m = models("telnyx")
    settings = ApiSettings(provider="telnyx", base_url="http://127.0.0.1:9", timeout=as_timeout(None))
    client = importlib.import_module("docfetch_telnyx_client.client").Client(base_url="http://127.0.0.1:9")
    response = httpx.Response(200, json={"data": {}}, request=httpx.Request("GET", "http://127.0.0.1:9/"))
    build_response = endpoint("telnyx", "get_document_download_link").build_response
    with pytest.raises(ResponseValidationError) as caught:
        settings.parse(build_response, client, response, m.DocumentDownloadLinkResponse)
    assert str(caught.value) == "telnyx: DocumentDownloadLink: required field 'url' is missing"


# Every generated model's required fields (python names). Response models: only what a download flow needs
# (specs/<provider>/PROVENANCE.md, "tolerant reader"); error bodies keep their documented fields; request
# models keep what the API requires. Any model not listed here requires nothing.
REQUIRED = {
    "sarvam": {
        "DocDigitizationCreateJobResponse": {"job_id", "job_state"},
        "DocDigitizationUploadFilesResponse": {"job_id", "job_state", "upload_urls"},
        "DocDigitizationJobStatusResponse": {"job_id", "job_state"},
        "DocDigitizationDownloadFilesResponse": {"job_id", "job_state", "download_urls"},
        "FileSignedURLDetails": {"file_url"},
        "DocDigitizationErrorMessage": {"error"},  # error body
        "DocDigitizationErrorDetails": {"message", "code"},  # error body
        "DocDigitizationCreateJobRequest": {"job_parameters"},  # request
        "DocDigitizationUploadFilesRequest": {"job_id", "files"},  # request
        "DocDigitizationWebhookCallback": {"url"},  # request
    },
    "indexhealth": {
        "ClientAuthTokenResponse": {"data"},
        "DocumentListResponse": {"data"},
        "DocumentDetailsResponse": {"data"},
        "DownloadUrlResponse": {"data"},
        "DownloadUrl": {"download_url"},
        "DocumentFields": {"document_id"},
        "DocumentSummary": {"document_id"},
        "DocumentDetails": {"document_id"},
        "ErrorEnvelope": {"status_code", "message"},  # error body
        "AuthErrorResponse": {"message"},  # error body
        "ClientAuthTokenRequest": {"client_id", "client_secret", "fingerprint", "user"},  # request
        "AuthUser": {"first_name", "last_name"},  # request
        "DocumentIdRequest": {"document_id"},  # request
        "GetDocumentsRequest": {"collection_id"},  # request
    },
    "telnyx": {
        "DocumentListResponse": {"data"},
        "DocumentResponse": {"data"},
        "DocumentDownloadLinkResponse": {"data"},
        "DocumentDownloadLink": {"url"},
        "ErrorResponse": {"errors"},  # error body
        "Error": {"code", "title"},  # error body
    },
    "veridox": {
        "DownloadFilesResponse": {"files"},
        "FileDownloadLink": {"file_id", "download_url"},
        "FileDownloadError": {"file_id"},
        "FileList": {"files"},
        "FileSummary": {"file_id"},
        "AssetUrl": {"url"},
        "ApiError": {"error_code", "error_message"},  # error body
        "DownloadFilesRequest": {"file_ids"},  # request
    },
    "api2convert": {
        "Job": {"id", "status"},
        "Status": {"code"},
        "OutputFile": {"id"},
        "Conversion": {"target"},  # request, echoed in Job.conversion (a conversion is its target)
        "Error": {"message"},  # error body
        "InputFile": {"type_", "source"},  # request (Job.input holds JobInputFile, which requires nothing)
    },
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_required_fields_follow_the_policy(provider: str) -> None:
    module = models(provider)
    actual = {}
    for name in module.__all__:
        cls = getattr(module, name)
        if attrs.has(cls):
            required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}
            if required:
                actual[name] = required
    assert actual == REQUIRED[provider]
