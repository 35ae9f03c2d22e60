#!/usr/bin/env bash
# A developer's build beside the installed package, for working in parallel:
#
#   bash scripts/dev_build.sh NAME      configure and build in build/NAME, then make
#                                       build/NAME/pkg/headrace: the sources of
#                                       python/headrace with the extension just built
#   PYTHONPATH=build/NAME/pkg HEADRACE_SERVER_BINARY=build/NAME/cpp/headrace/server/headrace-server \
#     python3 -m pytest tests/python/...     (the tests then start this build's server)
#   build/NAME/tests/cpp/<area>/<test>  the C++ tests of that build
#
# Each NAME has its own build folder, so two developers (or helpers) never write the same
# files; ccache makes a new folder cheap. `bash scripts/run.sh setup` must have run once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NAME="${1:?usage: dev_build.sh NAME}"
PYTHON="${PYTHON:-python3}"
BUILD="build/${NAME}"
if [[ ! -f "${BUILD}/build.ninja" ]]; then
  cmake -S . -B "${BUILD}" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHEADRACE_BUILD_PYTHON=ON -DHEADRACE_BUILD_TESTS=ON \
    -DPython_EXECUTABLE="$(command -v "${PYTHON}")" \
    -Dpybind11_DIR="$("${PYTHON}" -m pybind11 --cmakedir)" >/dev/null
fi
cmake --build "${BUILD}" -j "${JOBS:-1}"
package="${BUILD}/pkg/headrace"
rm -rf "${package}" && mkdir -p "${package}"
for entry in "${PWD}"/python/headrace/*; do ln -s "${entry}" "${package}/"; done
ln -s "${PWD}/${BUILD}"/bindings/_core*.so "${package}/"
echo "built ${BUILD}; PYTHONPATH=${PWD}/${BUILD}/pkg HEADRACE_SERVER_BINARY=${PWD}/${BUILD}/cpp/headrace/server/headrace-server"
