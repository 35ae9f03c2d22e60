#!/usr/bin/env bash
# The one entry point for developers and CI. Run as root on a fresh machine:
#
#   bash scripts/run.sh demo    install everything, then run the demo of the main job
#   bash scripts/run.sh test    install everything, then run every test (ctest and pytest)
#   bash scripts/run.sh bench   install everything, then run the benchmarks
#   bash scripts/run.sh setup   only install
#
# "Install everything" means: the Debian packages below (apt-get only when one is missing),
# the Python build and test tools, then headrace itself with `pip install .`, built in
# build/dev so that ctest runs on the same binaries and ccache keeps rebuilds short.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
BUILD_DIR="build/dev"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"

# Why each is here: README.md, "Dependencies".
DEBIAN_PACKAGES=(
  build-essential ccache pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libgtest-dev libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libmimalloc2.0
  nlohmann-json3-dev libsqlite3-dev zlib1g-dev
)
PYTHON_PACKAGES=(
  "scikit-build-core>=0.10" "pybind11>=2.12" "cmake>=3.18" "ninja"
  "numpy>=1.24" "pytest>=7" "pillow" "grpcio" "grpcio-tools" "pandas" "matplotlib" "tqdm" "torch==2.13.0" "google-crc32c"
  "mypy==2.4.1"
)

log() { printf '\n==> %s\n' "$*"; }

install_debian_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "Debian packages: all present"
    return
  fi
  log "Debian packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

install_python_package() {
  log "Python tools: ${PYTHON_PACKAGES[*]}"
  "$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore "${PYTHON_PACKAGES[@]}"
  log "headrace: pip install . (build dir ${BUILD_DIR})"
  "$PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-build-isolation \
    -C build-dir="${BUILD_DIR}" \
    -C cmake.define.HEADRACE_BUILD_TESTS=ON \
    .
}

setup() {
  install_debian_packages
  install_python_package
}

run_tests() {
  log "mypy"
  # The package's sources, typed against python/headrace/_core.pyi ([tool.mypy] in
  # pyproject.toml), then that stub against the extension just installed.
  "$PYTHON" -m mypy
  "$PYTHON" scripts/stubtest_core.py
  log "ctest"
  # The ctest of the cmake that pip installed for this Python: found whether or not that
  # Python's scripts directory is on PATH (a venv that is not activated, say).
  local ctest
  ctest="$("$PYTHON" -c 'import cmake, os; print(os.path.join(cmake.CMAKE_BIN_DIR, "ctest"))')"
  "$ctest" --test-dir "${BUILD_DIR}" --output-on-failure -j2 --timeout 300
  log "pytest"
  # Run from the tests folder so that `import headrace` finds the installed package,
  # never the sources under python/.
  (cd tests/python && timeout 1200 "$PYTHON" -m pytest -q -p no:cacheprovider .)
}

case "${1:-}" in
  setup) setup ;;
  test) setup && run_tests ;;
  demo) setup && log "demo" && "$PYTHON" scripts/demo.py ;;
  bench) setup && log "benchmarks" && "$PYTHON" benchmarks/run.py "${@:2}" ;;
  *)
    echo "usage: bash scripts/run.sh {demo|test|bench|setup}" >&2
    exit 2
    ;;
esac
