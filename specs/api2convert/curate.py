"""Curate specs/api2convert/openapi.yaml from the published upstream OpenAPI document.

Usage: python specs/api2convert/curate.py [--check]

Input: upstream-openapi.json beside this file, a verbatim copy of QaamGo/api2convert-rust
openapi/api2convert.openapi.json at commit e7ab3ce3d8f2526b808bf4e5d3ffb103660a33b8 (OpenAPI 3.0.0,
info.version 2.0.1). The script keeps the five operations docfetch uses and the schemas they reference,
converts them to OpenAPI 3.1.0 and applies the fixes recorded in PROVENANCE.md (each fix below carries
its PROVENANCE id, e.g. "F3"). With --check it fails instead of writing when the output would change.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / "upstream-openapi.json"
UPSTREAM_SHA256 = "c71a3055e06143ccb8c14f1d1bd8571eae04eca11b8a252d661533d3caccead9"
UPSTREAM_COMMIT = "e7ab3ce3d8f2526b808bf4e5d3ffb103660a33b8"
OUTPUT = HERE / "openapi.yaml"

Json = dict[str, Any]

# (upstream path, method) -> curated operationId. Everything else upstream is left out.
OPERATIONS: dict[tuple[str, str], str] = {
    ("/jobs", "get"): "list_jobs",
    ("/jobs", "post"): "create_job",
    ("/jobs/{job_id}", "get"): "get_job",
    ("/jobs/{job_id}", "patch"): "update_job",
    ("/jobs/{job_id}/output", "get"): "list_job_outputs",
}
AUTH_HEADERS = {"x-api2convert-api-key", "x-api2convert-token"}  # F1: become securitySchemes
JOB_STATUS_CODES = [  # F9: union of the docs (A4) and the SDK contract (A2)
    "created",
    "incomplete",
    "ready",
    "pending",
    "downloading",
    "queued",
    "processing",
    "completed",
    "failed",
    "canceled",
]
OUTPUT_STATUS = {  # F8: the four values of the job_downloading docs (A4)
    "enabled": "The file can be downloaded.",
    "disabled": "The file was deleted.",
    "expired": "The file is no longer available on our servers. Files are available for 24h.",
    "overuse": "The file was already downloaded too often for the maximum allowed downloads value "
    "which is typically 10.",
}
DOC_JOB_ID = "9e7a5a34-6f8b-4b3b-b67e-150c407614b8"
DOC_OUTPUT_URI = f"https://www13.api2convert.com/v2/dl/web2/download-file/{DOC_JOB_ID}/example_small.png"
UNAUTHORIZED = "No API key or invalid API key given."


def load_upstream() -> Json:
    raw = UPSTREAM.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != UPSTREAM_SHA256:
        sys.exit(f"{UPSTREAM.name} changed (sha256 {digest}); review the diff, then update UPSTREAM_SHA256")
    spec: Json = json.loads(raw)
    return spec


def referenced_schemas(node: Any, schemas: Json, found: set[str]) -> set[str]:
    """Names of the component schemas `node` reaches, transitively."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in found:
                found.add(name)
                referenced_schemas(schemas[name], schemas, found)
        for value in node.values():
            referenced_schemas(value, schemas, found)
    elif isinstance(node, list):
        for value in node:
            referenced_schemas(value, schemas, found)
    return found


def to_31_schema(node: Any) -> Any:
    """F2: OpenAPI 3.0 -> 3.1 for schemas: `example` -> `examples`, JSON-in-a-string examples parsed."""
    if isinstance(node, list):
        return [to_31_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_31_schema(v) for k, v in node.items() if k != "example"}
    if "example" in node:
        example = node["example"]
        if node.get("type") == "object" and isinstance(example, str):
            example = json.loads(example)  # F3: upstream writes object examples as JSON strings
        out["examples"] = [example]
    if "type" not in out and "properties" in out:
        out = {"type": "object", **out}  # F4: upstream leaves `type: object` out on Job, Status, Error, ...
    return out


def curate_schemas(upstream: Json, names: set[str]) -> Json:
    src = upstream["components"]["schemas"]
    schemas: Json = {name: to_31_schema(copy.deepcopy(src[name])) for name in sorted(names)}

    job = schemas["Job"]
    job["description"] = "A conversion job: its inputs, conversions, status and (once completed) outputs."
    # F10: id and status are what every client needs. F20 (tolerant reader): upstream's required write-side
    # flags (type, process, fail_on_*, notify_status) are not; a response without one must still parse.
    job["required"] = ["id", "status"]
    for stamp in ("created_at", "modified_at"):
        naive_timestamp(job["properties"][stamp])
    job["properties"]["server"]["examples"] = ["https://www13.api2convert.com/v2/dl/web2"]

    status = schemas["Status"]
    status["description"] = "A job's status: a machine-readable code and a human-readable description."
    status["required"] = ["code"]  # F10
    status["properties"]["code"] = {  # F9: a plain string, not an enum
        "type": "string",
        "description": "Status code identifier. Documented values: "
        + ", ".join(JOB_STATUS_CODES)
        + ". Terminal: completed, failed, canceled. The API may add codes; treat unknown ones as "
        "non-terminal.",
        "examples": JOB_STATUS_CODES,
    }
    status["properties"]["info"]["examples"] = ["The file has been successfully converted."]

    output = schemas["OutputFile"]
    output["description"] = "A converted file. `uri` is self-contained: a plain GET without the API key."
    props = output["properties"]
    props["source"] = {"$ref": "#/components/schemas/OutputFileSource"}  # F5: name the inline schema
    schemas["OutputFileSource"] = to_31_schema(src["OutputFile"]["properties"]["source"])
    schemas["OutputFileSource"]["type"] = "object"
    props["status"] = {
        "$ref": "#/components/schemas/OutputFileStatus",
        "description": "Whether the file can still be downloaded.",
    }
    schemas["OutputFileStatus"] = {  # F8
        "type": "string",
        "enum": list(OUTPUT_STATUS),
        "description": "Output status. "
        + " ".join(f"`{value}`: {text}" for value, text in OUTPUT_STATUS.items()),
    }
    props["uri"]["examples"] = [DOC_OUTPUT_URI]  # F6
    props["uri"]["description"] = (
        "URL for downloading the file: a plain GET, no API key. Append `?encoding=base64` for a "
        "base64-encoded body."
    )
    props["checksum"]["description"] = "MD5 of the file's content, 32 lowercase hex digits."  # F7
    props["checksum"]["examples"] = ["33eeb8844313b7f381f844eca40ae687"]
    props["content_type"]["examples"] = ["image/png"]
    naive_timestamp(props["created_at"], "Date and time when the output was created.")

    input_file = schemas["InputFile"]
    for stamp in ("created_at", "modified_at"):
        naive_timestamp(input_file["properties"][stamp])
    input_file["properties"]["checksum"]["description"] = "Hash for content verification."

    conversion_options = schemas["Conversion"]["properties"]["options"]
    conversion_options.pop("default")  # F11: upstream default [] contradicts type object

    error = schemas["Error"]
    error["description"] = "The body of every HTTP error response."
    error["required"] = ["message"]  # F12
    error["properties"]["code"]["description"] = "A machine-readable error code."
    error["properties"]["message"]["description"] = "A human-readable error message."
    error["properties"]["errors"]["description"] = "Details per invalid field, when there are any."

    hoist_inline_enums(schemas)
    schemas["JobRequest"] = job_request(schemas["Job"])  # F13
    split_input_file(schemas)  # F21
    return dict(sorted(schemas.items()))


def hoist_inline_enums(schemas: Json) -> None:
    """F5: give every inline enum a component name (InputFileType, JobType, ...) instead of Type1/Status1."""
    for owner in list(schemas):
        for prop_name, prop in schemas[owner].get("properties", {}).items():
            if "enum" not in prop:
                continue
            name = owner + "".join(part.title() for part in prop_name.split("_"))
            enum = {key: prop.pop(key) for key in ("type", "enum", "description") if key in prop}
            schemas[name] = enum
            prop["$ref"] = f"#/components/schemas/{name}"


def split_input_file(schemas: Json) -> None:
    """F21: an input as a job reports it (`JobInputFile`, nothing required) and as a request sends it
    (`InputFile`: the same plus the `type` and `source` the API requires). InputFile extends JobInputFile
    (allOf), so a request-side input is also a valid reported one."""
    input_file = schemas["InputFile"]
    reported = {key: value for key, value in input_file.items() if key != "required"}
    reported["description"] = "An input file as a job reports it (nothing required: tolerant reader)."
    schemas["JobInputFile"] = reported
    props = input_file["properties"]
    schemas["InputFile"] = {
        "description": "An input file as a request sends it: `type` and `source` are required.",
        "allOf": [
            {"$ref": "#/components/schemas/JobInputFile"},
            {
                "type": "object",
                "required": input_file["required"],
                "properties": {name: copy.deepcopy(props[name]) for name in input_file["required"]},
            },
        ],
    }
    schemas["Job"]["properties"]["input"]["items"] = {"$ref": "#/components/schemas/JobInputFile"}


def naive_timestamp(prop: Json, description: str | None = None) -> None:
    """F14: the docs show timestamps without a timezone, so no strict `format: date-time`."""
    prop.pop("format", None)
    prop["description"] = (description or prop["description"]) + " ISO 8601, possibly without a timezone."
    prop["examples"] = ["2017-08-15T17:33:05"]


def job_request(job: Json) -> Json:
    """F13: the writable part of Job, without required fields or defaults (upstream reuses Job)."""
    writable = [
        "process",
        "fail_on_input_error",
        "fail_on_conversion_error",
        "conversion",
        "input",
        "limits",
        "callback",
        "notify_status",
        "download_passwords",
    ]
    props = {}
    for name in writable:
        prop = copy.deepcopy(job["properties"][name])
        default = prop.pop("default", None)
        if default is not None:
            prop["description"] = prop["description"].rstrip(".") + "."
            prop["description"] += f" The server assumes {json.dumps(default)} when it is left out."
        props[name] = prop
    return {
        "type": "object",
        "description": "The fields a client may send when creating a job (POST) or changing one (PATCH). "
        'Send `{"process": true}` to start a job that was created with `process: false`.',
        "properties": props,
    }


def error_response(description: str, message: str, code: int | None = None) -> Json:
    example: Json = {"message": message} if code is None else {"code": code, "message": message}
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": example}
        },
    }


def curate_operation(path: str, method: str, op: Json) -> Json:
    out = copy.deepcopy(op)
    out["operationId"] = OPERATIONS[(path, method)]
    out["tags"] = ["jobs"]
    params = [p for p in out.get("parameters", []) if p["name"].lower() not in AUTH_HEADERS]  # F1
    for param in params:
        if "example" in param:
            param["examples"] = {"default": {"value": param.pop("example")}}
        if param["name"] == "page":  # F15
            param["schema"] = {"type": "integer", "minimum": 1, "default": 1}
            param["description"] = "Page number; 50 jobs per page."
        if param["name"] == "job_id":
            param["description"] = "ID of the job."
    if params:
        out["parameters"] = params
    else:
        out.pop("parameters", None)
    if "requestBody" in out:  # F13
        out["requestBody"] = {
            "description": "Content of the job.",
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JobRequest"}}},
        }
    responses: Json = out["responses"]
    for status, response in responses.items():
        content = response.get("content", {}).get("application/json")
        if content and content["schema"].get("$ref") == "#/components/schemas/Error":
            responses[status] = error_response(response["description"], error_message(status, response))
    if "204" in responses:
        responses["204"].pop("content", None)  # F16: a 204 has no body (RFC 9110 6.4.1)
    return out


def error_message(status: str, response: Json) -> str:
    if status == "401":
        return UNAUTHORIZED
    return str(response["description"]).rstrip(".") + "."


def add_documented_extras(paths: Json) -> None:
    list_jobs = paths["/jobs"]["get"]
    list_jobs["responses"]["200"]["description"] = "The jobs on the requested page."  # F19
    list_jobs["responses"]["200"]["headers"] = {  # F17
        "X-Count": {
            "description": "Total number of jobs across all pages.",
            "schema": {"type": "integer", "minimum": 0},
        }
    }
    list_jobs["responses"]["400"] = error_response("Invalid query parameters.", "Invalid input.")  # F18
    paths["/jobs/{job_id}"]["patch"]["responses"]["400"] = error_response("Invalid input", "Invalid input.")
    paths["/jobs"]["post"]["requestBody"]["content"]["application/json"]["examples"] = {
        "remote": {
            "summary": "Convert a remote file to PNG and start at once (the official SDK's payload).",
            "value": {
                "conversion": [{"target": "png"}],
                "process": True,
                "input": [{"type": "remote", "source": "https://example.com/example_small.jpg"}],
            },
        }
    }
    paths["/jobs/{job_id}"]["patch"]["requestBody"]["content"]["application/json"]["examples"] = {
        "start": {"summary": "Start a job created with process: false.", "value": {"process": True}}
    }
    paths["/jobs/{job_id}"]["get"]["responses"]["200"]["content"]["application/json"]["example"] = (
        DOC_COMPLETED_JOB
    )
    paths["/jobs/{job_id}/output"]["get"]["responses"]["200"]["description"] = "The job's output files."
    paths["/jobs/{job_id}/output"]["get"]["responses"]["200"]["content"]["application/json"]["example"] = (
        DOC_COMPLETED_JOB["output"]
    )


# The completed job of the job_downloading docs (source-doc.txt), placeholders filled in (F6).
DOC_COMPLETED_JOB: Json = {
    "id": DOC_JOB_ID,
    "token": "6f1f2ab0ce224701563837758ced469a",
    "type": "job",
    "status": {"code": "completed", "info": "The file has been successfully converted."},
    "errors": [],
    "warnings": [],
    "process": True,
    "fail_on_input_error": True,
    "fail_on_conversion_error": True,
    "notify_status": False,
    "server": "https://www13.api2convert.com/v2/dl/web2",
    "output": [
        {
            "id": "5d8a7e5c-46fd-4e3c-826b-db01a140dea0",
            "source": {"conversion": "0b3a9c1e-8932-4aa8-b66c-114995edd980", "input": []},
            "uri": DOC_OUTPUT_URI,
            "filename": "example_small.png",
            "size": 99101,
            "status": "enabled",
            "content_type": "image/png",
            "downloads_counter": 0,
            "checksum": "33eeb8844313b7f381f844eca40ae687",
            "created_at": "2017-08-15T17:33:05",
        }
    ],
}


def curate(upstream: Json) -> Json:
    paths: Json = {}
    for path, method in OPERATIONS:
        paths.setdefault(path, {})[method] = curate_operation(path, method, upstream["paths"][path][method])
    add_documented_extras(paths)
    for path_item in paths.values():
        for method, op in path_item.items():
            op["responses"] = dict(sorted(op["responses"].items()))
            leading = ("summary", "description", "operationId", "tags")
            first = {key: op.pop(key) for key in leading if key in op}
            path_item[method] = {**first, **op}
    operations = [upstream["paths"][path][method] for path, method in OPERATIONS]
    request_body = upstream["components"]["requestBodies"]["Job"]
    names = referenced_schemas([*operations, request_body], upstream["components"]["schemas"], set())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": upstream["info"]["title"],
            "version": upstream["info"]["version"],
            "description": (
                "Job endpoints of the API2Convert API v2 (formerly online-convert.com API v2), curated by "
                "docfetch from the upstream OpenAPI document (QaamGo/api2convert-rust "
                f"openapi/api2convert.openapi.json @ {UPSTREAM_COMMIT}) by specs/api2convert/curate.py. "
                "See PROVENANCE.md. The legacy header X-Oc-Api-Key is accepted as an alias of "
                "X-Api2convert-Api-Key."
            ),
            "termsOfService": upstream["info"]["termsOfService"],
            "contact": upstream["info"]["contact"],
        },
        "servers": upstream["servers"],
        "security": [{"apiKey": []}, {"jobToken": []}],
        "tags": [{"name": "jobs", "description": "Conversion jobs and their output files."}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Api2convert-Api-Key",
                    "description": "The account's API key. Required to create jobs.",
                },
                "jobToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Api2convert-Token",
                    "description": "A job's `token`: grants access to that one job only.",
                },
            },
            "schemas": curate_schemas(upstream, names),
        },
    }


HEADER = (
    "# Generated by specs/api2convert/curate.py from upstream-openapi.json "
    f"(QaamGo/api2convert-rust @ {UPSTREAM_COMMIT[:12]}).\n"
    "# Do not edit by hand: change curate.py and re-run it. Decisions: PROVENANCE.md.\n"
)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(spec: Json) -> str:
    body = yaml.dump(spec, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=110)
    return HEADER + re.sub(r"\n{3,}", "\n\n", body)


def main(argv: list[str]) -> int:
    text = render(curate(load_upstream()))
    if "--check" in argv:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
