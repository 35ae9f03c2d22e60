# Stubs of the submodules of headrace._core (bindings/register_*.cc), one file each.
#
# _core is one extension file: its submodules (_core.engine, _core.cache, ...) are
# attributes made by pybind11, not modules Python can import by name, and a stub package
# headrace/_core/ would stand beside the extension of the same name. So the stubs live
# here, and _core.pyi re-exports them under their runtime names:
#     from headrace._core import engine as _engine      # typed by _core_stubs/engine.pyi
# There is nothing to import at run time; scripts/stubtest_core.py checks these files
# against the built extension.
