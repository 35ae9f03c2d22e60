"""Run headrace's benchmarks: python benchmarks/run.py [--quick] [NAME ...]

Each benchmarks/bench_<name>.py has a `run(quick: bool) -> list[Figure]`; every figure is
printed beside the anchor measured in the same run, with the ratio. Results are summarised
in benchmarks/README.md by hand after a run on the reference machine.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pathlib
import platform
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402


def available() -> list[str]:
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {available()})")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available()}")

    import headrace

    print(
        f"headrace {headrace.__version__} | {platform.python_implementation()} "
        f"{platform.python_version()} | {os.cpu_count()} cores | {platform.machine()}"
    )
    harness.print_header()
    for name in names:
        module = importlib.import_module(f"bench_{name}")
        for figure in module.run(quick=args.quick):
            harness.print_figure(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
