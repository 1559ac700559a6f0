"""What the conformance runs over ONNX's backend test suite share: the test
data (inputs, expected outputs, randomness), the comparison rule and the JUnit
writer. Used by onnx_reference_execution.py (the reference CPU lowering under
mlir-runner) and onnx_program_conformance.py (dlcc --inference -o and
dlcc-run).

Float outputs match when |a - b| <= atol + rtol * |b| with rtol = 1e-4 (for
f16/bf16/f8 outputs: the type's epsilon) and atol = 1e-5 * max|b| (at least
1e-6); NaN matches NaN, infinities match exactly. Integer and bool outputs
must match exactly; shapes must match.
"""
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import onnx
from onnx import numpy_helper

DATA = Path("/usr/share/libonnx-testdata/data")
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")
RTOL = 1e-4
ATOL_REL = 1e-5
ATOL_MIN = 1e-6

# A result cannot be closer than its type's precision: outputs of narrow float
# types compare with rtol = max(RTOL, the type's epsilon). The older test data
# also rounds differently (its Cast to bfloat16 truncates; ONNX now rounds to
# nearest even), one unit in the last place. Keys are MLIR element types.
TYPE_EPS = {"f16": 2.0 ** -10, "bf16": 2.0 ** -7, "f8E4M3FN": 2.0 ** -3,
            "f8E4M3FNUZ": 2.0 ** -3, "f8E5M2": 2.0 ** -2, "f8E5M2FNUZ": 2.0 ** -2}

# Models whose shipped expected outputs are wrong (the Debian test data
# predates fixes in ONNX): their outputs are compared with what onnx 1.17's
# reference evaluator computes from the same inputs instead. Each entry was
# checked by hand: onnx.reference and dlcc agree, the .pb files do not.
STALE_EXPECTED = {
    "node/test_adam_multiple": "old expected data for X1_new/X2_new (0.4% off)",
    "node/test_blackmanwindow_expanded": "old function body's float rounding",
    "node/test_blackmanwindow_symmetric_expanded": "old function body's float rounding",
    "node/test_hammingwindow_expanded": "old function body's float rounding",
    "node/test_hammingwindow_symmetric_expanded": "old function body's float rounding",
    "node/test_hannwindow_expanded": "old function body's float rounding",
    "node/test_hannwindow_symmetric_expanded": "old function body's float rounding",
}

RANDOM_OPS = {"RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike",
              "Multinomial", "Bernoulli"}


class HarnessError(Exception):
    """The model cannot be run by the harness (runner-error / runtime-error)."""


# --------------------------------------------------------------------------
# The ONNX side: inputs, expected outputs, randomness


def load_tensor(path):
    t = onnx.TensorProto()
    t.ParseFromString(Path(path).read_bytes())
    return t


def graph_io(model):
    """Names of the graph inputs that are not initializers (input_K.pb is the
    K-th of them) and of the graph outputs (output_K.pb)."""
    inits = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in inits]
    outputs = [o.name for o in model.graph.output]
    return inputs, outputs


def test_inputs(model, test_dir):
    """{graph input name: numpy array} from test_dir's input_K.pb files."""
    inputs, _ = graph_io(model)
    data = {}
    for k, name in enumerate(inputs):
        pb = Path(test_dir) / ("input_%d.pb" % k)
        if pb.exists():
            data[name] = numpy_helper.to_array(load_tensor(pb))
    return data


def test_outputs(model, test_dir):
    """{graph output name: TensorProto} from test_dir's output_K.pb files."""
    _, outputs = graph_io(model)
    expected = {}
    for k, name in enumerate(outputs):
        pb = Path(test_dir) / ("output_%d.pb" % k)
        if pb.exists():
            expected[name] = load_tensor(pb)
    return expected


def all_nodes(graph):
    for n in graph.node:
        yield n
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from all_nodes(a.g)
            for g in a.graphs:
                yield from all_nodes(g)


def known_value(model, test_dir, name):
    """The value of `name` when it is an initializer, a Constant's output or a
    graph input with test data; None otherwise."""
    for t in model.graph.initializer:
        if t.name == name:
            return numpy_helper.to_array(t)
    for n in all_nodes(model.graph):
        if n.op_type == "Constant" and n.output and n.output[0] == name:
            for a in n.attribute:
                if a.name == "value":
                    return numpy_helper.to_array(a.t)
                if a.name in ("value_float", "value_int"):
                    return np.array(onnx.helper.get_attribute_value(a))
    inputs, _ = graph_io(model)
    if name in inputs:
        pb = test_dir / ("input_%d.pb" % inputs.index(name))
        if pb.exists():
            return numpy_helper.to_array(load_tensor(pb))
    return None


def nondeterministic_reason(model, test_dir):
    for n in all_nodes(model.graph):
        if n.op_type in RANDOM_OPS:
            return "uses %s" % n.op_type
        if n.op_type == "Dropout" and len(n.input) > 2 and n.input[2]:
            training = known_value(model, test_dir, n.input[2])
            if training is not None and not bool(np.asarray(training).reshape(-1)[0]):
                continue
            ratio = known_value(model, test_dir, n.input[1]) if n.input[1] else None
            if ratio is not None and float(np.asarray(ratio).reshape(-1)[0]) == 0.0:
                continue  # training mode with ratio 0 keeps everything
            return "training-mode Dropout"
    return ""


def reference_outputs(proto, inputs, input_data):
    """The outputs onnx's reference evaluator computes, as TensorProtos."""
    from onnx.reference import ReferenceEvaluator
    feeds = {n: np.asarray(input_data[n]) for n in inputs if n in input_data}
    names = [o.name for o in proto.graph.output]
    values = ReferenceEvaluator(proto).run(None, feeds)
    return {n: numpy_helper.from_array(np.asarray(v), n) for n, v in zip(names, values)}


# --------------------------------------------------------------------------
# Comparing


def expected_values(t, declared):
    """A TensorProto as (shape, float64 or int64 numpy array, kind); `declared`
    is the graph output's element type (older test data stores bfloat16
    outputs as UINT16 bits)."""
    a = numpy_helper.to_array(t)
    if onnx.TensorProto.BFLOAT16 in (t.data_type, declared) and a.dtype.itemsize == 2 \
            and a.dtype.kind != "f":
        a = (a.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    elif a.dtype.names:
        conv = {onnx.TensorProto.FLOAT8E4M3FN: "float8e4m3_to_float32",
                onnx.TensorProto.FLOAT8E5M2: "float8e5m2_to_float32"}.get(t.data_type)
        if conv and hasattr(numpy_helper, conv):
            a = getattr(numpy_helper, conv)(a.view(a.dtype[0]))
        else:
            a = a.view(a.dtype[0])
    if a.dtype.kind == "f":
        return list(a.shape), a.astype(np.float64).reshape(-1), "float"
    if a.dtype.kind in "iub":
        return list(a.shape), a.astype(np.int64).reshape(-1), "int"
    raise HarnessError("cannot compare %s outputs" % a.dtype)


def compare_values(name, kind, elem, sizes, a, expected):
    """None when the result `a` (a flat int64 array for kind "int", float64
    for "float"; `sizes` its shape, `elem` its MLIR element type) equals
    `expected` (from expected_values), else a dict describing the mismatch."""
    shape, b, _ = expected
    if list(sizes) != list(shape):
        return dict(output=name, reason="shape %s, expected %s" % (list(sizes), shape))
    if kind == "int":
        b = b.astype(a.dtype)
        bad = a != b
        if not bad.any():
            return None
        err = np.abs(a.astype(np.float64) - b.astype(np.float64))
        i = int(np.argmax(err))
        return dict(output=name, mismatches=int(bad.sum()), count=int(b.size),
                    max_abs=float(err[i]), max_rel=float(err[i] / max(abs(float(b[i])), 1)),
                    at=i, got=float(a[i]), want=float(b[i]))
    b = b.astype(np.float64)
    finite = np.isfinite(b)
    scale = float(np.max(np.abs(b[finite]))) if finite.any() else 0.0
    atol = max(ATOL_REL * scale, ATOL_MIN)
    rtol = max(RTOL, TYPE_EPS.get(elem, 0.0))
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(a - b)
        ok = (err <= atol + rtol * np.abs(b)) & finite & np.isfinite(a)
        ok |= np.isnan(a) & np.isnan(b)
        ok |= np.isinf(b) & (a == b)
    if ok.all():
        return None
    err = np.where(ok, 0.0, np.where(np.isnan(err), np.inf, err))
    i = int(np.argmax(err))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = err / np.abs(b)
    rel = np.where(ok, 0.0, np.where(np.isnan(rel), np.inf, rel))
    return dict(output=name, mismatches=int((~ok).sum()), count=int(b.size),
                max_abs=float(err[i]), max_rel=float(np.max(rel)), at=i,
                got=float(a[i]), want=float(b[i]), atol=atol, rtol=rtol)


def describe(mm):
    if "max_abs" not in mm:
        return "output %r: %s" % (mm["output"], mm["reason"])
    return ("output %r: %d of %d elements differ, max abs err %.3g, max rel err %.3g "
            "(element %d: got %.7g, expected %.7g)"
            % (mm["output"], mm["mismatches"], mm["count"], mm["max_abs"], mm["max_rel"],
               mm["at"], mm["got"], mm["want"]))


# --------------------------------------------------------------------------
# Reports


def write_junit(path, suite, classname, records, verdict):
    """One test case per record (`model`, `seconds`); verdict(record) returns
    None (passed) or ("failure" | "error" | "skipped", message)."""
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
        f.write('<testsuite name="%s" tests="%d">\n' % (suite, len(records)))
        for r in records:
            f.write('<testcase classname="%s" name=%s time="%.2f">'
                    % (classname, quoteattr(r["model"]), r["seconds"]))
            v = verdict(r)
            if v:
                f.write('<%s message=%s/>' % (v[0], quoteattr(v[1])))
            f.write('</testcase>\n')
        f.write('</testsuite>\n</testsuites>\n')
