"""What the conformance runs over ONNX's backend test suite share: the test
data (inputs, expected outputs, randomness), the comparison rule and the JUnit
writer. Used by onnx_reference_execution.py (the reference CPU lowering under
mlir-runner) and onnx_program_conformance.py (dlcc --inference -o and
dlcc-run).

Float outputs match when |a - b| <= atol + rtol * |b| with rtol = 1e-4 (for
f16/bf16/f8 outputs: the type's epsilon) and atol = 1e-5 * max|b| (at least
1e-6); NaN matches NaN, infinities match exactly. Integer and bool outputs
must match exactly; shapes must match.

The gates: every run classifies each model (CLASSES below) and compares the
class with the one checked in for it in expected_outcomes.txt (one model per
line, one column per run). Any difference, an improvement included, fails that
model's test case until the file is updated in the same commit (each run's
--update-expected rewrites its column); a model that fails (a crash, wrong
numbers, a compilation error that is not a listed limitation) always fails.
"""
import re
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import onnx
from onnx import numpy_helper

DATA = Path("/usr/share/libonnx-testdata/data")
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")
EXPECTED = Path(__file__).resolve().parent / "expected_outcomes.txt"
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


# --------------------------------------------------------------------------
# Classes and the checked-in expected outcomes (expected_outcomes.txt)

# The columns of expected_outcomes.txt after the model, one per run.
RUNS = ("program", "reference", "import")

# A model's class in a run. Recorded in expected_outcomes.txt:
#   pass                every output matches (the import run: imported)
#   pass-specialised    passes once the inputs that the compilation needs as
#                       values (shapes, axes, flags) are fixed at compile time
#                       from the test's data (--constant-input)
#   nondeterministic    compiled and run, not compared (random numbers)
#   unsupported:OPS     dlcc reports these operators (versions) as unsupported
#   limitation:REASON   dlcc rejects the model with one of the messages
#                       LIMITATIONS lists for REASON (matched exactly)
#   not-lowered:OP      the reference lowering has no pattern for this dlcc op
#                       (the reference-execution run only)
# Never recorded: FAIL, anything else (a crash, a timeout, wrong numbers or
# shapes, an artifact defect, an error message that is not a listed
# limitation). A FAIL model fails whatever the file says.
PASS, PASS_SPECIALISED, NONDETERMINISTIC = "pass", "pass-specialised", "nondeterministic"
UNSUPPORTED, LIMITATION, NOT_LOWERED = "unsupported", "limitation", "not-lowered"
FAIL = "fail"
CLASSES = (PASS, PASS_SPECIALISED, NONDETERMINISTIC, UNSUPPORTED, LIMITATION, NOT_LOWERED)

# The documented limitations: dlcc rejects these models by design, with one
# `dlcc: error:` line. Each reason lists the exact messages that mean it, as
# limitation_key() prints them (without the "node 'NAME' (Op-V): " prefix of
# an op's importer, names, numbers and shapes replaced); a rejection with any
# other message is a failure, so a new or reworded message fails the run until
# it is added here (or fixed).
LIMITATIONS = {
    # dlcc compiles static shapes: an input that determines a shape, a size or
    # an attribute-like flag must be a constant (the runs retry such models
    # with --constant-input: pass-specialised when that compiles).
    "runtime-shape-input": (
        "the '...' input ('...') must be known at compile time; it is computed from "
        "runtime data",
        "scales must be known at compile time (an initializer, a constant or "
        "--constant-input)",
        "depth must be one value known at compile time",
        "K must be one value known at compile time",
        "input training_mode ('...') must be a scalar known at import time",
        "start, limit and delta must be known at compile time (the output's size depends "
        "on them); input '...' is computed from runtime data",
    ),
    # Tensors of numbers only: strings, sequences, optionals.
    "string-type": (
        "graph input '...' has unsupported element type string",
        "graph output '...' has unsupported element type string",
    ),
    "non-tensor-type": (
        "graph input '...' has a sequence type; only tensors are supported",
        "graph output '...' has a sequence type; only tensors are supported",
        "graph input '...' has an optional type; only tensors are supported",
        "graph output '...' has an optional type; only tensors are supported",
    ),
    # No control flow (Loop, Scan, If subgraphs).
    "control-flow": (
        "node #N (Loop, output '...') has a subgraph attribute '...'; control flow is not "
        "supported",
        "node #N (Scan, output '...') has a subgraph attribute '...'; control flow is not "
        "supported",
        "node #N (If, output '...') has a subgraph attribute '...'; control flow is not "
        "supported",
    ),
    # MaxPool's second output (the argmax indices).
    "maxpool-indices": (
        "the Indices output of MaxPool is not supported",
    ),
}
_LIMITATION_OF = {msg: reason for reason, msgs in LIMITATIONS.items() for msg in msgs}


def normalise(text):
    """An error message without what differs between models (node names,
    kernel numbers, temporary paths, types, sizes); MLIR op names are kept."""
    text = re.sub(r"\s*\(at ONNX node '[^']*'\)", "", text)
    text = re.sub(r"(?<=\w)'s\b", "\0s", text)  # a possessive is no quote
    text = re.sub(r"/tmp/[^\s:'\"]+", "TMP", text)
    text = re.sub(r"@[\w.$-]*kernel_\d+", "@K", text)
    text = re.sub(r"\b(tensor|memref|vector)<[^<>]*(<[^<>]*>[^<>]*)*>", r"\1<...>", text)

    def quoted(m):
        s = m.group(1)
        return m.group(0) if re.fullmatch(r"[a-z_]\w*\.[\w.]+", s) else "'...'"
    text = re.sub(r"'([^']*)'", quoted, text)
    text = re.sub(r'"[^"]*"', '"..."', text)
    text = re.sub(r"\(\d+(, *\d+)*,?\)|\[\d+(, *\d+)*\]", "SHAPE", text)
    return re.sub(r"\b\d+\b", "N", text).replace("\0s", "'s")


def limitation_key(message):
    """An error message as LIMITATIONS lists it: normalised, without the
    "node 'NAME' (Op-V): " (or "node producing 'OUT' (Op-V): ") prefix that
    an op's importer puts first."""
    return normalise(re.sub(r"^node (?:producing )?'.*?' \([\w.]+-\d+\): ", "", message))


def error_lines(stderr, tool="dlcc"):
    return [l for l in stderr.splitlines() if l.startswith(tool + ": error:")]


def classify_rejection(stderr, tool="dlcc"):
    """(class, detail) for a run of `tool` that exited 1: unsupported:OPS when
    it reports unsupported operator versions, limitation:REASON when its one
    error line is a listed limitation message, else FAIL. `detail` is the
    error line (or the whole stderr when there is none)."""
    lines = error_lines(stderr, tool)
    detail = lines[0][len(tool + ": error:"):].strip() if lines else stderr.strip()[-400:]
    if len(lines) != 1 or "Stack dump" in stderr or "Assertion" in stderr:
        return FAIL, detail
    if re.search(r"unsupported operator version\(s\):$", lines[0]):
        found = re.findall(
            r"(?m)^\s+(([\w.]+?)(?:-\d+| \(not an operator of opset \d+\))): \d+ node",
            stderr)
        if found:
            return ("%s:%s" % (UNSUPPORTED, ",".join(sorted({op for _, op in found}))),
                    "unsupported operator versions: " + ", ".join(k for k, _ in found))
        return FAIL, detail
    reason = _LIMITATION_OF.get(limitation_key(detail))
    if reason:
        return "%s:%s" % (LIMITATION, reason), detail
    return FAIL, detail


def model_name(path):
    """suite/test_name of a model.onnx path."""
    return "%s/%s" % (Path(path).parent.parent.name, Path(path).parent.name)


def read_expected(path=EXPECTED):
    """{model: {run: class}} from expected_outcomes.txt ('-': no class)."""
    table = {}
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 1 + len(RUNS):
            raise ValueError("%s:%d: expected %d fields (model %s), got %r"
                             % (path, n, 1 + len(RUNS), " ".join(RUNS), line))
        for cls in fields[1:]:
            if cls != "-" and (cls.split(":", 1)[0] not in CLASSES
                               or (":" in cls) != (cls.split(":", 1)[0] in (
                                   UNSUPPORTED, LIMITATION, NOT_LOWERED))):
                raise ValueError("%s:%d: unknown class %r" % (path, n, cls))
            if cls.startswith(LIMITATION + ":") and cls.split(":", 1)[1] not in LIMITATIONS:
                raise ValueError("%s:%d: %r is not a reason listed in "
                                 "conformance_common.LIMITATIONS" % (path, n, cls))
        if fields[0] in table:
            raise ValueError("%s:%d: %s listed twice" % (path, n, fields[0]))
        table[fields[0]] = {run: c for run, c in zip(RUNS, fields[1:]) if c != "-"}
    return table


EXPECTED_HEADER = """\
# The expected class of every model of ONNX's backend test suite in each
# conformance run (test/conformance/*.py; classes: conformance_common.CLASSES):
#   pass | pass-specialised | nondeterministic | unsupported:OP[,OP...] |
#   limitation:REASON (the reasons: conformance_common.LIMITATIONS) |
#   not-lowered:DLCC_OP (the reference run) | - (none recorded)
# A run fails on every model whose class differs from its column here, an
# improvement included. After an intended change, rerun the run with
# --update-expected (with --filter for a few models) and commit this file
# together with the change. Failures are never recorded here.
"""


def write_expected(table, path=EXPECTED):
    rows = ["%-64s %-28s %-28s %s" % ((model,) + tuple(table[model].get(r, "-") for r in RUNS))
            for model in sorted(table)]
    Path(path).write_text(EXPECTED_HEADER + "# %-62s %-28s %-28s %s\n"
                          % ("model", *RUNS) + "".join(l.rstrip() + "\n" for l in rows))


def apply_gates(run, records, args, complete):
    """Compares each record's `cls` with the expected class of the run and
    sets its `verdict` (None: passed; ("failure" | "skipped", message));
    returns extra records for the file's own problems (entries for models
    the run no longer has, when `complete`: every model was run). With
    args.update_expected, rewrites the run's column (failures are not
    recorded) and the comparison is with the new file."""
    path = Path(args.expected)
    try:
        table = read_expected(path) if path.exists() else {}
    except ValueError as e:
        return [dict(model=path.name, seconds=0.0, cls=FAIL, synthetic=True,
                     verdict=("failure", str(e)))]
    ran = {r["model"] for r in records}
    stale = sorted(m for m, cols in table.items() if run in cols and m not in ran) \
        if complete else []
    if args.update_expected:
        for r in records:
            if r["cls"] != FAIL:
                table.setdefault(r["model"], {})[run] = r["cls"]
        for m in stale:
            del table[m][run]
            if not table[m]:
                del table[m]
        write_expected(table, path)
        print("\nwrote %s (the %s column; %d failing models not recorded)"
              % (path, run, sum(r["cls"] == FAIL for r in records)))
        stale = []
    how = ("if the change is intended, rerun with --update-expected (e.g. --filter '^%s$') "
           "and commit test/conformance/%s with it")
    for r in records:
        want = table.get(r["model"], {}).get(run)
        r["expected"] = want
        detail = (": " + r["detail"]) if r.get("detail") else ""
        if r["cls"] == FAIL:
            r["verdict"] = ("failure", "%s (expected %s)%s"
                            % (r.get("outcome", FAIL), want or "no class", detail))
        elif want is None:
            r["verdict"] = ("failure", "%s has no expected %s class in %s; got %s%s; %s"
                            % (r["model"], run, path.name, r["cls"], detail,
                               how % (re.escape(r["model"]), path.name)))
        elif want != r["cls"]:
            r["verdict"] = ("failure", "class changed: expected %s, got %s%s; %s"
                            % (want, r["cls"], detail,
                               how % (re.escape(r["model"]), path.name)))
        elif r["cls"] in (PASS, PASS_SPECIALISED):
            r["verdict"] = None
        else:
            r["verdict"] = ("skipped", "%s (as expected)%s" % (r["cls"], detail))
    if stale:
        return [dict(model=path.name, seconds=0.0, cls=FAIL, synthetic=True, verdict=(
            "failure", "%d models have an expected %s class but are not in the test data: "
            "%s; rerun the whole run with --update-expected" % (len(stale), run,
                                                                ", ".join(stale[:10]))))]
    return []


def report_gates(run, records):
    """Prints the classes' counts and every test case that failed; returns
    the number of failures."""
    import collections
    counts = collections.Counter(r["cls"].split(":", 1)[0] for r in records
                                 if not r.get("synthetic"))
    passes = counts[PASS] + counts[PASS_SPECIALISED]
    print("\n%s run, classes: " % run + ", ".join(
        "%s %d" % (c, counts[c]) for c in CLASSES + (FAIL,) if counts[c]))
    print("passes: %d, of which specialised (--constant-input): %d"
          % (passes, counts[PASS_SPECIALISED]))
    bad = [r for r in records if r.get("verdict") and r["verdict"][0] == "failure"]
    changed = [r for r in bad if r["cls"] != FAIL]
    if bad:
        print("\nFAILED (%d: %d class changes, %d failures):" % (len(bad), len(changed),
                                                                 len(bad) - len(changed)))
        for r in bad:
            print("  %-58s %s" % (r["model"], r["verdict"][1].splitlines()[0][:400]))
    else:
        print("every model has its expected class")
    return len(bad)


def add_gate_arguments(ap):
    ap.add_argument("--expected", default=str(EXPECTED),
                    help="the expected classes (%(default)s)")
    ap.add_argument("--update-expected", action="store_true",
                    help="write the classes of this run into --expected (failures are not "
                    "recorded); commit the file with the change that moved them")
