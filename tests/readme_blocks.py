"""The ```python blocks of README.md, extracted and run as they are written.

Every block runs unless the line right before its fence says why not: ``<!-- not run: reason -->``, or
names it ``<!-- example: NAME -->``: tests/sdk/test_readme_sdk.py runs those through a real proxy.
A block is compiled as a module that may ``await`` at top level (the README shows async snippets that
way) and runs with the globals it is given: the placeholders its prose leaves to the reader
(``job_ids``, ``doc_id``...). Functions a block defines but never calls are then called, each argument
taken from the same globals by its parameter name. The lines it ran are traced, so a test can tell
whether any ``except`` handler of the block ran.

``python tests/readme_blocks.py`` lists the blocks and whether each runs.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import inspect
import re
import sys
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from types import FrameType
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```python[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(?P<reason>.+?)\s*-->\s*$")
EXAMPLE = re.compile(r"^<!--\s*example:\s*(?P<name>[\w-]+)\s*-->\s*$")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    line: int  # the line of README.md where the code starts (1-based)
    heading: str  # the title of the section the block is in
    code: str
    not_run: str | None = None  # the reason given in <!-- not run: reason -->
    example: str | None = None  # NAME in <!-- example: NAME -->

    @property
    def name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"L{self.line}-{slug}"

    @property
    def filename(self) -> str:
        return f"README.md:{self.line}"


def blocks(text: str | None = None) -> list[Block]:
    """Every ```python block of README.md (or of ``text``), in order."""
    text = README.read_text(encoding="utf-8") if text is None else text
    found: list[Block] = []
    for match in FENCE.finditer(text):
        before = text[: match.start()]
        headings = HEADING.findall(before)
        previous = [line for line in before.splitlines() if line.strip()]
        marker = NOT_RUN.match(previous[-1].strip()) if previous else None
        example = EXAMPLE.match(previous[-1].strip()) if previous else None
        not_run = marker.group("reason") if marker else None
        if example:
            not_run = f"tests/sdk/test_readme_sdk.py runs it through a real proxy (example {example['name']})"
        found.append(
            Block(
                line=before.count("\n") + 2,
                heading=headings[-1] if headings else "",
                code=match.group("code"),
                not_run=not_run,
                example=example.group("name") if example else None,
            )
        )
    return found


def named(name: str) -> Block:
    """The block after ``<!-- example: NAME -->``."""
    for block in blocks():
        if block.example == name:
            return block
    raise LookupError(f"README.md has no example {name!r}")


def find(heading: str, index: int = 0) -> Block:
    """The ``index``-th block under the section titled ``heading``."""
    matching = [block for block in blocks() if block.heading == heading]
    if len(matching) <= index:
        raise LookupError(f"README.md has {len(matching)} python block(s) under {heading!r}")
    return matching[index]


def _compile(block: Block) -> CodeType:
    return compile(
        block.code, block.filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )


def free_names(block: Block) -> set[str]:
    """Names the block reads but never binds (nor imports), builtins aside: what the prose leaves to
    the reader."""
    tree = ast.parse(block.code)
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return {name for name in read - bound if not hasattr(builtins, name)}


def uncalled_functions(block: Block) -> list[str]:
    """Top-level functions the block defines and never calls itself."""
    tree = ast.parse(block.code)
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return [name for name in defined if name not in called]


def handler_lines(block: Block) -> set[int]:
    """The lines of every ``except`` handler's body."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(block.code)):
        if isinstance(node, ast.ExceptHandler):
            for statement in node.body:
                lines.update(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
    return lines


@dataclass
class Run:
    namespace: dict[str, Any]
    lines: set[int]  # the block's lines that ran (on this thread)

    def handlers_run(self, block: Block) -> set[int]:
        return self.lines & handler_lines(block)


@contextmanager
def _traced(filename: str, lines: set[int]) -> Iterator[None]:
    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            lines.add(frame.f_lineno)
        return local

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename == filename else None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)


def _complete(value: Any) -> Any:
    return asyncio.run(value) if inspect.iscoroutine(value) else value


def run(block: Block, given: Mapping[str, Any], *, call: bool = True) -> Run:
    """Run ``block`` with ``given`` as its globals, then (with ``call``) call each function it defines
    and never calls, arguments by parameter name from ``given``."""
    missing = free_names(block) - set(given)
    if missing:
        raise LookupError(f"{block.name} reads {sorted(missing)}: give them, or mark the block not run")
    namespace: dict[str, Any] = {"__name__": "readme_block", **given}
    lines: set[int] = set()
    with _traced(block.filename, lines):
        _complete(eval(_compile(block), namespace))  # noqa: S307 - README.md's own code
        for name in uncalled_functions(block) if call else []:
            function = namespace[name]
            parameters = inspect.signature(function).parameters
            unknown = [parameter for parameter in parameters if parameter not in given]
            if unknown:
                raise LookupError(f"{block.name}: {name}() takes {unknown}: give them as globals")
            _complete(function(**{parameter: given[parameter] for parameter in parameters}))
    return Run(namespace, lines)


if __name__ == "__main__":
    for block in blocks():
        state = f"not run: {block.not_run}" if block.not_run else "runs"
        print(f"{block.name:60} {state}")
