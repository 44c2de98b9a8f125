"""The machine and software a run measured, for the report."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench.servers import nginx_binary

PACKAGES = ("docfetch", "httpx", "httpcore", "h11", "uvicorn", "fastapi", "telnyx", "sarvamai", "api2convert")


def _first_line(path: Path, prefix: str) -> str | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('" ')
    except OSError:
        pass
    return None


def _tool_version(command: list[str]) -> str:
    if shutil.which(command[0]) is None and not Path(command[0]).exists():
        return "not installed"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except OSError as exc:
        return f"unavailable ({exc})"
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def _filesystem(path: Path) -> str:
    """Type and device of the mount holding ``path`` (longest matching mount point)."""
    best = ("", "?", "?")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, kind = line.split()[:3]
            if str(path.resolve()).startswith(mount) and len(mount) >= len(best[0]):
                best = (mount, kind, device)
    except OSError:
        return "?"
    return f"{best[1]} ({best[2]} on {best[0]})"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def details(workdir: Path) -> list[tuple[str, str]]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem_kib = _first_line(Path("/proc/meminfo"), "MemTotal")
    memory = f"{int(mem_kib.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kib else "?"
    nginx = nginx_binary()
    return [
        (
            "CPU",
            f"{_first_line(Path('/proc/cpuinfo'), 'model name') or platform.processor()}, {cpus} usable cores",
        ),
        ("Memory", memory),
        (
            "OS",
            f"{_first_line(Path('/etc/os-release'), 'PRETTY_NAME=') or platform.system()}, kernel {platform.release()}",
        ),
        ("Work directory file system", _filesystem(workdir)),
        ("Python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"),
        ("Packages", ", ".join(f"{name} {_version(name)}" for name in PACKAGES)),
        ("curl", _tool_version(["curl", "--version"])),
        ("aria2c", _tool_version(["aria2c", "--version"])),
        ("nginx", _tool_version([nginx, "-v"]) if nginx else "not installed"),
    ]
