"""Whole models compiled by `dlcc --inference -o` and run by `dlcc-run`.

Each torch-exported model (MLP, CNN with BatchNorm, GPT-style transformer;
eval and training mode) is compiled into an artifact, run by dlcc-run on the
CPU and compared with onnxruntime: |a-b| <= atol + rtol*|b|, rtol 1e-4,
atol 1e-5 * max|b|. Both routes for GEMMs and convolutions are checked:
oneDNN library calls (the default) and generated kernels (--generated-gemm
--generated-conv). The artifact itself
is checked too: every kernel has sm_80 and sm_90 cubins, PTX and a CPU
variant, and the CPU shared object needs only libc and libm.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch_models  # noqa: E402
from test_whole_models_vs_onnxruntime import export_cases  # noqa: E402

BIN = ROOT / "build" / "bin"
DLCC, DLCC_RUN, TOOL = BIN / "dlcc", BIN / "dlcc-run", BIN / "dlcc-artifact-tool"
RTOL, ATOL_REL = 1e-4, 1e-5

pytestmark = pytest.mark.skipif(not DLCC_RUN.exists(), reason="dlcc-run is not built")


def run(*cmd):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, "%s failed (%d):\n%s" % (cmd[0], p.returncode, p.stderr[-3000:])
    return p.stdout


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """{(name, training): (model.onnx, inputs.npz, onnxruntime outputs)}"""
    import onnxruntime as ort

    out = {}
    for key, (onnx_path, npz) in export_cases(tmp_path_factory.mktemp("models")).items():
        with np.load(npz) as f:
            inputs = {k: f[k] for k in f.files}
        session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        names = [o.name for o in session.get_outputs()]
        out[key] = (onnx_path, npz, dict(zip(names, session.run(None, inputs))))
    return out


def assert_close(got, expected):
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for name, b in expected.items():
        a = got[name]
        assert a.shape == b.shape and a.dtype == b.dtype, (name, a.shape, a.dtype, b.shape, b.dtype)
        tol = ATOL_REL * float(np.max(np.abs(b))) + RTOL * np.abs(b)
        err = np.abs(a.astype(np.float64) - b.astype(np.float64))
        assert np.all(err <= tol), "%s: max abs error %.3g" % (name, err.max())


@pytest.mark.parametrize("gemm", ["library", "generated"])
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
def test_program_matches_onnxruntime(tmp_path, exported, name, training, gemm):
    onnx_path, npz, expected = exported[(name, training)]
    program = tmp_path / "model.bin"
    extra = ["--generated-gemm", "--generated-conv"] if gemm == "generated" else []
    report = run(DLCC, onnx_path, "--inference", "-o", program, "--report", *extra)
    assert re.search(r"^kernels: \d+", report, re.M), report
    if name == "cnn":  # its two convolutions: oneDNN calls or generated kernels
        assert report.count("library:conv_forward") == (2 if gemm == "library" else 0), report
    outputs = tmp_path / "out.npz"
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", outputs)
    with np.load(outputs) as f:
        got = {k: f[k] for k in f.files}
    assert_close(got, expected)
    # Bit-identical with one thread (fixed block decomposition, no atomics).
    single = tmp_path / "out1.npz"
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", single, "--threads", "1")
    with np.load(single) as f:
        for k in f.files:
            if gemm == "generated":
                np.testing.assert_array_equal(f[k], got[k])


def test_artifact_has_every_kernel_for_every_target(tmp_path, exported):
    onnx_path, _, _ = exported[("gpt", False)]
    program = tmp_path / "gpt.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--generated-gemm")
    info = json.loads(run(TOOL, "inspect", program))
    targets = [image["target"] for image in info["kernel_images"]]
    assert sorted(targets) == ["ptx", "sm_80", "sm_90", "x86_64-cpu"], targets
    assert info["kernels"]
    for kernel in info["kernels"]:
        variants = info["kernel_variants"][kernel]
        have = sorted(targets[v["image"]] for v in variants)
        assert have == ["ptx", "sm_80", "sm_90", "x86_64-cpu"], (kernel, have)
        for v in variants:
            if targets[v["image"]].startswith("sm_"):
                assert 0 < v["registers"] <= 255, (kernel, v)
                assert v["max_threads_per_block"] in (32, 64, 96, 128, 160, 192, 224, 256), v
    so = tmp_path / "kernels.so"
    so.write_bytes(bytes.fromhex(info["kernel_images"][targets.index("x86_64-cpu")]["data_hex"]))
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                        run("readelf", "-d", so))
    assert set(needed) <= {"libc.so.6", "libm.so.6"}, needed
    assert info["cpu_baseline"] == "x86-64-v3"


def test_cpu_only_program(tmp_path, exported):
    onnx_path, npz, expected = exported[("cnn", False)]
    program = tmp_path / "cnn.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    info = json.loads(run(TOOL, "inspect", program))
    assert [i["target"] for i in info["kernel_images"]] == ["x86_64-cpu"]
    outputs = tmp_path / "out.npz"
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", outputs)
    with np.load(outputs) as f:
        assert_close({k: f[k] for k in f.files}, expected)


def test_out_of_range_indices_are_rejected(tmp_path, exported):
    """Token ids and labels are checked against what they index when the
    input is set; negative ids (ONNX's Gather allows [-n, n)) and the
    cross-entropy's ignore_index are accepted and agree with onnxruntime."""
    import onnxruntime as ort

    onnx_path, npz, _ = exported[("gpt", False)]
    program = tmp_path / "gpt.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    with np.load(npz) as f:
        inputs = {k: f[k].copy() for k in f.files}

    def dlcc_run(values, out=None):
        path = tmp_path / "in.npz"
        np.savez(path, **values)
        cmd = [str(DLCC_RUN), str(program), "--inputs", str(path)]
        if out:
            cmd += ["--outputs", str(out)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    bad = dict(inputs)
    bad["idx"] = inputs["idx"].copy()
    bad["idx"][1, 3] = 64
    p = dlcc_run(bad)
    assert p.returncode == 1, p.stderr
    assert p.stderr.count("\n") == 1, p.stderr
    assert "element [1, 3] is 64, outside [-64, 64)" in p.stderr, p.stderr
    assert "Gather at ONNX node" in p.stderr, p.stderr

    bad = dict(inputs)
    bad["targets"] = inputs["targets"].copy()
    bad["targets"][0, :3] = [-1, 64, 100]
    p = dlcc_run(bad)
    assert p.returncode == 1, p.stderr
    assert "element [0, 0] is -1, outside [0, 64) or -100 (3 of 16 elements are)" in p.stderr
    assert "labels of a cross-entropy" in p.stderr, p.stderr

    good = dict(inputs)
    good["idx"] = inputs["idx"].copy()
    good["idx"][0, :2] = [-1, -64]
    good["targets"] = inputs["targets"].copy()
    good["targets"][1, 5] = -100
    out = tmp_path / "out.npz"
    p = dlcc_run(good, out)
    assert p.returncode == 0, p.stderr
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(None, good)))
    with np.load(out) as f:
        assert_close({k: f[k] for k in f.files}, expected)


def test_profile_names_every_command(tmp_path, exported):
    """DLCC_PROFILE=1 makes the session print, at release, one line per
    command with its calls and time, slowest first."""
    import os

    onnx_path, npz, _ = exported[("mlp", False)]
    program = tmp_path / "mlp.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    env = dict(os.environ, DLCC_PROFILE="1")
    p = subprocess.run([str(DLCC_RUN), str(program), "--inputs", str(npz), "--repeat", "3"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert 'dlcc profile: entry point "forward"' in p.stderr, p.stderr
    lines = [l for l in p.stderr.splitlines() if re.match(r"\s+\d+\s+3\s+[\d.]+\s+[\d.]+%", l)]
    assert any("gemm m=2 n=8 k=4" in l for l in lines), p.stderr
    assert any("kernel forward_kernel_" in l for l in lines), p.stderr


def test_c_api_example_matches_onnxruntime(tmp_path):
    """examples/c/hello_inference.c (the C API in one page) on the bundled
    MLP: its printed outputs agree with onnxruntime on the same inputs."""
    import onnxruntime as ort

    model = ROOT / "examples" / "mlp" / "mlp.onnx"
    program = tmp_path / "mlp.bin"
    run(DLCC, model, "--inference", "-o", program)
    out = run(BIN / "hello-inference", program)
    assert out.splitlines()[0] == "device: cpu", out
    name, values = out.splitlines()[1].split(":")
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    feeds = {}
    for i in session.get_inputs():
        n = int(np.prod(i.shape))
        feeds[i.name] = (np.float32(0.01) * np.arange(n, dtype=np.float32)).reshape(i.shape)
    expected = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
    got = np.array([float(v) for v in values.split()], np.float32)
    assert_close({name: got.reshape(expected[name].shape)}, expected)


def test_training_mode_dropout_advances_its_rng_state(tmp_path):
    """A training-mode Dropout(0.5) compiled into a program: about half the
    elements kept (scaled by 2), the RNG counter is tied state, so the next
    run draws a new mask, and a run is the same for any thread count (the
    mask is a function of the key and the element index)."""
    model = torch.nn.Sequential(torch.nn.Dropout(0.5)).train()
    x = np.ones((100, 100), np.float32)
    onnx_path = tmp_path / "dropout.onnx"
    torch_models.export(model, (torch.from_numpy(x),), onnx_path, training=True,
                        input_names=["x"], output_names=["y"])
    program = tmp_path / "dropout.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    npz = tmp_path / "x.npz"
    np.savez(npz, x=x)
    masks = []
    for threads, repeat in ((1, 1), (2, 1), (2, 2)):
        out, state = tmp_path / "y.npz", tmp_path / "state.npz"
        run(DLCC_RUN, program, "--inputs", npz, "--outputs", out, "--threads", threads,
            "--repeat", repeat, "--save-state", state)
        with np.load(out) as f:
            y = f["y"]
        assert set(np.unique(y)) <= {0.0, 2.0}
        assert abs(float(np.mean(y == 2.0)) - 0.5) < 0.03, float(np.mean(y == 2.0))
        masks.append(y == 2.0)
        with np.load(state) as f:
            assert f["rng"].dtype == np.int64 and f["rng"].shape == (2,)
    np.testing.assert_array_equal(masks[0], masks[1])  # 1 thread == 2 threads
    assert (masks[1] != masks[2]).mean() > 0.3         # the next run: a new mask


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_pow_matches_numpy(tmp_path, dtype):
    """Pow on integers (exponentiation by squaring, dlcc-expand-math) against
    numpy, overflow wrapping included."""
    from onnx import TensorProto, helper

    elem = TensorProto.INT32 if dtype == np.int32 else TensorProto.INT64
    n = 12
    graph = helper.make_graph(
        [helper.make_node("Pow", ["x", "y"], ["z"])], "pow",
        [helper.make_tensor_value_info("x", elem, [n]), helper.make_tensor_value_info("y", elem, [n])],
        [helper.make_tensor_value_info("z", elem, [n])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = tmp_path / "pow.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    program = tmp_path / "pow.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    bits = 8 * np.dtype(dtype).itemsize
    x = np.array([0, 1, -1, 3, -3, 2, 2, 7, 0, 5, -1, 2], dtype)
    y = np.array([0, 5, 7, 4, 3, bits - 2, bits + 3, 1, 3, 0, 8, 0], dtype)
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, x=x, y=y)
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", out)
    with np.load(out) as f:
        np.testing.assert_array_equal(f["z"], np.power(x, y))


@pytest.mark.parametrize("case", [
    # (x shape, w shape, attributes, whether the padding folds into the
    # library call): symmetric pads; pads differing between the ends that
    # the stride never reaches past the begin amount (cuDNN's symmetric
    # padding expresses them); SAME_LOWER with an even kernel (2 before, 1
    # after, as symmetric 2 gives the same size); SAME_UPPER with an even
    # kernel and stride 1 (0 before, 1 after: a pad kernel of its own).
    ((1, 2, 6, 5), (3, 2, 3, 3), dict(pads=[1, 2, 1, 2]), True),
    ((1, 1, 7, 7), (2, 1, 3, 3), dict(strides=[2, 2], pads=[1, 1, 2, 2]), True),
    ((1, 1, 5, 5), (2, 1, 4, 4), dict(strides=[2, 2], auto_pad="SAME_LOWER"), True),
    ((1, 2, 4, 4), (2, 2, 2, 2), dict(auto_pad="SAME_UPPER"), False),
], ids=["symmetric", "unreached-end", "same-lower", "same-upper"])
def test_conv_padding_matches_onnxruntime(tmp_path, case):
    """A convolution's zero padding folds into the library call exactly where
    the CUDA plugin can run it (padding both ends by the begin amount gives
    the same output size); every case matches onnxruntime on the CPU."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    xs, ws, attrs, folds = case
    rng = np.random.default_rng(5)
    x = rng.standard_normal(xs).astype(np.float32)
    w = rng.standard_normal(ws).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], **attrs)], "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(xs))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = tmp_path / "conv.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    expected = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"]).run(
        None, {"x": x})[0]
    program = tmp_path / "conv.bin"
    report = run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none",
                 "--report")
    assert "library:conv_forward" in report, report
    assert ("kernels: 1," in report) == folds, report
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, x=x)
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", out)
    with np.load(out) as f:
        assert_close({"y": f["y"]}, {"y": expected})


@pytest.mark.parametrize("conv", ["library", "generated"])
@pytest.mark.parametrize("case", [
    # (x shape, w shape, attributes, whether it is a library call by
    # default): grouped, strided, padded with an output_padding (a
    # conv_backward_data call with asymmetric forward padding that cuDNN's
    # symmetric padding still expresses); 1-d dilated; SAME_UPPER padding 0
    # before and 1 after, beyond cuDNN's symmetric padding, so generated
    # kernels even by default; output_shape, from which the pads follow
    # (explicit ones are ignored): cropping 1 at each end, and 1 at the
    # start and 0 at the end.
    ((2, 4, 5, 4), (4, 3, 3, 3), dict(group=2, strides=[2, 2], pads=[1, 1, 1, 1],
                                      output_padding=[1, 1]), True),
    ((1, 3, 7), (3, 2, 3), dict(dilations=[2], strides=[3]), True),
    ((1, 2, 3, 3), (2, 2, 3, 3), dict(strides=[2, 2], auto_pad="SAME_UPPER"), False),
    ((1, 1, 3, 3), (1, 1, 3, 3), dict(output_shape=[3, 3], pads=[2, 2, 0, 0]), True),
    ((1, 1, 3, 3), (1, 2, 3, 3), dict(strides=[2, 2], output_shape=[6, 6]), True),
], ids=["grouped", "dilated-1d", "same-upper", "output-shape-crop", "output-shape-odd"])
def test_conv_transpose_matches_onnxruntime(tmp_path, case, conv):
    """ConvTranspose (the data gradient of a convolution) through oneDNN's
    backward-data primitive (a conv_backward_data library call, the default
    where cuDNN could run it too) and through generated kernels, against
    onnxruntime."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    xs, ws, attrs, library = case
    rng = np.random.default_rng(3)
    x = rng.standard_normal(xs).astype(np.float32)
    w = rng.standard_normal(ws).astype(np.float32)
    b = rng.standard_normal(ws[1] * attrs.get("group", 1)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], **attrs)], "ct",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(xs))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = tmp_path / "ct.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    expected = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"]).run(
        None, {"x": x})[0]
    program = tmp_path / "ct.bin"
    extra = ["--generated-conv"] if conv == "generated" else []
    report = run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none",
                 "--report", *extra)
    assert ("library:conv_backward_data" in report) == (library and conv == "library"), report
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, x=x)
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", out)
    with np.load(out) as f:
        assert_close({"y": f["y"]}, {"y": expected})


def test_row_max_min_propagate_nan(tmp_path):
    """Row maxima and minima (ReduceMax, ReduceMin, Softmax's max) are
    NaN-propagating like NumPy's, although the CPU kernels reduce with
    maxnum/minnum (which skip NaNs) and scan the row for NaNs separately:
    a row with one NaN, a row with +inf, a row of -inf and an ordinary row,
    against NumPy."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("ReduceMax", ["x"], ["max"], axes=[1], keepdims=0),
         helper.make_node("ReduceMin", ["x"], ["min"], axes=[1], keepdims=0),
         helper.make_node("Softmax", ["x"], ["softmax"], axis=1)], "rows",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 100])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
         for n in ("max", "min", "softmax")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = tmp_path / "rows.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    program = tmp_path / "rows.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    x = np.random.default_rng(7).standard_normal((4, 100)).astype(np.float32)
    x[1, 77] = np.nan
    x[2, 13] = np.inf
    x[3, :] = -np.inf
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, x=x)
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", out)
    with np.errstate(invalid="ignore"):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        expected = {"max": x.max(axis=1), "min": x.min(axis=1),
                    "softmax": e / e.sum(axis=1, keepdims=True)}
    with np.load(out) as f:
        for name, want in expected.items():
            np.testing.assert_allclose(f[name], want, rtol=1e-5, atol=1e-7,
                                       equal_nan=True, err_msg=name)
    assert np.isnan(expected["max"][1]) and np.isnan(expected["min"][1])


@pytest.mark.parametrize("direction", ["LEFT", "RIGHT"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint32, np.uint64])
def test_bit_shift_matches_numpy(tmp_path, direction, dtype):
    """BitShift broadcasts, and shifts by the width or more give 0 (NumPy's
    rule; LLVM's shifts would be poison there)."""
    from onnx import helper, mapping

    t = mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(dtype)]
    graph = helper.make_graph(
        [helper.make_node("BitShift", ["x", "y"], ["z"], direction=direction)], "shift",
        [helper.make_tensor_value_info("x", t, [2, 4]), helper.make_tensor_value_info("y", t, [4])],
        [helper.make_tensor_value_info("z", t, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    onnx_path = tmp_path / "shift.onnx"
    onnx_path.write_bytes(model.SerializeToString())
    program = tmp_path / "shift.bin"
    run(DLCC, onnx_path, "--inference", "-o", program, "--gpu-arch=none")
    bits = 8 * np.dtype(dtype).itemsize
    x = np.array([[1, 3, 255, 7], [128, 1, 2, 9]], dtype)
    y = np.array([1, 0, bits - 1, bits + 2], dtype)
    npz, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(npz, x=x, y=y)
    run(DLCC_RUN, program, "--inputs", npz, "--outputs", out)
    shift = np.left_shift if direction == "LEFT" else np.right_shift
    expected = np.where(y >= bits, dtype(0), shift(x, np.minimum(y, bits - 1)))
    with np.load(out) as f:
        np.testing.assert_array_equal(f["z"], expected)
