#!/usr/bin/env python3
"""Compiles ONNX's backend test suite with `dlcc --inference -o` and runs the
artifacts with `dlcc-run` on the CPU, comparing with the suite's expected
outputs: the conformance of the product path (import, fusion, memory plan,
CPU shared object, cubins and PTX, train.bin, runtime).

For every model (test_data_set_0 only):
  1. `dlcc model.onnx --inference -o model.bin --cubin-cache=DIR` (when the
     import stops at an input that must be known at compile time, again with
     the integer and scalar inputs bound by --constant-input, as the import
     conformance run does: "specialized");
  2. checks the artifact: `dlcc-artifact-tool inspect` loads it; every kernel
     has a variant in an sm_80, an sm_90, a ptx and an x86_64-cpu image (read
     from the metadata FlatBuffer: inspect lists kernels by name only); the
     x86_64-cpu image needs no shared library but libc.so.6 and libm.so.6
     (`readelf -d`) and uses no undefined symbol that those two do not define
     (e.g. a compiler-rt helper);
  3. writes the test's inputs to inputs.npz (keyed by ONNX input name, the
     artifact's argument dtypes and shapes; a one-element input fed where the
     model declares a shape is broadcast, as in the reference run), runs
     `dlcc-run model.bin --inputs inputs.npz --outputs outputs.npz --device cpu`;
  4. compares outputs.npz with output_K.pb by the rule of the reference run
     (conformance_common.compare_values).

Outcomes per model:
  passed            every output matches and the artifact checks pass
  failed            wrong numbers or shapes, a missing output, or an artifact
                    check (targets, NEEDED libraries or symbols, not loadable)
  not-compiled      dlcc imports the model (`--emit=mlir` succeeds) but cannot
                    compile it; the first error line is recorded and grouped
  not-imported      dlcc's import fails (unsupported op, strings, control flow)
  nondeterministic  the model draws random numbers: compiled and run, not compared
  runtime-error     dlcc-run failed or crashed, dlcc crashed or gave an unclear
                    message, a timeout, or a harness problem

and its class (conformance_common.CLASSES; the program column of
expected_outcomes.txt): passed -> pass, or pass-specialised when it needed
--constant-input; nondeterministic; not-imported and not-compiled ->
unsupported:OPS or limitation:REASON when dlcc's one error line says so
(LIMITATIONS, matched exactly), else fail; failed and runtime-error -> fail.

Prints a per-op table (a model counts for each op in its graph, as in the
import conformance run; models with opset < 13 are also counted in the
old-opset column), per-suite totals, the failures with their reasons, the
not-compiled reasons grouped with counts, the classes' counts (passes, and of
them specialised, separately) and every failed test case. Writes JUnit XML
(one test case per model: a model whose class differs from its expected
class fails, an improvement included, and so does every `fail`; expected
unsupported, limitation and nondeterministic models are skipped) and JSON.
Exits 1 when any test case failed. After an intended change of classes,
--update-expected rewrites the program column (failures are never recorded).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conformance_common import (  # noqa: E402
    DATA, FAIL, NONDETERMINISTIC, PASS, PASS_SPECIALISED, STALE_EXPECTED, SUITES,
    HarnessError, add_gate_arguments, apply_gates, classify_rejection, compare_values,
    describe, error_lines, expected_values, graph_io, model_name, nondeterministic_reason,
    normalise, reference_outputs, report_gates, test_inputs, test_outputs, write_junit)
from onnx_import_conformance import constant_input_args, model_info  # noqa: E402

TIMEOUT_S = 120
OLD_OPSET = 13  # as onnx_import_conformance.py: opset < 13 is "old-opset"
OUTCOMES = ("passed", "failed", "not-compiled", "not-imported", "nondeterministic",
            "runtime-error")
REQUIRED_TARGETS = ("sm_80", "sm_90", "ptx", "x86_64-cpu")
ALLOWED_NEEDED = {"libc.so.6", "libm.so.6"}

# The artifact's element types: numpy storage dtype, MLIR element type (for
# the narrow float types' tolerance) and comparison kind.
DTYPES = {
    "f16": ("<f2", "f16", "float"), "f32": ("<f4", "f32", "float"),
    "f64": ("<f8", "f64", "float"), "bf16": ("<u2", "bf16", "float"),
    "f8e4m3fn": ("|u1", "f8E4M3FN", "float"), "f8e5m2": ("|u1", "f8E5M2", "float"),
    "i1": ("|b1", "i1", "int"), "i8": ("|i1", "i8", "int"), "i16": ("<i2", "i16", "int"),
    "i32": ("<i4", "i32", "int"), "i64": ("<i8", "i64", "int"), "u8": ("|u1", "ui8", "int"),
    "u16": ("<u2", "ui16", "int"), "u32": ("<u4", "ui32", "int"),
    "u64": ("<u8", "ui64", "int"),
}


# --------------------------------------------------------------------------
# Running tools


def run(cmd, timeout=TIMEOUT_S, **kw):
    for attempt in range(3):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
        except subprocess.TimeoutExpired:
            raise HarnessError("%s: timeout (%d s)" % (Path(cmd[0]).name, timeout))
        except OSError as e:  # a tool being relinked by a concurrent build
            if attempt == 2:
                raise HarnessError("cannot run %s: %s" % (cmd[0], e))
            time.sleep(5)
            continue
        if r.returncode == 127 and "error while loading shared libraries" in r.stderr:
            if attempt == 2:  # a library being relinked by a concurrent build
                raise HarnessError("%s: %s" % (Path(cmd[0]).name, r.stderr.strip()[:300]))
            time.sleep(5)
            continue
        return r


def signal_text(rc):
    return "crashed with signal %d" % -rc if rc < 0 else "exit %d" % rc


def is_clean_failure(r, tool):
    """Exit 1 with `tool: error:` lines and no crash trace."""
    return (r.returncode == 1 and error_lines(r.stderr, tool)
            and "Stack dump" not in r.stderr and "Assertion" not in r.stderr)


def reason_group(stderr):
    """dlcc's first error line, normalised so that the same limitation in
    different models groups, with the op of a one-line 'see current
    operation' note appended when the message names none."""
    lines = error_lines(stderr, "dlcc")
    text = normalise(lines[0][len("dlcc: error:"):].strip() if lines
                     else stderr.strip()[:200])
    m = re.search(r'see current operation:\s*(?:%[\w:#]+ = )?"([\w.]+)"\(', stderr)
    if m and m.group(1) not in text and m.group(1) != "func.func":
        text += " [%s]" % m.group(1)
    return text


# --------------------------------------------------------------------------
# The artifact: kernels' variants from the metadata FlatBuffer


class FlatTable:
    """The few FlatBuffers reads the variant check needs (little-endian
    tables, vectors of tables, strings, uint scalars)."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_size = struct.unpack_from("<H", buf, self.vt)[0]

    def _field(self, index):
        o = 4 + 2 * index
        if o + 2 > self.vt_size:
            return 0
        off = struct.unpack_from("<H", self.buf, self.vt + o)[0]
        return self.pos + off if off else 0

    def uint(self, index, default=0):
        p = self._field(index)
        return struct.unpack_from("<I", self.buf, p)[0] if p else default

    def _vector(self, index):
        p = self._field(index)
        if not p:
            return 0, 0
        v = p + struct.unpack_from("<I", self.buf, p)[0]
        return v + 4, struct.unpack_from("<I", self.buf, v)[0]

    def string(self, index):
        start, n = self._vector(index)
        return bytes(self.buf[start:start + n]).decode("utf-8", "replace")

    def tables(self, index):
        start, n = self._vector(index)
        out = []
        for i in range(n):
            e = start + 4 * i
            out.append(FlatTable(self.buf, e + struct.unpack_from("<I", self.buf, e)[0]))
        return out


def kernel_targets(path):
    """{kernel name: sorted targets of the images it has a variant in}, from
    the container's metadata section (docs/artifact-format.md)."""
    data = Path(path).read_bytes()
    if data[:8] != b"DLCCTBIN":
        raise ValueError("not a train.bin container")
    count = struct.unpack_from("<I", data, 24)[0]
    header = struct.unpack_from("<I", data, 12)[0]
    for k in range(count):
        kind, _, off, size, _ = struct.unpack_from("<IIQQQ", data, header + 32 * k)
        if kind == 1:
            meta = memoryview(data)[off:off + size]
            break
    else:
        raise ValueError("no metadata section")
    program = FlatTable(meta, struct.unpack_from("<I", meta, 0)[0])
    # Program: 6 kernel_images, 7 kernels; KernelImage: 0 target;
    # Kernel: 0 name, 2 variants; KernelVariant: 0 image.
    images = [t.string(0) for t in program.tables(6)]
    out = {}
    for kernel in program.tables(7):
        targets = []
        for v in kernel.tables(2):
            i = v.uint(0)
            targets.append(images[i] if i < len(images) else "image %d?" % i)
        out[kernel.string(0)] = sorted(targets)
    return out


def dynamic_symbols(path):
    """(NEEDED libraries, defined symbols, strong undefined symbols) of an ELF
    shared object, from `readelf -d --dyn-syms -W`; None when readelf fails."""
    r = run(["readelf", "-d", "--dyn-syms", "-W", str(path)])
    if r.returncode != 0:
        return None, r.stderr.strip().splitlines()[:1] or ["exit %d" % r.returncode]
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", r.stdout)
    defined, undefined = set(), set()
    for m in re.finditer(r"^\s*\d+: [0-9a-f]+\s+\d+ \w+\s+(\w+)\s+\w+\s+(\w+) (\S+)",
                         r.stdout, re.M):
        bind, ndx, name = m.groups()
        name = name.split("@")[0]
        if ndx != "UND":
            defined.add(name)
        elif bind != "WEAK":
            undefined.add(name)
    return (needed, defined, undefined), None


_LIBC_SYMBOLS = []


def libc_symbols():
    """The symbols this machine's libc.so.6 and libm.so.6 define (None when
    they cannot be found or read): what the x86_64-cpu image may use."""
    if not _LIBC_SYMBOLS:
        found = set()
        for lib in ("libc.so.6", "libm.so.6"):
            path = next((Path(d) / lib for d in ("/lib/x86_64-linux-gnu",
                                                 "/usr/lib/x86_64-linux-gnu", "/lib64")
                         if (Path(d) / lib).exists()), None)
            syms = dynamic_symbols(path)[0] if path else None
            if syms is None:
                found = None
                break
            found |= syms[1]
        _LIBC_SYMBOLS.append(found)
    return _LIBC_SYMBOLS[0]


def artifact_problems(path, summary, work):
    """What is wrong with the compiled artifact (empty when nothing)."""
    problems = []
    try:
        targets = kernel_targets(path)
    except (ValueError, struct.error, IndexError) as e:
        return ["cannot read the artifact's metadata: %s" % e]
    names = summary.get("kernels", [])
    if sorted(targets) != sorted(names):
        problems.append("metadata kernels %s differ from inspect's %s"
                        % (sorted(targets)[:5], sorted(names)[:5]))
    for name, have in sorted(targets.items()):
        missing = [t for t in REQUIRED_TARGETS if t not in have]
        if missing:
            problems.append("kernel %s has no %s variant (has %s)"
                            % (name, "/".join(missing), ", ".join(have) or "none"))
            break  # one kernel says it; the others are usually alike
    for k, image in enumerate(summary.get("kernel_images", [])):
        if image.get("target") != "x86_64-cpu":
            continue
        so = work / ("image%d.so" % k)
        so.write_bytes(bytes.fromhex(image.get("data_hex", "")))
        syms, err = dynamic_symbols(so)
        if syms is None:
            problems.append("readelf on the x86_64-cpu image: %s" % err[0])
            continue
        needed, _, undefined = syms
        extra = sorted(set(needed) - ALLOWED_NEEDED)
        if extra:
            problems.append("the x86_64-cpu image needs %s (only libc.so.6 and libm.so.6 "
                            "are allowed)" % ", ".join(extra))
        libc = libc_symbols()
        missing = sorted(undefined - libc) if libc is not None else []
        if missing:
            problems.append("the x86_64-cpu image uses %s, which libc.so.6 and libm.so.6 "
                            "do not define" % ", ".join(missing[:5]))
    return problems


# --------------------------------------------------------------------------
# Inputs and outputs


def input_array(name, data, arg, notes):
    """The test data of input `name` as the artifact's argument wants it."""
    storage, _, _ = DTYPES.get(arg["dtype"], (None, None, None))
    if storage is None:
        raise HarnessError("input %r has element type %s, which the harness cannot feed"
                           % (name, arg["dtype"]))
    a = np.asarray(data)
    if a.dtype.names:  # onnx's storage dtypes for bfloat16, float8, int4
        a = a.view(a.dtype[0])
    if arg["dtype"] in ("bf16", "f8e4m3fn", "f8e5m2") and a.dtype.kind != "u":
        raise HarnessError("cannot feed %s input %r from %s data" % (arg["dtype"], name, a.dtype))
    a = a.astype(np.dtype(storage))
    shape = [int(d) for d in arg["shape"]]
    n = int(np.prod(shape)) if shape else 1
    if list(a.shape) != shape:
        if a.size == 1 and n != 1:
            # A one-element tensor fed where the model declares a shape (the
            # `like` input of older CastLike tests): its value broadcasts.
            a = np.broadcast_to(a.reshape(()), tuple(shape))
            notes.append("input %r broadcast from %s to %s" % (name, list(data.shape), shape))
        elif a.size == n:
            a = a.reshape(tuple(shape))
        else:
            raise HarnessError("test data for input %r has %d elements, the artifact expects "
                               "%s" % (name, a.size, shape))
    return np.array(a, order="C")  # (ascontiguousarray makes 0-d arrays 1-d)


def save_npz(path, arrays):
    """np.savez for any names: np.savez(path, **arrays) drops an array named
    'like' (numpy's dispatcher takes it) and cannot write 'file'."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, a in arrays.items():
            with z.open(name + ".npy", "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(a), allow_pickle=False)


def result_values(array, dtype):
    """A result from outputs.npz as (shape, flat int64 or float64 array, kind,
    MLIR element type)."""
    storage, elem, kind = DTYPES[dtype]
    a = np.asarray(array)
    if dtype == "bf16":
        a = (a.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    elif dtype == "f8e4m3fn":
        a = numpy_helper.float8e4m3_to_float32(a.view(np.uint8))
    elif dtype == "f8e5m2":
        a = numpy_helper.float8e5m2_to_float32(a.view(np.uint8))
    if kind == "int":
        return list(array.shape), a.astype(np.int64).reshape(-1), kind, elem
    return list(array.shape), a.astype(np.float64).reshape(-1), kind, elem


def reference_opinion(proto, inputs, input_data, got, expected, declared):
    """For a failed model: whether onnx's reference evaluator agrees with dlcc
    (stale expected data, a candidate for STALE_EXPECTED) or with the .pb
    files. Diagnostic only; the outcome stays `failed`."""
    try:
        ref = reference_outputs(proto, inputs, input_data)
        verdicts = set()
        for name, (shape, values, kind, elem) in got.items():
            if name not in expected or name not in ref:
                continue
            want = expected_values(expected[name], declared[name])
            if compare_values(name, kind, elem, shape, values, want) is None:
                continue
            theirs = expected_values(ref[name], declared[name])
            if compare_values(name, kind, elem, shape, values, theirs) is None:
                verdicts.add("agrees with dlcc")
            elif compare_values(name, kind, elem, want[0],
                                want[1].astype(values.dtype), theirs) is None:
                verdicts.add("agrees with the test data")
            else:
                verdicts.add("agrees with neither")
        return " [onnx.reference %s]" % ", ".join(sorted(verdicts)) if verdicts else ""
    except Exception as e:  # the reference evaluator lacks many ops
        return " [onnx.reference could not run: %s]" % str(e).splitlines()[0][:80] \
            if str(e) else ""


# --------------------------------------------------------------------------
# One model


def run_model(model, tools, opts):
    t0 = time.monotonic()
    rec = dict(outcome="runtime-error", reason="", group="", mismatches=[])
    work = Path(tempfile.mkdtemp(prefix="dlcc-progconf-"))
    try:
        _run_model(model, tools, opts, work, rec)
    except HarnessError as e:
        rec["outcome"], rec["reason"] = "runtime-error", str(e)
        rec["group"] = normalise(str(e))
    except Exception as e:  # a harness bug must not lose the other models
        rec["outcome"], rec["reason"] = "runtime-error", "harness: %s: %s" % (
            type(e).__name__, e)
        rec["group"] = "harness: %s" % type(e).__name__
    finally:
        if opts.keep:
            dest = Path(opts.keep) / model.parent.parent.name / model.parent.name
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work, dest)
        shutil.rmtree(work, ignore_errors=True)
    rec["seconds"] = round(time.monotonic() - t0, 2)
    return rec


def compile_model(model, tools, opts, work, rec):
    """Runs dlcc; True when model.bin was written, else rec is filled in."""
    dlcc = tools["dlcc"]
    cmd = [dlcc, str(model), "--inference", "-o", str(work / "model.bin"),
           "--cubin-cache=" + opts.cubin_cache, "--gpu-arch=" + opts.gpu_arch]
    extra = []
    t = time.monotonic()
    r = run(cmd)
    if r.returncode != 0 and "known at" in r.stderr:
        extra = constant_input_args(model)
        if extra:
            r = run(cmd + extra)
            rec["specialized"] = True
    rec["compile_s"] = round(time.monotonic() - t, 2)
    (work / "dlcc.stderr").write_text(r.stderr)
    if r.returncode == 0:
        if not (work / "model.bin").exists():
            raise HarnessError("dlcc exit 0 but wrote no model.bin")
        return True
    if not is_clean_failure(r, "dlcc"):
        raise HarnessError("dlcc %s (unclear failure): %s" % (
            signal_text(r.returncode), " ".join(r.stderr.strip().splitlines()[-3:])[:400]))
    # Import or code generation? The import alone says.
    imp = run([dlcc, str(model), "--emit=mlir"] + extra)
    if imp.returncode != 0:
        rec["outcome"] = "not-imported"
        lines = error_lines(imp.stderr, "dlcc") or [signal_text(imp.returncode)]
        rec["reason"] = " ".join(l.strip() for l in lines)[:300]
        rec["cls"], rec["detail"] = classify_rejection(imp.stderr) \
            if imp.returncode == 1 else (FAIL, rec["reason"])
        return False
    rec["outcome"] = "not-compiled"
    rec["reason"] = error_lines(r.stderr, "dlcc")[0][:400]
    rec["group"] = reason_group(r.stderr)
    rec["cls"], rec["detail"] = classify_rejection(r.stderr)
    return False


def _run_model(model, tools, opts, work, rec):
    test_dir = model.parent / "test_data_set_0"
    proto = onnx.load(str(model), load_external_data=False)

    # 1. compile
    if not compile_model(model, tools, opts, work, rec):
        return
    artifact = work / "model.bin"

    # 2. the artifact
    i = run([tools["artifact_tool"], "inspect", str(artifact)])
    problems = []
    summary = {}
    if i.returncode not in (0, 1):
        raise HarnessError("dlcc-artifact-tool inspect %s: %s" % (
            signal_text(i.returncode), i.stderr.strip()[:300]))
    if i.returncode != 0:
        problems.append("dlcc-artifact-tool inspect: %s: %s" % (
            signal_text(i.returncode), i.stderr.strip()[:300]))
    else:
        summary = json.loads(i.stdout)
        problems = artifact_problems(artifact, summary, work)
        rec["kernels"] = len(summary.get("kernels", []))
    if problems:
        rec["outcome"], rec["reason"] = "failed", "artifact: " + "; ".join(problems)
        return
    entries = summary.get("entry_points", [])
    if not entries:
        raise HarnessError("the artifact has no entry point")
    entry = next((e for e in entries if e["name"] == "forward"), entries[0])

    # 3. inputs, dlcc-run
    inputs, outputs = graph_io(proto)
    input_data = test_inputs(proto, test_dir)
    feeds, notes = {}, []
    for arg in entry["arguments"]:
        if arg["kind"] != "input":
            continue
        if arg["name"] not in input_data:
            raise HarnessError("no test data for the artifact's input %r" % arg["name"])
        feeds[arg["name"]] = input_array(arg["name"], input_data[arg["name"]], arg, notes)
    if notes:
        rec["notes"] = notes
    save_npz(work / "inputs.npz", feeds)
    t = time.monotonic()
    x = run([tools["dlcc_run"], str(artifact), "--inputs", str(work / "inputs.npz"),
             "--outputs", str(work / "outputs.npz"), "--device", "cpu",
             "--threads", str(opts.threads)])
    rec["run_s"] = round(time.monotonic() - t, 2)
    (work / "dlcc-run.stderr").write_text(x.stderr)
    if x.returncode != 0:
        lines = error_lines(x.stderr, "dlcc-run")
        detail = lines[0] if lines and x.returncode == 1 else \
            " ".join(x.stderr.strip().splitlines()[-3:])
        raise HarnessError("dlcc-run %s: %s" % (signal_text(x.returncode), detail[:400]))

    nondet = nondeterministic_reason(proto, test_dir)
    if nondet:
        rec["outcome"], rec["reason"] = "nondeterministic", nondet
        return

    # 4. compare
    expected = test_outputs(proto, test_dir)
    model_name = "%s/%s" % (model.parent.parent.name, model.parent.name)
    if model_name in STALE_EXPECTED:
        expected = reference_outputs(proto, inputs, input_data)
        rec["expected_from"] = "onnx.reference (%s)" % STALE_EXPECTED[model_name]
    declared = {o.name: o.type.tensor_type.elem_type for o in proto.graph.output}
    results = {r["name"]: r for r in entry["results"] if r["kind"] == "output"}
    got = {}
    with np.load(work / "outputs.npz") as npz:
        for name in outputs:
            if name not in expected:
                continue
            if name not in results or name not in npz.files:
                where = "the artifact's results" if name not in results else "outputs.npz"
                rec["mismatches"].append(dict(output=name, reason="missing from " + where))
                continue
            got[name] = result_values(npz[name], results[name]["dtype"])
    for name, (shape, values, kind, elem) in got.items():
        mm = compare_values(name, kind, elem, shape, values,
                            expected_values(expected[name], declared[name]))
        if mm:
            rec["mismatches"].append(mm)
    if not got and not rec["mismatches"]:
        raise HarnessError("no output had expected data")
    if rec["mismatches"]:
        rec["outcome"] = "failed"
        rec["reason"] = "; ".join(describe(m) for m in rec["mismatches"])
        if "expected_from" not in rec:
            rec["reason"] += reference_opinion(proto, inputs, input_data, got, expected,
                                               declared)
    else:
        rec["outcome"] = "passed"


# --------------------------------------------------------------------------
# Report


def model_class(rec):
    """(class, detail) of a run's record (conformance_common.CLASSES)."""
    if rec["outcome"] == "passed":
        return (PASS_SPECIALISED if rec.get("specialized") else PASS), ""
    if rec["outcome"] == "nondeterministic":
        return NONDETERMINISTIC, rec["reason"]
    if rec["outcome"] in ("not-imported", "not-compiled") and "cls" in rec:
        return rec["cls"], rec["detail"]
    return FAIL, rec["reason"]


def report(records, args, wall):
    per_op = collections.defaultdict(collections.Counter)
    per_suite = collections.defaultdict(collections.Counter)
    for r in records:
        per_suite[r["model"].split("/")[0]][r["outcome"]] += 1
        for op in r["ops"]:
            per_op[op][r["outcome"]] += 1
            if r["opset"] < OLD_OPSET:
                per_op[op]["old-opset"] += 1

    cols = OUTCOMES
    short = ("passed", "failed", "not-compiled", "unsupported", "nondet", "runtime-err")
    print("\nONNX backend test suite: compiled with dlcc --inference, run with dlcc-run, "
          "per op (a model counts for each op it uses; unsupported = not imported)")
    print("%-34s %7s %7s %12s %11s %7s %11s %9s" % ("op", *short, "opset<%d" % OLD_OPSET))
    for op in sorted(per_op):
        c = per_op[op]
        print("%-34s %7d %7d %12d %11d %7d %11d %9d" % (op, *(c[k] for k in cols),
                                                        c["old-opset"]))
    print("\nper suite:")
    for suite in SUITES:
        c = per_suite[suite]
        print("  %-18s " % suite + ", ".join("%s %d" % (k, c[k]) for k in cols))

    for kind, title in (("not-compiled", "not compiled (dlcc's first error)"),
                        ("runtime-error", "runtime errors")):
        groups = collections.defaultdict(list)
        for r in records:
            if r["outcome"] == kind:
                groups[r["group"]].append(r)
        if not groups:
            continue
        print("\n%s, grouped: models, the ops they use, examples:" % title)
        for g, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            ops = collections.Counter(op for r in rows for op in r["ops"])
            print("  %4d  %s" % (len(rows), g))
            print("        ops: %s" % ", ".join("%s %d" % kv for kv in ops.most_common(8)))
            names = [r["model"] for r in rows]
            print("        e.g. %s%s" % (", ".join(names[:4]),
                                        " (+%d)" % (len(names) - 4) if len(names) > 4 else ""))
    for kind in ("failed", "runtime-error", "not-compiled"):
        rows = [r for r in records if r["outcome"] == kind]
        if rows:
            print("\n%s:" % kind)
            for r in rows:
                print("  %-58s %s" % (r["model"], r["reason"].splitlines()[0][:400]))

    totals = collections.Counter(r["outcome"] for r in records)
    print("\nmodels: %d; " % len(records) + ", ".join("%s %d" % (k, totals[k]) for k in cols)
          + "; %.0f s with %d jobs" % (wall, args.jobs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default=str(DATA), help="the backend test data (%(default)s)")
    ap.add_argument("--dlcc", default=None, help="the dlcc to run (default BUILD/bin/dlcc)")
    ap.add_argument("--junit", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="dlcc-run --threads (%(default)s)")
    ap.add_argument("--filter", default=None,
                    help="regular expression on suite/model (e.g. 'node/test_add')")
    ap.add_argument("--limit", type=int, default=None, help="run at most N models")
    ap.add_argument("--keep", default=None,
                    help="keep each model's model.bin, inputs.npz, outputs.npz and stderr here")
    ap.add_argument("--cubin-cache", default=None,
                    help="dlcc --cubin-cache (default BUILD/cubin-cache)")
    ap.add_argument("--gpu-arch", default="sm_80,sm_90",
                    help="dlcc --gpu-arch (%(default)s; the artifact check wants both)")
    add_gate_arguments(ap)
    args = ap.parse_args()

    build = Path(args.build)
    tools = dict(dlcc=args.dlcc or str(build / "bin" / "dlcc"),
                 dlcc_run=str(build / "bin" / "dlcc-run"),
                 artifact_tool=str(build / "bin" / "dlcc-artifact-tool"))
    for t in tools.values():
        if not os.access(t, os.X_OK):
            print("%s is missing (build it first)" % t)
            return 1
    if shutil.which("readelf") is None:
        print("readelf is missing (binutils)")
        return 1
    args.cubin_cache = str(Path(args.cubin_cache or build / "cubin-cache").resolve())
    Path(args.cubin_cache).mkdir(parents=True, exist_ok=True)

    data = Path(args.data)
    models = sorted(p for s in SUITES for p in (data / s).glob("*/model.onnx"))
    if not models:
        print("no ONNX backend test models found under %s (install libonnx-testdata)" % data)
        return 1
    if args.filter:
        models = [m for m in models if re.search(args.filter, model_name(m))]
    if args.limit:
        models = models[:args.limit]

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        recs = list(pool.map(lambda m: run_model(m, tools, args), models))
    wall = time.monotonic() - t0

    records = []
    for model, rec in zip(models, recs):
        opset, ops = model_info(model)
        rec["cls"], rec["detail"] = model_class(rec)
        records.append(dict(model=model_name(model), opset=opset, ops=ops, **rec))
    report(records, args, wall)

    extra = apply_gates("program", records, args,
                        complete=not (args.filter or args.limit))
    failures = report_gates("program", records + extra)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    if args.junit:
        write_junit(args.junit, "onnx-program-conformance", "program-conformance",
                    records + extra, lambda r: r["verdict"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
