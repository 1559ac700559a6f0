"""GatherND, OneHot and EyeLike (and torch's F.one_hot and gather-by-tuple
exports) compiled by `dlcc --inference -o` and run by `dlcc-run`, against
onnxruntime; and clear errors for what dlcc cannot compile."""
import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from programs import DLCC_RUN, assert_close, compile_and_run, onnxruntime_outputs, rejected

pytestmark = pytest.mark.skipif(not DLCC_RUN.is_file(), reason="dlcc not built")


def one_node_model(path, op, attrs, inputs, initializers=(), opset=13,
                   out_type=TensorProto.FLOAT):
    """`inputs`: (name, onnx type, shape) graph inputs; initializers first."""
    names = [t.name for t in initializers] + [name for name, _, _ in inputs]
    order = attrs.pop("_order", names)
    graph = helper.make_graph(
        [helper.make_node(op, order, ["y"], **attrs)], op,
        [helper.make_tensor_value_info(n, t, list(s)) for n, t, s in inputs],
        [helper.make_tensor_value_info("y", out_type, None)], list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    path.write_bytes(model.SerializeToString())
    return path


@pytest.mark.parametrize("data_shape,indices,batch_dims", [
    ((3, 4, 5), [[0, 1], [2, -1], [-3, 0]], 0),
    ((3, 4, 5), [[[1]], [[2]]], 0),
    ((2, 3, 4), [[1, 2], [0, -1]], 1),
    ((2, 3, 4, 5), [[[1, 2]], [[0, 0]]], 1),
], ids=["pairs", "rows", "batch", "batch-pairs"])
def test_gather_nd_matches_onnxruntime(tmp_path, data_shape, indices, batch_dims):
    idx = np.array(indices, np.int64)
    path = one_node_model(
        tmp_path / "g.onnx", "GatherND", dict(batch_dims=batch_dims, _order=["x", "i"]),
        [("x", TensorProto.FLOAT, data_shape)], [numpy_helper.from_array(idx, "i")])
    x = np.random.default_rng(5).standard_normal(data_shape).astype(np.float32)
    assert_close(compile_and_run(tmp_path, path, {"x": x}), onnxruntime_outputs(path, {"x": x}))


def test_gather_nd_of_runtime_indices(tmp_path):
    path = one_node_model(tmp_path / "g.onnx", "GatherND", {},
                          [("x", TensorProto.FLOAT, (4, 3)), ("i", TensorProto.INT64, (5, 2))])
    x = np.random.default_rng(6).standard_normal((4, 3)).astype(np.float32)
    i = np.array([[0, 0], [3, 2], [-1, -1], [2, 1], [1, -3]], np.int64)
    assert_close(compile_and_run(tmp_path, path, {"x": x, "i": i}),
                 onnxruntime_outputs(path, {"x": x, "i": i}))


def test_gather_nd_clamps_each_coordinate(tmp_path):
    """An out-of-range coordinate reads the nearest element of its own
    dimension (dlcc never reads out of bounds), not another row of the
    flattened data: [0, 5] of a 3x4 tensor is x[0, 3], not x[1, 1]."""
    path = one_node_model(tmp_path / "g.onnx", "GatherND", {},
                          [("x", TensorProto.FLOAT, (3, 4)), ("i", TensorProto.INT64, (2, 2))])
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    i = np.array([[0, 5], [2, -9]], np.int64)
    got = compile_and_run(tmp_path, path, {"x": x, "i": i})
    np.testing.assert_array_equal(got["y"], [x[0, 3], x[2, 0]])


@pytest.mark.parametrize("axis,opset", [(-1, 11), (0, 11), (1, 9)])
def test_one_hot_matches_onnxruntime(tmp_path, axis, opset):
    inits = [numpy_helper.from_array(np.array(5, np.int64), "depth")]
    path = one_node_model(tmp_path / "o.onnx", "OneHot", dict(axis=axis, _order=["i", "depth", "v"]),
                          [("i", TensorProto.INT64, (2, 3)), ("v", TensorProto.FLOAT, (2,))],
                          inits, opset=opset)
    i = np.array([[0, 4, -1], [2, 7, -6]], np.int64)
    v = np.array([-0.5, 3.0], np.float32)
    assert_close(compile_and_run(tmp_path, path, {"i": i, "v": v}),
                 onnxruntime_outputs(path, {"i": i, "v": v}))


def test_torch_one_hot_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")

    class OneHot(torch.nn.Module):
        def forward(self, i):
            return torch.nn.functional.one_hot(i, num_classes=6).float() * 2

    i = np.array([[0, 5, 3], [1, 1, 2]], np.int64)
    path = tmp_path / "oh.onnx"
    torch.onnx.export(OneHot(), (torch.from_numpy(i),), str(path), input_names=["i"],
                      output_names=["y"], opset_version=13)
    got = compile_and_run(tmp_path, path, {"i": i})
    np.testing.assert_array_equal(got["y"], OneHot()(torch.from_numpy(i)).numpy())


@pytest.mark.parametrize("k,dtype", [(0, None), (1, TensorProto.INT32), (-2, TensorProto.DOUBLE)])
def test_eye_like_matches_onnxruntime(tmp_path, k, dtype):
    attrs = dict(k=k) if dtype is None else dict(k=k, dtype=dtype)
    path = one_node_model(tmp_path / "e.onnx", "EyeLike", attrs, [("x", TensorProto.FLOAT, (3, 5))],
                          out_type=dtype or TensorProto.FLOAT)
    x = np.zeros((3, 5), np.float32)
    got, want = compile_and_run(tmp_path, path, {"x": x}), onnxruntime_outputs(path, {"x": x})
    assert got["y"].dtype == want["y"].dtype
    np.testing.assert_array_equal(got["y"], want["y"])


def test_one_hot_runtime_depth_is_rejected(tmp_path):
    path = one_node_model(tmp_path / "o.onnx", "OneHot", {},
                          [("i", TensorProto.INT64, (3,)), ("d", TensorProto.INT64, ()),
                           ("v", TensorProto.FLOAT, (2,))], opset=11)
    rejected(path, "depth must be one value known at compile time")


def test_gather_nd_tuple_too_long_is_rejected(tmp_path):
    path = one_node_model(tmp_path / "g.onnx", "GatherND", {},
                          [("x", TensorProto.FLOAT, (3, 4)), ("i", TensorProto.INT64, (2, 3))])
    rejected(path, "index tuples of 3 entries do not fit data of rank 2")


@pytest.mark.parametrize("reduction,opset", [("none", 13), ("add", 16), ("mul", 16),
                                             ("max", 18), ("min", 18)])
def test_scatter_elements_matches_onnxruntime(tmp_path, reduction, opset):
    """Indices smaller than the data outside the axis, repeated targets (for
    the reductions), negative indices."""
    attrs = dict(axis=1, _order=["x", "i", "u"])
    if opset >= 16:
        attrs["reduction"] = reduction
    idx = np.array([[0, 3], [1, 1], [-1, 2]], np.int64)
    if reduction == "none":
        idx = np.array([[0, 3], [1, 2], [-1, 0]], np.int64)  # distinct targets
    path = one_node_model(tmp_path / "s.onnx", "ScatterElements", attrs,
                          [("x", TensorProto.FLOAT, (4, 5)), ("u", TensorProto.FLOAT, (3, 2))],
                          [numpy_helper.from_array(idx, "i")], opset=opset)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    u = rng.standard_normal((3, 2)).astype(np.float32)
    assert_close(compile_and_run(tmp_path, path, {"x": x, "u": u}),
                 onnxruntime_outputs(path, {"x": x, "u": u}))


@pytest.mark.parametrize("reduction,opset", [("none", 13), ("add", 16), ("mul", 16)])
def test_scatter_nd_matches_onnxruntime(tmp_path, reduction, opset):
    attrs = dict(_order=["x", "i", "u"])
    if opset >= 16:
        attrs["reduction"] = reduction
    idx = np.array([[[1, 0]], [[3, -1]], [[1, 0]]], np.int64)
    if reduction == "none":
        idx = np.array([[[1, 0]], [[3, -1]], [[0, 2]]], np.int64)
    path = one_node_model(tmp_path / "s.onnx", "ScatterND", attrs,
                          [("x", TensorProto.FLOAT, (4, 3, 2)),
                           ("u", TensorProto.FLOAT, (3, 1, 2))],
                          [numpy_helper.from_array(idx, "i")], opset=opset)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((4, 3, 2)).astype(np.float32)
    u = rng.standard_normal((3, 1, 2)).astype(np.float32)
    assert_close(compile_and_run(tmp_path, path, {"x": x, "u": u}),
                 onnxruntime_outputs(path, {"x": x, "u": u}))


def test_torch_scatter_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")

    class Scatter(torch.nn.Module):
        def forward(self, x, i, u):
            return x.scatter(1, i, u) + torch.zeros_like(x).scatter_add(1, i, u)

    rng = np.random.default_rng(9)
    x = rng.standard_normal((3, 6)).astype(np.float32)
    i = np.array([[5, 0, 2], [1, 1, 4], [3, 2, 0]], np.int64)
    u = rng.standard_normal((3, 3)).astype(np.float32)
    path = tmp_path / "scatter.onnx"
    torch.onnx.export(Scatter(), tuple(torch.from_numpy(v) for v in (x, i, u)), str(path),
                      input_names=["x", "i", "u"], output_names=["y"], opset_version=16)
    got = compile_and_run(tmp_path, path, {"x": x, "i": i, "u": u})
    with torch.no_grad():
        want = Scatter()(*(torch.from_numpy(v) for v in (x, i, u))).numpy()
    np.testing.assert_allclose(got["y"], want, rtol=1e-5, atol=1e-6)


def test_scatter_elements_bad_reduction_is_rejected(tmp_path):
    path = one_node_model(tmp_path / "s.onnx", "ScatterElements", dict(reduction="max"),
                          [("x", TensorProto.FLOAT, (2, 2)), ("i", TensorProto.INT64, (2, 2)),
                           ("u", TensorProto.FLOAT, (2, 2))], opset=16)
    rejected(path, "unsupported reduction 'max'")


def test_scatter_reduction_of_booleans_is_rejected(tmp_path):
    path = one_node_model(tmp_path / "s.onnx", "ScatterElements", dict(reduction="add"),
                          [("x", TensorProto.BOOL, (2, 2)), ("i", TensorProto.INT64, (2, 2)),
                           ("u", TensorProto.BOOL, (2, 2))], opset=16,
                          out_type=TensorProto.BOOL)
    rejected(path, "reduction 'add' of bool data is not supported")


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("dim", [-1, 1])
def test_torch_topk_matches_torch(tmp_path, largest, dim):
    """torch.topk exports TopK-11; ties resolve to the lower index (integers
    with repeats), as torch, onnxruntime and ONNX's spec do."""
    torch = pytest.importorskip("torch")

    class TopK(torch.nn.Module):
        def forward(self, x):
            v, i = torch.topk(x, 3, dim=dim, largest=largest)
            return v, i

    x = np.random.default_rng(15).integers(-4, 5, (2, 6, 5)).astype(np.float32)
    path = tmp_path / "topk.onnx"
    torch.onnx.export(TopK(), (torch.from_numpy(x),), str(path), input_names=["x"],
                      output_names=["v", "i"], opset_version=13)
    got = compile_and_run(tmp_path, path, {"x": x})
    want = onnxruntime_outputs(path, {"x": x})
    np.testing.assert_array_equal(got["v"], want["v"])
    np.testing.assert_array_equal(got["i"], want["i"])
    with torch.no_grad():
        tv, _ = TopK()(torch.from_numpy(x))
    np.testing.assert_array_equal(got["v"], tv.numpy())


def test_topk_of_runtime_k_is_rejected(tmp_path):
    path = one_node_model(tmp_path / "t.onnx", "TopK", {},
                          [("x", TensorProto.FLOAT, (2, 5)), ("k", TensorProto.INT64, (1,))],
                          opset=11)
    rejected(path, "K must be one value known at compile time")


def test_topk_too_large_is_rejected(tmp_path):
    inits = [numpy_helper.from_array(np.array([5], np.int64), "k")]
    path = one_node_model(tmp_path / "t.onnx", "TopK", dict(_order=["x", "k"]),
                          [("x", TensorProto.FLOAT, (64, 16384))], inits, opset=11)
    rejected(path, "TopK over rows of 16384 elements is not supported at this size")


@pytest.mark.parametrize("largest", [True, False])
def test_topk_orders_nan_as_largest(tmp_path, largest):
    """NaN counts as the largest value (as in torch.topk), so every index
    stays in range and each element appears once; equal values in index
    order (ONNX's rule; torch's tie order is its own)."""
    torch = pytest.importorskip("torch")

    class TopK(torch.nn.Module):
        def forward(self, x):
            return torch.topk(x, 4, dim=-1, largest=largest)

    x = np.array([[1.0, np.nan, 3.0, -2.0, np.nan, 0.5],
                  [np.nan, 2.0, 2.0, -1.0, 4.0, 0.0]], np.float32)
    path = tmp_path / "topk.onnx"
    torch.onnx.export(TopK(), (torch.from_numpy(x),), str(path), input_names=["x"],
                      output_names=["v", "i"], opset_version=13)
    got = compile_and_run(tmp_path, path, {"x": x})
    with torch.no_grad():
        tv, ti = TopK()(torch.from_numpy(x))
    np.testing.assert_array_equal(got["v"], tv.numpy())  # NaN == NaN here
    for row in range(x.shape[0]):
        idx = got["i"][row]
        assert len(set(idx.tolist())) == len(idx) and idx.min() >= 0 and idx.max() < x.shape[1]
        np.testing.assert_array_equal(x[row, idx], got["v"][row])
        for a, b in zip(range(len(idx) - 1), range(1, len(idx))):
            va, vb = got["v"][row, a], got["v"][row, b]
            if va == vb or (np.isnan(va) and np.isnan(vb)):
                assert idx[a] < idx[b]
