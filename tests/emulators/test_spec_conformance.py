"""Every emulator against its provider's curated OpenAPI spec, with schemathesis 4 (CLI, bounded).

Checks documented status codes, content types, response headers and response bodies for
schema-valid requests. No faults are injected. Seeded ids feed path/query id parameters most
of the time, so the 200 paths are exercised as well as the 404 ones.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory

SPECS = Path(__file__).resolve().parents[2] / "specs"
CHECKS = (
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
MAX_EXAMPLES = 30
RUN_TIMEOUT = 150.0  # seconds for one provider's whole schemathesis run
ID_PARAMETER = re.compile(r"(^|_)id$|Id$|^id$")


def id_parameters(spec: dict[str, Any]) -> set[str]:
    """`path.<name>` / `query.<name>` keys of every id-like path or query parameter in `spec`."""
    components = spec.get("components", {}).get("parameters", {})
    found: set[str] = set()
    for path_item in spec.get("paths", {}).values():
        operations = [op for key, op in path_item.items() if isinstance(op, dict) and key != "parameters"]
        for parameter in [
            *path_item.get("parameters", []),
            *(p for op in operations for p in op.get("parameters", [])),
        ]:
            if "$ref" in parameter:
                parameter = components.get(parameter["$ref"].rsplit("/", 1)[-1], {})
            location, name = parameter.get("in"), parameter.get("name", "")
            if location in ("path", "query") and ID_PARAMETER.search(name):
                found.add(f"{location}.{name}")
    return found


def accept_any_binary_type(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` where a response documenting only application/octet-stream also allows `*/*`.

    Our specs declare every binary body as application/octet-stream (a generator rule, see
    DEVELOPING.md), while emulators send the real type (application/pdf, ...): any type is an
    octet stream, so that is not a violation.
    """
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                content = response.get("content", {}) if isinstance(response, dict) else {}
                if list(content) == ["application/octet-stream"]:
                    content["*/*"] = content["application/octet-stream"]
    return spec


def config_toml(ids: list[str], parameters: set[str]) -> str:
    """A schemathesis.toml binding id parameters to the emulator's seeded ids (70% of cases)."""
    lines = ["[dictionaries.seeded-ids]", f"values = {json.dumps(ids)}", "", "[parameters]"]
    lines += [f'"{key}" = {{ dictionary = "seeded-ids", probability = 0.7 }}' for key in sorted(parameters)]
    return "\n".join(lines) + "\n"


def run_schemathesis(
    spec_path: Path, emu: RunningEmulator, config_file: Path
) -> subprocess.CompletedProcess[str]:
    headers = [arg for name, value in emu.auth_headers().items() for arg in ("--header", f"{name}: {value}")]
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config_file),
        "run",
        str(spec_path),
        "--url",
        emu.base_url,
        *headers,
        "--checks",
        ",".join(CHECKS),
        "--mode",
        "positive",  # negative inputs may legitimately get undocumented 4xx from a validating server
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--seed",
        "1",
        "--generation-with-security-parameters",
        "false",  # keep the valid credentials we pass
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--no-color",
        "--output-truncate",
        "false",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)


@pytest.mark.timeout(RUN_TIMEOUT + 30)
def test_emulator_conforms_to_spec(emulated_provider: str, emulator: EmulatorFactory, tmp_path: Path) -> None:
    spec_path = SPECS / emulated_provider / "openapi.yaml"
    spec = accept_any_binary_type(yaml.safe_load(spec_path.read_text()))
    checked_spec = tmp_path / "openapi.json"
    checked_spec.write_text(json.dumps(spec))
    # A generous rate limit: 429s would otherwise hide the success paths from the checks.
    emu = emulator(emulated_provider, rate_limit_per_minute=1_000_000)
    config_file = tmp_path / "schemathesis.toml"
    config_file.write_text(config_toml(emu.ids, id_parameters(spec)))
    result = run_schemathesis(checked_spec, emu, config_file)
    assert result.returncode == 0, f"schemathesis found violations:\n{result.stdout}\n{result.stderr}"
    assert emu.api_requests, "schemathesis sent no request to the emulator"


def test_id_parameters_and_config() -> None:
    spec = {
        "components": {"parameters": {"Doc": {"name": "document_id", "in": "path"}}},
        "paths": {
            "/a/{document_id}": {"get": {"parameters": [{"$ref": "#/components/parameters/Doc"}]}},
            "/b": {
                "parameters": [{"name": "fileId", "in": "query"}],
                "post": {"parameters": [{"name": "valid", "in": "query"}, {"name": "x-id", "in": "header"}]},
            },
        },
    }
    parameters = id_parameters(spec)
    assert parameters == {"path.document_id", "query.fileId"}
    toml = config_toml(["a", "b"], parameters)
    binary = {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}
    widened = accept_any_binary_type({"paths": {"/f": {"get": {"responses": {"200": binary}}}}})
    assert set(widened["paths"]["/f"]["get"]["responses"]["200"]["content"]) == {
        "application/octet-stream",
        "*/*",
    }
    assert 'values = ["a", "b"]' in toml
    assert '"path.document_id" = { dictionary = "seeded-ids", probability = 0.7 }' in toml
