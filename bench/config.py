"""How big each case is: the full run (``bench/run.py``) and the smoke run (CI)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class BenchConfig:
    reps: int = 3  # alternating rounds per case (the medians are over these)
    large_size: int = GIB  # case 1: the large file
    memory_small_size: int = 64 * MIB  # case 1: the smaller file whose peak RSS the large one's must match
    many_files: int = 500  # case 2
    many_file_size: int = 64 * KIB
    latency: float = 0.02  # case 2: added before every storage response
    concurrency: int = 16  # case 2: the same for docfetch, aria2c and curl
    many_whole: tuple[tuple[int, int], ...] = ((500, 64 * KIB), (5000, 4 * KIB))  # case 2, whole process
    calls: int = 2000  # case 3: download-link calls per run
    import_runs: int = 7  # case 4: fresh interpreters per statement
    telnyx_sdk: bool = True  # cases 3 and 4: the official telnyx SDK (2-4 s to import per process)
    import_warmup: bool = True  # case 4: one untimed run of each statement first
    generate_reps: int = 3  # case 5
    generate_providers: tuple[str, ...] = ()  # case 5: () means all five
    scale_ids: tuple[int, ...] = (1000, 20000)  # case 6: ids per run, time-scaled Veridox

    def with_(self, **changes: object) -> BenchConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


FULL = BenchConfig()
SMOKE = BenchConfig(
    reps=1,
    large_size=2 * MIB,
    memory_small_size=1 * MIB,
    many_files=10,
    many_whole=((10, 64 * KIB), (20, 4 * KIB)),
    latency=0.005,
    concurrency=4,
    calls=50,
    import_runs=1,
    telnyx_sdk=False,
    import_warmup=False,
    generate_reps=1,
    generate_providers=("veridox",),
    scale_ids=(30, 120),
)
