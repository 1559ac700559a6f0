#!/usr/bin/env python3
"""Runs ONNX's backend test suite through dlcc's reference CPU lowering and
compares the numbers with the suite's expected outputs.

For every model (test_data_set_0 only):
  1. `dlcc model.onnx --emit=mlir --print-weights` (when the plain import stops
     at an input that must be known at compile time, again with the integer
     and scalar inputs bound by --constant-input, as the import conformance
     run does);
  2. appends a `func.func @main()` that materialises the test's inputs (hex
     dense constants) and the state slots' initial values, calls @forward and
     prints every `dlcc.output` result with printMemrefF64 / printMemrefI64;
  3. `dlcc-opt --dlcc-reference-cpu-lowering`, then `mlir-runner`;
  4. parses the printed memrefs and compares them with output_K.pb.

Outcomes per model:
  passed            every output matches
  failed            wrong numbers (or a wrong shape): the output, max abs/rel error
  not-lowered       dlcc-opt cannot lower a dlcc op (recorded: which one)
  not-imported      dlcc did not import the model (see onnx_import_conformance.py)
  nondeterministic  the model draws random numbers (training-mode Dropout,
                    RandomUniform, Bernoulli, ...): run, but not compared
  runner-error      anything else: a lowering error that names no dlcc op, a
                    crash, a timeout, output that cannot be parsed

Float outputs match when |a - b| <= atol + rtol * |b| with rtol = 1e-4 (for
f16/bf16/f8 outputs: the type's epsilon) and atol = 1e-5 * max|b| (at least
1e-6); NaN matches NaN, infinities match exactly. printMemrefF64 prints 6
significant digits, a relative error of at most 5e-6 (half a unit in the 6th
digit), inside rtol. Integer and bool outputs must match exactly. For the few
models whose shipped expected data is known to be stale (STALE_EXPECTED) the
expected values come from onnx's reference evaluator; for every failed model
the report says whether onnx.reference agrees with dlcc or with the test data.

Each model's class (conformance_common.CLASSES; the reference column of
expected_outcomes.txt): passed -> pass, or pass-specialised when it needed
--constant-input; nondeterministic; not-lowered -> not-lowered:DLCC_OP;
not-imported -> unsupported:OPS or limitation:REASON when dlcc's one error
line says so (LIMITATIONS, matched exactly), else fail; failed and
runner-error -> fail.

Prints a per-op table, per-suite totals, the failures and the classes'
counts; writes JUnit XML (one test case per model: a model whose class
differs from its expected class fails, an improvement included, and so does
every `fail`; expected non-passing classes are skipped) and JSON. Exits 1
when any test case failed; --update-expected rewrites the reference column
after an intended change. --filter/--limit/--sample select a subset.
"""
import argparse
import collections
import concurrent.futures
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_common import (  # noqa: E402,F401
    ATOL_MIN, ATOL_REL, DATA, FAIL, NONDETERMINISTIC, NOT_LOWERED, PASS, PASS_SPECIALISED,
    RANDOM_OPS, RTOL, STALE_EXPECTED, SUITES, TYPE_EPS, HarnessError, add_gate_arguments,
    all_nodes, apply_gates, classify_rejection, compare_values, describe, expected_values,
    graph_io, known_value, load_tensor, model_name, nondeterministic_reason,
    reference_outputs, report_gates, write_junit)
from onnx_import_conformance import constant_input_args, model_info  # noqa: E402

LLVM_BIN = Path("/usr/lib/llvm-22/bin")
LLVM_LIB = Path("/usr/lib/llvm-22/lib")
TIMEOUT_S = 120
OUTCOMES = ("passed", "failed", "not-lowered", "not-imported", "nondeterministic",
            "runner-error")

# --------------------------------------------------------------------------
# The MLIR side: reading @forward's signature and the state slots


def split_top(text, sep=","):
    """Splits at `sep` outside brackets and strings."""
    parts, depth, cur, i, in_str = [], 0, [], 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c in "<([{":
            depth += 1
            cur.append(c)
        elif c in ">)]}" and not (c == ">" and i > 0 and text[i - 1] == "-"):
            depth -= 1
            cur.append(c)
        elif depth == 0 and text.startswith(sep, i):
            parts.append("".join(cur))
            cur = []
            i += len(sep)
            continue
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def matching_close(text, start):
    """Index of the bracket closing the one at text[start]."""
    depth, i, in_str = 0, start, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "<([{":
            depth += 1
        elif c in ">)]}" and not (c == ">" and text[i - 1] == "-"):
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise HarnessError("unbalanced brackets in @forward's signature")


def mlir_string(s):
    """Decodes an MLIR string literal's body (\\XX hex escapes, \\\\, \\")."""
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == "\\":
            nxt = s[i + 1:i + 3]
            if re.fullmatch(r"[0-9A-Fa-f]{2}", nxt):
                out.append(int(nxt, 16))
                i += 3
                continue
            out += s[i + 1].encode()
            i += 2
            continue
        out += s[i].encode()
        i += 1
    return out.decode("utf-8", "replace")


STR = r'"((?:[^"\\]|\\.)*)"'
SYM = r'@("(?:[^"\\]|\\.)*"|[\w.$-]+)'


def type_and_attrs(entry):
    """`tensor<...> {attrs}` -> (type, attrs text)."""
    parts = split_top(entry, " ")
    ty = parts[0]
    return ty, " ".join(parts[1:])


def tensor_shape(ty):
    m = re.fullmatch(r"tensor<(.*)>", ty)
    if not m:
        raise HarnessError("not a ranked tensor type: %s" % ty)
    parts = m.group(1).split("x")
    dims = []
    while len(parts) > 1 and re.fullmatch(r"\d+|\?", parts[0]):
        if parts[0] == "?":
            raise HarnessError("dynamic shape %s" % ty)
        dims.append(int(parts.pop(0)))
    return dims, "x".join(parts)


def parse_forward(text):
    m = re.search(r"func\.func @forward\(", text)
    if not m:
        raise HarnessError("no func.func @forward in the imported module")
    open_i = m.end() - 1
    close_i = matching_close(text, open_i)
    args = []
    for entry in split_top(text[open_i + 1:close_i]):
        if not entry:
            continue
        name, _, rest = entry.partition(":")
        ty, attrs = type_and_attrs(rest.strip())
        inp = re.search(r"dlcc\.input = " + STR, attrs)
        st = re.search(r"dlcc\.state = " + SYM, attrs)
        args.append(dict(type=ty, input=mlir_string(inp.group(1)) if inp else None,
                         state=st.group(1) if st else None))
    rest = text[close_i + 1:].lstrip()
    results = []
    if rest.startswith("->"):
        rest = rest[2:].lstrip()
        if rest.startswith("("):
            entries = split_top(rest[1:matching_close(rest, 0)])
        else:
            entries = [split_top(rest.split("\n", 1)[0], " ")[0]]
        for entry in entries:
            ty, attrs = type_and_attrs(entry)
            out = re.search(r"dlcc\.output = " + STR, attrs)
            results.append(dict(type=ty, output=mlir_string(out.group(1)) if out else None))
    return args, results


def parse_slots(text):
    """Symbol (as printed after @) -> (type, initial value attribute text)."""
    slots = {}
    for line in text.splitlines():
        m = re.match(r"\s*dlcc\.state_slot\s+\w+\s+" + SYM + r"\s*:\s*(.*)$", line)
        if not m:
            continue
        decl = split_top(m.group(2), " = ")
        ty = split_top(decl[0], " ")[0]
        value = split_top(decl[1], " : ")[0] if len(decl) > 1 else None
        slots[m.group(1)] = (ty, value)
    return slots


# --------------------------------------------------------------------------
# Building @main


def is_float(elem):
    return elem in ("f16", "bf16", "f32", "f64", "tf32") or elem.startswith("f8") or \
        elem.startswith("f4") or elem.startswith("f6")


def signless(ty):
    """tensor<...xui8> -> tensor<...xi8> (the lowering's storage type)."""
    return re.sub(r"x?[su]i(\d+)>$", lambda m: ("x" if m.group(0).startswith("x") else "")
                  + "i" + m.group(1) + ">", ty)


def hex_constant(array, ty):
    """A dense attribute holding `array` for the tensor type `ty` (MLIR's hex
    format: little-endian raw storage; i1 bit-packed, LSB first)."""
    dims, elem = tensor_shape(ty)
    a = np.asarray(array)
    n = int(np.prod(dims)) if dims else 1
    if a.size != n:
        raise HarnessError("test data has %d elements, %s expects %d" % (a.size, ty, n))
    if n == 0:
        return "dense<>"
    if elem == "i1":
        raw = np.packbits(a.reshape(-1).astype(bool), bitorder="little").tobytes()
    elif a.dtype.names:  # onnx's storage dtypes for bfloat16, float8, int4
        raw = a.view(a.dtype[0]).astype(a.dtype[0].newbyteorder("<")).tobytes()
    elif (elem == "bf16" or elem.startswith("f8")) and a.dtype.kind == "u":
        # bfloat16/float8 bits stored as UINT16/UINT8 (older backend test data)
        raw = a.reshape(-1).astype(a.dtype.newbyteorder("<")).tobytes()
    else:
        m = re.fullmatch(r"[su]?i(\d+)|f(16|32|64)", elem)
        if not m:
            raise HarnessError("cannot materialise %s inputs from %s data" % (elem, a.dtype))
        if m.group(1):
            bits = max(8, int(m.group(1)))
            dt = ("<u%d" if elem.startswith("ui") else "<i%d") % (bits // 8)
        else:
            dt = "<f%d" % (int(m.group(2)) // 8)
        raw = a.reshape(-1).astype(dt).tobytes()
    return 'dense<"0x%s">' % raw.hex().upper()


def build_main(module_text, args, results, input_data):
    """Returns (module text with @main, [(output name, kind) per printed result])."""
    slots = parse_slots(module_text)
    lines = ["  func.func private @printMemrefF64(tensor<*xf64>)",
             "  func.func private @printMemrefI64(tensor<*xi64>)",
             "  func.func @main() {"]
    operands = []

    def constant(name, attr, ty):
        if signless(ty) != ty:  # unsigned: build the signless constant, cast back
            lines.append("    %%%s_s = arith.constant %s : %s" % (name, attr, signless(ty)))
            lines.append("    %%%s = builtin.unrealized_conversion_cast %%%s_s : %s to %s"
                         % (name, name, signless(ty), ty))
        else:
            lines.append("    %%%s = arith.constant %s : %s" % (name, attr, ty))
        operands.append("%" + name)

    for k, a in enumerate(args):
        if a["input"] is not None:
            if a["input"] not in input_data:
                raise HarnessError("no test data for input %r" % a["input"])
            constant("in%d" % k, hex_constant(input_data[a["input"]], a["type"]), a["type"])
        elif a["state"] is not None:
            slot = slots.get(a["state"])
            if slot is None or slot[1] is None:
                raise HarnessError("state slot @%s has no initial value" % a["state"])
            constant("st%d" % k, slot[1], a["type"])
        else:
            raise HarnessError("@forward argument %d is neither input nor state" % k)
    types = [a["type"] for a in args]
    rtypes = [r["type"] for r in results]
    call = "call @forward(%s) : (%s) -> (%s)" % (", ".join(operands), ", ".join(types),
                                                ", ".join(rtypes))
    if len(results) == 1:
        lines.append("    %r = " + call)
        refs = ["%r"]
    elif results:
        lines.append("    %%r:%d = %s" % (len(results), call))
        refs = ["%%r#%d" % i for i in range(len(results))]
    else:
        lines.append("    " + call)
        refs = []
    printed = []
    for i, (r, ref) in enumerate(zip(results, refs)):
        if r["output"] is None:
            continue
        dims, elem = tensor_shape(r["type"])
        if is_float(elem):
            target, fn, kind = "f64", "printMemrefF64", "float"
        elif re.fullmatch(r"[su]?i\d+", elem):
            target, fn, kind = "i64", "printMemrefI64", "int"
        else:
            raise HarnessError("cannot print %s results" % elem)
        wide = "tensor<%s%s>" % ("".join("%dx" % d for d in dims), target)
        if r["type"] != wide:
            lines.append("    %%p%d = dlcc.convert %s : (%s) -> %s" % (i, ref, r["type"], wide))
            ref = "%%p%d" % i
        unranked = "tensor<*x%s>" % target
        lines.append("    %%u%d = tensor.cast %s : %s to %s" % (i, ref, wide, unranked))
        lines.append("    call @%s(%%u%d) : (%s) -> ()" % (fn, i, unranked))
        printed.append((r["output"], kind, elem))
    lines += ["    return", "  }"]

    res = module_text.find("\n{-#")
    body_end = res if res >= 0 else len(module_text)
    close = module_text.rfind("}", 0, body_end)
    if close < 0:
        raise HarnessError("cannot find the module's closing brace")
    text = module_text[:close] + "\n".join(lines) + "\n" + module_text[close:]
    return text, printed


# --------------------------------------------------------------------------
# Reading the runner's output and comparing

NUMBER = re.compile(r"-?nan|-?inf|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_memrefs(stdout):
    """[(sizes, [numbers as str])] for each printed memref."""
    out = []
    for section in stdout.split("Unranked Memref")[1:]:
        header, sep, data = section.partition("data =")
        m = re.search(r"sizes = \[([^\]]*)\]", header)
        if not sep or not m:
            raise HarnessError("cannot parse the runner's output: %r" % section[:200])
        sizes = [int(s) for s in m.group(1).split(",") if s.strip()]
        values = NUMBER.findall(data)
        n = int(np.prod(sizes)) if sizes else 1
        if n == 0:
            values = []  # printMemref prints a stray element for empty memrefs
        elif len(values) != n:
            raise HarnessError("memref of sizes %s printed %d values" % (sizes, len(values)))
        out.append((sizes, values))
    return out


def compare(name, printed_kind, elem, sizes, values, expected):
    """None when equal, else a dict describing the mismatch (values: the
    printed numbers as strings)."""
    if list(sizes) != list(expected[0]):
        return compare_values(name, printed_kind, elem, sizes, None, expected)
    if printed_kind == "int":
        try:
            a = np.array([int(v) for v in values], dtype=np.int64)
        except ValueError:
            a = np.array([float(v) for v in values])
        return compare_values(name, "int", elem, sizes, a, expected)
    a = np.array([float(v.replace("-nan", "nan")) for v in values], dtype=np.float64)
    return compare_values(name, "float", elem, sizes, a, expected)


def reference_opinion(proto, inputs, input_data, printed, memrefs, expected):
    """For a failed model: whether onnx's reference evaluator agrees with dlcc
    (stale expected data, a candidate for STALE_EXPECTED) or with the .pb files.
    Diagnostic only; the outcome stays `failed`."""
    try:
        ref = reference_outputs(proto, inputs, input_data)
        outputs = [o.name for o in proto.graph.output]
        verdicts = set()
        for (name, kind, elem), (sizes, values) in zip(printed, memrefs):
            if name not in expected or name not in ref:
                continue
            declared = proto.graph.output[outputs.index(name)].type.tensor_type.elem_type
            want = expected_values(expected[name], declared)
            if compare(name, kind, elem, sizes, values, want) is None:
                continue
            theirs = expected_values(ref[name], declared)
            if compare(name, kind, elem, sizes, values, theirs) is None:
                verdicts.add("agrees with dlcc")
                continue
            pb_values = [str(int(v)) if kind == "int" else str(float(v)) for v in want[1]]
            if compare(name, kind, elem, want[0], pb_values, theirs) is None:
                verdicts.add("agrees with the test data")
            else:
                verdicts.add("agrees with neither")
        return " [onnx.reference %s]" % ", ".join(sorted(verdicts)) if verdicts else ""
    except Exception as e:  # the reference evaluator lacks many ops
        return " [onnx.reference could not run: %s]" % str(e).splitlines()[0][:80] \
            if str(e) else ""


# --------------------------------------------------------------------------
# One model


def run(cmd, **kw):
    for attempt in range(3):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  **kw)
        except subprocess.TimeoutExpired:
            raise HarnessError("%s: timeout (%d s)" % (Path(cmd[0]).name, TIMEOUT_S))
        except OSError as e:  # a tool being relinked by a concurrent build
            if attempt == 2:
                raise HarnessError("cannot run %s: %s" % (cmd[0], e))
            time.sleep(5)


def signal_text(rc):
    return "crashed with signal %d" % -rc if rc < 0 else "exit %d" % rc


def lowering_failure(stderr):
    """(outcome, dlcc op, reason) for a failed dlcc-opt run."""
    stderr = re.sub(r"\S*/dlcc-refexec-[^/\s]*/", "", stderr)
    m = re.search(r"failed to legalize operation '(dlcc\.\w+)'", stderr)
    if m:
        return "not-lowered", m.group(1), stderr.strip().splitlines()[0][:300]
    # Any other error that names a dlcc op left over by the conversion (the
    # legal program-structure ops, e.g. dlcc.gradient, that nothing lowers yet).
    m = re.search(r"error: '(dlcc\.\w+)' op|\"(dlcc\.\w+)\"", stderr)
    if m and "error:" in stderr:
        op = m.group(1) or m.group(2)
        return "not-lowered", op, stderr.strip().splitlines()[0][:300]
    return "runner-error", "", "dlcc-opt failed: " + stderr.strip()[:400]


def run_model(model, tools, keep_dir):
    t0 = time.monotonic()
    rec = dict(outcome="runner-error", reason="", dlcc_op="", mismatches=[])
    work = Path(tempfile.mkdtemp(prefix="dlcc-refexec-"))
    try:
        _run_model(model, tools, work, rec)
    except HarnessError as e:
        rec["outcome"], rec["reason"] = "runner-error", str(e)
    except Exception as e:  # a harness bug must not lose the other models
        rec["outcome"], rec["reason"] = "runner-error", "harness: %s: %s" % (
            type(e).__name__, e)
    finally:
        if keep_dir:
            dest = Path(keep_dir) / model.parent.parent.name / model.parent.name
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work, dest)
        shutil.rmtree(work, ignore_errors=True)
    rec["seconds"] = round(time.monotonic() - t0, 2)
    return rec


def _run_model(model, tools, work, rec):
    dlcc, dlcc_opt, runner, libs = tools
    test_dir = model.parent / "test_data_set_0"
    proto = onnx.load(str(model), load_external_data=False)

    # 1. import
    r = run([dlcc, str(model), "--emit=mlir", "--print-weights"])
    if r.returncode != 0 and "known at" in r.stderr:
        extra = constant_input_args(model)
        if extra:
            r = run([dlcc, str(model), "--emit=mlir", "--print-weights"] + extra)
            rec["specialized"] = True
    if r.returncode != 0:
        rec["outcome"] = "not-imported"
        err = " ".join(l.strip() for l in r.stderr.splitlines() if l.strip())
        rec["reason"] = (err or signal_text(r.returncode))[:300]
        rec["cls"], rec["detail"] = classify_rejection(r.stderr) \
            if r.returncode == 1 else (FAIL, rec["reason"])
        return

    # 2. @main
    inputs, outputs = graph_io(proto)
    input_data = {}
    for k, name in enumerate(inputs):
        pb = test_dir / ("input_%d.pb" % k)
        if pb.exists():
            input_data[name] = numpy_helper.to_array(load_tensor(pb))
    args, results = parse_forward(r.stdout)
    for a in args:
        data = input_data.get(a["input"])
        dims = tensor_shape(a["type"])[0]
        if data is not None and data.size == 1 and list(data.shape) != dims:
            # A one-element tensor fed where the model declares a shape (the
            # `like` input of older CastLike tests): its value broadcasts.
            input_data[a["input"]] = np.broadcast_to(data.reshape(()), dims)
            rec.setdefault("notes", []).append("input %r broadcast from %s to %s"
                                               % (a["input"], list(data.shape), dims))
    text, printed = build_main(r.stdout, args, results, input_data)
    src = work / "main.mlir"
    src.write_text(text)

    # 3. lower and run
    lowered = work / "lowered.mlir"
    p = run([dlcc_opt, str(src), "--dlcc-reference-cpu-lowering", "-o", str(lowered)])
    if p.returncode != 0:
        if p.returncode < 0:
            raise HarnessError("dlcc-opt %s: %s" % (signal_text(p.returncode), p.stderr[-300:]))
        rec["outcome"], rec["dlcc_op"], rec["reason"] = lowering_failure(p.stderr)
        return
    # The lowering keeps the dlcc.state_slot declarations (the program's
    # state, for the compiler's later stages); @main materialised their
    # initial values itself, so they are dead here and mlir-runner, which has
    # no dlcc dialect, would not parse them.
    text = lowered.read_text()
    stripped = re.sub(r"(?m)^\s*dlcc\.state_slot .*\n", "", text)
    if stripped != text:
        lowered.write_text(stripped)
    x = run([runner, str(lowered), "-e", "main", "-entry-point-result=void",
             "-shared-libs=" + libs])
    (work / "stdout.txt").write_text(x.stdout)
    if x.returncode != 0:
        raise HarnessError("mlir-runner %s: %s" % (signal_text(x.returncode),
                                                   x.stderr.strip()[-400:]))

    nondet = nondeterministic_reason(proto, test_dir)
    if nondet:
        rec["outcome"], rec["reason"] = "nondeterministic", nondet
        return

    # 4. compare
    expected = {}
    for k, name in enumerate(outputs):
        pb = test_dir / ("output_%d.pb" % k)
        if pb.exists():
            expected[name] = load_tensor(pb)
    model_name = "%s/%s" % (model.parent.parent.name, model.parent.name)
    if model_name in STALE_EXPECTED:
        expected = reference_outputs(proto, inputs, input_data)
        rec["expected_from"] = "onnx.reference (%s)" % STALE_EXPECTED[model_name]
    memrefs = parse_memrefs(x.stdout)
    if len(memrefs) != len(printed):
        raise HarnessError("printed %d memrefs for %d outputs" % (len(memrefs), len(printed)))
    compared = 0
    for (name, kind, elem), (sizes, values) in zip(printed, memrefs):
        if name not in expected:
            continue
        declared = proto.graph.output[outputs.index(name)].type.tensor_type.elem_type
        mm = compare(name, kind, elem, sizes, values, expected_values(expected[name], declared))
        compared += 1
        if mm:
            rec["mismatches"].append(mm)
    if not compared:
        raise HarnessError("no output had expected data")
    if rec["mismatches"]:
        rec["outcome"] = "failed"
        rec["reason"] = "; ".join(describe(m) for m in rec["mismatches"])
        if "expected_from" not in rec:
            rec["reason"] += reference_opinion(proto, inputs, input_data, printed, memrefs,
                                               expected)
    else:
        rec["outcome"] = "passed"


# --------------------------------------------------------------------------


def model_class(rec):
    """(class, detail) of a run's record (conformance_common.CLASSES)."""
    if rec["outcome"] == "passed":
        return (PASS_SPECIALISED if rec.get("specialized") else PASS), ""
    if rec["outcome"] == "nondeterministic":
        return NONDETERMINISTIC, rec["reason"]
    if rec["outcome"] == "not-lowered":
        return "%s:%s" % (NOT_LOWERED, rec["dlcc_op"]), rec["reason"]
    if rec["outcome"] == "not-imported" and "cls" in rec:
        return rec["cls"], rec["detail"]
    return FAIL, rec["reason"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default=str(DATA), help="the backend test data (%(default)s)")
    ap.add_argument("--dlcc", default=None, help="the dlcc to run (default BUILD/bin/dlcc)")
    ap.add_argument("--junit", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--filter", default=None,
                    help="regular expression on suite/model (e.g. 'node/test_add')")
    ap.add_argument("--limit", type=int, default=None, help="run at most N models")
    ap.add_argument("--sample", type=float, default=None,
                    help="run a random fraction (0..1] of the models (see --seed)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", default=None,
                    help="keep each model's main.mlir, lowered.mlir and output here")
    add_gate_arguments(ap)
    args = ap.parse_args()

    build = Path(args.build)
    tools = (args.dlcc or str(build / "bin" / "dlcc"), str(build / "bin" / "dlcc-opt"),
             str(LLVM_BIN / "mlir-runner"),
             "%s,%s" % (LLVM_LIB / "libmlir_runner_utils.so",
                        LLVM_LIB / "libmlir_c_runner_utils.so"))
    data = Path(args.data)
    models = sorted(p for s in SUITES for p in (data / s).glob("*/model.onnx"))
    if not models:
        print("no ONNX backend test models found under %s (install libonnx-testdata)" % data)
        return 1
    if args.filter:
        models = [m for m in models if re.search(args.filter, model_name(m))]
    if args.sample:
        models = sorted(random.Random(args.seed).sample(
            models, max(1, round(len(models) * args.sample))))
    if args.limit:
        models = models[:args.limit]

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        recs = list(pool.map(lambda m: run_model(m, tools, args.keep), models))
    wall = time.monotonic() - t0

    per_op = collections.defaultdict(collections.Counter)
    per_suite = collections.defaultdict(collections.Counter)
    blockers = collections.Counter()
    records = []
    for model, rec in zip(models, recs):
        opset, ops = model_info(model)
        suite = model.parent.parent.name
        name = "%s/%s" % (suite, model.parent.name)
        per_suite[suite][rec["outcome"]] += 1
        for op in ops:
            per_op[op][rec["outcome"]] += 1
            if opset < 13:
                per_op[op]["old-opset"] += 1
        if rec["outcome"] == "not-lowered":
            blockers[rec["dlcc_op"]] += 1
        rec["cls"], rec["detail"] = model_class(rec)
        records.append(dict(model=name, opset=opset, ops=ops, **rec))

    cols = OUTCOMES
    short = ("passed", "failed", "not-lowered", "not-imported", "nondet", "runner-err")
    print("\nONNX backend test suite: reference execution with dlcc, per op "
          "(a model counts for each op it uses)")
    print("%-34s %7s %7s %11s %12s %7s %10s %9s" % ("op", *short, "opset<13"))
    for op in sorted(per_op):
        c = per_op[op]
        print("%-34s %7d %7d %11d %12d %7d %10d %9d" % (op, *(c[k] for k in cols),
                                                        c["old-opset"]))
    print("\nper suite:")
    for suite in SUITES:
        c = per_suite[suite]
        print("  %-18s " % suite + ", ".join("%s %d" % (k, c[k]) for k in cols))
    if blockers:
        print("\nnot lowered (dlcc op: models it stops):")
        for op, n in blockers.most_common():
            print("  %-30s %d" % (op, n))
    totals = collections.Counter(r["outcome"] for r in records)
    for kind in ("failed", "runner-error"):
        rows = [r for r in records if r["outcome"] == kind]
        if rows:
            print("\n%s:" % kind)
            for r in rows:
                print("  %-58s %s" % (r["model"], r["reason"].splitlines()[0][:400]))
    print("\nmodels: %d; " % len(records) + ", ".join("%s %d" % (k, totals[k]) for k in cols)
          + "; %.0f s with %d jobs" % (wall, args.jobs))

    extra = apply_gates("reference", records, args,
                        complete=not (args.filter or args.sample or args.limit))
    failures = report_gates("reference", records + extra)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    if args.junit:
        write_junit(args.junit, "onnx-reference-execution", "reference-execution",
                    records + extra, lambda r: r["verdict"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
