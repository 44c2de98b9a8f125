"""docfetch's sessions. Plain `nox` runs what CI runs (see nox.options.sessions)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["check_generated", "install_check", "lint", "types", "tests", "regeneration_smoke"]

ROOT = Path(__file__).parent

sys.path.insert(0, str(ROOT / "tools"))
from providers import provider_names  # noqa: E402

PROVIDERS = provider_names()
PYTHON = "3.11"

# Generation is reproducible only with these exact versions (ruff's version changes the formatting).
GENERATOR = [
    "openapi-python-client==0.29.1",
    "ruff==0.17.5",
    "datamodel-code-generator==0.89.0",
    "pyyaml==6.0.3",
]
RUFF = "ruff==0.17.5"
MYPY = [
    "mypy==2.4.1",
    "types-PyYAML==6.0.12.20261113",
    "pytest==9.2.0",
]  # pytest: docfetch.testing is a plugin
TEST_DEPS = [
    "pytest==9.2.0",
    "pytest-timeout==2.4.0",
    "hypothesis==6.170.15",
    "schemathesis==4.32.5",
    "openapi-spec-validator==0.9.0",
    "pyyaml==6.0.3",
    # The providers' official SDKs, as independent clients of the emulators.
    "sarvamai==0.1.39",
    "telnyx==4.189.0",
    "api2convert==10.3.1",
    # A real HTTP proxy (forwarding and CONNECT) for the proxy tests (tests/sdk).
    "pproxy==2.7.9",
]
GENERATED = [f"./generated/{p}" for p in PROVIDERS] + ["./generated/emulator-models"]
# The test sessions CI runs: a skipped test fails unless it is marked may_skip, and every skip is appended
# to SKIP_REPORT, which .ci/run prints and counts (tests/conftest.py).
SKIP_REPORT = ROOT / ".nox" / "skipped-tests.txt"
STRICT_TESTS = {"DOCFETCH_STRICT_SKIPS": "1", "DOCFETCH_SKIP_REPORT": str(SKIP_REPORT)}
PACKAGES = [*GENERATED, "./wrappers[emulators]"]


def install_docfetch(session: nox.Session, *extra: str) -> None:
    """The five generated clients, the emulator models and docfetch itself, as a user installs them."""
    session.install("--reinstall-package", "docfetch", *PACKAGES, *extra)


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Delete and rewrite generated/ from specs/ and templates/: `nox -s generate [-- provider ...]`."""
    session.install(*GENERATOR)
    session.run("python", "tools/generate.py", *session.posargs)


@nox.session(python=PYTHON)
def unasync(session: nox.Session) -> None:
    """Rewrite the sync code from its async source (core/_async -> core/_sync, providers/*/_async.py)."""
    session.run("python", "tools/unasync.py")


@nox.session(python=PYTHON)
def check_generated(session: nox.Session) -> None:
    """Regenerate and fail on any difference from what is committed, new files included; the
    generated sync code must match its async source."""
    session.run("python", "tools/unasync.py", "--check")
    session.install(*GENERATOR)
    # The curated specs still match what their curation scripts make of the pinned upstream specs.
    session.run("python", "specs/api2convert/curate.py", "--check")
    telnyx_upstream = ROOT.parent / "shared" / "providers" / "telnyx" / "upstream-spec3.yml"
    if telnyx_upstream.exists():  # 4 MB, not vendored: see specs/telnyx/PROVENANCE.md
        session.run("python", "specs/telnyx/curate.py", "--check", "--upstream", str(telnyx_upstream))
    else:
        session.warn(f"{telnyx_upstream} not found: telnyx curation not checked")
    session.run("python", "tools/generate.py")
    status = session.run(
        "git", "status", "--porcelain", "--untracked-files=all", "--", "generated", silent=True, external=True
    )
    if status and status.strip():
        session.run("git", "diff", "--stat", "--", "generated", external=True)
        session.error(f"generated/ is stale: run `nox -s generate` and commit.\n{status}")


@nox.session(python=PYTHON)
def install_check(session: nox.Session) -> None:
    """Each generated client, installed with plain pip into a new virtual environment, imports and
    passes mypy --strict as installed (py.typed shipped)."""
    session.install(MYPY[0])
    tmp = Path(session.create_tmp())
    for provider in PROVIDERS:
        venv = tmp / f"venv-{provider}"
        shutil.rmtree(venv, ignore_errors=True)
        session.run("python", "-m", "venv", str(venv))
        python = str(venv / "bin" / "python")
        session.run(python, "-m", "pip", "install", "-q", f"./generated/{provider}", external=True)
        package = f"docfetch_{provider}_client"
        session.run(python, "-c", f"import {package}.client, {package}.models, {package}.api", external=True)
        session.run("mypy", "--strict", "--python-executable", python, "-p", package)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff on everything handwritten (generated/ is formatted by the generator)."""
    session.install(RUFF)
    paths = ["wrappers", "tests", "tools", "noxfile.py", "specs", "bench", "examples"]
    existing = [p for p in paths if (ROOT / p).exists()]
    session.run("ruff", "check", *existing)
    session.run("ruff", "format", "--check", *existing)


@nox.session(python=PYTHON)
def types(session: nox.Session) -> None:
    """mypy --strict on the wrappers, every generated client, the emulator models and the typed example."""
    install_docfetch(session, *MYPY)
    session.run("mypy", "--strict", "wrappers/src/docfetch")
    for provider in PROVIDERS:
        session.run("mypy", "--strict", f"generated/{provider}/docfetch_{provider}_client")
    session.run("mypy", "--strict", "generated/emulator-models/docfetch_emulator_models")
    if (ROOT / "examples").exists():
        session.run("mypy", "--strict", "examples")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, offline, against the emulators on 127.0.0.1: `nox -s tests [-- pytest args]`."""
    install_docfetch(session, *TEST_DEPS)
    # The regeneration smoke needs the generator tools: it runs in regeneration_smoke instead.
    session.run("pytest", "-m", "not generator", *(session.posargs or ["-q"]), env=STRICT_TESTS)


@nox.session(python=PYTHON)
def regeneration_smoke(session: nox.Session) -> None:
    """The regeneration benchmark run tiny (tests/bench, marker `generator`) beside the pinned generator
    tools: one provider regenerated in a scratch copy must match the committed generated/."""
    install_docfetch(session, *GENERATOR, *TEST_DEPS)
    session.run("pytest", "-q", "-m", "generator", "tests/bench", env=STRICT_TESTS)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Wheel and sdist of every distribution into dist/."""
    session.install("uv==0.13.8")
    shutil.rmtree(ROOT / "dist", ignore_errors=True)
    for path in [*GENERATED, "./wrappers"]:
        session.run("uv", "build", "--quiet", "--out-dir", "dist", path)
    built = sorted(p.name for p in (ROOT / "dist").iterdir())
    session.log("built:\n  " + "\n  ".join(built))


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """Each provider's emulator, its seeded documents downloaded with the CLI into ./demo-output."""
    install_docfetch(session)
    session.run("python", "tools/demo.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against curl, aria2c, raw httpx and the official SDKs; writes BENCHMARKS.md.

    `nox -s bench -- --smoke --out -` runs every case tiny. The references come from Debian
    (curl, aria2, nginx-light): installed here when apt-get is usable, skipped otherwise.
    """
    if shutil.which("apt-get") and not all(shutil.which(tool) for tool in ("curl", "aria2c", "nginx")):
        session.run("apt-get", "update", "-qq", external=True, success_codes=[0, 100])
        session.run(
            "apt-get",
            "install",
            "-y",
            "-qq",
            "curl",
            "aria2",
            "nginx-light",
            external=True,
            success_codes=[0, 100],
        )
    install_docfetch(session, *GENERATOR, *TEST_DEPS)
    session.run("python", "bench/run.py", *session.posargs)
