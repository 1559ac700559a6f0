"""Helpers for tests that compile an ONNX model with `dlcc --inference -o`,
run it with `dlcc-run` on the CPU and compare with onnxruntime."""
import os
import subprocess
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("DLCC_BIN_DIR", str(ROOT / "build" / "bin")))
DLCC, DLCC_RUN = BIN / "dlcc", BIN / "dlcc-run"


def compile_and_run(tmp_path, onnx_path, inputs):
    """The outputs of the compiled program (CPU only) on `inputs`."""
    program = tmp_path / "model.bin"
    r = subprocess.run([str(DLCC), str(onnx_path), "--inference", "-o", str(program),
                        "--gpu-arch=none"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, **inputs)
    r = subprocess.run([str(DLCC_RUN), str(program), "--inputs", str(npz), "--outputs",
                        str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with np.load(out) as f:
        return {k: f[k] for k in f.files}


def onnxruntime_outputs(onnx_path, inputs):
    import onnxruntime as ort

    s = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    return dict(zip([o.name for o in s.get_outputs()], s.run(None, inputs)))


def assert_close(got, expected):
    """|a - b| <= 1e-5 max|b| + 1e-4 |b| for every output."""
    for name, want in expected.items():
        tol = 1e-5 * max(float(np.abs(want).max()), 1e-30) if want.size else 0
        np.testing.assert_allclose(got[name], want, rtol=1e-4, atol=tol, err_msg=name)


def rejected(onnx_path, *phrases):
    """dlcc refuses the model with one error naming every phrase, status 1."""
    r = subprocess.run([str(DLCC), str(onnx_path), "--emit=mlir"], capture_output=True,
                       text=True)
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("error:") == 1, r.stderr
    for p in phrases:
        assert p in r.stderr, r.stderr
