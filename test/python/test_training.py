"""Training programs (`dlcc model.onnx -o train.bin`) against PyTorch.

Models are exported by torch.onnx.export in training mode without constant
folding; dlcc builds `train_step` (forward, loss, reverse-mode gradients,
SGD update), dlcc-run runs it on the CPU, and the loss and the parameters
after each step are compared with the same steps in PyTorch (float64
reference, so the comparison measures dlcc's error, not PyTorch's).
Gradients are recovered from one SGD step as (p - p') / lr.

The per-op rules are checked through ONNX's Gradient operator
(ai.onnx.preview.training), which dlcc-expand-gradients implements: a graph
`loss = ReduceSum(op(x...) * r)` with a random direction r, its gradient
with respect to every float input against torch.autograd in float64, and
the same graph in float64 against central finite differences of its own
loss along random directions (one program per op, run many times).
"""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "python"))
BIN = ROOT / "build" / "bin"
DLCC, DLCC_RUN = BIN / "dlcc", BIN / "dlcc-run"

pytestmark = pytest.mark.skipif(not DLCC_RUN.exists(), reason="dlcc-run is not built")
torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")


def run(*cmd):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def close(got, want, rtol=1e-4, atol_scale=1e-5):
    want = np.asarray(want, dtype=np.float64)
    atol = atol_scale * max(float(np.abs(want).max()), 1e-30)
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=rtol,
                               atol=atol)


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(8, 16)
        self.fc2 = torch.nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def export(model, x, path):
    import torch_models

    torch_models.export(model, torch.from_numpy(x), path, training=True,
                        input_names=["x"], output_names=["logits"])
    return path


def one_step(tmp_path, model, x, labels, lr, *options, label_name="labels"):
    """dlcc's loss and parameters after one train_step."""
    path = export(model, x, tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}", *options)
    np.savez(tmp_path / "in.npz", x=x, **{label_name: labels})
    run(DLCC_RUN, program, "--entry", "train_step", "--inputs", tmp_path / "in.npz",
        "--outputs", tmp_path / "out.npz", "--save-state", tmp_path / "state.npz")
    with np.load(tmp_path / "out.npz") as f:
        loss = float(f["loss"])
    with np.load(tmp_path / "state.npz") as f:
        state = {k: f[k] for k in f.files}
    return loss, state


def float64_copy(model):
    """An independent float64 copy of `model` (the PyTorch reference)."""
    import copy

    return copy.deepcopy(model).double()


def torch_step(model, x, labels, lr, loss_fn):
    """PyTorch's loss and parameters after one SGD step, in float64."""
    reference = float64_copy(model)
    out = reference(torch.from_numpy(x).double())
    loss = loss_fn(out, torch.from_numpy(labels))
    loss.backward()
    with torch.no_grad():
        params = {k: (p - lr * p.grad).numpy() for k, p in reference.named_parameters()}
        grads = {k: p.grad.numpy() for k, p in reference.named_parameters()}
    return float(loss), params, grads


@pytest.mark.parametrize("loss", ["cross_entropy", "mse", "smoothed", "probabilities"])
def test_mlp_one_sgd_step_matches_pytorch(tmp_path, loss):
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 8)).astype(np.float32)
    options = [f"--loss={loss}"]
    if loss in ("cross_entropy", "smoothed"):
        labels = rng.integers(0, 4, 5).astype(np.int64)
        labels[2] = -100  # ignored: the mean is over the 4 others
        smoothing = 0.1 if loss == "smoothed" else 0.0
        loss_fn = lambda y, t: F.cross_entropy(y, t, label_smoothing=smoothing)  # noqa: E731
        options = ["--loss=cross_entropy", f"--label-smoothing={smoothing}"]
    elif loss == "probabilities":  # soft targets, smoothed
        labels = rng.dirichlet(np.ones(4), 5).astype(np.float32)
        loss_fn = lambda y, t: F.cross_entropy(y, t.double(), label_smoothing=0.2)  # noqa: E731
        options = ["--loss=cross_entropy", "--labels-kind=probabilities",
                   "--label-smoothing=0.2"]
    else:
        labels = rng.standard_normal((5, 4)).astype(np.float32)
        loss_fn = lambda y, t: torch.nn.functional.mse_loss(y, t.double())  # noqa: E731
    lr = 0.5
    got_loss, state = one_step(tmp_path, model, x, labels, lr, *options)
    want_loss, want_params, grads = torch_step(model, x, labels, lr, loss_fn)
    close(got_loss, want_loss)
    for name, want in want_params.items():
        # The gradient from the step, against PyTorch's (rtol 1e-4 and an
        # absolute floor of 1e-5 max|grad|, as the tolerance).
        before = model.state_dict()[name].double().numpy()
        got_grad = (before - state[name].astype(np.float64)) / lr
        close(got_grad, grads[name], rtol=1e-3, atol_scale=1e-4)
        close(state[name], want)
    assert float(state["optimizer.lr"]) == np.float32(lr)


def test_frozen_parameters_stay(tmp_path):
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 8)).astype(np.float32)
    labels = rng.integers(0, 4, 3).astype(np.int64)
    _, state = one_step(tmp_path, model, x, labels, 0.5, "--freeze=^fc1\\.")
    np.testing.assert_array_equal(state["fc1.weight"], model.fc1.weight.detach().numpy())
    assert not np.array_equal(state["fc2.weight"], model.fc2.weight.detach().numpy())


def test_bad_training_options_are_one_error(tmp_path):
    torch.manual_seed(0)
    x = np.zeros((2, 8), np.float32)
    path = export(MLP(), x, tmp_path / "m.onnx")
    for option, phrase in [("--loss=hinge", "--loss must be cross_entropy, mse or none"),
                           ("--optimizer=lbfgs", "--optimizer must be sgd, momentum"),
                           ("--freeze=(", "--freeze is not a regular expression"),
                           ("--freeze=.*", "no trainable parameter reaches the loss"),
                           ("--class-axis=5", "--class-axis 5 is not a dimension"),
                           ("--loss=none", "--loss none needs the model's first output"),
                           ("--lr-schedule=exp", "--lr-schedule must be constant, warmup"),
                           ("--lr-schedule=cosine", "needs --total-steps above --warmup-steps"),
                           ("--lr-schedule=warmup", "needs --warmup-steps >= 1"),
                           ("--label-smoothing=1.5", "--label-smoothing must be in [0, 1]")]:
        r = subprocess.run([str(DLCC), str(path), "-o", str(tmp_path / "t.bin"),
                            "--gpu-arch=none", option], capture_output=True, text=True)
        assert r.returncode == 1, (option, r.stderr)
        assert r.stderr.count("error:") == 1 and phrase in r.stderr, (option, r.stderr)
        assert not (tmp_path / "t.bin").exists()


# ---------------------------------------------------------------------------
# Per-op VJP rules through ONNX's Gradient operator, against torch.autograd
# ---------------------------------------------------------------------------

def gradient_model(path, node_specs, inputs, output_shape, float_type=None):
    """loss = ReduceSum(out * r); outputs d loss / d input for each float
    input (and the loss itself). node_specs: [(op, inputs, outputs, attrs)]
    ending in "out". With float_type DOUBLE, float inputs and r are float64."""
    from onnx import TensorProto, helper

    float_type = float_type or TensorProto.FLOAT
    if float_type == TensorProto.DOUBLE:
        inputs = {n: v.astype(np.float64) if v.dtype == np.float32 else v
                  for n, v in inputs.items()}
    floats = (np.float32, np.float64)

    nodes = [helper.make_node(op, ins, outs, **attrs) for op, ins, outs, attrs in node_specs]
    nodes.append(helper.make_node("Mul", ["out", "r"], ["weighted"]))
    nodes.append(helper.make_node("ReduceSum", ["weighted"], ["loss"], keepdims=0))
    # Float inputs are differentiated unless named c_* (constants).
    xs = [name for name, v in inputs.items()
          if v.dtype in floats and not name.startswith("c_")]
    nodes.append(helper.make_node("Gradient", xs, [f"d_{n}" for n in xs],
                                  domain="ai.onnx.preview.training", xs=xs, y="loss"))
    from onnx import numpy_helper

    # Differentiated inputs are graph inputs; the others constants.
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, float_type, inputs[n].shape) for n in xs]
        + [helper.make_tensor_value_info("r", float_type, output_shape)],
        [helper.make_tensor_value_info(f"d_{n}", float_type, inputs[n].shape)
         for n in xs] + [helper.make_tensor_value_info("loss", float_type, [])],
        [numpy_helper.from_array(v, n) for n, v in inputs.items() if n not in xs])
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.preview.training", 1)])
    onnx.save(model, path)
    return xs


F = torch.nn.functional
rng = np.random.default_rng(42)


def pos(*shape):
    return (rng.random(shape) + 0.5).astype(np.float32)


def normal(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def away_from_zero(*shape):
    """Values at least 0.1 from 0 (kinks of relu and abs)."""
    v = normal(*shape)
    return np.where(np.abs(v) < 0.1, v + np.sign(v + 1e-9) * 0.2, v).astype(np.float32)


def inside(*shape):
    """Values in (-0.8, 0.8): inside the domains of asin, acos, atanh."""
    return (0.8 * np.tanh(normal(*shape))).astype(np.float32)


def ties(*shape):
    """Halves from -2 to 2: repeated maxima and minima."""
    return (np.round(2 * normal(*shape)) / 2).clip(-2, 2).astype(np.float32)


# name: (nodes, inputs, torch function of the inputs)
OPS = {
    "add": ([("Add", ["a", "b"], ["out"], {})], dict(a=normal(3, 4), b=normal(3, 4)),
            lambda a, b: a + b),
    "sub": ([("Sub", ["a", "b"], ["out"], {})], dict(a=normal(3, 4), b=normal(3, 4)),
            lambda a, b: a - b),
    "mul": ([("Mul", ["a", "b"], ["out"], {})], dict(a=normal(3, 4), b=normal(3, 4)),
            lambda a, b: a * b),
    "div": ([("Div", ["a", "b"], ["out"], {})], dict(a=normal(3, 4), b=pos(3, 4)),
            lambda a, b: a / b),
    "broadcast_add": ([("Add", ["a", "b"], ["out"], {})], dict(a=normal(2, 3, 4), b=normal(3, 1)),
                      lambda a, b: a + b),
    "neg": ([("Neg", ["a"], ["out"], {})], dict(a=normal(5)), lambda a: -a),
    "exp": ([("Exp", ["a"], ["out"], {})], dict(a=normal(5)), torch.exp),
    "log": ([("Log", ["a"], ["out"], {})], dict(a=pos(5)), torch.log),
    "sqrt": ([("Sqrt", ["a"], ["out"], {})], dict(a=pos(5)), torch.sqrt),
    "tanh": ([("Tanh", ["a"], ["out"], {})], dict(a=normal(5)), torch.tanh),
    "sigmoid": ([("Sigmoid", ["a"], ["out"], {})], dict(a=normal(5)), torch.sigmoid),
    "relu": ([("Relu", ["a"], ["out"], {})], dict(a=away_from_zero(6)), torch.relu),
    "abs": ([("Abs", ["a"], ["out"], {})], dict(a=away_from_zero(6)), torch.abs),
    "erf": ([("Erf", ["a"], ["out"], {})], dict(a=normal(5)), torch.erf),
    "sin": ([("Sin", ["a"], ["out"], {})], dict(a=normal(5)), torch.sin),
    "cos": ([("Cos", ["a"], ["out"], {})], dict(a=normal(5)), torch.cos),
    "pow": ([("Pow", ["a", "b"], ["out"], {})], dict(a=pos(4), b=normal(4)), torch.pow),
    "max": ([("Max", ["a", "b"], ["out"], {})], dict(a=normal(6), b=normal(6)), torch.maximum),
    "min": ([("Min", ["a", "b"], ["out"], {})], dict(a=normal(6), b=normal(6)), torch.minimum),
    "matmul": ([("MatMul", ["a", "b"], ["out"], {})], dict(a=normal(3, 5), b=normal(5, 4)),
               torch.matmul),
    "batched_matmul": ([("MatMul", ["a", "b"], ["out"], {})],
                       dict(a=normal(2, 3, 5), b=normal(2, 5, 4)), torch.matmul),
    "shared_rhs_matmul": ([("MatMul", ["a", "b"], ["out"], {})],
                          dict(a=normal(2, 3, 5), b=normal(5, 4)), torch.matmul),
    "gemm_transposed": ([("Gemm", ["a", "b", "c"], ["out"], dict(transA=1, transB=1))],
                        dict(a=normal(5, 3), b=normal(4, 5), c=normal(4)),
                        lambda a, b, c: a.T @ b.T + c),
    "softmax": ([("Softmax", ["a"], ["out"], dict(axis=-1))], dict(a=normal(3, 5)),
                lambda a: torch.softmax(a, -1)),
    "log_softmax": ([("LogSoftmax", ["a"], ["out"], dict(axis=1))], dict(a=normal(3, 5)),
                    lambda a: torch.log_softmax(a, 1)),
    "transpose": ([("Transpose", ["a"], ["out"], dict(perm=[2, 0, 1]))], dict(a=normal(2, 3, 4)),
                  lambda a: a.permute(2, 0, 1)),
    "reshape": ([("Reshape", ["a", "shape"], ["out"], {})],
                dict(a=normal(2, 6), shape=np.array([3, 4], np.int64)),
                lambda a, shape: a.reshape(3, 4)),
    "reduce_sum": ([("ReduceSum", ["a", "axes"], ["out"], dict(keepdims=0))],
                   dict(a=normal(2, 3, 4), axes=np.array([1], np.int64)),
                   lambda a, axes: a.sum(1)),
    "conv": ([("Conv", ["a", "w"], ["out"], dict(pads=[1, 1, 1, 1], strides=[2, 2], group=2))],
             dict(a=normal(2, 4, 7, 7), w=normal(6, 2, 3, 3)),
             lambda a, w: F.conv2d(a, w, stride=2, padding=1, groups=2)),
    "conv1d_dilated": ([("Conv", ["a", "w"], ["out"], dict(dilations=[2]))],
                       dict(a=normal(2, 3, 9), w=normal(4, 3, 3)),
                       lambda a, w: F.conv1d(a, w, dilation=2)),
    "max_pool": ([("MaxPool", ["a"], ["out"], dict(kernel_shape=[2, 2], strides=[2, 2]))],
                 dict(a=normal(2, 3, 6, 6)), lambda a: F.max_pool2d(a, 2)),
    "average_pool": ([("AveragePool", ["a"], ["out"],
                       dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))],
                     dict(a=normal(2, 3, 7, 7)),
                     lambda a: F.avg_pool2d(a, 3, 2, 1, count_include_pad=False)),
    "batch_norm_training": (
        [("BatchNormalization", ["a", "g", "b", "c_mean", "c_var"], ["out", "rm", "rv"],
          dict(training_mode=1, epsilon=1e-5))],
        dict(a=normal(4, 3, 2, 2), g=normal(3), b=normal(3), c_mean=normal(3), c_var=pos(3)),
        lambda a, g, b, m, v: F.batch_norm(a, m.detach().clone(), v.detach().clone(), g, b,
                                           training=True, eps=1e-5)),
    "layer_norm": ([("LayerNormalization", ["a", "g", "b"], ["out"], dict(axis=-1, epsilon=1e-5))],
                   dict(a=normal(2, 3, 8), g=normal(8), b=normal(8)),
                   lambda a, g, b: F.layer_norm(a, [8], g, b, eps=1e-5)),
    "gather_repeated_rows": ([("Gather", ["a", "ids"], ["out"], dict(axis=0))],
                             dict(a=normal(5, 3), ids=np.array([[0, 3, 3], [4, 0, 3]], np.int64)),
                             lambda a, ids: a[ids]),
    "slice_strided": ([("Slice", ["a", "starts", "ends", "axes", "steps"], ["out"], {})],
                      dict(a=normal(4, 9), starts=np.array([1, 1], np.int64),
                           ends=np.array([4, 8], np.int64), axes=np.array([0, 1], np.int64),
                           steps=np.array([1, 3], np.int64)),
                      lambda a, *_: a[1:4, 1:8:3]),
    "concat": ([("Concat", ["a", "b"], ["out"], dict(axis=1))],
               dict(a=normal(2, 3), b=normal(2, 4)), lambda a, b: torch.cat([a, b], 1)),
    "pad": ([("Pad", ["a", "pads", "c_value"], ["out"], {})],
            dict(a=normal(2, 3), pads=np.array([0, 1, 2, 0], np.int64),
                 c_value=np.array(0.5, np.float32)),
            lambda a, pads, v: F.pad(a, (1, 0, 0, 2), value=0.5)),
    "tan": ([("Tan", ["a"], ["out"], {})], dict(a=inside(5)), torch.tan),
    "asin": ([("Asin", ["a"], ["out"], {})], dict(a=inside(5)), torch.asin),
    "acos": ([("Acos", ["a"], ["out"], {})], dict(a=inside(5)), torch.acos),
    "atan": ([("Atan", ["a"], ["out"], {})], dict(a=normal(5)), torch.atan),
    "sinh": ([("Sinh", ["a"], ["out"], {})], dict(a=normal(5)), torch.sinh),
    "cosh": ([("Cosh", ["a"], ["out"], {})], dict(a=normal(5)), torch.cosh),
    "asinh": ([("Asinh", ["a"], ["out"], {})], dict(a=normal(5)), torch.asinh),
    "acosh": ([("Acosh", ["a"], ["out"], {})], dict(a=1.5 + pos(5)), torch.acosh),
    "atanh": ([("Atanh", ["a"], ["out"], {})], dict(a=inside(5)), torch.atanh),
    "floor": ([("Floor", ["a"], ["out"], {})], dict(a=normal(5)), torch.floor),
    "ceil": ([("Ceil", ["a"], ["out"], {})], dict(a=normal(5)), torch.ceil),
    "fmod": ([("Mod", ["a", "b"], ["out"], dict(fmod=1))],
             dict(a=3 * normal(6), b=0.5 + pos(6)), torch.fmod),
    "reduce_max_ties": ([("ReduceMax", ["a"], ["out"], dict(axes=[1], keepdims=0))],
                        dict(a=ties(3, 5)), lambda a: torch.amax(a, 1)),
    "reduce_min_ties": ([("ReduceMin", ["a"], ["out"], dict(axes=[0, 2], keepdims=1))],
                        dict(a=ties(3, 2, 4)), lambda a: torch.amin(a, (0, 2), keepdim=True)),
    "cumsum": ([("CumSum", ["a", "axis"], ["out"], {})],
               dict(a=normal(3, 5), axis=np.array(1, np.int64)),
               lambda a, axis: torch.cumsum(a, 1)),
    "cumsum_exclusive_reverse": (
        [("CumSum", ["a", "axis"], ["out"], dict(exclusive=1, reverse=1))],
        dict(a=normal(3, 5), axis=np.array(0, np.int64)),
        lambda a, axis: torch.flip(torch.cumsum(torch.flip(a, [0]), 0), [0]) - a),
    "flip": ([("Slice", ["a", "starts", "ends", "axes", "steps"], ["out"], {})],
             dict(a=normal(3, 5), starts=np.array([-1], np.int64),
                  ends=np.array([-(2 ** 63)], np.int64), axes=np.array([1], np.int64),
                  steps=np.array([-1], np.int64)),
             lambda a, *_: torch.flip(a, [1])),
    "gather_elements_repeated": (
        [("GatherElements", ["a", "ids"], ["out"], dict(axis=1))],
        dict(a=normal(3, 4), ids=np.array([[0, 0, 3], [2, 1, 2], [3, 3, 3]], np.int64)),
        lambda a, ids: torch.gather(a, 1, ids)),
    "scatter_elements": (
        [("ScatterElements", ["a", "ids", "u"], ["out"], dict(axis=1))],
        dict(a=normal(3, 5), ids=np.array([[4, 0], [1, 3], [2, 0]], np.int64), u=normal(3, 2)),
        lambda a, ids, u: a.scatter(1, ids, u)),
    "scatter_elements_add": (
        [("ScatterElements", ["a", "ids", "u"], ["out"], dict(axis=0, reduction="add"))],
        dict(a=normal(3, 2), ids=np.array([[2, 0], [2, 2]], np.int64), u=normal(2, 2)),
        lambda a, ids, u: a.scatter_add(0, ids, u)),
    "gather_embedding_sorted": (  # a table large enough for scatter_add by sorting
        [("Gather", ["a", "ids"], ["out"], dict(axis=0))],
        dict(a=normal(200, 4), ids=np.array([[5, 199, 5, 0, 5, 17, 17, 3]] * 3, np.int64)),
        lambda a, ids: a[ids]),
    "expand": ([("Expand", ["a", "shape"], ["out"], {})],
               dict(a=normal(3, 1), shape=np.array([2, 3, 4], np.int64)),
               lambda a, shape: a.expand(2, 3, 4)),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_vjp_rule_matches_autograd(tmp_path, name):
    nodes, inputs, fn = OPS[name]
    args = [torch.from_numpy(v).double().requires_grad_(not n.startswith("c_"))
            if v.dtype == np.float32 else torch.from_numpy(v) for n, v in inputs.items()]
    out = fn(*args)
    r = normal(*out.shape)
    xs = gradient_model(tmp_path / "g.onnx", nodes, inputs, list(out.shape))
    (out * torch.from_numpy(r).double()).sum().backward()
    program = tmp_path / "g.bin"
    run(DLCC, tmp_path / "g.onnx", "--inference", "-o", program, "--gpu-arch=none")
    np.savez(tmp_path / "in.npz", r=r, **{n: inputs[n] for n in xs})
    run(DLCC_RUN, program, "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
    with np.load(tmp_path / "out.npz") as f:
        for arg, (n, v) in zip(args, inputs.items()):
            if n in xs:
                close(f[f"d_{n}"], arg.grad.numpy())


# ---------------------------------------------------------------------------
# Optimizers against torch.optim: three steps on one batch
# ---------------------------------------------------------------------------

OPTIMIZERS = {
    # name: (dlcc options, torch.optim factory, lr)
    "sgd": ([], lambda p, lr: torch.optim.SGD(p, lr=lr), 0.1),
    "sgd_weight_decay": (["--weight-decay=0.1"],
                         lambda p, lr: torch.optim.SGD(p, lr=lr, weight_decay=0.1), 0.1),
    "momentum": (["--optimizer=momentum", "--momentum=0.8"],
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.8), 0.1),
    "nesterov": (["--optimizer=nesterov"],
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True), 0.1),
    "adagrad": (["--optimizer=adagrad"], lambda p, lr: torch.optim.Adagrad(p, lr=lr), 0.1),
    "adam": (["--optimizer=adam", "--betas=0.8,0.99"],
             lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.8, 0.99)), 0.01),
    "adamw": (["--optimizer=adamw"], lambda p, lr: torch.optim.AdamW(p, lr=lr), 0.01),
    "adamw_no_decay": (["--optimizer=adamw", "--weight-decay=0.5", "--no-decay=bias$"],
                       None, 0.01),
    "sgd_clipped": (["--clip-grad-norm=0.05"], None, 0.1),
}


def torch_optimizer_steps(model, x, labels, name, lr, steps):
    reference = float64_copy(model)
    if name == "adamw_no_decay":
        decay = [p for n, p in reference.named_parameters() if not n.endswith("bias")]
        rest = [p for n, p in reference.named_parameters() if n.endswith("bias")]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.5},
                                 {"params": rest, "weight_decay": 0.0}], lr=lr)
    elif name == "sgd_clipped":
        opt = torch.optim.SGD(reference.parameters(), lr=lr)
    else:
        opt = OPTIMIZERS[name][1](reference.parameters(), lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(reference(torch.from_numpy(x).double()),
                               torch.from_numpy(labels))
        loss.backward()
        if name == "sgd_clipped":
            torch.nn.utils.clip_grad_norm_(reference.parameters(), 0.05)
        opt.step()
    return float(loss), {k: p.detach().numpy() for k, p in reference.named_parameters()}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_match_torch_optim(tmp_path, name):
    options, _, lr = OPTIMIZERS[name]
    steps = 3
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 8)).astype(np.float32)
    labels = rng.integers(0, 4, 6).astype(np.int64)
    path = export(model, x, tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}", *options)
    np.savez(tmp_path / "in.npz", x=x, labels=labels)
    run(DLCC_RUN, program, "--entry", "train_step", "--inputs", tmp_path / "in.npz",
        "--outputs", tmp_path / "out.npz", "--save-state", tmp_path / "state.npz",
        "--repeat", str(steps))
    want_loss, want = torch_optimizer_steps(model, x, labels, name, lr, steps)
    with np.load(tmp_path / "out.npz") as f:
        close(float(f["loss"]), want_loss)
    with np.load(tmp_path / "state.npz") as f:
        for k, v in want.items():
            # Adam-like updates move every element by about lr whatever its
            # gradient: tolerance proportional to lr x steps.
            atol = 1e-4 * lr * steps if "adam" in name else None
            if atol is None:
                close(f[k], v)
            else:
                np.testing.assert_allclose(f[k].astype(np.float64), v, rtol=1e-4, atol=atol,
                                           err_msg=k)
        if "adam" in name:
            assert float(f["optimizer.step"]) == steps
            assert "fc1.weight.exp_avg" in f.files and "fc1.weight.exp_avg_sq" in f.files


# Not differentiable where these are evaluated (ties), or ONNX takes the
# constant in the graph's float type only as float32 (Pad's value).
NO_FINITE_DIFFERENCES = {"reduce_max_ties", "reduce_min_ties", "pad"}


@pytest.mark.parametrize("name", sorted(set(OPS) - NO_FINITE_DIFFERENCES))
def test_vjp_rule_matches_finite_differences(tmp_path, name):
    """The same graphs in float64, compiled once: the gradient's product
    with random directions v against central differences of the loss,
    (L(x + h v) - L(x - h v)) / 2h, from the same program."""
    from onnx import TensorProto

    nodes, inputs, fn = OPS[name]
    inputs64 = {n: v.astype(np.float64) if v.dtype == np.float32 else v
                for n, v in inputs.items()}
    with torch.no_grad():
        out_shape = list(fn(*[torch.from_numpy(v) for v in inputs64.values()]).shape)
    xs = gradient_model(tmp_path / "g.onnx", nodes, inputs, out_shape, TensorProto.DOUBLE)
    program = tmp_path / "g.bin"
    run(DLCC, tmp_path / "g.onnx", "--inference", "-o", program, "--gpu-arch=none",
        "--generated-gemm", "--generated-conv")
    r = normal(*out_shape).astype(np.float64)

    def evaluate(point):
        np.savez(tmp_path / "in.npz", r=r, **point)
        run(DLCC_RUN, program, "--inputs", tmp_path / "in.npz", "--outputs",
            tmp_path / "out.npz")
        with np.load(tmp_path / "out.npz") as f:
            return float(f["loss"]), {n: f[f"d_{n}"] for n in xs}

    x = {n: inputs64[n] for n in xs}
    _, grads = evaluate(x)
    h = 1e-6
    directions = np.random.default_rng(len(name))
    for _ in range(2):
        v = {n: directions.standard_normal(x[n].shape) for n in xs}
        plus, _ = evaluate({n: x[n] + h * v[n] for n in xs})
        minus, _ = evaluate({n: x[n] - h * v[n] for n in xs})
        want = (plus - minus) / (2 * h)
        got = sum(float((grads[n] * v[n]).sum()) for n in xs)
        assert abs(got - want) <= 1e-6 * max(1.0, abs(want)), (got, want)


# ---------------------------------------------------------------------------
# Whole exported models: one SGD step against PyTorch
# ---------------------------------------------------------------------------

def whole_model_case(name):
    import torch_models

    torch.manual_seed(0)
    rng = np.random.default_rng(5)
    if name == "cnn":  # convolutions, BatchNorm in training mode, pooling
        model = torch_models.SmallCNN()
        x = rng.standard_normal((4, 1, 12, 12)).astype(np.float32)
        labels = rng.integers(0, 10, 4).astype(np.int64)
    else:  # embedding, learned positions, LayerNorm, causal attention, GELU
        model = torch_models.TinyGPT(vocab_size=64, d_model=32, n_heads=2, n_layers=2,
                                     block_size=16, dropout=0.0)
        x = rng.integers(0, 64, (2, 16)).astype(np.int64)
        labels = rng.integers(0, 64, (2, 16)).astype(np.int64)
        labels[0, :3] = -100
    return model, x, labels


def torch_gradients(model, x, labels):
    """PyTorch's float64 loss and parameter gradients (training mode)."""
    reference = float64_copy(model).train()
    inputs = torch.from_numpy(x)
    if inputs.dtype == torch.float32:
        inputs = inputs.double()
    out = reference(inputs)
    loss = F.cross_entropy(out.reshape(-1, out.shape[-1]) if out.dim() > 2 else out,
                           torch.from_numpy(labels).reshape(-1) if out.dim() > 2
                           else torch.from_numpy(labels))
    loss.backward()
    return float(loss), {n: p.grad.numpy() for n, p in reference.named_parameters()}


def check_one_step_gradients(tmp_path, model, x, labels):
    """Exports `model` in training mode, runs one train_step (SGD at lr 1) and
    checks the loss and every parameter's gradient, (p - p') / lr, against
    PyTorch in float64 (rtol 1e-4, atol 1e-5 max|grad|). Returns the worst
    error over max|grad| with its parameter, the largest error over the
    tolerance (1 fails), and the compile and step times in seconds."""
    import time

    import torch_models

    path = tmp_path / "m.onnx"
    torch_models.export(model.train(), torch.from_numpy(x), path, training=True,
                        input_names=["x"], output_names=["logits"])
    lr = 1.0
    program = tmp_path / "train.bin"
    start = time.monotonic()
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}")
    compiled = time.monotonic()
    np.savez(tmp_path / "in.npz", x=x, labels=labels)
    run(DLCC_RUN, program, "--entry", "train_step", "--inputs", tmp_path / "in.npz",
        "--outputs", tmp_path / "out.npz", "--save-state", tmp_path / "state.npz")
    stepped = time.monotonic()
    want_loss, grads = torch_gradients(model, x, labels)
    before = {n: p.detach().double().numpy() for n, p in model.named_parameters()}
    with np.load(tmp_path / "out.npz") as f:
        close(float(f["loss"]), want_loss)
    # The scale is the model's largest gradient: some gradients are zero up
    # to rounding (a bias before BatchNorm, attention's key bias), which fp32
    # cannot reproduce relative to themselves.
    scale = max(float(np.abs(g).max()) for g in grads.values())
    worst, worst_name, margin = 0.0, None, 0.0
    with np.load(tmp_path / "state.npz") as f:
        missing = [n for n in grads if n not in f.files]
        assert not missing, f"parameters not in the program's state: {missing}"
        for n, want in grads.items():
            got = (before[n] - f[n].astype(np.float64)) / lr
            error = np.abs(got - want)
            if float(error.max()) / scale >= worst:
                worst, worst_name = float(error.max()) / scale, n
            margin = max(margin, float((error / (1e-4 * np.abs(want) + 1e-5 * scale)).max()))
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * scale, err_msg=n)
    return worst, worst_name, margin, compiled - start, stepped - compiled


@pytest.mark.parametrize("name", ["cnn", "gpt"])
def test_whole_model_gradients_match_pytorch(tmp_path, name):
    model, x, labels = whole_model_case(name)
    worst, *_ = check_one_step_gradients(tmp_path, model, x, labels)
    print(f"{name}: worst |grad error| / max|grad| = {worst:.2e}")


# ---------------------------------------------------------------------------
# dlcc-run --data --steps --save: the minimal training driver
# ---------------------------------------------------------------------------

def read_safetensors(path):
    import json

    blob = Path(path).read_bytes()
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(blob[8 + n + begin:8 + n + end],
                                  dtypes[info["dtype"]]).reshape(info["shape"])
    return out, meta


def test_training_driver_matches_torch_over_wrapping_batches(tmp_path):
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(7)
    rows, batch, steps, lr = 10, 4, 6, 0.01
    x = rng.standard_normal((rows, 8)).astype(np.float32)
    labels = rng.integers(0, 4, rows).astype(np.int64)
    path = export(model, x[:batch], tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}", "--optimizer=adam")
    np.savez(tmp_path / "data.npz", x=x, labels=labels)
    out = run(DLCC_RUN, program, "--data", tmp_path / "data.npz", "--steps", steps,
              "--save", tmp_path / "ckpt.safetensors")
    losses = [float(line.split("loss")[1]) for line in out.splitlines()]
    assert [line.split(":")[0] for line in out.splitlines()] == [
        f"step {k}" for k in range(1, steps + 1)]

    reference = float64_copy(model)
    opt = torch.optim.Adam(reference.parameters(), lr=lr)
    want = []
    for step in range(steps):
        idx = [(step * batch + r) % rows for r in range(batch)]  # wraps around
        opt.zero_grad()
        loss = F.cross_entropy(reference(torch.from_numpy(x[idx]).double()),
                               torch.from_numpy(labels[idx]))
        loss.backward()
        opt.step()
        want.append(float(loss))
    np.testing.assert_allclose(losses, want, rtol=1e-5)  # printed to 6 digits
    state, meta = read_safetensors(tmp_path / "ckpt.safetensors")
    assert meta["steps"] == str(steps)
    for name, p in reference.named_parameters():
        np.testing.assert_allclose(state[name], p.detach().numpy(), rtol=1e-4,
                                   atol=1e-4 * lr * steps, err_msg=name)
    assert state["fc1.weight.exp_avg"].shape == (16, 8)
    assert float(state["optimizer.step"]) == steps


def test_training_driver_bad_data_is_one_error(tmp_path):
    torch.manual_seed(0)
    x = np.zeros((4, 8), np.float32)
    path = export(MLP(), x, tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", "--lr=1e30")
    labels = np.zeros(4, np.int64)
    ckpt = tmp_path / "ckpt.safetensors"
    ckpt.write_bytes(b"keep")
    cases = [
        (dict(x=x), [], "has no array 'labels'"),
        (dict(x=np.zeros((4, 7), np.float32), labels=labels), [],
         "'x' in DATA has shape (4, 7); the program takes batches of f32 [4, 8]"),
        (dict(x=x.astype(np.float64), labels=labels), [], "'x' in DATA has dtype '<f8'"),
        (dict(x=x, labels=np.zeros(3, np.int64)), [], "'x' has 4 rows but 'labels' has 3"),
        (dict(x=x, labels=labels, extra=x), [], "holds 'extra', which is not an input"),
        # A label outside the classes is refused, not clamped.
        (dict(x=x, labels=np.array([0, 1, 7, 2], np.int64)), [],
         "step 1: dlcc_session_set_input: entry point \"train_step\" argument 5 (\"labels\"): "
         "element [2] is 7, outside [0, 4) or -100"),
        # lr 1e30 overflows the parameters: step 2's loss is not finite.
        (dict(x=np.ones((4, 8), np.float32), labels=labels), ["--save", ckpt],
         "step 2: the loss is"),
    ]
    for arrays, extra, phrase in cases:
        data = tmp_path / "data.npz"
        np.savez(data, **arrays)
        r = subprocess.run([str(DLCC_RUN), str(program), "--data", str(data), "--steps", "3",
                            *map(str, extra)], capture_output=True, text=True)
        assert r.returncode == 1, (phrase, r.stderr)
        message = r.stderr.replace(str(data), "DATA")
        assert message.count("error:") == 1 and phrase in message, (phrase, r.stderr)
    assert ckpt.read_bytes() == b"keep"  # nothing saved over it
    r = subprocess.run([str(DLCC_RUN), str(program), "--data", str(tmp_path / "data.npz")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "needs both --data FILE.npz and --steps N" in r.stderr


SCHEDULES = {
    # name: (dlcc options, LambdaLR lambda of the completed steps s)
    "warmup": (["--lr-schedule=warmup", "--warmup-steps=3"], lambda s: min(1.0, (s + 1) / 3)),
    "linear": (["--lr-schedule=linear", "--warmup-steps=2", "--total-steps=5"],
               lambda s: min(1.0, (s + 1) / 2) if s < 2 else max(0.0, (5 - s) / 3)),
    "cosine": (["--lr-schedule=cosine", "--warmup-steps=1", "--total-steps=4"],
               lambda s: 1.0 if s < 1 else 0.5 * (1 + np.cos(np.pi * min(1.0, (s - 1) / 3)))),
    "step": (["--lr-schedule=step", "--lr-step-size=2", "--lr-gamma=0.5"],
             lambda s: 0.5 ** (s // 2)),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_lr_schedule_matches_lambda_lr(tmp_path, name):
    options, factor = SCHEDULES[name]
    steps, lr = 5, 0.2
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(9)
    x = rng.standard_normal((4, 8)).astype(np.float32)
    labels = rng.integers(0, 4, 4).astype(np.int64)
    path = export(model, x, tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}",
        "--optimizer=momentum", *options)
    np.savez(tmp_path / "data.npz", x=x, labels=labels)
    run(DLCC_RUN, program, "--data", tmp_path / "data.npz", "--steps", steps,
        "--save", tmp_path / "ckpt.safetensors")
    reference = float64_copy(model)
    opt = torch.optim.SGD(reference.parameters(), lr=lr, momentum=0.9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(reference(torch.from_numpy(x).double()),
                        torch.from_numpy(labels)).backward()
        opt.step()
        sched.step()
    state, _ = read_safetensors(tmp_path / "ckpt.safetensors")
    assert float(state["optimizer.step"]) == steps
    for n, p in reference.named_parameters():
        close(state[n], p.detach().numpy())


def test_dropout_gradient_uses_the_forward_mask(tmp_path):
    """Dropout in training mode (the counter-based generator): the gradient
    flows through exactly the kept elements, scaled by 1 / (1 - ratio), the
    mask the forward pass drew (no second draw)."""
    from onnx import TensorProto, helper, numpy_helper

    ratio = np.array(0.5, np.float32)
    mode = np.array(True)
    nodes = [
        helper.make_node("Constant", [], ["ratio"], value=numpy_helper.from_array(ratio)),
        helper.make_node("Constant", [], ["mode"], value=numpy_helper.from_array(mode)),
        helper.make_node("Dropout", ["a", "ratio", "mode"], ["out"]),
        helper.make_node("Mul", ["out", "r"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted"], ["loss"], keepdims=0),
        helper.make_node("Gradient", ["a"], ["d_a"], domain="ai.onnx.preview.training",
                         xs=["a"], y="loss"),
    ]
    shape = [6, 50]
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("r", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, shape),
         helper.make_tensor_value_info("d_a", TensorProto.FLOAT, shape)])
    onnx.save(helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.preview.training", 1)]),
        tmp_path / "d.onnx")
    run(DLCC, tmp_path / "d.onnx", "--inference", "-o", tmp_path / "d.bin", "--gpu-arch=none")
    a, r = pos(*shape), normal(*shape)
    np.savez(tmp_path / "in.npz", a=a, r=r)
    run(DLCC_RUN, tmp_path / "d.bin", "--inputs", tmp_path / "in.npz", "--outputs",
        tmp_path / "out.npz")
    with np.load(tmp_path / "out.npz") as f:
        kept = f["out"] != 0  # a > 0, so a dropped element is exactly 0
        assert 0.3 < kept.mean() < 0.7
        np.testing.assert_allclose(f["out"][kept], 2 * a[kept], rtol=1e-6)
        np.testing.assert_array_equal(f["d_a"], np.where(kept, 2 * r, 0).astype(np.float32))


def test_convergence_matches_pytorch(tmp_path):
    """A small classifier trained for 300 Adam steps (batches of 16 over 64
    examples, wrapping) learns, and its loss curve follows PyTorch's: the
    final losses agree closely and both fell by most of the way."""
    torch.manual_seed(1)
    model = MLP()
    rng = np.random.default_rng(11)
    rows, batch, steps, lr = 64, 16, 300, 0.01
    centers = rng.standard_normal((4, 8)) * 2
    labels = rng.integers(0, 4, rows).astype(np.int64)
    x = (centers[labels] + rng.standard_normal((rows, 8))).astype(np.float32)
    path = export(model, x[:batch], tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}", "--optimizer=adam")
    np.savez(tmp_path / "data.npz", x=x, labels=labels)
    out = run(DLCC_RUN, program, "--data", tmp_path / "data.npz", "--steps", steps)
    losses = [float(line.split("loss")[1]) for line in out.splitlines()]

    reference = MLP()
    reference.load_state_dict(model.state_dict())
    opt = torch.optim.Adam(reference.parameters(), lr=lr)
    want = []
    for step in range(steps):
        idx = [(step * batch + r) % rows for r in range(batch)]
        opt.zero_grad()
        loss = F.cross_entropy(reference(torch.from_numpy(x[idx])), torch.from_numpy(labels[idx]))
        loss.backward()
        opt.step()
        want.append(float(loss))
    assert losses[-1] < 0.2 * losses[0] and want[-1] < 0.2 * want[0]
    # fp32 on both sides: the curves agree to rounding that grows over the run.
    np.testing.assert_allclose(losses[-20:], want[-20:], rtol=2e-2, atol=1e-3)


def test_broken_weight_tying_is_a_warning(tmp_path):
    """Two trained weights that start equal up to a transpose (a tie the
    export broke) are reported; the program still compiles. Unrelated
    weights are not."""

    class Square(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(8, 8)
            self.fc2 = torch.nn.Linear(8, 8)
            self.fc3 = torch.nn.Linear(8, 4)

        def forward(self, x):
            return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))

    torch.manual_seed(0)
    model = Square()
    with torch.no_grad():
        model.fc2.weight.copy_(model.fc1.weight.T)
    path = export(model, np.zeros((2, 8), np.float32), tmp_path / "m.onnx")
    r = subprocess.run([str(DLCC), str(path), "-o", str(tmp_path / "t.bin"), "--gpu-arch=none"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("warning:") == 1, r.stderr
    assert ("dlcc: warning: parameters 'fc1.weight' and 'fc2.weight' start equal up to a "
            "transpose") in r.stderr


# ---------------------------------------------------------------------------
# eval and forward in inference mode; accumulate and apply
# ---------------------------------------------------------------------------

class NormDropout(torch.nn.Module):
    """Conv, BatchNorm, Dropout, Linear: what model.eval() changes."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.drop = torch.nn.Dropout(0.5)
        self.fc = torch.nn.Linear(4 * 6 * 6, 5)

    def forward(self, x):
        return self.fc(self.drop(torch.relu(self.bn(self.conv(x)))).flatten(1))


def test_eval_and_forward_run_the_model_in_inference_mode(tmp_path):
    """`eval` and `forward` of a training program normalise with the running
    statistics and skip Dropout, as model.eval(), and change no state;
    train_step still updates the running statistics."""
    torch.manual_seed(0)
    model = NormDropout()
    with torch.no_grad():  # running statistics far from the batch's
        model.bn.running_mean.copy_(torch.tensor([0.5, -0.3, 0.1, 0.8]))
        model.bn.running_var.copy_(torch.tensor([2.0, 0.5, 1.5, 0.7]))
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 1, 6, 6)).astype(np.float32)
    labels = rng.integers(0, 5, 3).astype(np.int64)
    path = export(model.train(), x, tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none")
    np.savez(tmp_path / "in.npz", x=x, labels=labels)
    np.savez(tmp_path / "x.npz", x=x)

    reference = float64_copy(model).eval()
    with torch.no_grad():
        want = reference(torch.from_numpy(x).double())
        want_loss = float(F.cross_entropy(want, torch.from_numpy(labels)))
    run(DLCC_RUN, program, "--entry", "eval", "--inputs", tmp_path / "in.npz",
        "--outputs", tmp_path / "eval.npz", "--save-state", tmp_path / "state.npz")
    with np.load(tmp_path / "eval.npz") as f:
        assert list(f.files) == ["loss", "logits"]
        close(float(f["loss"]), want_loss)
        close(f["logits"], want.numpy())
    with np.load(tmp_path / "state.npz") as f:
        np.testing.assert_array_equal(f["bn.running_mean"],
                                      model.bn.running_mean.numpy())
    run(DLCC_RUN, program, "--entry", "forward", "--inputs", tmp_path / "x.npz",
        "--outputs", tmp_path / "forward.npz")
    with np.load(tmp_path / "forward.npz") as f:
        close(f["logits"], want.numpy())

    run(DLCC_RUN, program, "--entry", "train_step", "--inputs", tmp_path / "in.npz",
        "--outputs", tmp_path / "out.npz", "--save-state", tmp_path / "state.npz")
    trained = float64_copy(model).train()
    trained(torch.from_numpy(x).double())  # updates the running statistics
    # ONNX's BatchNormalization updates running_var with the batch's biased
    # variance, PyTorch with the unbiased one (n / (n - 1) larger).
    n = x.shape[0] * x.shape[2] * x.shape[3]
    var0 = model.bn.running_var.double().numpy()
    unbiased = (trained.bn.running_var.numpy() - 0.9 * var0) / 0.1
    with np.load(tmp_path / "state.npz") as f:
        close(f["bn.running_mean"], trained.bn.running_mean.numpy())
        close(f["bn.running_var"], 0.9 * var0 + 0.1 * unbiased * (n - 1) / n)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_gradient_accumulation_matches_torch(tmp_path, optimizer):
    """`dlcc-run --accumulate 3`: each step runs `accumulate` on three
    micro-batches and then `apply`; PyTorch does backward() on loss / 3 per
    micro-batch, then optimizer.step()."""
    torch.manual_seed(0)
    model = MLP()
    rng = np.random.default_rng(11)
    micro, k, steps, lr = 4, 3, 4, 0.05
    x = rng.standard_normal((micro * k * steps, 8)).astype(np.float32)
    labels = rng.integers(0, 4, len(x)).astype(np.int64)
    path = export(model, x[:micro], tmp_path / "m.onnx")
    program = tmp_path / "train.bin"
    run(DLCC, path, "-o", program, "--gpu-arch=none", f"--lr={lr}",
        f"--optimizer={optimizer}", "--gradient-accumulation")
    np.savez(tmp_path / "data.npz", x=x, labels=labels)
    out = run(DLCC_RUN, program, "--data", tmp_path / "data.npz", "--steps", steps,
              "--accumulate", k, "--save", tmp_path / "ckpt.safetensors")
    losses = [float(line.split("loss")[1]) for line in out.splitlines()]

    reference = float64_copy(model)
    opt = (torch.optim.SGD(reference.parameters(), lr=lr, momentum=0.9)
           if optimizer == "momentum" else torch.optim.Adam(reference.parameters(), lr=lr))
    want = []
    for step in range(steps):
        opt.zero_grad()
        total = 0.0
        for m in range(k):
            rows = slice((step * k + m) * micro, (step * k + m + 1) * micro)
            loss = F.cross_entropy(reference(torch.from_numpy(x[rows]).double()),
                                   torch.from_numpy(labels[rows])) / k
            loss.backward()
            total += float(loss)
        opt.step()
        want.append(total)
    np.testing.assert_allclose(losses, want, rtol=1e-5)  # printed to 6 digits
    state, _ = read_safetensors(tmp_path / "ckpt.safetensors")
    assert float(state["optimizer.micro_batches"]) == 0
    for name, p in reference.named_parameters():
        np.testing.assert_allclose(state[name], p.detach().numpy(), rtol=1e-4,
                                   atol=1e-4 * lr * steps, err_msg=name)


def test_accumulate_without_the_entry_points_is_one_error(tmp_path):
    torch.manual_seed(0)
    x = np.zeros((4, 8), np.float32)
    path = export(MLP(), x, tmp_path / "m.onnx")
    run(DLCC, path, "-o", tmp_path / "train.bin", "--gpu-arch=none")
    np.savez(tmp_path / "data.npz", x=x, labels=np.zeros(4, np.int64))
    r = subprocess.run([str(DLCC_RUN), str(tmp_path / "train.bin"), "--data",
                        str(tmp_path / "data.npz"), "--steps", "1", "--accumulate", "2"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "--gradient-accumulation" in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_dropout_masks_are_recomputed_not_stored(tmp_path):
    """Dropout's keep-mask is a pure function of the program's counter:
    fused into every kernel that reads it, forward and backward, so the
    train step allocates no mask buffer between the two passes. (The
    attention-dropout mask fused into a row kernel's two stages once failed
    to compile: both stages read the key.)"""
    import re

    import torch_models

    torch.manual_seed(0)
    model = torch_models.TinyGPT(vocab_size=64, d_model=32, n_heads=2, n_layers=1,
                                 block_size=16, dropout=0.1)
    x = np.zeros((2, 16), np.int64)
    path = tmp_path / "m.onnx"
    torch_models.export(model.train(), torch.from_numpy(x), path, training=True,
                        input_names=["x"], output_names=["logits"])
    planned = run(DLCC, path, "--compile-to=planned", "--loss=cross_entropy",
                  "--gpu-arch=none")
    step = planned[planned.index("func.func @train_step"):]
    step = step[:step.index("\n  }\n")]
    # (A 1-d i1 buffer is the labels' ignore mask of the loss.)
    masks = re.findall(r"memref\.alloc\(\)[^\n]*: (memref<\d+x[\dx]*xi1>)", step)
    assert not masks, masks
    # The generator (its golden-ratio increment) runs in several kernels.
    kernels = run(DLCC, path, "--compile-to=kernels", "--loss=cross_entropy",
                  "--gpu-arch=none")
    with_generator = set(re.findall(
        r"func\.func private @(train_step_kernel_\d+)\((?:(?!func\.func).)*?"
        r"-7046029254386353131", kernels, re.S))
    assert len(with_generator) >= 4, with_generator
