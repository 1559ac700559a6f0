"""Image-model layers: Resize and Upsample (torch.onnx.export's nn.Upsample
and F.interpolate, and hand-made ONNX models), pixel shuffles (DepthToSpace,
SpaceToDepth), instance normalization, LRN and MeanVarianceNormalization, compiled by `dlcc --inference -o`
and run by `dlcc-run` on the CPU, against onnxruntime (and torch); and the
clear errors for what dlcc cannot compile. (The ONNX backend suite's models
of these ops run in the conformance phases.)"""
import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from programs import DLCC_RUN, assert_close, compile_and_run, onnxruntime_outputs, rejected

pytestmark = pytest.mark.skipif(not DLCC_RUN.is_file(), reason="dlcc not built")


@pytest.mark.parametrize("kind", [
    "nearest-2x", "nearest-size", "bilinear", "bilinear-align-corners",
    "bicubic", "bilinear-down", "trilinear"])
def test_torch_upsampling_matches_onnxruntime(tmp_path, kind):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional

    class Up(torch.nn.Module):
        def forward(self, x):
            if kind == "nearest-2x":
                return torch.nn.Upsample(scale_factor=2, mode="nearest")(x)
            if kind == "nearest-size":
                return F.interpolate(x, size=(7, 5), mode="nearest")
            if kind == "bilinear":
                return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
            if kind == "bilinear-align-corners":
                return F.interpolate(x, size=(9, 11), mode="bilinear", align_corners=True)
            if kind == "bicubic":
                return F.interpolate(x, scale_factor=1.5, mode="bicubic", align_corners=False)
            if kind == "bilinear-down":
                return F.interpolate(x, size=(3, 2), mode="bilinear", align_corners=False)
            return F.interpolate(x, scale_factor=2, mode="trilinear", align_corners=False)

    shape = (2, 3, 4, 5, 3) if kind == "trilinear" else (2, 3, 6, 4)
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    path = tmp_path / "up.onnx"
    torch.onnx.export(Up(), (torch.from_numpy(x),), str(path), input_names=["x"],
                      output_names=["y"], opset_version=17)
    expected = onnxruntime_outputs(path, {"x": x})
    assert_close(compile_and_run(tmp_path, path, {"x": x}), expected)
    with torch.no_grad():
        np.testing.assert_allclose(expected["y"], Up()(torch.from_numpy(x)).numpy(),
                                   rtol=1e-4, atol=1e-5)


def resize_model(path, opset, op, attrs, x_shape, scales=None, sizes=None,
                 dtype=TensorProto.FLOAT):
    """A one-node Resize/Upsample model; scales and sizes are initializers."""
    inits, inputs = [], ["x"]
    if op == "Upsample" and opset < 9:
        attrs = dict(attrs, scales=list(scales))
    elif op == "Upsample" or opset == 10:
        inits.append(numpy_helper.from_array(np.array(scales, np.float32), "scales"))
        inputs.append("scales")
    else:
        inputs += ["", "scales" if scales is not None else "", "sizes" if sizes is not None else ""]
        if scales is not None:
            inits.append(numpy_helper.from_array(np.array(scales, np.float32), "scales"))
        if sizes is not None:
            inits.append(numpy_helper.from_array(np.array(sizes, np.int64), "sizes"))
    graph = helper.make_graph(
        [helper.make_node(op, inputs, ["y"], **attrs)], "resize",
        [helper.make_tensor_value_info("x", dtype, list(x_shape))],
        [helper.make_tensor_value_info("y", dtype, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7
    path.write_bytes(model.SerializeToString())
    return path


@pytest.mark.parametrize("case", [
    # (opset, op, attributes, x shape, scales, sizes)
    (9, "Upsample", dict(mode="nearest"), (1, 2, 3, 4), [1, 1, 2, 3], None),
    (9, "Upsample", dict(mode="linear"), (1, 2, 3, 4), [1, 1, 2, 2.5], None),
    (10, "Resize", dict(mode="nearest"), (1, 1, 5, 7), [1, 1, 0.6, 1.7], None),
    (10, "Resize", dict(mode="linear"), (1, 1, 5, 7), [1, 1, 1.5, 0.5], None),
    (13, "Resize", dict(mode="nearest", nearest_mode="round_prefer_ceil",
                        coordinate_transformation_mode="half_pixel"),
     (1, 2, 5, 5), [1, 1, 1.6, 0.8], None),
    (13, "Resize", dict(mode="linear", coordinate_transformation_mode="pytorch_half_pixel"),
     (2, 3, 4, 1), None, [2, 3, 8, 1]),
    (13, "Resize", dict(mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1),
     (1, 1, 6, 6), [1, 1, 0.7, 1.3], None),
    (18, "Resize", dict(mode="linear", axes=[2, 3], keep_aspect_ratio_policy="not_larger"),
     (1, 2, 4, 6), None, [7, 7]),
    (19, "Resize", dict(mode="linear", coordinate_transformation_mode="half_pixel_symmetric"),
     (1, 1, 5, 4), [1, 1, 1.7, 2.3], None),
], ids=["upsample9-nearest", "upsample9-linear", "resize10-nearest", "resize10-linear",
        "round-prefer-ceil", "pytorch-half-pixel-sizes", "cubic-exclude-outside",
        "axes-not-larger", "half-pixel-symmetric"])
def test_resize_matches_onnxruntime(tmp_path, case):
    opset, op, attrs, shape, scales, sizes = case
    path = resize_model(tmp_path / "r.onnx", opset, op, attrs, shape, scales, sizes)
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    assert_close(compile_and_run(tmp_path, path, {"x": x}), onnxruntime_outputs(path, {"x": x}))


def test_nearest_resize_of_integers(tmp_path):
    path = resize_model(tmp_path / "r.onnx", 13, "Resize", dict(mode="nearest"), (1, 1, 3, 3),
                        [1, 1, 2, 1.5], None, dtype=TensorProto.INT32)
    x = np.arange(9, dtype=np.int32).reshape(1, 1, 3, 3)
    got = compile_and_run(tmp_path, path, {"x": x})
    np.testing.assert_array_equal(got["y"], onnxruntime_outputs(path, {"x": x})["y"])


def test_runtime_scales_are_rejected(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("Resize", ["x", "", "s"], ["y"], mode="nearest")], "r",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 2, 2]),
         helper.make_tensor_value_info("s", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = tmp_path / "r.onnx"
    path.write_bytes(model.SerializeToString())
    rejected(path, "scales must be known at compile time")


@pytest.mark.parametrize("attrs,scales,sizes,phrase", [
    (dict(mode="linear"), [1, 1, 2, 2], [1, 1, 4, 4], "both scales and sizes"),
    (dict(mode="linear"), None, None, "neither scales nor sizes"),
    (dict(mode="area"), [1, 1, 2, 2], None, "unsupported mode 'area'"),
    (dict(mode="linear", coordinate_transformation_mode="sideways"), [1, 1, 2, 2], None,
     "unsupported coordinate_transformation_mode 'sideways'"),
    (dict(mode="linear"), [1, 1, 2], None, "scales has 3 values for 4 resized axes"),
    (dict(mode="linear"), [1, 1, -2, 2], None, "is not positive and finite"),
    (dict(mode="linear", antialias=1), [1, 1, 0.5, 0.5], None, "antialias when downsampling"),
    (dict(mode="linear", coordinate_transformation_mode="tf_crop_and_resize"),
     [1, 1, 2, 2], None, "needs a region of interest"),
], ids=["scales-and-sizes", "neither", "mode", "coordinates", "count", "negative",
        "antialias", "no-roi"])
def test_bad_resize_is_rejected(tmp_path, attrs, scales, sizes, phrase):
    path = resize_model(tmp_path / "r.onnx", 18, "Resize", attrs, (1, 1, 4, 4), scales, sizes)
    rejected(path, phrase)


@pytest.mark.parametrize("layer", ["pixel-shuffle", "pixel-unshuffle", "instance-norm",
                                   "instance-norm-3d"])
def test_torch_image_layers_match_onnxruntime(tmp_path, layer):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    if layer == "pixel-shuffle":
        module, shape = torch.nn.PixelShuffle(2), (2, 8, 3, 5)
    elif layer == "pixel-unshuffle":
        module, shape = torch.nn.PixelUnshuffle(2), (2, 3, 4, 6)
    elif layer == "instance-norm":
        module, shape = torch.nn.InstanceNorm2d(4, affine=True), (2, 4, 5, 6)
        with torch.no_grad():
            module.weight.uniform_(0.5, 1.5)
            module.bias.uniform_(-1, 1)
    else:
        module, shape = torch.nn.InstanceNorm3d(3, affine=True), (2, 3, 4, 3, 5)
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    path = tmp_path / "layer.onnx"
    torch.onnx.export(module.eval(), (torch.from_numpy(x),), str(path), input_names=["x"],
                      output_names=["y"], opset_version=17)
    expected = onnxruntime_outputs(path, {"x": x})
    assert_close(compile_and_run(tmp_path, path, {"x": x}), expected)
    with torch.no_grad():
        np.testing.assert_allclose(expected["y"], module(torch.from_numpy(x)).numpy(),
                                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("axes", [None, [1], [0, 2, 3]])
def test_mean_variance_normalization_matches_onnxruntime(tmp_path, axes):
    attrs = {} if axes is None else dict(axes=axes)
    graph = helper.make_graph(
        [helper.make_node("MeanVarianceNormalization", ["x"], ["y"], **attrs)], "mvn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = tmp_path / "mvn.onnx"
    path.write_bytes(model.SerializeToString())
    x = np.random.default_rng(11).standard_normal((2, 3, 4, 5)).astype(np.float32)
    assert_close(compile_and_run(tmp_path, path, {"x": x}), onnxruntime_outputs(path, {"x": x}))


@pytest.mark.parametrize("size", [5, 4, 1])
def test_lrn_matches_onnxruntime(tmp_path, size):
    """ONNX's window: (size-1)//2 channels before, the rest after; even sizes
    against the spec in NumPy (onnxruntime takes odd sizes only, and ONNX's
    reference implementation loops over the batch instead of the channels).
    (torch 1.13 exports nn.LocalResponseNorm as control flow.)"""
    graph = helper.make_graph(
        [helper.make_node("LRN", ["x"], ["y"], size=size, alpha=0.01, beta=0.6, bias=1.5)],
        "lrn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 7, 4, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = tmp_path / "lrn.onnx"
    path.write_bytes(model.SerializeToString())
    x = np.random.default_rng(12).standard_normal((2, 7, 4, 3)).astype(np.float32) * 3
    if size % 2:
        expected = onnxruntime_outputs(path, {"x": x})
    else:
        sums = np.zeros_like(x)
        for c in range(x.shape[1]):
            lo, hi = max(0, c - (size - 1) // 2), min(x.shape[1], c + size // 2 + 1)
            sums[:, c] = (x[:, lo:hi] ** 2).sum(axis=1)
        expected = {"y": x / (1.5 + 0.01 / size * sums) ** 0.6}
    assert_close(compile_and_run(tmp_path, path, {"x": x}), expected)


@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align", [False, True], ids=["half-pixel", "align-corners"])
def test_torch_grid_sample_matches_onnxruntime(tmp_path, mode, padding, align):
    """F.grid_sample (GridSample-16) with a grid reaching past the input on
    every side, against onnxruntime and torch."""
    torch = pytest.importorskip("torch")

    class Sample(torch.nn.Module):
        def forward(self, x, grid):
            return torch.nn.functional.grid_sample(x, grid, mode=mode, padding_mode=padding,
                                                   align_corners=align)

    rng = np.random.default_rng(13)
    x = rng.standard_normal((2, 3, 5, 6)).astype(np.float32)
    grid = rng.uniform(-1.6, 1.6, (2, 4, 7, 2)).astype(np.float32)
    path = tmp_path / "gs.onnx"
    torch.onnx.export(Sample(), (torch.from_numpy(x), torch.from_numpy(grid)), str(path),
                      input_names=["x", "grid"], output_names=["y"], opset_version=16)
    inputs = {"x": x, "grid": grid}
    got = compile_and_run(tmp_path, path, inputs)
    assert_close(got, onnxruntime_outputs(path, inputs))
    with torch.no_grad():
        want = Sample()(torch.from_numpy(x), torch.from_numpy(grid)).numpy()
    np.testing.assert_allclose(got["y"], want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["linear", "nearest"])
def test_volumetric_grid_sample_matches_onnxruntime(tmp_path, mode):
    """GridSample-20 on a 5-D input (the grid's last entry indexes depth)."""
    graph = helper.make_graph(
        [helper.make_node("GridSample", ["x", "grid"], ["y"], mode=mode,
                          padding_mode="border")], "gs",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4, 5]),
         helper.make_tensor_value_info("grid", TensorProto.FLOAT, [1, 2, 3, 2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    model.ir_version = 9
    path = tmp_path / "gs.onnx"
    path.write_bytes(model.SerializeToString())
    rng = np.random.default_rng(14)
    inputs = {"x": rng.standard_normal((1, 2, 3, 4, 5)).astype(np.float32),
              "grid": rng.uniform(-1.3, 1.3, (1, 2, 3, 2, 3)).astype(np.float32)}
    assert_close(compile_and_run(tmp_path, path, inputs), onnxruntime_outputs(path, inputs))


def test_grid_sample_bad_grid_is_rejected(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("GridSample", ["x", "grid"], ["y"])], "gs",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4]),
         helper.make_tensor_value_info("grid", TensorProto.FLOAT, [1, 5, 5, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)])
    path = tmp_path / "gs.onnx"
    path.write_bytes(model.SerializeToString())
    rejected(path, "grid [1, 5, 5, 3] does not fit input [1, 2, 3, 4]")


def test_grid_sample_far_outside_reads_zeros(tmp_path):
    """Zeros padding: grid points far outside read 0 and infinite ones give
    NaN (their weights are not finite), both as torch; the indices of such
    points are clamped as floats first, so no read is undefined."""
    torch = pytest.importorskip("torch")

    class Sample(torch.nn.Module):
        def forward(self, x, grid):
            return torch.nn.functional.grid_sample(x, grid, mode="bilinear",
                                                   padding_mode="zeros", align_corners=False)

    x = np.random.default_rng(16).standard_normal((1, 2, 4, 4)).astype(np.float32)
    grid = np.array([[[[np.inf, 0.0], [-np.inf, 0.3], [1e30, -1e30], [0.2, 0.1]]]], np.float32)
    path = tmp_path / "gs.onnx"
    torch.onnx.export(Sample(), (torch.from_numpy(x), torch.from_numpy(grid)), str(path),
                      input_names=["x", "grid"], output_names=["y"], opset_version=16)
    got = compile_and_run(tmp_path, path, {"x": x, "grid": grid})
    with torch.no_grad():
        want = Sample()(torch.from_numpy(x), torch.from_numpy(grid)).numpy()
    np.testing.assert_allclose(got["y"], want, rtol=1e-5, atol=1e-6)  # NaNs where torch's
    assert np.all(got["y"][..., 2] == 0) and np.all(np.isnan(got["y"][..., :2]))
