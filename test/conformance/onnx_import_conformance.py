#!/usr/bin/env python3
"""Imports every model of ONNX's backend test suite with `dlcc --emit=mlir`.

Outcomes per model:
  imported     dlcc exit 0 and the printed IR parses again with dlcc-opt
  unsupported  dlcc reported unsupported operator versions (exit 1, one message)
  specialized  imported once its integer inputs (shapes, axes, flags) were
               fixed at compile time from the test's data (--constant-input)
  limitation   dlcc rejected the model with a clear, documented limitation
               (a shape-determining input that is runtime data, a non-tensor
               type, ...): exit 1, one message, listed with its reason
  failed       anything else: a crash, a hang, an unclear message, an
               importer bug (a verifier error), or an IR that does not re-parse

Prints a per-op table and writes a JUnit XML file (one test case per model;
unsupported and limitation count as skipped) for the suite's summary. Exits 1
when any model failed.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import onnx

DATA = Path("/usr/share/libonnx-testdata/data")
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")

# Messages that name a documented limitation rather than a defect.
LIMITATIONS = (
    "must be known at compile time",
    "dlcc compiles static shapes",
    "is not supported by dlcc's import of this op",
    "unsupported element type",
    "only tensors are supported",
    "not supported",
)


def constant_input_args(model):
    """--constant-input flags binding the model's integer and bool inputs, its
    scalar inputs and the scales and regions of interest of Resize/Upsample
    to the values of its first test data set (the backend tests feed shapes,
    axes, Range bounds, flags such as Dropout's ratio and training_mode, and
    resize factors as runtime inputs)."""
    m = onnx.load(str(model), load_external_data=False)
    inits = {t.name for t in m.graph.initializer}
    inputs = [i for i in m.graph.input if i.name not in inits]
    factors = {name for node in m.graph.node if node.op_type in ("Resize", "Upsample")
               for name in node.input[1:]}
    args = []
    for k, inp in enumerate(inputs):
        elem = inp.type.tensor_type.elem_type
        scalar = len(inp.type.tensor_type.shape.dim) == 0
        data = model.parent / "test_data_set_0" / ("input_%d.pb" % k)
        is_float = elem in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE,
                            onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16)
        if (scalar or not is_float or inp.name in factors) and data.exists():
            args.append("--constant-input=%s=%s" % (inp.name, data))
    return args


def classify(dlcc, dlcc_opt, model):
    outcome, reason = classify_run(dlcc, dlcc_opt, model, [])
    if outcome == "limitation" and "known at" in reason:
        args = constant_input_args(model)
        if args:
            outcome, reason = classify_run(dlcc, dlcc_opt, model, args)
            if outcome == "imported":
                return "specialized", ""
    return outcome, reason


def classify_run(dlcc, dlcc_opt, model, extra):
    try:
        r = subprocess.run([dlcc, str(model), "--emit=mlir", "--print-weights"] + extra,
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "failed", "timeout (120 s)"
    err = r.stderr.strip()
    if r.returncode == 0:
        p = subprocess.run([dlcc_opt], input=r.stdout, capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            return "failed", "printed IR does not re-parse: " + p.stderr.strip()[:300]
        return "imported", ""
    if r.returncode < 0:
        return "failed", "crashed with signal %d" % -r.returncode
    lines = [l for l in err.splitlines() if l.startswith("dlcc: error:")]
    if r.returncode != 1 or len(lines) != 1 or "Stack dump" in err or "Assertion" in err:
        return "failed", "unclear failure (exit %d): %s" % (r.returncode, err[:300])
    if "unsupported operator version" in err:
        return "unsupported", err.split(":", 2)[-1].strip()
    if "' op " in err or "failed to infer" in err:
        return "failed", "importer produced invalid IR: " + err[:300]
    if any(m in err for m in LIMITATIONS) or "known at" in err:
        return "limitation", lines[0][len("dlcc: error: "):]
    return "failed", err[:300]


def model_info(path):
    m = onnx.load(str(path), load_external_data=False)
    opset = max([o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] or [1])
    ops = sorted({(n.domain + "." if n.domain not in ("", "ai.onnx") else "") + n.op_type
                  for n in m.graph.node})
    return opset, ops


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--junit", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    dlcc = str(Path(args.build) / "bin" / "dlcc")
    dlcc_opt = str(Path(args.build) / "bin" / "dlcc-opt")
    models = sorted(p for s in SUITES for p in (DATA / s).glob("*/model.onnx"))
    if not models:
        print("no ONNX backend test models found under %s (install libonnx-testdata)" % DATA)
        return 1

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda m: classify(dlcc, dlcc_opt, m), models))

    per_op = collections.defaultdict(collections.Counter)
    per_suite = collections.defaultdict(collections.Counter)
    records = []
    for model, (outcome, reason) in zip(models, outcomes):
        opset, ops = model_info(model)
        suite = model.parent.parent.name
        name = "%s/%s" % (suite, model.parent.name)
        per_suite[suite][outcome] += 1
        for op in ops:
            per_op[op][outcome] += 1
            per_op[op]["old-opset" if opset < 13 else "opset>=13"] += 1
        records.append(dict(model=name, opset=opset, ops=ops, outcome=outcome, reason=reason))

    cols = ("imported", "specialized", "unsupported", "limitation", "failed")
    print("\nONNX backend test suite: import with dlcc, per op (a model counts for each op it uses)")
    print("%-34s %8s %11s %11s %10s %6s %9s" % ("op", *cols, "old-opset"))
    for op in sorted(per_op):
        c = per_op[op]
        print("%-34s %8d %11d %11d %10d %6d %9d" % (op, *(c[k] for k in cols), c["old-opset"]))
    print("\nper suite:")
    for suite in SUITES:
        c = per_suite[suite]
        print("  %-18s " % suite + ", ".join("%s %d" % (k, c[k]) for k in cols))
    totals = collections.Counter(r["outcome"] for r in records)
    print("\nmodels: %d; " % len(records) + ", ".join("%s %d" % (k, totals[k]) for k in cols))
    for kind in ("failed", "limitation"):
        rows = [r for r in records if r["outcome"] == kind]
        if rows:
            print("\n%s:" % kind)
            for r in rows:
                print("  %-60s %s" % (r["model"], r["reason"].splitlines()[0][:160]))

    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    if args.junit:
        with open(args.junit, "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
            f.write('<testsuite name="onnx-import-conformance" tests="%d">\n' % len(records))
            for r in records:
                f.write('<testcase classname="conformance" name=%s>' % quoteattr(r["model"]))
                if r["outcome"] == "failed":
                    f.write('<failure message=%s/>' % quoteattr(r["reason"][:500]))
                elif r["outcome"] not in ("imported", "specialized"):
                    f.write('<skipped message=%s/>' % quoteattr(r["outcome"] + ": " + r["reason"][:500]))
                f.write('</testcase>\n')
            f.write('</testsuite>\n</testsuites>\n')
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
