"""docfetch's benchmarks (issue 7): ``python bench/run.py`` measures docfetch side by side with
reference tools in one run and writes BENCHMARKS.md; ``tests/bench/test_bench_smoke.py`` runs every
case tiny so the harness keeps working.

Servers are local and started by the run itself: the emulators (in this process, on threads) and
nginx for raw file serving. Every client under test runs in its own child process
(:mod:`bench.worker`), so it never shares a GIL or a heap with the servers.
"""
