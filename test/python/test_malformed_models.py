"""End-to-end tests: dlcc must reject malformed ONNX models cleanly.

Every malformed model must make `dlcc model.onnx --emit=mlir` exit with status
1 and print one `error: ...` message on stderr naming the problem; never crash,
assert, throw or hang.

The binary comes from $DLCC_BIN (default: <repo>/build/bin/dlcc). The tests
are skipped when it does not exist yet.
"""

import os
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

REPO_ROOT = Path(__file__).resolve().parents[2]
DLCC_BIN = Path(os.environ.get("DLCC_BIN", str(REPO_ROOT / "build" / "bin" / "dlcc")))

pytestmark = pytest.mark.skipif(
    not DLCC_BIN.is_file(), reason=f"dlcc binary not found at {DLCC_BIN} (set DLCC_BIN)"
)

FORBIDDEN_IN_STDERR = ("Assertion", "Segmentation", "Traceback", "terminate", "Sanitizer")

W_VALUES = np.arange(12, dtype="<f4").reshape(3, 4)
W_BYTES = W_VALUES.tobytes()  # 48 bytes, little-endian float32


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def run_dlcc(model_path, timeout=120):
    return subprocess.run(
        [str(DLCC_BIN), str(model_path), "--emit=mlir"],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
    )


def assert_rejected(result, *phrases):
    """dlcc exited with status 1, printed an error containing every phrase, no crash."""
    stderr = result.stderr
    assert result.returncode >= 0, f"dlcc crashed with signal {-result.returncode}:\n{stderr}"
    assert result.returncode == 1, f"expected exit status 1, got {result.returncode}:\n{stderr}"
    assert "error:" in stderr, f"no 'error:' in stderr:\n{stderr}"
    for phrase in phrases:
        assert phrase in stderr, f"expected {phrase!r} in stderr:\n{stderr}"
    for bad in FORBIDDEN_IN_STDERR:
        assert bad not in stderr, f"{bad!r} in stderr:\n{stderr}"


def assert_accepted(result):
    assert result.returncode == 0, (
        f"expected exit status 0, got {result.returncode}:\n{result.stderr}"
    )
    assert "error:" not in result.stderr, result.stderr


def w_initializer():
    return numpy_helper.from_array(W_VALUES, "W")


def base_nodes():
    return [
        helper.make_node("MatMul", ["X", "W"], ["M"], name="matmul"),
        helper.make_node("Relu", ["M"], ["Y"], name="relu"),
    ]


def x_input(shape=(2, 3)):
    return helper.make_tensor_value_info("X", TensorProto.FLOAT, list(shape))


def y_output():
    return helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 4])


def make_model(
    nodes=None,
    initializers=None,
    inputs=None,
    outputs=None,
    sparse_initializers=None,
    opsets=None,
    functions=None,
):
    """The valid base model X[2,3] @ W[3,4] -> Relu -> Y, with parts replaced."""
    graph = helper.make_graph(
        base_nodes() if nodes is None else nodes,
        "base",
        [x_input()] if inputs is None else inputs,
        [y_output()] if outputs is None else outputs,
        initializer=[w_initializer()] if initializers is None else initializers,
        sparse_initializer=sparse_initializers or [],
    )
    kwargs = {}
    if functions:
        kwargs["functions"] = functions
    return helper.make_model(
        graph,
        opset_imports=opsets or [helper.make_opsetid("", 17)],
        ir_version=8,
        producer_name="dlcc-tests",
        **kwargs,
    )


def write_model(model, path):
    """Serialises without running the checker (the models are broken on purpose)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())
    return path


def external_w(location, offset=None, length=None):
    """W[3,4] float32 stored as external data."""
    t = TensorProto()
    t.name = "W"
    t.data_type = TensorProto.FLOAT
    t.dims.extend([3, 4])
    t.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries:
        e = t.external_data.add()
        e.key = key
        e.value = value
    return t


def external_model(path, location, offset=None, length=None):
    return write_model(make_model(initializers=[external_w(location, offset, length)]), path)


# ---------------------------------------------------------------------------
# Sanity: the base models are accepted
# ---------------------------------------------------------------------------


def test_valid_base_model_loads(tmp_path):
    path = tmp_path / "model.onnx"
    onnx.checker.check_model(make_model())
    write_model(make_model(), path)
    assert_accepted(run_dlcc(path))


def test_valid_external_data_inside_model_directory_loads(tmp_path):
    model_dir = tmp_path / "model"
    (model_dir / "weights").mkdir(parents=True)
    (model_dir / "weights" / "w.bin").write_bytes(b"\x00" * 16 + W_BYTES + b"\xff" * 8)
    path = external_model(model_dir / "model.onnx", "weights/w.bin", offset=16, length=48)
    assert_accepted(run_dlcc(path))


# ---------------------------------------------------------------------------
# File level
# ---------------------------------------------------------------------------


def test_missing_file(tmp_path):
    assert_rejected(
        run_dlcc(tmp_path / "does_not_exist.onnx"),
        "cannot open model file",
        "No such file or directory",
    )


def test_directory_given(tmp_path):
    assert_rejected(run_dlcc(tmp_path), "cannot open model file", "Is a directory")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    assert_rejected(run_dlcc(path), "empty")


def test_file_over_protobuf_limit(tmp_path):
    path = tmp_path / "huge.onnx"
    with open(path, "wb") as f:
        f.truncate(2**31 + 16)  # sparse file: nothing is written to disk
    assert_rejected(run_dlcc(path), "2 GB", "external data")


TRUNCATION_MESSAGES = ("not a valid ONNX model", "truncated")


@pytest.mark.parametrize("fraction", [0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.98])
def test_truncated_protobuf(tmp_path, fraction):
    data = make_model().SerializeToString()
    cut = max(1, min(len(data) - 1, int(len(data) * fraction)))
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[:cut])
    result = run_dlcc(path)
    assert_rejected(result)
    assert any(m in result.stderr for m in TRUNCATION_MESSAGES), result.stderr


def test_truncated_protobuf_sweep(tmp_path):
    """Cut the model at many points: each one is rejected, none crashes."""
    data = make_model().SerializeToString()
    step = max(1, len(data) // 40)
    path = tmp_path / "truncated.onnx"
    for cut in list(range(1, len(data), step)) + [len(data) - 1]:
        path.write_bytes(data[:cut])
        result = run_dlcc(path)
        assert result.returncode == 1, f"cut at {cut}/{len(data)}: {result.returncode}\n{result.stderr}"
        assert "error:" in result.stderr, f"cut at {cut}: {result.stderr}"
        for bad in FORBIDDEN_IN_STDERR:
            assert bad not in result.stderr, f"cut at {cut}: {result.stderr}"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_bytes(tmp_path, seed):
    path = tmp_path / "random.onnx"
    path.write_bytes(np.random.default_rng(seed).bytes(4096))
    result = run_dlcc(path)
    assert_rejected(result)
    assert any(m in result.stderr for m in TRUNCATION_MESSAGES), result.stderr


# ---------------------------------------------------------------------------
# Tensors
# ---------------------------------------------------------------------------


def test_initializer_raw_data_too_short(tmp_path):
    w = w_initializer()
    w.raw_data = W_BYTES[:24]
    path = write_model(make_model(initializers=[w]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "tensor 'W'", "data size mismatch")


def test_initializer_typed_field_too_long(tmp_path):
    w = helper.make_tensor("W", TensorProto.FLOAT, [3, 4], [1.0] * 12)
    w.float_data.append(13.0)
    path = write_model(make_model(initializers=[w]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "tensor 'W'", "data size mismatch")


def test_constant_value_size_mismatch(tmp_path):
    value = numpy_helper.from_array(W_VALUES, "Wc")
    value.raw_data = W_BYTES[:40]
    nodes = [
        helper.make_node("Constant", [], ["W"], name="const", value=value),
    ] + base_nodes()
    path = write_model(make_model(nodes=nodes, initializers=[]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "node 'const' (Constant)", "data size mismatch")


def test_initializer_negative_dim(tmp_path):
    w = TensorProto()
    w.name = "W"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([-3, 4])
    w.raw_data = W_BYTES
    path = write_model(make_model(initializers=[w]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "tensor 'W'", "negative dimension")


def test_graph_input_negative_dim(tmp_path):
    path = write_model(make_model(inputs=[x_input((-2, 3))]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "graph input 'X'", "negative dimension")


def test_initializer_element_count_overflow(tmp_path):
    w = TensorProto()
    w.name = "W"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([2**31, 2**31, 2**31])
    w.raw_data = W_BYTES
    path = write_model(make_model(initializers=[w]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "tensor 'W'", "too large")


def test_unsupported_tensor_type_string(tmp_path):
    s = helper.make_tensor("S", TensorProto.STRING, [1], [b"hello"])
    path = write_model(make_model(initializers=[w_initializer(), s]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "tensor 'S'", "unsupported data type string")


def test_sparse_initializer(tmp_path):
    sparse = helper.make_sparse_tensor(
        numpy_helper.from_array(np.array([1.0], dtype=np.float32), "S"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "S_indices"),
        [4],
    )
    path = write_model(make_model(sparse_initializers=[sparse]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "sparse initializer", "not supported")


# ---------------------------------------------------------------------------
# Graph structure
# ---------------------------------------------------------------------------


def test_undefined_node_input(tmp_path):
    nodes = [
        helper.make_node("MatMul", ["X", "W_missing"], ["M"], name="matmul"),
        helper.make_node("Relu", ["M"], ["Y"], name="relu"),
    ]
    path = write_model(make_model(nodes=nodes), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "node 'matmul' (MatMul)", "'W_missing' is not defined")


def test_two_producers_of_one_value(tmp_path):
    nodes = base_nodes() + [helper.make_node("Neg", ["M"], ["Y"], name="neg")]
    path = write_model(make_model(nodes=nodes), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "'Y' is produced by both", "node 'neg' (Neg)")


def test_node_output_shadows_initializer(tmp_path):
    nodes = [helper.make_node("Relu", ["X"], ["W"], name="shadow")] + base_nodes()
    path = write_model(make_model(nodes=nodes), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "node 'shadow' (Relu)", "redefines initializer 'W'")


def test_cycle(tmp_path):
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["M"], name="matmul"),
        helper.make_node("Add", ["M", "B"], ["A"], name="add"),
        helper.make_node("Relu", ["A"], ["B"], name="relu_back"),
        helper.make_node("Relu", ["A"], ["Y"], name="relu_out"),
    ]
    path = write_model(make_model(nodes=nodes), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "cycle", "node 'add' (Add)", "node 'relu_back' (Relu)")


def test_graph_output_undefined(tmp_path):
    outputs = [y_output(), helper.make_tensor_value_info("Z", TensorProto.FLOAT, [2, 4])]
    path = write_model(make_model(outputs=outputs), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "graph output 'Z' is not defined")


# ---------------------------------------------------------------------------
# Unsupported features
# ---------------------------------------------------------------------------


def test_loop_with_subgraph(tmp_path):
    body = helper.make_graph(
        [
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
            helper.make_node("Relu", ["v_in"], ["v_out"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("iter", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
            helper.make_tensor_value_info("v_in", TensorProto.FLOAT, [2, 4]),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("v_out", TensorProto.FLOAT, [2, 4]),
        ],
    )
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["M"], name="matmul"),
        helper.make_node("Loop", ["trip", "cond", "M"], ["Y"], name="loop", body=body),
    ]
    inits = [
        w_initializer(),
        numpy_helper.from_array(np.array(2, dtype=np.int64), "trip"),
        numpy_helper.from_array(np.array(True), "cond"),
    ]
    path = write_model(make_model(nodes=nodes, initializers=inits), tmp_path / "m.onnx")
    assert_rejected(
        run_dlcc(path),
        "node 'loop' (Loop) has a subgraph attribute 'body'",
        "control flow is not supported",
    )


def test_model_local_function(tmp_path):
    function = helper.make_function(
        "local.functions",
        "MyRelu",
        ["a"],
        ["b"],
        [helper.make_node("Relu", ["a"], ["b"])],
        [helper.make_opsetid("", 17)],
    )
    path = write_model(make_model(functions=[function]), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "model-local function", "MyRelu")


def test_sequence_typed_input(tmp_path):
    inputs = [x_input(), helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, [2])]
    path = write_model(make_model(inputs=inputs), tmp_path / "m.onnx")
    assert_rejected(run_dlcc(path), "graph input 'seq' has a sequence type", "only tensors")


def test_unknown_domain_node(tmp_path):
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["M"], name="matmul"),
        helper.make_node("Gelu", ["M"], ["Y"], name="gelu", domain="com.microsoft"),
    ]
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    path = write_model(make_model(nodes=nodes, opsets=opsets), tmp_path / "m.onnx")
    assert_rejected(
        run_dlcc(path),
        "node 'gelu' (Gelu) uses domain 'com.microsoft'",
        "does not support",
    )


# ---------------------------------------------------------------------------
# External data
# ---------------------------------------------------------------------------


def test_external_data_absolute_path(tmp_path):
    weights = tmp_path / "weights.bin"
    weights.write_bytes(W_BYTES)
    path = external_model(tmp_path / "m.onnx", str(weights.resolve()))
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "absolute path")


def test_external_data_parent_escape(tmp_path):
    (tmp_path / "weights.bin").write_bytes(W_BYTES)
    path = external_model(tmp_path / "model" / "m.onnx", "../weights.bin")
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "outside the model directory")


def test_external_data_symlinked_file(tmp_path):
    (tmp_path / "real.bin").write_bytes(W_BYTES)
    os.symlink("real.bin", tmp_path / "weights.bin")
    path = external_model(tmp_path / "m.onnx", "weights.bin")
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "symbolic link")


def test_external_data_symlinked_directory_component(tmp_path):
    (tmp_path / "realdir").mkdir()
    (tmp_path / "realdir" / "weights.bin").write_bytes(W_BYTES)
    os.symlink("realdir", tmp_path / "linkdir")
    path = external_model(tmp_path / "m.onnx", "linkdir/weights.bin")
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "symbolic link")


def test_external_data_hard_link(tmp_path):
    (tmp_path / "weights.bin").write_bytes(W_BYTES)
    os.link(tmp_path / "weights.bin", tmp_path / "other_name.bin")
    path = external_model(tmp_path / "m.onnx", "weights.bin")
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "hard link")


def test_external_data_offset_length_past_end(tmp_path):
    (tmp_path / "weights.bin").write_bytes(W_BYTES)
    path = external_model(tmp_path / "m.onnx", "weights.bin", offset=8, length=48)
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "past the end")


def test_external_data_length_mismatch(tmp_path):
    (tmp_path / "weights.bin").write_bytes(W_BYTES)
    path = external_model(tmp_path / "m.onnx", "weights.bin", offset=0, length=40)
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "does not match")


def test_external_data_missing_file(tmp_path):
    path = external_model(tmp_path / "m.onnx", "weights.bin")
    assert_rejected(run_dlcc(path), "tensor 'W' external data", "No such file or directory")
