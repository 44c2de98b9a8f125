"""Case 5: regeneration of all five providers (``tools/generate.py``, what ``nox -s generate`` runs)."""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

from bench.config import BenchConfig
from bench.procs import run_timed
from bench.results import CaseResult
from bench.results import Series

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("tools", "specs", "templates", "pyproject.toml", "wrappers/src/docfetch/providers.toml")
TOOLS = ("openapi-python-client", "datamodel-codegen", "ruff")


def generator_python() -> Path | None:
    """An interpreter with the pinned generator tools beside it: this one, else the dev .venv."""
    for python in (Path(sys.executable), ROOT / ".venv" / "bin" / "python"):
        if python.exists() and all((python.parent / tool).exists() for tool in TOOLS):
            return python
    return None


def _copy_inputs(tree: Path) -> None:
    """generate.py writes beside itself: run it in a copy so the working tree is never touched."""
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    for name in INPUTS:
        source = ROOT / name
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tree / name)


def differences(left: Path, right: Path) -> list[str]:
    """Paths that differ or exist on one side only (recursively)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name}" for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=["__pycache__", ".ruff_cache"]), "")
    return found


def run(cfg: BenchConfig, workdir: Path) -> CaseResult:
    result = CaseResult(
        key="generate",
        title="5. Regeneration of all five providers",
        method=(
            "`python tools/generate.py` (the command `nox -s generate` runs) with the pinned generator tools "
            "of the interpreter that has them (the dev `.venv`, or the bench session's own), timed as a "
            "whole process, in a fresh copy of tools/, specs/, templates/ and pyproject.toml for each run "
            "so the working tree is never touched. nox's own set-up (creating or reusing its virtualenv, "
            "installing the pinned tools) is not included."
        ),
    )
    providers = list(cfg.generate_providers)
    label = (
        f"python tools/generate.py {' '.join(providers)}".strip()
        + f" ({', '.join(providers) or 'all five providers'})"
    )
    python = generator_python()
    if python is None:
        result.skipped.append(f"{label}: no interpreter with {', '.join(TOOLS)} installed beside it")
        return result
    series = Series(label)
    tree = workdir / "tree"
    for _ in range(cfg.generate_reps):
        _copy_inputs(tree)
        series.samples.append(run_timed([str(python), "tools/generate.py", *providers], cwd=tree))
    result.series = [series]
    committed = ROOT / "generated"
    if committed.is_dir() and not providers:
        changed = differences(tree / "generated", committed)
        result.notes.append(
            "The regenerated tree is byte-identical to the committed generated/."
            if not changed
            else f"The regenerated tree differs from the committed generated/ in {len(changed)} paths, "
            f"e.g. {', '.join(changed[:5])}."
        )
    result.notes.append(f"Interpreter: `{python}`.")
    return result
