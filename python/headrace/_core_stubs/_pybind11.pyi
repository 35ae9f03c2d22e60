# What every pybind11 class shares at run time.

# pybind11_builtins.pybind11_type, the metaclass of every class an extension defines.
# Declared so that the stubs say what stubtest sees; nothing uses it.
class pybind11_type(type): ...
