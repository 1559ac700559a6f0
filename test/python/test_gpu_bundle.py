"""scripts/gpu_bundle.py: the comparisons its `check` reports on a GPU host
(run here on arrays), and `check` on a host without a GPU: every CUDA run
is reported failed with the runtime's own message, never passed."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_cuda_backend import driver_present  # noqa: E402

spec = importlib.util.spec_from_file_location("gpu_bundle", ROOT / "scripts" / "gpu_bundle.py")
gb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gb)


def bf16(values):
    """float32 values rounded to bf16 bits (uint16), as the artifact stores them."""
    u = np.asarray(values, np.float32).view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def test_float_tolerance():
    b = {"y": np.array([1.0, -2.0, 1000.0], np.float32)}
    assert gb.mismatch({"y": b["y"] * (1 + 5e-5)}, b) is None
    bad = gb.mismatch({"y": np.array([1.0, -2.0, 1001.0], np.float32)}, b)
    assert bad and "1 of 3 elements off" in bad


def test_nan_and_inf_must_agree():
    b = {"y": np.array([np.nan, np.inf, -np.inf, 1.0], np.float32)}
    assert gb.mismatch({"y": b["y"].copy()}, b) is None
    assert gb.mismatch({"y": np.array([0.0, np.inf, -np.inf, 1.0], np.float32)}, b)
    assert gb.mismatch({"y": np.array([np.nan, np.inf, np.inf, 1.0], np.float32)}, b)


def test_integers_shapes_and_names_are_exact():
    b = {"i": np.array([1, 2, 3], np.int64)}
    assert gb.mismatch({"i": np.array([1, 2, 4], np.int64)}, b)
    assert gb.mismatch({"i": np.array([1, 2, 3], np.int32)}, b)
    assert gb.mismatch({"j": b["i"]}, b)


def test_bf16_nan_payloads_are_equal_but_values_are_compared():
    want = {"y": np.concatenate([bf16([0.5, 3.0]), np.array([0x7FC0], np.uint16)])}
    gpu_nan = {"y": np.concatenate([bf16([0.5, 3.0]), np.array([0x7FFF], np.uint16)])}
    assert gb.mismatch(gpu_nan, want)  # bits differ ...
    assert gb.narrow_floats_close(gpu_nan, want)  # ... but both are NaN
    off = {"y": np.concatenate([bf16([0.5, 3.5]), np.array([0x7FC0], np.uint16)])}
    assert not gb.narrow_floats_close(off, want)
    nan_for_value = {"y": np.concatenate([bf16([0.5]), np.array([0x7FC0, 0x7FC0], np.uint16)])}
    assert not gb.narrow_floats_close(nan_for_value, want)


def test_bits_differ_names_the_output():
    a = {"y": np.zeros(3, np.float32)}
    assert gb.bits_differ(a, {"y": np.zeros(3, np.float32)}) is None
    assert gb.bits_differ(a, {"y": np.array([0, 0, -0.0], np.float32)}) == "y"


@pytest.mark.skipif(not (ROOT / "build" / "lib" / "libdlcc_cuda.so").exists(),
                    reason="dlcc-run or the CUDA plugin is not built")
@pytest.mark.skipif(driver_present(), reason="a CUDA driver is installed here")
def test_check_without_a_gpu_reports_failures(tmp_path):
    """A bundle holding one compiled program: on this GPU-less machine the
    CPU run passes and the CUDA run is a failure with the runtime's message."""
    import shutil
    bundle = tmp_path / "b"
    (bundle / "bin").mkdir(parents=True)
    (bundle / "lib").mkdir()
    shutil.copy2(ROOT / "build" / "bin" / "dlcc-run", bundle / "bin")
    shutil.copy2(ROOT / "build" / "lib" / "libdlcc_runtime.so.0", bundle / "lib")
    shutil.copy2(ROOT / "build" / "lib" / "libdlcc_cuda.so", bundle / "lib")
    case = bundle / "models" / "mlp"
    case.mkdir(parents=True)
    r = subprocess.run([str(ROOT / "build" / "bin" / "dlcc"), str(ROOT / "examples/mlp/mlp.onnx"),
                        "--inference", "-o", str(case / "model.bin"), "--gpu-arch=none"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    shutil.copy2(ROOT / "examples/mlp/inputs.npz", case / "inputs.npz")
    np.savez(case / "onnxruntime.npz", y=np.zeros((2, 3), np.float32))
    (bundle / "manifest.json").write_text('{"models": ["mlp"], "bench": [], "conformance": []}')
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gpu_bundle.py"), "check",
                        str(bundle), "--out", str(tmp_path / "out"), "--parts", "models"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAILED mlp cuda run: dlcc-run: error: CUDA backend not available" in r.stdout, r.stdout
    assert r.stdout.strip().endswith("0 passed, 1 failed"), r.stdout
