"""CUDA kernels of whole models: PTX accepted by ptxas within launch limits,
and the same tiled kernels computing the right numbers on the CPU.

1. test_ptx_accepted_within_limits: the MLP, CNN and GPT of torch_models.py
   (eval and training mode) go through the product pipeline to its PTX
   (`dlcc --compile-to=gpu-ptx`, PTX for sm_80 and sm_90, once with library
   calls and once with every GEMM and convolution generated);
   test/Target/Cuda/check_kernels.py then runs `ptxas -v` per target
   and checks every kernel: accepted, registers x threads per block <= 65536,
   shared memory <= 48 KiB, PTX parameter count == memref argument count.
   No GPU is needed (nor used): nothing here executes on a GPU.
2. test_tiled_kernels_match_onnxruntime: the whole-model comparison of
   test_whole_models_vs_onnxruntime.py with the product pipeline up to its
   planned phase (every GEMM and convolution generated) inserted before the
   reference CPU lowering, which runs the block and thread loops sequentially (the
   thread loop's scf.reduce included). This checks the arithmetic, indexing,
   bounds guards and reduction strategies of the tiled kernel form that the
   GPU mapping consumes; it does not check the GPU mapping itself.
"""
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "test" / "Target" / "Cuda"))
sys.path.insert(0, str(HERE))

import check_kernels  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (check_kernels.DLCC.exists() and check_kernels.DLCC_OPT.exists()),
    reason="dlcc is not built")

needs_ptxas = pytest.mark.skipif(not check_kernels.PTXAS.exists(),
                                 reason="no CUDA toolkit (ptxas) at %s" % check_kernels.CUDA)


@needs_ptxas
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
@pytest.mark.parametrize("generated", [False, True], ids=["library", "generated"])
def test_ptx_accepted_within_limits(tmp_path, name, training, generated):
    pytest.importorskip("torch")
    path = check_kernels.export_models(tmp_path, [name], training)[name]
    extra = ("--generated-gemm", "--generated-conv") if generated else ()
    reports, _, _ = check_kernels.check_model(path, tmp_path, extra_dlcc_args=extra)
    assert [r.chip for r in reports] == list(check_kernels.CHIPS)
    for r in reports:
        assert r.kernels > 0
        assert not r.problems, "%s: %s" % (r.chip, "\n".join(r.problems))


def test_ptx_parameters_and_limits_are_parsed(tmp_path):
    """The checker's parsers on a hand-written module (no toolkit needed)."""
    ptx = ('.version 8.0\n.target sm_80\n.visible .entry k_0(\n\t.param .u64 .ptr .align 1 k_0_param_0,'
           '\n\t.param .u64 .ptr .align 1 k_0_param_1\n)\n{\n\tret;\n}\n')
    escaped = ptx.replace("\\", "\\\\").replace("\n", "\\0A").replace("\t", "\\09")
    text = ('func.func private @k_0(%arg0: memref<4xf32>, %arg1: memref<4xf32>) attributes '
            '{dlcc.block = 32 : i64, dlcc.grid = 1 : i64, dlcc.kernel, '
            'dlcc.schedule = "elementwise"} {\n'
            'gpu.binary @dlcc_kernels [#gpu.object<#nvvm.target<chip = "sm_80", features = '
            '"+ptx80">, properties = {O = 2 : i32}, assembly = "' + escaped + '">]\n')
    objects = check_kernels.extract_objects(text)
    assert objects["sm_80"] == ("assembly", ptx)
    assert check_kernels.ptx_entries(ptx) == {"k_0": 2}
    host = check_kernels.host_kernels(text)["k_0"]
    assert (host.memref_args, host.grid, host.block, host.schedule) == (2, 1, 32, "elementwise")


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
def test_tiled_kernels_match_onnxruntime(tmp_path, monkeypatch, name, training):
    pytest.importorskip("torch")
    pytest.importorskip("onnxruntime")
    if shutil.which("mlir-runner") is None and not Path(
            "/usr/lib/llvm-22/bin/mlir-runner").exists():
        pytest.skip("no mlir-runner")
    import test_whole_models_vs_onnxruntime as whole
    refexec = whole.refexec

    seen = []
    original = refexec.run

    def run_with_kernels(cmd, **kw):
        cmd = list(cmd)
        if "--dlcc-reference-cpu-lowering" in cmd:
            at = cmd.index("--dlcc-reference-cpu-lowering")
            cmd[at:at] = ["--dlcc-backend-pipeline=from=mlir to=planned "
                          "generated-gemm=1 generated-conv=1"]
            seen.append(cmd)
        return original(cmd, **kw)

    monkeypatch.setattr(refexec, "run", run_with_kernels)
    whole.test_model_matches_onnxruntime(tmp_path, name, training)
    assert seen, "the reference lowering was not run"
