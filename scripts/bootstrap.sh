#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: system packages, the project's
# Python environment (.venv, sees Debian's torch), then configure and build in build/.
#   scripts/bootstrap.sh            install + configure + build
#   scripts/bootstrap.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

APT_PACKAGES=(
  build-essential cmake ninja-build ccache git
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  python3-venv python3-dev python3-torch python3-torchvision python3-numpy
  libflatbuffers-dev flatbuffers-compiler libxxhash-dev nlohmann-json3-dev
  libzip-dev lld-22 libdnnl-dev
  # Debian's torch calls whatever libblas.so.3 is installed: without
  # OpenBLAS it runs reference BLAS, ~13x slower, and bench/ would time a
  # straw man.
  libopenblas0-pthread
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python environment: Debian's interpreter so Debian's torch and numpy are visible.
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
if ! .venv/bin/python -c "import onnx, onnxruntime, lit, pytest" 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r python/requirements.txt
fi

[ "${1:-}" = "--no-build" ] && exit 0

if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DPython3_EXECUTABLE="$ROOT/.venv/bin/python" \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
cmake --build build -j "${DLCC_BUILD_JOBS:-2}"
