"""Whole models exported by torch.onnx.export agree with onnxruntime.

Each model is exported, run by onnxruntime on random inputs, then imported by
dlcc, lowered with the reference CPU pipeline (dlcc-reference-cpu-lowering),
JIT-run with mlir-runner and compared with |a-b| <= atol + rtol*|b|, rtol 1e-4,
atol 1e-5 * max|b| (the reference-execution harness's comparison). Dropout is
exported with p = 0 in training mode so that both sides are deterministic;
BatchNorm in training mode uses batch statistics on both sides.
"""
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "conformance"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import onnx_reference_execution as refexec  # noqa: E402
import torch_models  # noqa: E402

BUILD = ROOT / "build"
TOOLS = (str(BUILD / "bin" / "dlcc"), str(BUILD / "bin" / "dlcc-opt"),
         str(refexec.LLVM_BIN / "mlir-runner"),
         "%s,%s" % (refexec.LLVM_LIB / "libmlir_runner_utils.so",
                    refexec.LLVM_LIB / "libmlir_c_runner_utils.so"))

pytestmark = pytest.mark.skipif(not (BUILD / "bin" / "dlcc").exists(),
                                reason="dlcc is not built")


def make_case(name, training):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    if name == "mlp":
        model = torch_models.MLP(dropout=0.0)
        inputs = {"x": rng.standard_normal((2, 4)).astype(np.float32)}
        outputs = ["y"]
    elif name == "cnn":
        model = torch_models.SmallCNN()
        inputs = {"x": rng.standard_normal((2, 1, 12, 12)).astype(np.float32)}
        outputs = ["logits"]
    else:
        model = torch_models.TinyGPT(dropout=0.0)
        inputs = {"idx": rng.integers(0, 64, (2, 8)).astype(np.int64),
                  "targets": rng.integers(0, 64, (2, 8)).astype(np.int64)}
        outputs = ["logits", "loss"]
    model.train(training)
    return model, inputs, outputs


def export_cases(base):
    """Every case of make_case exported under `base`:
    {(name, training): (model.onnx, inputs.npz)} (used by the compiled-program
    tests on the CPU and on CUDA)."""
    out = {}
    for name in ("mlp", "cnn", "gpt"):
        for training in (False, True):
            model, inputs, outputs = make_case(name, training)
            stem = Path(base) / ("%s_%s" % (name, "train" if training else "eval"))
            onnx_path = stem.with_suffix(".onnx")
            args = tuple(torch.from_numpy(v) for v in inputs.values())
            torch_models.export(model, args, onnx_path, training=training,
                                input_names=list(inputs), output_names=outputs)
            npz = stem.with_suffix(".npz")
            np.savez(npz, **inputs)
            out[(name, training)] = (onnx_path, npz)
    return out


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
def test_model_matches_onnxruntime(tmp_path, name, training):
    import onnxruntime as ort

    model, inputs, outputs = make_case(name, training)
    case = tmp_path / name
    case.mkdir()
    path = case / "model.onnx"
    args = tuple(torch.from_numpy(v) for v in inputs.values())
    torch_models.export(model, args, path, training=training,
                        input_names=list(inputs), output_names=outputs)

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    expected = session.run(None, inputs)
    data = case / "test_data_set_0"
    data.mkdir()
    graph_inputs, graph_outputs = refexec.graph_io(onnx.load(str(path)))
    for k, n in enumerate(graph_inputs):
        (data / ("input_%d.pb" % k)).write_bytes(
            numpy_helper.from_array(inputs[n], n).SerializeToString())
    ort_names = [o.name for o in session.get_outputs()]
    for k, n in enumerate(graph_outputs):
        value = np.asarray(expected[ort_names.index(n)])
        (data / ("output_%d.pb" % k)).write_bytes(
            numpy_helper.from_array(value, n).SerializeToString())

    record = refexec.run_model(path, TOOLS, None)
    assert record["outcome"] == "passed", record
