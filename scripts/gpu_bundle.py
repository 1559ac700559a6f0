#!/usr/bin/env python3
"""Checks compiled programs on a CUDA machine that has no compiler.

dlcc needs LLVM/MLIR, libonnx and the rest of the build machine; a GPU host
usually has only a driver, Python with numpy (and often PyTorch). This script
splits the work in two:

  pack OUT.tar.xz   on the build machine: dlcc-run, libdlcc_runtime, the
                    CUDA plugin and the shared libraries they need that a
                    CUDA image does not carry (oneDNN, libzip, ...); the
                    whole-model cases of the test suite (MLP, CNN, GPT,
                    eval and training mode, library and generated GEMMs)
                    compiled, with their inputs and onnxruntime's outputs;
                    the benchmark models; and, with --conformance KEEP, the
                    conformance programs kept by onnx_program_conformance.py
                    --keep that passed on the CPU, with their CPU outputs.

  check BUNDLE_DIR  on the GPU host (after `tar xJf`): every program runs
                    on the CPU and on CUDA; CUDA must match the CPU and
                    onnxruntime (|a-b| <= 1e-5*max|b| + 1e-4*|b|), the
                    captured-graph replays and the runs without graphs must
                    give the eager run's bits; the conformance programs must
                    match their CPU outputs; every whole model and the
                    conformance programs with reductions, pooling or library
                    calls must pass compute-sanitizer's memcheck, racecheck
                    and synccheck; then the benchmark models are
                    timed on CUDA (graphs on and off), on the CPU and, where
                    PyTorch and a GPU are there, in PyTorch eager on the same
                    GPU (same model class and shapes). Prints one line per
                    failure, a timing table, and "N passed, N failed".

Usage:
  .venv/bin/python scripts/gpu_bundle.py pack build/gpu-bundle.tar.xz \
      [--run-conformance | --conformance DIR --conformance-json FILE]
  python3 scripts/gpu_bundle.py check DIR [--out DIR] [--jobs 8]
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
RTOL, ATOL_REL = 1e-4, 1e-5
# Libraries every CUDA host has (glibc, the C++ runtime) or that the plugin
# must take from the host's CUDA install (cuBLASLt).
HOST_LIBS = re.compile(r"^(linux-vdso|libc\.|libm\.|libdl\.|librt\.|libpthread\.|"
                       r"ld-linux|libstdc\+\+|libgcc_s|libcublas)")
BENCH = {
    # name: (constructor kwargs, inputs) for torch_models; bench/ sizes.
    "mlp": ("MLP", dict(in_features=512, hidden=2048, out_features=512, dropout=0.0),
            {"x": ("normal", (64, 512))}, ["y"]),
    "cnn": ("SmallCNN", {}, {"x": ("normal", (32, 1, 12, 12))}, ["logits"]),
    "cnn-m": ("SmallCNN", dict(in_channels=3, channels=(64, 128)),
              {"x": ("normal", (64, 3, 32, 32))}, ["logits"]),
    "gpt": ("TinyGPT", dict(vocab_size=512, d_model=128, n_heads=4, n_layers=2,
                            block_size=64, dropout=0.0),
            {"idx": ("tokens", (4, 64), 512)}, ["logits"]),
    "gpt-m": ("TinyGPT", dict(vocab_size=1024, d_model=256, n_heads=8, n_layers=4,
                              block_size=128, dropout=0.0),
              {"idx": ("tokens", (8, 128), 1024)}, ["logits"]),
}


def sh(cmd, env=None, timeout=600):
    full = dict(os.environ, **(env or {}))
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          env=full, timeout=timeout)


# ---------------------------------------------------------------------------
# pack


def shared_deps(binary):
    out = sh(["ldd", binary]).stdout
    deps = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m and not HOST_LIBS.match(m.group(1)) and "dlcc" not in m.group(1):
            deps[m.group(1)] = Path(m.group(2))
    return deps


def bench_inputs(spec):
    rng = np.random.default_rng(0)
    out = {}
    for name, s in spec.items():
        if s[0] == "normal":
            out[name] = rng.standard_normal(s[1]).astype(np.float32)
        else:
            out[name] = rng.integers(0, s[2], s[1]).astype(np.int64)
    return out


def pack(args):
    sys.path.insert(0, str(ROOT / "test" / "python"))
    import onnxruntime as ort
    import torch
    import torch_models
    from test_whole_models_vs_onnxruntime import export_cases

    work = Path(tempfile.mkdtemp(prefix="dlcc-gpu-bundle-"))
    if args.run_conformance:
        # The compiled conformance programs, kept by a conformance run now.
        args.conformance = str(work / "conformance-keep")
        args.conformance_json = str(work / "conformance.json")
        r = sh([sys.executable, ROOT / "test" / "conformance" / "onnx_program_conformance.py",
                "--build", BUILD, "--keep", args.conformance, "--json",
                args.conformance_json], timeout=3600)
        if r.returncode != 0:
            raise SystemExit("the conformance run failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
        print("ran the conformance programs", flush=True)
    top = work / "bundle"
    (top / "bin").mkdir(parents=True)
    (top / "lib").mkdir()
    shutil.copy2(BUILD / "bin" / "dlcc-run", top / "bin")
    shutil.copy2(BUILD / "lib" / "libdlcc_runtime.so.0", top / "lib")
    shutil.copy2(BUILD / "lib" / "libdlcc_cuda.so", top / "lib")
    deps = {}
    for b in (BUILD / "bin" / "dlcc-run", BUILD / "lib" / "libdlcc_runtime.so.0"):
        deps.update(shared_deps(b))
    for name, path in sorted(deps.items()):
        shutil.copy2(path, top / "lib" / name)
    manifest = dict(models=[], bench=[], conformance=[])

    def compile_case(tag, onnx_path, npz, extra):
        d = top / "models" / tag
        d.mkdir(parents=True)
        r = sh([BUILD / "bin" / "dlcc", onnx_path, "--inference", "-o", d / "model.bin",
                *extra])
        if r.returncode != 0:
            raise SystemExit("dlcc %s: %s" % (tag, r.stderr))
        shutil.copy2(npz, d / "inputs.npz")
        with np.load(npz) as f:
            feeds = {k: f[k] for k in f.files}
        s = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        names = [o.name for o in s.get_outputs()]
        np.savez(d / "onnxruntime.npz", **dict(zip(names, s.run(None, feeds))))
        return tag

    (work / "onnx").mkdir()
    cases = export_cases(work / "onnx")
    for (name, training), (onnx_path, npz) in sorted(cases.items()):
        for gemm in ("library", "generated"):
            tag = "%s_%s_%s" % (name, "train" if training else "eval", gemm)
            extra = ["--generated-gemm", "--generated-conv"] if gemm == "generated" else []
            manifest["models"].append(compile_case(tag, onnx_path, npz, extra))
            print("packed", tag, flush=True)

    for name, (cls, kwargs, spec, outputs) in BENCH.items():
        torch.manual_seed(0)
        model = getattr(torch_models, cls)(**kwargs).eval()
        inputs = bench_inputs(spec)
        onnx_path = work / "onnx" / ("bench_%s.onnx" % name)
        npz = work / "onnx" / ("bench_%s.npz" % name)
        torch_models.export(model, tuple(torch.from_numpy(v) for v in inputs.values()),
                            onnx_path, training=False, input_names=list(inputs),
                            output_names=outputs)
        np.savez(npz, **inputs)
        tag = compile_case("bench_" + name, onnx_path, npz, [])
        manifest["bench"].append(dict(tag=tag, name=name, cls=cls, kwargs=kwargs,
                                      spec={k: list(v) for k, v in spec.items()}))
        print("packed", tag, flush=True)

    if args.conformance:
        records = json.loads(Path(args.conformance_json).read_text())
        keep = Path(args.conformance)
        for r in records:
            if r["outcome"] != "passed":
                continue
            src = keep / r["model"]
            dst = top / "conformance" / r["model"]
            dst.mkdir(parents=True)
            for f in ("model.bin", "inputs.npz", "outputs.npz"):
                shutil.copy2(src / f, dst / f)
            manifest["conformance"].append(r["model"])
        print("packed %d conformance programs" % len(manifest["conformance"]), flush=True)

    (top / "manifest.json").write_text(json.dumps(manifest, indent=1))
    shutil.copytree(ROOT / "test" / "python", top / "python",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(Path(__file__), top / "gpu_bundle.py")
    with tarfile.open(args.out, "w:xz") as t:
        t.add(top, arcname="gpu-bundle")
    shutil.rmtree(work)
    print("wrote %s (%.1f MB)" % (args.out, Path(args.out).stat().st_size / 1e6))
    return 0


# ---------------------------------------------------------------------------
# check


def load(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def mismatch(got, want, rtol=RTOL, atol_rel=ATOL_REL):
    """None when `got` matches `want` ({name: array}), else the reason."""
    if set(got) != set(want):
        return "outputs %s, expected %s" % (sorted(got), sorted(want))
    for k, b in want.items():
        a = got[k]
        if a.shape != b.shape or a.dtype != b.dtype:
            return "%s: %s %s, expected %s %s" % (k, a.dtype, a.shape, b.dtype, b.shape)
        if b.dtype.kind not in "fc":
            if not np.array_equal(a, b):
                n = int(np.sum(a != b))
                return "%s: %d of %d elements differ (%s)" % (k, n, b.size, b.dtype)
            continue
        r = rtol * (100 if b.dtype == np.float16 else 1)
        bb, aa = b.astype(np.float64), a.astype(np.float64)
        # NaN where NaN is expected, an infinity of the same sign where one
        # is, and |a-b| <= atol + rtol*|b| where b is finite.
        finite = np.isfinite(bb)
        scale = float(np.max(np.abs(bb[finite]), initial=0))
        with np.errstate(invalid="ignore"):  # inf - inf
            diff = np.where(finite, np.abs(aa - bb), 0)
            near = finite & np.isfinite(aa) & (diff <= atol_rel * scale + r * np.abs(
                np.where(finite, bb, 0)))
        ok = np.where(np.isnan(bb), np.isnan(aa), np.where(finite, near, aa == bb))
        if not np.all(ok):
            err = np.where(finite & np.isfinite(aa), diff, 0)
            return "%s: %d of %d elements off, max abs error %.3g (max |b| %.3g)" % (
                k, int(np.sum(~ok)), b.size, float(np.max(err, initial=0)), scale)
    return None


def bits_differ(a, b):
    for k in b:
        if k not in a or a[k].tobytes() != b[k].tobytes():
            return k
    return None


class Checker:
    def __init__(self, bundle):
        self.bundle = Path(bundle).resolve()
        self.passed, self.failed, self.failures = 0, 0, []
        lib = self.bundle / "lib"
        paths = [str(lib)]
        for name, module in (("libcublasLt.so.13", "cublas"), ("libcudnn.so.9", "cudnn")):
            found = find_library(name, module)
            if found and str(found.parent) not in paths:
                paths.append(str(found.parent))
        self.env = {"LD_LIBRARY_PATH": ":".join(paths + [os.environ.get("LD_LIBRARY_PATH", "")])}
        self.run_bin = self.bundle / "bin" / "dlcc-run"

    def run(self, program, inputs, outputs, device, *extra, env=None):
        e = dict(self.env, **(env or {}))
        return sh([self.run_bin, program, "--inputs", inputs, "--outputs", outputs,
                   "--device", device, *extra], env=e)

    def verdict(self, what, reason):
        if reason:
            self.failed += 1
            self.failures.append("%s: %s" % (what, reason))
            print("FAILED %s: %s" % (what, reason), flush=True)
        else:
            self.passed += 1

    def whole_model(self, tag, tmp):
        d = self.bundle / "models" / tag
        prog, x = d / "model.bin", d / "inputs.npz"
        cpu, g1, gn, g0 = (tmp / (tag + s) for s in ("-cpu.npz", "-g1.npz", "-gn.npz",
                                                     "-g0.npz"))
        r = self.run(prog, x, cpu, "cpu")
        if r.returncode:
            return self.verdict(tag + " cpu run", r.stderr.strip())
        r = self.run(prog, x, g1, "cuda")
        if r.returncode:
            return self.verdict(tag + " cuda run", r.stderr.strip())
        self.verdict(tag + " cuda vs cpu", mismatch(load(g1), load(cpu)))
        ref = load(d / "onnxruntime.npz")
        got = {k: v for k, v in load(g1).items() if k in ref}
        self.verdict(tag + " cuda vs onnxruntime", mismatch(got, ref))
        r = self.run(prog, x, gn, "cuda", "--repeat", "5")
        if r.returncode:
            return self.verdict(tag + " cuda graph replay", r.stderr.strip())
        k = bits_differ(load(gn), load(g1))
        self.verdict(tag + " graph replay bits", k and "output %s differs" % k)
        r = self.run(prog, x, g0, "cuda", "--repeat", "3", env={"DLCC_CUDA_GRAPHS": "0"})
        if r.returncode:
            return self.verdict(tag + " cuda without graphs", r.stderr.strip())
        k = bits_differ(load(g0), load(g1))
        self.verdict(tag + " no-graph bits", k and "output %s differs" % k)

    def conformance(self, model, tmp):
        d = self.bundle / "conformance" / model
        out = tmp / (model.replace("/", "_") + ".npz")
        r = self.run(d / "model.bin", d / "inputs.npz", out, "cuda")
        if r.returncode:
            return model, "dlcc-run --device cuda: " + r.stderr.strip()[-400:]
        got, want = load(out), load(d / "outputs.npz")
        reason = mismatch(got, want)
        if reason and any(v.dtype in (np.uint16, np.uint8) for v in want.values()):
            reason = None if narrow_floats_close(got, want) else reason
        return model, reason

    def sanitize(self, program, tool, tmp):
        """compute-sanitizer `tool` (memcheck, racecheck, synccheck) over one
        CUDA run of `program` (a directory with model.bin and inputs.npz):
        None when it reports no error, else its summary."""
        exe = shutil.which("compute-sanitizer") or "/usr/local/cuda/bin/compute-sanitizer"
        if not Path(exe).exists():
            return "compute-sanitizer not found"
        out = tmp / ("san-%s-%s.npz" % (tool, str(program).replace("/", "_")))
        r = sh([exe, "--tool", tool, "--error-exitcode", "9", self.run_bin,
                program / "model.bin", "--inputs", program / "inputs.npz",
                "--outputs", out, "--device", "cuda"], env=self.env)
        if r.returncode == 0:
            return None
        summary = [l for l in (r.stdout + r.stderr).splitlines()
                   if "Error" in l or "SUMMARY" in l or "error" in l]
        return " | ".join(summary[:4]) or ("exit status %d" % r.returncode)

    def bench(self, entry, tmp, repeat):
        d = self.bundle / "models" / entry["tag"]
        prog, x = d / "model.bin", d / "inputs.npz"
        row = dict(model=entry["name"])
        for key, device, env, n in (("cuda_graphs", "cuda", None, repeat),
                                    ("cuda_eager", "cuda", {"DLCC_CUDA_GRAPHS": "0"}, repeat),
                                    ("cpu", "cpu", None, max(5, repeat // 20))):
            r = self.run(prog, x, tmp / "b.npz", device, "--warmup", "5", "--repeat", str(n),
                         env=env)
            m = re.search(r"mean ([0-9.]+) ms, min ([0-9.]+) ms", r.stderr)
            row[key] = float(m.group(1)) if m else None
            if r.returncode:
                row[key + "_error"] = r.stderr.strip()[-300:]
        row.update(torch_time(entry, x, repeat))
        k = sh([self.bundle / "bin" / "dlcc-run", prog, "--describe"], env=self.env).stdout
        m = re.search(r"^kernels: (\d+)", k, re.M)
        row["kernels"] = int(m.group(1)) if m else None
        return row


def narrow_floats_close(got, want):
    """bf16 (stored as uint16) within 2 ulp; everything else exact."""
    for k, b in want.items():
        a = got[k]
        if a.dtype == np.uint16 and b.dtype == np.uint16:
            fa = (a.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
            fb = (b.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
            # NaN payloads differ (the GPU's canonical bf16 NaN is 0x7fff).
            both_nan = np.isnan(fa) & np.isnan(fb)
            with np.errstate(invalid="ignore"):
                near = np.abs(fa - fb) <= 2 ** -6 * np.abs(fb)
            if not np.all(both_nan | (fa == fb) | near):
                return False
        elif a.tobytes() != b.tobytes():
            return False
    return True


def find_library(name, wheel):
    """A CUDA library (cuBLASLt, cuDNN) on this host: the toolkit, PyPI's
    nvidia-<wheel> package, else anywhere under /usr or /opt."""
    roots = [Path("/usr/local/cuda/lib64"), Path("/usr/local/cuda/lib"),
             Path("/usr/local/cuda/targets/x86_64-linux/lib"),
             Path("/usr/lib/x86_64-linux-gnu")]
    for r in roots:
        if (r / name).exists():
            return r / name
    try:
        import importlib
        package = importlib.import_module("nvidia." + wheel)
        for p in map(Path, package.__path__):
            hits = sorted(p.rglob(name))
            if hits:
                return hits[0]
    except ImportError:
        pass
    for r in (Path("/usr"), Path("/opt")):
        hits = sorted(r.rglob(name))
        if hits:
            return hits[0]
    return None


def torch_time(entry, npz, repeat):
    """PyTorch eager on the GPU with the same model class and shapes (fp32,
    TF32 off as in dlcc): mean wall time per forward call, synchronized."""
    try:
        import torch
        sys.path.insert(0, str(Path(__file__).resolve().parent / "python"))
        import torch_models
    except Exception as e:
        return {"torch_error": str(e)[:200]}
    if not torch.cuda.is_available():
        return {"torch_error": "no GPU visible to torch"}
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    model = getattr(torch_models, entry["cls"])(**entry["kwargs"]).eval().cuda()
    with np.load(npz) as f:
        args = [torch.from_numpy(f[k]).cuda() for k in entry["spec"]]
    out = {}
    with torch.no_grad():
        for _ in range(10):
            model(*args)
        torch.cuda.synchronize()
        ts = []
        for _ in range(repeat):
            t = time.perf_counter()
            model(*args)
            torch.cuda.synchronize()
            ts.append(time.perf_counter() - t)
        out["torch_eager"] = 1e3 * sum(ts) / len(ts)
        try:  # the same forward as one CUDA graph (torch's own capture)
            g = torch.cuda.CUDAGraph()
            s = torch.cuda.Stream()
            s.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(s):
                for _ in range(3):
                    model(*args)
            torch.cuda.current_stream().wait_stream(s)
            with torch.cuda.graph(g):
                model(*args)
            ts = []
            for _ in range(repeat):
                t = time.perf_counter()
                g.replay()
                torch.cuda.synchronize()
                ts.append(time.perf_counter() - t)
            out["torch_graph"] = 1e3 * sum(ts) / len(ts)
        except Exception as e:
            out["torch_graph_error"] = str(e)[:200]
    return out


# Conformance programs run under compute-sanitizer by `check` (part
# "sanitize"): softmax and normalization rows, reductions, pooling and the
# convolution library calls.
SANITIZE_PATTERN = (r"softmax|layer_norm|batchnorm|reduce_(sum|mean|max|l2)|"
                    r"maxpool|averagepool|conv|gemm|matmul")


def check(args):
    c = Checker(args.bundle)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    manifest = json.loads((c.bundle / "manifest.json").read_text())
    if shutil.which("nvidia-smi"):
        print(sh(["nvidia-smi", "-L"]).stdout.strip(), flush=True)
    print("cuBLASLt:", find_library("libcublasLt.so.13", "cublas"), flush=True)
    print("cuDNN:", find_library("libcudnn.so.9", "cudnn"), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="dlcc-gpu-check-"))
    t0 = time.monotonic()
    if "models" in args.parts:
        for tag in manifest["models"]:
            c.whole_model(tag, tmp)
        print("whole models: %d passed, %d failed (%.0f s)" % (c.passed, c.failed,
                                                               time.monotonic() - t0), flush=True)
    if "conformance" in args.parts and manifest["conformance"]:
        t1 = time.monotonic()
        before = c.failed
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for model, reason in pool.map(lambda m: c.conformance(m, tmp),
                                          manifest["conformance"]):
                c.verdict("conformance " + model, reason)
        print("conformance on CUDA: %d programs, %d failed (%.0f s)" % (
            len(manifest["conformance"]), c.failed - before, time.monotonic() - t1), flush=True)
    if "sanitize" in args.parts:
        # Every whole model, and the conformance programs with block
        # reductions, barriers or library calls, under memcheck, racecheck
        # (shared-memory races) and synccheck (barriers).
        t2, before = time.monotonic(), c.failed
        picked = [c.bundle / "models" / t for t in manifest["models"]]
        matching = [m for m in manifest["conformance"]
                    if re.search(SANITIZE_PATTERN, m, re.I)]
        # An even spread over the matches, at most --sanitize-limit.
        step = max(1, -(-len(matching) // max(args.sanitize_limit, 1)))
        picked += [c.bundle / "conformance" / m for m in matching[::step]]
        jobs = [(p, tool) for p in picked for tool in ("memcheck", "racecheck", "synccheck")]
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for (p, tool), reason in zip(jobs, pool.map(
                    lambda j: c.sanitize(j[0], j[1], tmp), jobs)):
                c.verdict("%s %s" % (tool, p.relative_to(c.bundle)), reason)
        print("compute-sanitizer: %d runs, %d failed (%.0f s)" % (
            len(jobs), c.failed - before, time.monotonic() - t2), flush=True)
    rows = []
    if "bench" in args.parts:
        for entry in manifest["bench"]:
            rows.append(c.bench(entry, tmp, args.repeat))
            print(json.dumps(rows[-1]), flush=True)
        print("\n%-6s %8s %12s %12s %10s %12s %12s %10s" % (
            "model", "kernels", "cuda graphs", "cuda eager", "cpu", "torch eager",
            "torch graph", "vs torch"))
        for r in rows:
            def f(k):
                return "%9.3f ms" % r[k] if r.get(k) is not None else "%12s" % "-"
            ratio = (r["torch_eager"] / r["cuda_graphs"]
                     if r.get("torch_eager") and r.get("cuda_graphs") else None)
            print("%-6s %8s %12s %12s %10s %12s %12s %10s" % (
                r["model"], r.get("kernels") or "-", f("cuda_graphs"), f("cuda_eager"),
                f("cpu"), f("torch_eager"), f("torch_graph"),
                "%.2fx" % ratio if ratio else "-"))
    (Path(args.out) / "gpu-check.json").write_text(json.dumps(
        dict(passed=c.passed, failed=c.failed, failures=c.failures, bench=rows), indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("out")
    p.add_argument("--conformance", help="a --keep directory of onnx_program_conformance.py")
    p.add_argument("--conformance-json", help="its --json file (which models passed)")
    p.add_argument("--run-conformance", action="store_true",
                   help="run onnx_program_conformance.py first and pack what passed")
    k = sub.add_parser("check")
    k.add_argument("bundle")
    k.add_argument("--out", default=".")
    k.add_argument("--jobs", type=int, default=8)
    k.add_argument("--repeat", type=int, default=200)
    k.add_argument("--parts", default="models,conformance,sanitize,bench")
    k.add_argument("--sanitize-limit", type=int, default=40,
                   help="conformance programs run under compute-sanitizer")
    args = ap.parse_args()
    return pack(args) if args.cmd == "pack" else check(args)


if __name__ == "__main__":
    sys.exit(main())
