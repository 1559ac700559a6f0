"""Shared by test/python/test_runtime.py and test_dlcc_run.py: builds the test
kernels (sample_kernels.c) and writes the CPU sample program with
`dlcc-artifact-tool write-cpu-sample` (tools/dlcc-artifact-tool/CpuSample.cpp
describes it), and computes its expected results with NumPy."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[3]
BUILD = REPO_ROOT / "build"
TOOL = Path(os.environ.get("DLCC_ARTIFACT_TOOL", str(BUILD / "bin" / "dlcc-artifact-tool")))
DLCC_RUN = Path(os.environ.get("DLCC_RUN", str(BUILD / "bin" / "dlcc-run")))
RUNTIME_LIB = BUILD / "lib" / "libdlcc_runtime.so"
KERNELS_C = Path(__file__).resolve().parent / "sample_kernels.c"
CC = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")

FORBIDDEN = ("Assertion", "Segmentation", "terminate", "Sanitizer", "Traceback",
             "Aborted", "core dumped")


def build_kernels(directory):
    """Compiles sample_kernels.c into directory/kernels.so."""
    so = Path(directory) / "kernels.so"
    subprocess.run([CC, "-O2", "-shared", "-fPIC", "-ffp-contract=off", "-o", str(so),
                    str(KERNELS_C)], check=True, capture_output=True, text=True)
    return so


def write_sample(path, kernels_so, *options):
    args = [str(TOOL), "write-cpu-sample", str(path)]
    if kernels_so is not None:
        args += ["--kernels-so", str(kernels_so)]
    r = subprocess.run(args + [str(o) for o in options], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return Path(path)


def initial_w(n):
    return np.arange(n, dtype=np.float32) * np.float32(0.25) - np.float32(3)


def constant_c(n):
    return np.float32(1) + (np.arange(n) % 7).astype(np.float32) * np.float32(0.5)


def forward_y(x, w=None):
    """The forward entry point's y = 2 * c * x + w, in float32."""
    n = x.shape[0]
    w = initial_w(n) if w is None else w
    return (np.float32(2) * constant_c(n)) * x + w


def marks(grid):
    return np.arange(int(np.prod(grid)), dtype=np.int64) + 1
