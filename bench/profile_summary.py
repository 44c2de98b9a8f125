"""Summarise a py-spy ``--format raw`` profile (what ``BENCH_PROFILE=dir`` records per worker run):
``python bench/profile_summary.py FILE [--top N] [--under FUNCTION]``.

Prints the functions with the most samples on the CPU, inclusive (anywhere on the stack) and self
(the innermost frame), as shares of all samples. py-spy leaves idle samples out, so the shares are
of the time the process was running Python or native code, not waiting.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_LOCATION = re.compile(r" \((?P<file>[^()]*?)(?::\d+)?\)$")


def frames(stack: str) -> list[str]:
    """Function names with their file, line numbers dropped (so a function counts once)."""
    parts = stack.split(";")
    if parts and parts[0].startswith("thread ("):
        parts = parts[1:]
    return [_LOCATION.sub(lambda m: f" ({m['file']})", part) for part in parts]


def summarise(path: Path, under: str | None) -> tuple[int, Counter[str], Counter[str]]:
    total, inclusive, own = 0, Counter[str](), Counter[str]()
    for line in path.read_text().splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        stack, count = frames(match["stack"]), int(match["count"])
        if under is not None:
            starts = [i for i, frame in enumerate(stack) if frame.startswith(under)]
            if not starts:
                continue
            stack = stack[starts[0] :]
        total += count
        for frame in set(stack):
            inclusive[frame] += count
        if stack:
            own[stack[-1]] += count
    return total, inclusive, own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--under", help="only samples with this function (name prefix) on the stack")
    args = parser.parse_args()
    total, inclusive, own = summarise(args.profile, args.under)
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"\n{title}:")
        for frame, count in counter.most_common(args.top):
            print(f"  {count / max(total, 1):6.1%}  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
