"""The tiled kernels of whole models, compiled for the CPU, agree with
onnxruntime.

Each model of torch_models.py (the cases of test_whole_models_vs_onnxruntime)
goes through test/Target/Cpu/cpu_kernels.py: the product pipeline
(`dlcc --compile-to=planned` and `--compile-to=cpu-llvm`, GEMMs and
convolutions as generated kernels), mlir-translate, opt -O3, llc, and
`gcc -shared ... -lm` into one shared object. ctypes then runs the entry
point's kernel calls in order (read from the tiled module) on numpy buffers,
each kernel over its blocks split unevenly in two calls, the later range
first, as the runtime's thread pool may do. Outputs are compared with
onnxruntime with the whole-model tolerances (|a-b| <= atol + rtol*|b|,
rtol 1e-4, atol 1e-5 * max|b|).

Also: the shared object needs only libc and libm, and every kernel is an
exported `void k(i64 block_begin, i64 block_end, ptr...)` with one pointer
per memref argument.
"""
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "test" / "Target" / "Cpu"))
sys.path.insert(0, str(HERE))

import cpu_kernels  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not (cpu_kernels.DLCC.exists() and cpu_kernels.DLCC_OPT.exists()),
                       reason="dlcc is not built"),
    pytest.mark.skipif(not (cpu_kernels.LLVM_BIN / "llc").exists()
                       or shutil.which(cpu_kernels.CC) is None
                       or shutil.which("readelf") is None,
                       reason="no llc, C compiler driver or readelf"),
]


def export_case(tmp_path, name, training):
    torch = pytest.importorskip("torch")
    import test_whole_models_vs_onnxruntime as whole
    import torch_models

    model, inputs, outputs = whole.make_case(name, training)
    path = tmp_path / ("%s.onnx" % name)
    args = tuple(torch.from_numpy(v) for v in inputs.values())
    torch_models.export(model, args, path, training=training,
                        input_names=list(inputs), output_names=outputs)
    return path, inputs, outputs


def check_abi(build, library):
    sigs = cpu_kernels.llvm_ir_signatures(build.llvm_ir)
    exported = cpu_kernels.exported_symbols(build.so_path)
    for name, kernel in library.kernels.items():
        assert name in exported, "kernel %s not exported" % name
        assert sigs[name] == ["i64", "i64"] + ["ptr"] * len(kernel.memrefs), (name, sigs[name])
    needed = cpu_kernels.needed_libraries(build.so_path)
    assert set(needed) <= cpu_kernels.ALLOWED_NEEDED, needed
    assert "libm.so.6" in needed, needed


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
def test_cpu_kernels_match_onnxruntime(tmp_path, name, training):
    ort = pytest.importorskip("onnxruntime")
    path, inputs, outputs = export_case(tmp_path, name, training)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    expected = dict(zip([o.name for o in session.get_outputs()], session.run(None, inputs)))

    got, build, library = cpu_kernels.run_model(path, inputs, tmp_path)
    check_abi(build, library)
    assert library.kernels and library.calls == 2 * sum(
        1 for l in cpu_kernels.parse_tiled(build.tiled_mlir).lines if "call @" in l)
    for out in outputs:
        b = np.asarray(expected[out], dtype=np.float64)
        a = np.asarray(got[out], dtype=np.float64)
        assert a.shape == b.shape, (out, a.shape, b.shape)
        atol = 1e-5 * max(np.abs(b).max(), 1e-30)
        err = np.abs(a - b)
        print("%s %s: %d kernels, max abs error %.3g (max|ref| %.3g)" % (
            name, out, len(library.kernels), err.max(), np.abs(b).max()))
        assert np.all(err <= atol + 1e-4 * np.abs(b)), (out, err.max())


HAND_WRITTEN = """
module {
  func.func @main(%x: memref<5x7xf32>, %y: memref<5xf32>) {
    call @main_kernel_0(%x, %y) : (memref<5x7xf32>, memref<5xf32>) -> ()
    return
  }
  func.func private @main_kernel_0(%x: memref<5x7xf32>, %y: memref<5xf32>) attributes {dlcc.kernel, dlcc.grid = 15 : i64, dlcc.block = 4 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %c15 = arith.constant 15 : index
    %zero = arith.constant 0.0 : f32
    scf.parallel (%r, %q) = (%c0, %c1) to (%c5, %c7) step (%c1, %c2) {
      %s = scf.parallel (%t) = (%c0) to (%c4) step (%c1) init (%zero) -> f32 {
        %v = memref.load %x[%r, %q] : memref<5x7xf32>
        %e = math.exp %v : f32
        scf.reduce(%e : f32) {
        ^bb0(%a: f32, %b: f32):
          %sum = arith.addf %a, %b : f32
          scf.reduce.return %sum : f32
        }
      }
      %old = memref.load %y[%r] : memref<5xf32>
      %new = arith.addf %old, %s : f32
      memref.store %new, %y[%r] : memref<5xf32>
      scf.reduce
    }
    return
  }
}
"""


def test_two_dimensional_block_loop(tmp_path):
    """A 2-D block loop (lower bound 1, step 2) is linearised and
    delinearised: every (row, odd column) block runs exactly once whatever
    the split; the thread loop's scf.reduce runs sequentially."""
    lowered = cpu_kernels.run(
        [cpu_kernels.DLCC_OPT,
         "--dlcc-backend-pipeline=from=planned to=cpu-llvm gpu-chips=none"],
        stdin=HAND_WRITTEN)
    llvm_mlir = cpu_kernels.nested_module(lowered)
    build = cpu_kernels.build_shared_object(HAND_WRITTEN, HAND_WRITTEN, llvm_mlir, tmp_path)
    entry = cpu_kernels.parse_tiled(HAND_WRITTEN)
    library = cpu_kernels.KernelLibrary(build.so_path, entry.kernels)
    check_abi(build, library)
    x = np.random.default_rng(0).standard_normal((5, 7)).astype(np.float32)
    expected = 4 * np.exp(x[:, 1::2].astype(np.float64)).sum(axis=1)
    for ranges in ([(0, 15)], [(5, 15), (0, 5)], [(i, i + 1) for i in range(15)][::-1]):
        y = np.zeros(5, np.float32)
        library.launch("main_kernel_0", [x, y], ranges)
        np.testing.assert_allclose(y, expected, rtol=1e-5)
