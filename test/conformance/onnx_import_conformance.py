#!/usr/bin/env python3
"""Imports every model of ONNX's backend test suite with `dlcc --emit=mlir`.

Classes per model (conformance_common.CLASSES; the import column of
expected_outcomes.txt):
  pass               dlcc exit 0 and the printed IR parses again with dlcc-opt
  pass-specialised   imported once its integer inputs (shapes, axes, flags) were
                     fixed at compile time from the test's data (--constant-input)
  unsupported:OPS    dlcc reported unsupported operator versions (exit 1)
  limitation:REASON  dlcc rejected the model with one error line that is one of
                     the documented limitation messages (LIMITATIONS, matched
                     exactly after normalisation)
  fail               anything else: a crash, a hang, an unclear or unlisted
                     message, an importer bug (a verifier error), or an IR that
                     does not re-parse

Prints a per-op table and writes a JUnit XML file (one test case per model)
for the suite's summary: a model whose class differs from its expected class
fails (an improvement included: update the file with --update-expected in
the same commit), and so does every `fail`; unsupported and limitation models
that are expected so count as skipped. Exits 1 when any test case failed.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import onnx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_common import (  # noqa: E402
    DATA, FAIL, LIMITATION, PASS, PASS_SPECIALISED, SUITES, UNSUPPORTED, add_gate_arguments,
    apply_gates, classify_rejection, model_name, report_gates, write_junit)


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
    """(class, detail) of one model's import. When the import stops at an input
    that must be known at compile time, it is retried with the integer and
    scalar inputs bound (--constant-input): pass-specialised when that
    imports, else the class of the retry."""
    cls, detail = classify_run(dlcc, dlcc_opt, model, [])
    if cls != PASS and "known at" in detail:
        args = constant_input_args(model)
        if args:
            cls, detail = classify_run(dlcc, dlcc_opt, model, args)
            if cls == PASS:
                return PASS_SPECIALISED, ""
    return cls, detail


def classify_run(dlcc, dlcc_opt, model, extra):
    try:
        r = subprocess.run([dlcc, str(model), "--emit=mlir", "--print-weights"] + extra,
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return FAIL, "timeout (120 s)"
    err = r.stderr.strip()
    if r.returncode == 0:
        p = subprocess.run([dlcc_opt], input=r.stdout, capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            return FAIL, "printed IR does not re-parse: " + p.stderr.strip()[:300]
        return PASS, ""
    if r.returncode < 0:
        return FAIL, "crashed with signal %d" % -r.returncode
    if r.returncode != 1:
        return FAIL, "unclear failure (exit %d): %s" % (r.returncode, err[:300])
    if "' op " in err or "failed to infer" in err:
        return FAIL, "importer produced invalid IR: " + err[:300]
    cls, detail = classify_rejection(r.stderr)
    if cls == FAIL:
        detail = "unclear or unlisted rejection: " + detail[:300]
    return cls, detail


def model_info(path):
    m = onnx.load(str(path), load_external_data=False)
    opset = max([o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] or [1])
    ops = sorted({(n.domain + "." if n.domain not in ("", "ai.onnx") else "") + n.op_type
                  for n in m.graph.node})
    return opset, ops


# The per-op table's columns: the classes as the import names them.
COLUMNS = {PASS: "imported", PASS_SPECIALISED: "specialized", UNSUPPORTED: "unsupported",
           LIMITATION: "limitation", FAIL: "failed"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default=str(DATA), help="the backend test data (%(default)s)")
    ap.add_argument("--dlcc", default=None, help="the dlcc to run (default BUILD/bin/dlcc)")
    ap.add_argument("--junit", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--filter", default=None,
                    help="regular expression on suite/model (e.g. 'node/test_add')")
    add_gate_arguments(ap)
    args = ap.parse_args()
    dlcc = args.dlcc or str(Path(args.build) / "bin" / "dlcc")
    dlcc_opt = str(Path(args.build) / "bin" / "dlcc-opt")
    data = Path(args.data)
    models = sorted(p for s in SUITES for p in (data / s).glob("*/model.onnx"))
    if not models:
        print("no ONNX backend test models found under %s (install libonnx-testdata)" % data)
        return 1
    if args.filter:
        models = [m for m in models if re.search(args.filter, model_name(m))]

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda m: classify(dlcc, dlcc_opt, m), models))

    per_op = collections.defaultdict(collections.Counter)
    per_suite = collections.defaultdict(collections.Counter)
    records = []
    for model, (cls, detail) in zip(models, outcomes):
        opset, ops = model_info(model)
        outcome = COLUMNS[cls.split(":", 1)[0]]
        suite = model.parent.parent.name
        per_suite[suite][outcome] += 1
        for op in ops:
            per_op[op][outcome] += 1
            per_op[op]["old-opset" if opset < 13 else "opset>=13"] += 1
        records.append(dict(model=model_name(model), opset=opset, ops=ops, outcome=outcome,
                            cls=cls, detail=detail, reason=detail, seconds=0.0))

    cols = tuple(COLUMNS.values())
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
    rows = [r for r in records if r["outcome"] == "limitation"]
    if rows:
        print("\nlimitation:")
        for r in rows:
            print("  %-60s %-28s %s" % (r["model"], r["cls"].split(":", 1)[1],
                                        r["detail"].splitlines()[0][:160]))

    extra = apply_gates("import", records, args, complete=not args.filter)
    failures = report_gates("import", records + extra)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    if args.junit:
        write_junit(args.junit, "onnx-import-conformance", "conformance", records + extra,
                    lambda r: r["verdict"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
