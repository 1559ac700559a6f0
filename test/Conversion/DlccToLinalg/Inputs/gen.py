"""Generates dlcc execution lit tests whose expected values come from torch.

Each case: a dlcc function, its inputs (numpy float32 / int64 arrays), and a
torch snippet (a string evaluated with the inputs bound as float64 tensors)
giving the expected outputs. The snippet is copied into the test as a comment.
"""
import math
import re
import textwrap

import numpy as np
import torch
import torch.nn.functional as F


def mlir_type(arr, elem=None):
    if elem is None:
        elem = "i64" if arr.dtype == np.int64 else "f32"
    if arr.ndim == 0:
        return f"tensor<{elem}>"
    return "tensor<" + "x".join(str(d) for d in arr.shape) + "x" + elem + ">"


def literal(arr):
    def fmt(v):
        if arr.dtype == np.int64:
            return str(int(v))
        f = float(v)
        if math.isinf(f):
            return "0x7F800000" if f > 0 else "0xFF800000"
        assert float(np.float32(f)) == f
        return repr(f)

    def rec(a):
        if a.ndim == 0:
            return fmt(a)
        return "[" + ", ".join(rec(x) for x in a) + "]"

    return rec(arr)


def gfmt(v):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if math.isnan(v):
        return "nan"
    return "%g" % v


NUMBER = "{{-?[0-9.]+(e[-+][0-9]+)?}}"
TINY = "{{-?(0|[0-9.]+e-[0-9]+)}}"


def token(v, atol, exact=False):
    if v == 0 and exact:
        return "{{-?0}}"
    if abs(v) <= atol:
        return TINY
    # Values on a coarse binary grid are computed exactly in float32.
    if abs(v) < 2**20 and (v * 256).is_integer():
        return gfmt(v)
    tol = max(abs(v) * 3e-6, atol)
    s = gfmt(v)
    forms = sorted({gfmt(x) for x in np.linspace(v - tol, v + tol, 401)})
    if len(forms) == 1:
        return forms[0]
    p = 0
    while all(len(f) > p for f in forms) and len({f[p] for f in forms}) == 1:
        p += 1
    prefix, rest = forms[0][:p], [f[p:] for f in forms]
    if len(forms) > 8:
        exps = {f.partition("e")[2] for f in forms}
        if len(exps) != 1:
            return NUMBER
        exp = exps.pop()
        mant = [f.partition("e")[0] for f in forms]
        p = 0
        while all(len(f) > p for f in mant) and len({f[p] for f in mant}) == 1:
            p += 1
        if not re.sub(r"[^0-9]", "", mant[0][:p]).lstrip("0"):
            return NUMBER
        return mant[0][:p] + "{{[0-9]*}}" + ("e" + exp if exp else "")
    opt = "" in rest
    alts = "|".join(r.replace(".", "\\.").replace("+", "\\+") for r in rest if r)
    return prefix + "{{(" + alts + ")" + ("?" if opt else "") + "}}"


def check_lines(ref, exact=False, cancels=True):
    ref = np.asarray(ref, dtype=np.float64)
    # Results computed with cancellation (gradients, centred sums) carry an
    # absolute error relative to the largest value; others a relative one.
    scale = max(1.0, float(np.max(np.abs(ref[np.isfinite(ref)])))) if ref.size else 1.0
    atol = 2e-6 * scale if cancels else 1e-30

    def rec(a, depth):
        if a.ndim == 0:
            return token(float(a), atol, exact)
        if a.ndim == 1:
            return "[" + ", ".join(token(float(x), atol, exact) for x in a) + "]"
        return "[" + (",\n" + " " * (depth + 1)).join(rec(x, depth + 1) for x in a) + "]"

    text = rec(ref, 0)
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        line = re.sub(r"\[\[+", lambda m: "{{" + "\\[" * len(m.group(0)) + "}}", line)
        lines.append(line)
    shape = ", ".join(str(d) for d in ref.shape)
    out = [f"// CHECK: rank = {ref.ndim} offset = 0 sizes = [{shape}]"]
    if ref.ndim == 0:
        out.append(f"// CHECK-NEXT: [{lines[0]}]")
    else:
        out += [f"// CHECK-NEXT: {l}" for l in lines]
    return out


class Case:
    def __init__(self, name, func, inputs, snippet, out_types, comment="", exact=False,
                 cancels=True):
        self.exact = exact
        self.cancels = cancels
        self.name = name
        self.func = textwrap.dedent(func).strip()
        self.inputs = inputs
        self.snippet = textwrap.dedent(snippet).strip()
        self.out_types = out_types
        self.comment = comment

    def expected(self):
        env = {"torch": torch, "F": F, "np": np}
        for i, a in enumerate(self.inputs):
            t = torch.from_numpy(a.copy())
            if t.dtype == torch.float32:
                t = t.double()
            env[f"a{i}"] = t
        exec(self.snippet, env)
        res = env["result"]
        if not isinstance(res, (list, tuple)):
            res = [res]
        return [r.detach().double().numpy() for r in res]


def generate(path, header, cases):
    out = [
        "// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main "
        "-entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils "
        "| FileCheck %s",
        "",
    ]
    out += ["// " + l if l else "//" for l in header.strip().split("\n")]
    out += ["", "func.func private @printMemrefF32(tensor<*xf32>)", ""]
    main = ["func.func @main() {"]
    checks_all = []
    for ci, c in enumerate(cases):
        exp = c.expected()
        assert len(exp) == len(c.out_types), c.name
        out.append("// " + "-" * 74)
        if c.comment:
            out += ["// " + l for l in c.comment.strip().split("\n")]
        out.append("// Expected values (torch 1.13, float64; a<i> are the inputs):")
        out += ["//   " + l for l in c.snippet.split("\n")]
        for i, (e, t) in enumerate(zip(exp, c.out_types)):
            out.append(f"// {c.name} result {i}:")
            out += check_lines(e, c.exact, c.cancels)
        out.append(c.func)
        out.append("")
        args = []
        for i, a in enumerate(c.inputs):
            v = f"%{c.name}_in{i}"
            main.append(f"  {v} = arith.constant dense<{literal(a)}> : {mlir_type(a)}")
            args.append((v, mlir_type(a)))
        res = [f"%{c.name}_r{i}" for i in range(len(c.out_types))]
        lhs = ", ".join(res) if len(res) == 1 else f"%{c.name}_r:{len(res)}"
        main.append(
            f"  {lhs} = call @{c.name}({', '.join(v for v, _ in args)}) : "
            f"({', '.join(t for _, t in args)}) -> ({', '.join(c.out_types)})")
        for i, t in enumerate(c.out_types):
            r = res[0] if len(res) == 1 else f"%{c.name}_r#{i}"
            u = f"%{c.name}_u{i}"
            main.append(f"  {u} = tensor.cast {r} : {t} to tensor<*xf32>")
            main.append(f"  call @printMemrefF32({u}) : (tensor<*xf32>) -> ()")
    main += ["  return", "}"]
    out += main
    open(path, "w").write("\n".join(out) + "\n")
