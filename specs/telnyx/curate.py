"""Curate specs/telnyx/openapi.yaml from Telnyx's published OpenAPI file (team-telnyx/openapi spec3.yml).

Re-runnable: point it at a newer upstream file, re-run, and `git diff specs/telnyx/openapi.yaml` shows what
changed upstream in the four Documents operations and their components. Every curation fix below has an id
(F1..F13) that PROVENANCE.md explains; a fix whose upstream precondition no longer holds is reported on
stderr (the quirk may have been fixed upstream) instead of being applied blindly.

    python specs/telnyx/curate.py [--upstream PATH] [--out PATH] [--commit SHA] [--check]

The upstream file is ~4 MB, so it is not vendored. Fetch the pinned version with
    curl -fLo spec3.yml https://raw.githubusercontent.com/team-telnyx/openapi/<commit>/openapi/spec3.yml
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
# The shared research folder sits beside the repository (../shared), as in CI.
DEFAULT_UPSTREAM = (
    Path(__file__).resolve().parents[3] / "shared" / "providers" / "telnyx" / "upstream-spec3.yml"
)
DEFAULT_COMMIT = "4f3a6bd8c1ce374fc0c82f838a7a8c5146dc336e"
UPSTREAM_REPO = "team-telnyx/openapi"
UPSTREAM_PATH = "openapi/spec3.yml"

Json = dict[str, Any]

# (upstream path, method) -> (our operationId). F1: snake_case ids, one lowercase tag.
OPERATIONS: dict[tuple[str, str], str] = {
    ("/documents", "get"): "list_documents",
    ("/documents/{id}", "get"): "retrieve_document",
    ("/documents/{id}/download", "get"): "download_document",
    ("/documents/{id}/download_link", "get"): "get_document_download_link",
}
TAG = "documents"

# F7: clean component names (upstream name -> ours). The error wrapper must not be called `Errors`: its
# snake name would equal its own property `errors` (generator trap, DEVELOPING.md spec rules).
SCHEMA_RENAMES = {
    "documents_Errors": "ErrorResponse",
    "documents_Error": "Error",
}

ERROR_DOCS_URL = "https://developers.telnyx.com/docs/overview/errors/{code}"


def load_upstream(path: Path) -> Json:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        data: Json = yaml.load(fh, Loader=loader)  # noqa: S506 - a SafeLoader variant
    return data


def warn(message: str) -> None:
    print(f"curate.py: {message}", file=sys.stderr)


def ref_name(ref: str, kind: str) -> str:
    prefix = f"#/components/{kind}/"
    if not ref.startswith(prefix):
        raise ValueError(f"unexpected $ref {ref!r} (wanted {prefix}...)")
    return ref[len(prefix) :]


def iter_refs(node: Any) -> list[str]:
    """All `$ref` strings in a JSON-like tree, in document order."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(iter_refs(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(iter_refs(item))
    return found


def rewrite_refs(node: Any, mapping: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (mapping.get(value, value) if key == "$ref" else rewrite_refs(value, mapping))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [rewrite_refs(item, mapping) for item in node]
    return node


def ref(kind: str, name: str) -> Json:
    return {"$ref": f"#/components/{kind}/{name}"}


# ----------------------------------------------------------------------------------------------------
# Fixes applied to components copied from upstream
# ----------------------------------------------------------------------------------------------------


def name_inline_schemas(schemas: Json) -> None:
    """F7: move DocServiceDocument's inline enums/objects and Error.source into named components, so the
    attrs client and the pydantic emulator models get the same, explanatory class names."""
    document_part = schemas["DocServiceDocument"]["allOf"][1]["properties"]
    for prop, name in (
        ("status", "DocServiceDocumentStatus"),
        ("av_scan_status", "DocServiceDocumentAvScanStatus"),
        ("size", "DocServiceDocumentSize"),
    ):
        inline = document_part[prop]
        description = inline.pop("description", None)
        read_only = inline.pop("readOnly", None)
        example = inline.pop("example", None) if "enum" in inline else None
        schemas[name] = {"description": description, **inline} if description else inline
        if example is not None:
            schemas[name]["example"] = example
        wrapped: Json = {"$ref": f"#/components/schemas/{name}"}
        if read_only:
            wrapped["readOnly"] = True
        document_part[prop] = wrapped
    source = schemas["documents_Error"]["properties"]["source"]
    schemas["ErrorSource"] = {
        "description": "Which part of the request caused the error.",
        **source,
    }
    schemas["documents_Error"]["properties"]["source"] = ref("schemas", "ErrorSource")
    wrapper = schemas["documents_Errors"]
    if "required" in wrapper:
        warn(f"F9 no longer needed? documents_Errors.required is {wrapper['required']} upstream")
    else:
        # F9: every documented error body (T4, T5) carries the list; the client should not see it as optional.
        wrapper["required"] = ["errors"]


def add_response_schemas(schemas: Json, operations: dict[str, Json]) -> None:
    """F6: name the inline 200 bodies (the generator would call them `RetrieveDocumentResponse200` etc.)."""
    list_body = operations["list_documents"]["responses"]["200"]["content"]["application/json"]["schema"]
    retrieve_body = operations["retrieve_document"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    link_body = operations["get_document_download_link"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    for body in (list_body, retrieve_body):
        if "required" in body:
            warn(f"F12 no longer needed? a 200 body already requires {body['required']} upstream")
        # F12: the success envelope always carries `data`, as the download_link body upstream already
        # declares; optional fields inside DocServiceDocument stay optional. A list's `meta` stays optional
        # (F13, tolerant reader): only paging reads it, and paging works without it.
        body["required"] = ["data"]
    schemas["DocumentListResponse"] = {
        "description": "A page of documents, ordered by created_at descending.",
        **list_body,
    }
    schemas["DocumentResponse"] = {"description": "A single document.", **retrieve_body}
    link = link_body["properties"]["data"]
    schemas["DocumentDownloadLink"] = {"description": "A temporary pre-signed download URL.", **link}
    schemas["DocumentDownloadLinkResponse"] = {
        **link_body,
        "properties": {**link_body["properties"], "data": ref("schemas", "DocumentDownloadLink")},
    }
    for op_id, name in (
        ("list_documents", "DocumentListResponse"),
        ("retrieve_document", "DocumentResponse"),
        ("get_document_download_link", "DocumentDownloadLinkResponse"),
    ):
        operations[op_id]["responses"]["200"]["content"]["application/json"]["schema"] = ref("schemas", name)


def error_example(code: str, title: str, detail: str, **extra: Any) -> Json:
    error: Json = {"code": code, "title": title, "detail": detail, **extra}
    error.setdefault("meta", {"url": ERROR_DOCS_URL.format(code=code)})
    return {"errors": [error]}


RATE_LIMIT_HEADERS: Json = {
    "x-ratelimit-limit": {
        "description": "Requests allowed in the current window.",
        "schema": {"type": "integer"},
    },
    "x-ratelimit-remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "x-ratelimit-reset": {
        "description": "Seconds until the current window resets.",
        "schema": {"type": "integer"},
    },
}


def error_response(description: str, example_name: str, example: Json, **extra: Any) -> Json:
    return {
        "description": description,
        **extra,
        "content": {
            "application/json": {
                "schema": ref("schemas", "documents_Errors"),
                "examples": {example_name: {"value": example}},
            }
        },
    }


def build_responses(upstream_responses: Json) -> Json:
    """F3/F4: the error responses of every curated operation, all with the `{errors: [...]}` wrapper."""
    not_found = copy.deepcopy(upstream_responses["ResourceNotFound"])
    schema_ref = not_found["content"]["application/json"]["schema"].get("$ref")
    if schema_ref == "#/components/schemas/documents_Error":
        not_found["content"]["application/json"]["schema"] = ref("schemas", "documents_Errors")  # F3
    else:
        warn(f"F3 no longer needed? ResourceNotFound schema is {schema_ref!r} upstream")
    not_found["content"]["application/json"]["examples"] = {
        "not_found": {
            "value": error_example(
                "10005", "Resource not found", "The requested resource or URL could not be found."
            )
        }
    }
    unprocessable = copy.deepcopy(upstream_responses["UnprocessableEntity"])
    unprocessable["content"]["application/json"]["examples"] = {
        "invalid_id": {
            "value": error_example(
                "10006",
                "Invalid ID",
                "The resource ID provided was invalid.",
                source={"parameter": "id"},
            )
        },
        "invalid_parameter": {
            "value": error_example(
                "10015",
                "Bad Request",
                "The request failed because it was not well-formed.",
                source={"parameter": "page[size]"},
            )
        },
    }
    generic = copy.deepcopy(upstream_responses["documents_GenericErrorResponse"])
    generic["content"]["application/json"]["examples"] = {
        "unexpected": {"value": error_example("10007", "Unexpected error", "An unexpected error occured.")}
    }
    return {
        "Unauthorized": error_response(
            "Authentication failed: the API key is missing or invalid.",
            "authentication_failed",
            error_example(
                "10009",
                "Authentication failed",
                "The required authentication headers were either invalid or not included in the request.",
            ),
        ),
        "ResourceNotFound": not_found,
        "UnprocessableEntity": unprocessable,
        "TooManyRequests": error_response(
            "Rate limit exceeded.",
            "too_many_requests",
            # T5 shows this body without `meta`.
            {
                "errors": [
                    {
                        "code": "10011",
                        "title": "Too many requests",
                        "detail": "You have exceeded the maximum number of allowed requests.",
                    }
                ]
            },
            headers=RATE_LIMIT_HEADERS,
        ),
        "GenericErrorResponse": generic,
    }


# ----------------------------------------------------------------------------------------------------
# Fixes applied to the operations
# ----------------------------------------------------------------------------------------------------


def flatten_deep_object(param: Json) -> list[Json]:
    """F2: one `filter[a][b]` / `page[x]` query parameter per leaf of a consolidated deepObject parameter.
    openapi-python-client sends an object-typed query parameter as flat `number=1` (it ignores
    style: deepObject), so the bracketed names the API expects have to be spelled out."""
    out: list[Json] = []
    base = param["name"]
    for prop, prop_schema in param["schema"]["properties"].items():
        children = prop_schema.get("properties")
        leaves = children.items() if children else [(None, prop_schema)]
        for child, leaf in leaves:
            name = f"{base}[{prop}]" + (f"[{child}]" if child else "")
            if leaf.get("type") == "array":
                # Arrays inside a deepObject have no defined serialisation; the SDK and the original
                # names disagree (`a,b` vs `[]=a&[]=b`). Left out; the emulator accepts both forms.
                continue
            leaf = copy.deepcopy(leaf)
            description = leaf.pop("description", None)
            entry: Json = {"name": name, "in": "query"}
            if description:
                entry["description"] = description
            out.append({**entry, "required": False, "schema": leaf})
    return out


def curate_list_parameters(op: Json, parameters: Json) -> None:
    flattened: list[Json] = []
    for param in op.get("parameters", []):
        name = ref_name(param["$ref"], "parameters")
        upstream = parameters[name]
        if upstream.get("style") == "deepObject":
            flattened.extend(flatten_deep_object(upstream))
        elif name == "SortDocumentsConsolidated":
            sort = copy.deepcopy(upstream)
            sort["description"] = sort.pop("schema").pop("description")
            sort["schema"] = {
                "type": "array",
                "items": ref("schemas", "DocumentSortField"),
                "example": upstream["schema"].get("example"),
            }
            sort["explode"] = True
            flattened.append(ordered(sort, ("name", "in", "description", "required", "schema")))
        else:
            warn(f"F2: unexpected list parameter {name}; copied as-is")
            flattened.append(copy.deepcopy(upstream))
    op["parameters"] = flattened


def document_id_parameter(upstream_id: Json, link_param: Json) -> Json:
    """F8: one shared path parameter; upstream declares the download_link one inline, identically typed."""
    if link_param.get("schema", {}).get("format") != upstream_id["schema"].get("format"):
        warn("F8: download_link id parameter no longer matches components/parameters/Id")
    param = copy.deepcopy(upstream_id)
    param["description"] = link_param.get("description", param["description"])
    return param


def curate_operation(op_id: str, upstream_op: Json) -> Json:
    op = copy.deepcopy(upstream_op)
    if op.pop("operationId", None) is None:
        warn(f"{op_id}: upstream operation has no operationId")
    op["operationId"] = op_id  # F1
    op["tags"] = [TAG]
    responses = op["responses"]
    if op_id != "list_documents":
        op["parameters"] = [ref("parameters", "DocumentId")]
    # F3/F4: same error set everywhere; 404 upstream only on download_link, but the API answers every
    # unknown id with 10005 (T4).
    ok = responses["200"]
    if op_id == "download_document":
        content = ok["content"]
        if "*" in content:
            # F5: `*` is not a media type the generator understands; the bytes come with the document's
            # own Content-Type, which the client never needs to parse.
            ok["content"] = {"application/octet-stream": content.pop("*")}
        else:
            warn(f"F5: download content is {list(content)} upstream")
        ok["headers"] = {
            "Content-Disposition": {
                "description": '`attachment; filename="<document filename>"`.',
                "schema": {"type": "string"},
            },
            "Content-Type": {
                "description": "The document's content_type (for example application/pdf).",
                "schema": {"type": "string"},
            },
        }
    op["responses"] = {"200": ok, "401": ref("responses", "Unauthorized")}
    if op_id != "list_documents":  # a collection never 404s
        op["responses"]["404"] = ref("responses", "ResourceNotFound")
    op["responses"].update(
        {
            "422": ref("responses", "UnprocessableEntity"),
            "429": ref("responses", "TooManyRequests"),
            "default": ref("responses", "GenericErrorResponse"),
        }
    )
    return ordered(op, OPERATION_KEY_ORDER)


OPERATION_KEY_ORDER = ("operationId", "summary", "description", "tags", "parameters", "responses")


def ordered(node: Json, first: tuple[str, ...]) -> Json:
    """Stable, readable key order: the given keys first, then the rest as upstream had them."""
    return {**{k: node[k] for k in first if k in node}, **{k: v for k, v in node.items() if k not in first}}


def add_examples(schemas: Json) -> None:
    """F11: whole-object examples for the curated bodies, assembled from upstream's per-field examples."""
    record = schemas["DocServiceRecord"]["properties"]
    document_fields = schemas["DocServiceDocument"]["allOf"][1]["properties"]
    document = {
        "id": record["id"]["example"],
        "record_type": "document",
        "created_at": record["created_at"]["example"],
        "updated_at": record["updated_at"]["example"],
        "filename": document_fields["filename"]["example"],
        "customer_reference": document_fields["customer_reference"]["example"],
        "content_type": document_fields["content_type"]["example"],
        "sha256": document_fields["sha256"]["example"],
        "size": {"amount": 123456, "unit": "bytes"},
        "status": schemas["DocServiceDocumentStatus"]["example"],
        "av_scan_status": schemas["DocServiceDocumentAvScanStatus"]["example"],
    }
    schemas["DocServiceDocument"]["example"] = document
    schemas["DocumentResponse"]["example"] = {"data": document}
    schemas["DocumentListResponse"]["example"] = {
        "data": [document],
        "meta": {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 1},
    }
    url = schemas["DocumentDownloadLink"]["properties"]["url"]["example"]
    schemas["DocumentDownloadLinkResponse"]["example"] = {"data": {"url": url}}


def curate(upstream: Json, commit: str, upstream_sha256: str) -> Json:
    components = upstream["components"]
    operations: dict[str, Json] = {}
    for (path, method), op_id in OPERATIONS.items():
        operations[op_id] = curate_operation(op_id, upstream["paths"][path][method])
    curate_list_parameters(operations["list_documents"], components["parameters"])
    operations["list_documents"] = ordered(operations["list_documents"], OPERATION_KEY_ORDER)
    link_param = upstream["paths"]["/documents/{id}/download_link"]["get"]["parameters"][0]
    parameters = {"DocumentId": document_id_parameter(components["parameters"]["Id"], link_param)}

    # Copy every schema the curated operations reach in upstream, transitively.
    sort_enum = upstream_sort_enum(components["parameters"]["SortDocumentsConsolidated"])
    schemas: Json = {}
    pending = [
        ref_name(r, "schemas")
        for r in iter_refs(
            [
                operations,
                upstream["components"]["responses"]["ResourceNotFound"],
                upstream["components"]["responses"]["documents_GenericErrorResponse"],
            ]
        )
        if r.startswith("#/components/schemas/")
    ]
    pending.append("documents_Errors")
    while pending:
        name = pending.pop(0)
        if name in schemas or name in {"DocumentSortField"}:
            continue
        schemas[name] = copy.deepcopy(components["schemas"][name])
        pending.extend(
            ref_name(r, "schemas") for r in iter_refs(schemas[name]) if r.startswith("#/components/schemas/")
        )
    schemas["DocumentSortField"] = sort_enum
    name_inline_schemas(schemas)
    add_response_schemas(schemas, operations)
    responses = build_responses(components["responses"])
    add_examples(schemas)

    scheme = copy.deepcopy(components["securitySchemes"]["bearerAuth"])
    described = components["securitySchemes"].get("BearerAuth", {})
    for key in ("bearerFormat", "description"):  # F10: same scheme, upstream's better-described twin
        if key in described:
            scheme.setdefault(key, described[key])

    server = copy.deepcopy(upstream["servers"][0])
    tag = next(t for t in upstream["tags"] if t["name"] == "Documents")
    spec: Json = {
        "openapi": "3.1.0",
        "info": {
            "title": "Telnyx Documents API (curated for docfetch)",
            "version": upstream["info"]["version"],
            "description": (
                "Read-only subset of the Telnyx v2 Documents API: list, retrieve, download and temporary "
                "download links. Curated by specs/telnyx/curate.py from "
                f"{UPSTREAM_REPO}/{UPSTREAM_PATH}; see PROVENANCE.md."
            ),
            "contact": {"email": "support@telnyx.com"},
            "x-upstream": {
                "repository": f"https://github.com/{UPSTREAM_REPO}",
                "path": UPSTREAM_PATH,
                "commit": commit,
                "sha256": upstream_sha256,
            },
        },
        "servers": [server],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": TAG, "description": tag.get("description", "Documents")}],
        "paths": {
            "/documents": {"get": operations["list_documents"]},
            "/documents/{id}": {"get": operations["retrieve_document"]},
            "/documents/{id}/download": {"get": operations["download_document"]},
            "/documents/{id}/download_link": {"get": operations["get_document_download_link"]},
        },
        "components": {
            "securitySchemes": {"bearerAuth": scheme},
            "parameters": parameters,
            "responses": responses,
            "schemas": dict(sorted(schemas.items())),
        },
    }
    mapping = {
        f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in SCHEMA_RENAMES.items()
    }
    spec = rewrite_refs(spec, mapping)
    renamed = spec["components"]["schemas"]
    for old, new in SCHEMA_RENAMES.items():
        renamed[new] = renamed.pop(old)
    spec["components"]["schemas"] = dict(sorted(renamed.items()))
    check_refs(spec)
    return spec


def upstream_sort_enum(sort_param: Json) -> Json:
    """F2: the sort enum as a named component. x-enum-varnames (read by both generators) names the `-field`
    members FIELD_DESC instead of the generator's VALUE_3."""
    items = sort_param["schema"]["items"]
    values = list(items["enum"])
    return {
        "description": "A sort key; a leading `-` sorts descending.",
        "type": items["type"],
        "enum": values,
        "x-enum-varnames": [f"{v[1:]}_desc" if v.startswith("-") else v for v in values],
    }


def check_refs(spec: Json) -> None:
    """Every $ref resolves and every component is used (nothing dangling, nothing dead)."""
    used: set[str] = set()
    pending = iter_refs(spec["paths"])
    while pending:
        target = pending.pop()
        if target in used:
            continue
        used.add(target)
        _, _, kind, name = target.split("/", 3)
        try:
            node = spec["components"][kind][name]
        except KeyError:
            raise SystemExit(f"curate.py: dangling $ref {target}") from None
        pending.extend(iter_refs(node))
    for kind, entries in spec["components"].items():
        if kind == "securitySchemes":
            continue
        for name in entries:
            if f"#/components/{kind}/{name}" not in used:
                raise SystemExit(f"curate.py: unused component {kind}/{name}")


def dump(spec: Json) -> str:
    body = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=110)
    header = (
        "# GENERATED by specs/telnyx/curate.py - do not edit by hand; change curate.py and re-run it.\n"
        f"# Source: {UPSTREAM_REPO}@{spec['info']['x-upstream']['commit']}:{UPSTREAM_PATH}\n"
    )
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--upstream", type=Path, default=DEFAULT_UPSTREAM)
    parser.add_argument("--out", type=Path, default=HERE / "openapi.yaml")
    parser.add_argument("--commit", default=DEFAULT_COMMIT, help="upstream commit the file was read at")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs; write nothing")
    args = parser.parse_args(argv)
    raw = args.upstream.read_bytes()
    text = dump(curate(load_upstream(args.upstream), args.commit, hashlib.sha256(raw).hexdigest()))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        print(f"{args.out}: {'up to date' if current == text else 'differs from a fresh curation'}")
        return 0 if current == text else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
