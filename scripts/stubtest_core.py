"""Checks the type stubs of headrace._core against the extension as built.

    python3 scripts/stubtest_core.py [STUBTEST-FLAGS...]

with `import headrace` finding a build (installed, or PYTHONPATH=build/NAME/pkg); the
stubs are read from python/headrace (the [tool.mypy] mypy_path in pyproject.toml), so a
stub that is wrong, or a binding added without its stub, fails this. Exit code 0 when
they agree.

mypy's stubtest checks one module at a time by importing it by name. _core's submodules
(_core.engine, _core.cache, ...) are attributes that pybind11 makes, not importable
modules, and their stubs are headrace/_core_stubs/<name>.pyi (see its __init__.pyi): each
is checked here against the runtime submodule, registered under its stub's name first.
What may differ, and why, is in scripts/stubtest_allowlist.txt.
"""

import os
import sys

from mypy import stubtest

import headrace._core as core

SUBMODULES = ("cache", "channel", "engine", "memory", "records", "transforms")


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in SUBMODULES:
        sys.modules[f"headrace._core_stubs.{name}"] = getattr(core, name)
    modules = ["headrace._core"] + [f"headrace._core_stubs.{name}" for name in SUBMODULES]
    flags = ["--mypy-config-file", os.path.join(root, "pyproject.toml"),
             "--allowlist", os.path.join(root, "scripts", "stubtest_allowlist.txt")]
    return stubtest.test_stubs(stubtest.parse_options([*modules, *flags, *sys.argv[1:]]))


if __name__ == "__main__":
    sys.exit(main())
