#!/usr/bin/env python3
"""Builds the CPU kernels of a model into a shared object and runs them.

For one ONNX model, through the product pipeline (GEMMs and convolutions as
generated kernels, since this harness runs generated kernels only):
  1. `dlcc model.onnx --compile-to=kernels --print-weights` (kernel
     functions and the entry point calling them);
  2. `dlcc model.onnx --compile-to=planned`: the planned module, whose entry
     point gives the call sequence (which kernel, which buffers, in which
     order) and whose kernels give the grid;
  3. `dlcc model.onnx --compile-to=cpu-llvm`: its nested module
     `@dlcc_cpu_kernels` is an LLVM-dialect module with one function
     `void k(int64_t block_begin, int64_t block_end, ptr...)` per kernel;
  4. `mlir-translate --mlir-to-llvmir`, `opt -O3`,
     `llc -O3 -relocation-model=pic -filetype=obj`,
     `gcc -shared -o k.so k.o -Wl,--no-as-needed -lm` (no lld here);
  5. ctypes loads the shared object and `run_entry` interprets the entry
     point of the tiled module with numpy buffers: each `memref.alloc` is a
     fresh zero-filled array, `to_buffer`/`to_tensor`/`expand_shape`/
     `collapse_shape` are views, `arith.constant dense<...>` is parsed, and
     each `call @k(...)` runs kernel k over its blocks split unevenly in two
     calls, the second range first ([n/3, n) then [0, n/3)), as the runtime's
     thread pool may do.

Functions are importable (test/python/test_cpu_kernels.py uses them).
Usage: cpu_kernels.py MODEL.onnx [--keep DIR] runs the model on random
inputs and prints the outputs' shapes and ranges.
"""
import ast
import ctypes
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
BUILD = Path(os.environ.get("DLCC_BUILD", ROOT / "build"))
DLCC = Path(os.environ.get("DLCC_BIN", BUILD / "bin" / "dlcc"))
DLCC_OPT = Path(os.environ.get("DLCC_OPT_BIN", BUILD / "bin" / "dlcc-opt"))
LLVM_BIN = Path(os.environ.get("LLVM_BIN", "/usr/lib/llvm-22/bin"))
CC = os.environ.get("CC", "gcc")
ALLOWED_NEEDED = {"libc.so.6", "libm.so.6"}


class CpuKernelError(Exception):
    pass


def run(cmd, stdin=None):
    p = subprocess.run([str(c) for c in cmd], input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise CpuKernelError("%s failed (%d):\n%s" % (" ".join(map(str, cmd)), p.returncode,
                                                      p.stderr[-3000:]))
    return p.stdout


# --- compiling -------------------------------------------------------------

@dataclass
class Build:
    kernels_mlir: str          # dlcc --emit=kernels
    tiled_mlir: str            # --compile-to=planned (the entry point's calls)
    llvm_mlir: str             # the nested CPU module of --compile-to=cpu-llvm
    llvm_ir: str               # mlir-translate
    so_path: Path


GENERATED = ("--generated-gemm", "--generated-conv")


def compile_model(onnx_path, workdir, extra_dlcc_args=()):
    workdir = Path(workdir)
    common = [DLCC, onnx_path, "--print-weights", *GENERATED, *extra_dlcc_args]
    kernels = run([*common, "--compile-to=kernels"])
    tiled = run([*common, "--compile-to=planned"])
    cpu = run([*common, "--compile-to=cpu-llvm", "--gpu-arch=none"])
    return build_shared_object(kernels, tiled, nested_module(cpu), workdir)


def nested_module(mlir_text, name="dlcc_cpu_kernels"):
    """The text of the nested `module @name` of a printed module, as a
    module of its own (dlcc-outline-cpu-kernels' output after the CPU
    lowering)."""
    lines = mlir_text.splitlines()
    start = next((i for i, l in enumerate(lines)
                  if l.lstrip().startswith("module @%s " % name)
                  or l.lstrip().startswith("module @%s{" % name)), None)
    if start is None:
        raise CpuKernelError("no nested module @%s in the output" % name)
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = next(i for i in range(start + 1, len(lines))
               if lines[i] == " " * indent + "}")
    return "\n".join(l[indent:] for l in lines[start:end + 1]) + "\n"


def build_shared_object(kernels, tiled, llvm_mlir, workdir, name="kernels"):
    workdir = Path(workdir)
    mlir_path = workdir / (name + ".llvm.mlir")
    mlir_path.write_text(llvm_mlir)
    ll, bc, obj, so = (workdir / (name + ext) for ext in (".ll", ".bc", ".o", ".so"))
    run([LLVM_BIN / "mlir-translate", "--mlir-to-llvmir", mlir_path, "-o", ll])
    run([LLVM_BIN / "opt", "-O3", ll, "-o", bc])
    run([LLVM_BIN / "llc", "-O3", "-relocation-model=pic", "-filetype=obj", bc, "-o", obj])
    run([CC, "-shared", "-o", so, obj, "-Wl,--no-as-needed", "-lm"])
    return Build(kernels, tiled, llvm_mlir, ll.read_text(), so)


# --- inspecting the shared object ------------------------------------------

def needed_libraries(so_path):
    out = run(["readelf", "-d", so_path])
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


_DEFINE = re.compile(r"^define (?:[\w ]+ )?void @([\w.$]+)\(([^)]*)\)", re.M)


def llvm_ir_signatures(llvm_ir):
    """{function: [parameter types]} of the defined functions of an .ll file."""
    sigs = {}
    for m in _DEFINE.finditer(llvm_ir):
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        sigs[m.group(1)] = [p.split()[0] for p in params]
    return sigs


def exported_symbols(so_path):
    out = run(["nm", "-D", "--defined-only", so_path])
    return {line.split()[-1] for line in out.splitlines() if " T " in line}


# --- the tiled module ------------------------------------------------------

@dataclass
class Kernel:
    name: str
    memrefs: list              # argument types (memref<...>) in order
    grid: int


@dataclass
class Entry:
    name: str
    args: list                 # (ssa name, type, attribute text)
    lines: list                # body lines
    kernels: dict = field(default_factory=dict)


_FUNC = re.compile(r"^  func\.func (private )?@([\w.$\"]+)\((.*?)\)(?: -> \(?(.*?)\)?)?"
                   r"(?: attributes \{(.*)\})? \{$")


def _split_top(s, sep=","):
    """Splits s at `sep` outside <>, (), [], {} and quotes."""
    parts, depth, cur, quote = [], 0, [], False
    for ch in s:
        if ch == '"':
            quote = not quote
        elif not quote and ch in "<([{":
            depth += 1
        elif not quote and ch in ">)]}":
            depth -= 1
        if ch == sep and depth == 0 and not quote:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def parse_tiled(text, entry_name=None):
    """The entry point (the public function calling kernels) and its kernels."""
    lines = text.splitlines()
    kernels, funcs = {}, {}
    i = 0
    while i < len(lines):
        m = _FUNC.match(lines[i])
        if not m:
            i += 1
            continue
        name = m.group(2).strip('"')
        j = i + 1
        while lines[j] != "  }":
            j += 1
        attrs = m.group(5) or ""
        args = []
        for a in _split_top(m.group(3)):
            ssa, rest = a.split(":", 1)
            rest = rest.strip()
            attr = ""
            if " {" in rest:
                rest, attr = rest.split(" {", 1)
            args.append((ssa.strip(), rest.strip(), attr))
        if "dlcc.kernel" in attrs:
            g = re.search(r"dlcc\.grid = (\d+)", attrs)
            kernels[name] = Kernel(name, [t for _, t, _ in args], int(g.group(1)) if g else 1)
        else:
            funcs[name] = (args, lines[i + 1:j], m.group(1) is not None)
        i = j + 1
    candidates = [n for n, (_, _, private) in funcs.items() if not private]
    if entry_name is None:
        if len(candidates) != 1:
            raise CpuKernelError("expected one public entry point, found %s" % candidates)
        entry_name = candidates[0]
    args, body, _ = funcs[entry_name]
    return Entry(entry_name, args, body, kernels)


_DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16, "i64": np.int64,
           "i32": np.int32, "i16": np.int16, "i8": np.int8, "i1": np.bool_}


def parse_shaped(t):
    """memref<2x3xf32> / tensor<f32> -> ((2, 3), dtype)."""
    m = re.fullmatch(r"(?:memref|tensor)<([^,>]*?)(?:,.*)?>", t.strip())
    if not m:
        raise CpuKernelError("not a shaped type: %s" % t)
    dims = m.group(1).split("x")
    elem = dims[-1]
    if elem not in _DTYPES:
        raise CpuKernelError("unsupported element type %s" % elem)
    if any(d == "?" for d in dims[:-1]):
        raise CpuKernelError("dynamic shape %s" % t)
    return tuple(int(d) for d in dims[:-1]), _DTYPES[elem]


def parse_dense(literal, shape, dtype):
    body = literal.strip()
    if body.startswith("0x"):
        raw = bytes.fromhex(body[2:])
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    body = body.replace("true", "1").replace("false", "0")
    value = np.array(ast.literal_eval(body), dtype=np.float64)
    return np.broadcast_to(value.astype(dtype), shape).copy()


# --- running ---------------------------------------------------------------

class KernelLibrary:
    def __init__(self, so_path, kernels):
        self.lib = ctypes.CDLL(str(so_path), mode=os.RTLD_NOW)
        self.kernels = kernels
        self.calls = 0

    def function(self, name):
        fn = getattr(self.lib, name)
        k = self.kernels[name]
        fn.argtypes = [ctypes.c_int64, ctypes.c_int64] + [ctypes.c_void_p] * len(k.memrefs)
        fn.restype = None
        return fn

    def launch(self, name, buffers, ranges=None):
        """Runs kernel `name` over all its blocks, split unevenly in two calls."""
        k = self.kernels[name]
        if len(buffers) != len(k.memrefs):
            raise CpuKernelError("@%s takes %d buffers, got %d" % (name, len(k.memrefs),
                                                                   len(buffers)))
        for b, t in zip(buffers, k.memrefs):
            shape, dtype = parse_shaped(t)
            if b.shape != shape or b.dtype != dtype or not b.flags.c_contiguous:
                raise CpuKernelError("@%s: buffer %s %s does not match %s" % (
                    name, b.shape, b.dtype, t))
        n = k.grid
        if ranges is None:
            ranges = [(n // 3, n), (0, n // 3)]
        fn = self.function(name)
        ptrs = [b.ctypes.data for b in buffers]
        for begin, end in ranges:
            fn(begin, end, *ptrs)
            self.calls += 1


_ASSIGN = re.compile(r"^\s*(%[\w.$#]+(?::\d+)?)\s*=\s*([\w.]+)\s*(.*)$")


def run_entry(entry, library, inputs, states):
    """Interprets the entry point; returns {output name: array}.

    inputs: {dlcc.input name: array}; states: {dlcc.state name: array}."""
    env = {}
    for ssa, t, attr in entry.args:
        shape, dtype = parse_shaped(t)
        m = re.search(r'dlcc\.input = "([^"]+)"', attr)
        s = re.search(r'dlcc\.state = @"?([^"}]+?)"?(?:[,}]|$)', attr)
        if m:
            value = inputs[m.group(1)]
        elif s:
            value = states[s.group(1).strip()]
        else:
            raise CpuKernelError("entry argument %s has neither dlcc.input nor dlcc.state" % ssa)
        value = np.ascontiguousarray(np.asarray(value, dtype=dtype).reshape(shape))
        env[ssa] = value
    for line in entry.lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("return"):
            names = [v.strip() for v in line[len("return"):].split(":")[0].split(",")
                     if v.strip()]
            return [env[n] for n in names]
        if line.startswith("call @") or line.startswith("func.call @"):
            m = re.match(r"(?:func\.)?call @([\w.$\"]+)\((.*?)\)\s*:", line)
            name = m.group(1).strip('"')
            args = [a.strip() for a in m.group(2).split(",") if a.strip()]
            if name not in entry.kernels:
                raise CpuKernelError("call of non-kernel @%s" % name)
            library.launch(name, [env[a] for a in args])
            continue
        m = _ASSIGN.match(line)
        if not m:
            raise CpuKernelError("cannot interpret: %s" % line)
        res, op, rest = m.groups()
        result_type = rest.rsplit(":", 1)[1].strip()
        if " to " in result_type or " into " in result_type:
            result_type = re.split(r" to | into ", result_type)[-1].strip()
        if op == "memref.alloc":
            shape, dtype = parse_shaped(result_type)
            env[res] = np.zeros(shape, dtype=dtype)
        elif op in ("bufferization.to_buffer", "bufferization.to_tensor"):
            env[res] = env[rest.split()[0]]
        elif op in ("tensor.expand_shape", "tensor.collapse_shape", "memref.expand_shape",
                    "memref.collapse_shape", "tensor.reshape", "memref.reshape"):
            shape, _ = parse_shaped(result_type)
            env[res] = env[rest.split()[0].rstrip(",")].reshape(shape)
        elif op == "arith.constant":
            shape, dtype = parse_shaped(result_type)
            lit = re.match(r"dense<(.*)>\s*:", rest)
            if not lit:
                raise CpuKernelError("unsupported constant: %s" % line)
            env[res] = parse_dense(lit.group(1).strip('"'), shape, dtype)
        elif op == "memref.copy":
            raise CpuKernelError("unexpected: %s" % line)
        else:
            raise CpuKernelError("unsupported entry op %s: %s" % (op, line))
    raise CpuKernelError("entry point without return")


def result_names(results_text):
    """Names of the entry point's results: the dlcc.output name, or
    "state:<name>" for a dlcc.tied_state (updated state of training)."""
    text = results_text.strip()
    if text.startswith("("):
        text = text[1:text.rindex(")")]
    names = []
    for k, r in enumerate(_split_top(text)):
        m = re.search(r'dlcc\.output = "([^"]+)"', r)
        t = re.search(r'dlcc\.tied_state = @"?([^"},]+)"?', r)
        names.append(m.group(1) if m else "state:" + t.group(1) if t else "result_%d" % k)
    return names


def run_model(onnx_path, inputs, workdir):
    """Compiles the model's CPU kernels and runs them; returns (outputs by
    name, Build, KernelLibrary)."""
    import onnx
    from onnx import numpy_helper

    b = compile_model(onnx_path, workdir)
    entry = parse_tiled(b.tiled_mlir)
    model = onnx.load(str(onnx_path))
    states = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    library = KernelLibrary(b.so_path, entry.kernels)
    results = run_entry(entry, library, inputs, states)
    header = next(l for l in b.tiled_mlir.splitlines()
                  if l.startswith("  func.func @%s(" % entry.name))
    names = result_names(header.split(") -> ", 1)[1][:-2]) if ") -> " in header else []
    if len(names) != len(results):
        raise CpuKernelError("%d results, names %s" % (len(results), names))
    return dict(zip(names, results)), b, library


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--keep", help="keep the build products here")
    opts = ap.parse_args()
    import onnx
    rng = np.random.default_rng(0)
    model = onnx.load(opts.model)
    inits = {t.name for t in model.graph.initializer}
    inputs = {}
    for i in model.graph.input:
        if i.name in inits:
            continue
        t = i.type.tensor_type
        shape = [d.dim_value for d in t.shape.dim]
        if t.elem_type == onnx.TensorProto.INT64:
            inputs[i.name] = rng.integers(0, 8, shape).astype(np.int64)
        else:
            inputs[i.name] = rng.standard_normal(shape).astype(np.float32)
    work = opts.keep or tempfile.mkdtemp()
    Path(work).mkdir(parents=True, exist_ok=True)
    outs, b, lib = run_model(opts.model, inputs, work)
    print("%d kernels, %d calls; NEEDED %s" % (len(lib.kernels), lib.calls,
                                              needed_libraries(b.so_path)))
    for n, v in outs.items():
        print("%s %s %s [%g, %g]" % (n, v.shape, v.dtype, v.min(), v.max()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
