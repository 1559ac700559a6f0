#!/usr/bin/env bash
# Creates the benchmark-only environment bench/.peers-venv (git-ignored) with
# onnxruntime-training, the peer that bench/cpu_training.py runs when the
# environment is there. It cannot live in the project's .venv: that has plain
# onnxruntime (the same module name, conflicting files), and
# onnxruntime-training 1.19.2 needs numpy<2.
#
#   bash bench/setup_peers.sh            # creates or updates the environment
#
# Only PyPI is used (a few hundred MB). PyPI torch 2.x is deliberately not
# installed here (with its CUDA wheels it is gigabytes): point
# DLCC_BENCH_TORCH2_PYTHON at a python that has it to add torch.compile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.peers-venv"
python=/usr/bin/python3

# --system-site-packages: onnxruntime.training imports torch at import time
# (its optim/amp modules), even for the on-device training API used here;
# Debian's torch (python3-torch, which scripts/bootstrap.sh installs) and
# numpy 1.24 serve. PyPI torch would be gigabytes.
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv --system-site-packages "$venv"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
# onnx: generate_artifacts builds the training graphs with it (onnxblock) and
# stamps them with onnx.IR_VERSION, so onnx must not be newer than 1.16 (IR
# 10, the newest that onnxruntime 1.19 loads); protobuf<5 for that onnx.
# The wheel pulls packaging, sympy, flatbuffers, h5py and cerberus itself.
"$venv/bin/python" -m pip install --disable-pip-version-check -q \
  "onnxruntime-training==1.19.2" "numpy<2" "onnx==1.16.2" "protobuf<5"
"$venv/bin/python" - <<'PY'
import numpy, onnx, onnxruntime
from onnxruntime.training import api, artifacts  # noqa: F401
print("peers-venv: onnxruntime-training", onnxruntime.__version__, "onnx", onnx.__version__,
      "numpy", numpy.__version__)
PY
