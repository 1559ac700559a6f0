#!/usr/bin/env python3
"""Compile-time benchmark: dlcc on a BERT-base-size training program.

The model is torch_models.BertMLM at BERT-base size, an encoder written out
by hand (not nn.TransformerEncoder, so that the export is plain MatMul / Softmax /
LayerNormalization / Erf ops): token embedding (vocab 30522) plus learned
positions (128), LayerNorm, N post-LN layers (d_model 768, 12 heads, Linear
q/k/v/proj, softmax attention, feed-forward 3072 with exact GELU, dropout 0),
and a masked-LM-style head (Linear to the vocabulary). Input "x": int64
token ids [8, 128]; output "logits" [8, 128, 30522]; dlcc's default loss
(cross-entropy over the last axis, labels [8, 128]) and optimizer (SGD).
It is exported in training mode by torch_models.export (no constant
folding) into a temporary directory (about 530 MB at 12 layers), which is
deleted at the end.

For each layer count of --layers (default 12) it measures:
  - the export time (torch.onnx.export);
  - `dlcc model.onnx --gpu-arch=none --report --mlir-timing -o train.bin`
    (CPU kernels only): wall time, the dlcc process's CPU time and peak RSS
    (from /usr/bin/time, else RUSAGE_CHILDREN of a small wrapper process),
    the artifact's size, launches and library calls per entry point (the
    report's "entry point" table) and the most expensive passes/phases of
    the --mlir-timing tree (its leaves: passes and the top-level phases
    without children, not analyses; a pass that runs a pipeline inside it,
    MapKernelsToGpuPass, counts its own time only; the top-level phases are
    printed as well);
  - unless --skip-cuda, `dlcc model.onnx --mlir-timing --cubin-cache= -o
    train.bin` (the default CUDA targets sm_80,sm_90 plus the CPU kernels,
    ptxas run for each chip; the cubin cache is disabled so that every run
    is a cold compile; no GPU is needed): the same figures;
  - unless --skip-distinct, how many of the program's kernel functions are
    distinct: `--compile-to=planned --loss=cross_entropy --gpu-arch=none`
    (the -o build's program) prints them, and bodies whose text is equal up
    to the function's name and locations count once.
The per-layer launch count comes from a 1-layer and a 2-layer version of the
same model (same sizes), each compiled with --gpu-arch=none --report: the
difference of their train_step launches (and library calls) is what one
more transformer layer adds (forward + backward + update); the N-layer
train_step is checked against 1-layer + (N - 1) x that.

The aim is a compile of at most 30 s on a 2-core machine; each
compile is printed against it. A compile that runs past --timeout (default
900 s) is killed (its process group) and printed as such.

Report-only: nothing here asserts a time. Usage:
  .venv/bin/python bench/compile_time.py [--layers 12] [--skip-cuda]
      [--timeout 900] [--top 5] [--skip-distinct] [--keep DIR]
  (--layers takes a list, e.g. 1,2,4,12, for the scaling)
"""
import argparse
import gc
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "build" / "bin"
sys.path.insert(0, str(ROOT / "test" / "python"))

TARGET_S = 30.0
SIZES = dict(vocab=30522, positions=128, d_model=768, heads=12, ff=3072, batch=8, seq=128)
GNU_TIME = Path("/usr/bin/time")

# Runs a command and prints its children's peak resident memory (KiB) as a
# last stderr line (the fallback when /usr/bin/time is absent): a process
# started straight from this one, which holds torch, would inherit this
# one's peak as the floor of its own (see bench/cpu_training.py, with_rss).
WITH_RSS = r"""
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\nwith_rss %d %.2f\n" % (u.ru_maxrss, u.ru_utime + u.ru_stime))
sys.exit(rc)
"""


def make_model(layers):
    import torch
    import torch_models

    torch.manual_seed(0)
    s = SIZES
    model = torch_models.BertMLM(s["vocab"], s["positions"], s["d_model"], s["heads"],
                                 s["ff"], layers)
    x = torch.randint(0, s["vocab"], (s["batch"], s["seq"]), dtype=torch.long)
    return model, x


def export(layers, path):
    """Exports the `layers`-layer model to path: (seconds, parameters)."""
    import torch_models

    model, x = make_model(layers)
    params = sum(p.numel() for p in model.parameters())
    t0 = time.perf_counter()
    torch_models.export(model, x, path, training=True, input_names=["x"],
                        output_names=["logits"])
    seconds = time.perf_counter() - t0
    del model, x
    gc.collect()
    return seconds, params


def run_dlcc(args, timeout):
    """Runs dlcc with args in its own process group: a dict with rc,
    seconds (wall), cpu (user + system seconds, or None), rss (KiB or None),
    stdout, stderr and timed_out."""
    cmd = [str(BIN / "dlcc"), *map(str, args)]
    tmp = tempfile.NamedTemporaryFile(prefix="dlcc-time-", delete=False)
    tmp.close()
    if GNU_TIME.exists():
        cmd = [str(GNU_TIME), "-o", tmp.name, "-f", "maxrss %M %U %S"] + cmd
    else:
        cmd = [sys.executable, "-c", WITH_RSS] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    timed_out = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    seconds = time.perf_counter() - t0
    rss = cpu = None
    text = Path(tmp.name).read_text() + err
    os.unlink(tmp.name)
    m = re.search(r"^maxrss (\d+) ([\d.]+) ([\d.]+)$", text, re.M)
    if m:
        rss, cpu = int(m.group(1)), float(m.group(2)) + float(m.group(3))
    m = re.search(r"^with_rss (\d+) ([\d.]+)$", text, re.M)
    if m:
        rss, cpu = int(m.group(1)), float(m.group(2))
    err = re.sub(r"\nwith_rss \d+ [\d.]+\n$", "", err)
    rc = p.returncode
    if GNU_TIME.exists():
        # /usr/bin/time exits with the command's status; "Command exited
        # with non-zero status N" or "Command terminated by signal N" is
        # written to its -o file, not to stderr.
        m = re.search(r"Command (?:exited with non-zero status|terminated by signal) (\d+)", text)
        if m and "signal" in m.group(0):
            rc = -int(m.group(1))
    return dict(rc=rc, seconds=seconds, cpu=None if timed_out else cpu,
                rss=None if timed_out else rss, stdout=out,
                stderr=err, timed_out=timed_out)


def entry_points(report):
    """{entry point: (launches, library calls, scratch bytes)} from --report."""
    rows, inside = {}, False
    for line in report.splitlines():
        if line.startswith("entry point"):
            inside = True
            continue
        if inside:
            f = line.split()
            if len(f) != 4 or not all(v.isdigit() for v in f[1:]):
                break
            rows[f[0]] = tuple(int(v) for v in f[1:])
    return rows


def kernel_summary(report):
    """The report's "kernels: N, launches: ..." line, or None."""
    m = re.search(r"^kernels: .*$", report, re.M)
    return m.group(0) if m else None


def distinct_kernels(onnx, timeout):
    """(kernel functions, distinct bodies) of the planned training program
    (`--compile-to=planned --loss=cross_entropy --gpu-arch=none`: the same
    program as the -o build's), library-call functions included; bodies
    count as equal when their text is, up to the function's own name and
    locations. None when that compile fails."""
    r = run_dlcc([onnx, "--gpu-arch=none", "--loss=cross_entropy", "--compile-to=planned"],
                 timeout)
    if r["rc"] != 0:
        return None
    ir = r["stdout"]
    starts = [m.start() for m in re.finditer(r"^  func\.func ", ir, re.M)] + [len(ir)]
    bodies, count = set(), 0
    for a, b in zip(starts, starts[1:]):
        text = ir[a:b]
        if not re.search(r"^  func\.func private @", text) or "{dlcc.state" in text.split("\n")[0]:
            continue  # an entry point
        count += 1
        text = re.sub(r"@[\w$.]+", "@F", text, count=1)
        bodies.add(re.sub(r"loc\([^()]*(?:\([^()]*\)[^()]*)*\)", "", text))
    return count, len(bodies)


TIMING_LINE = re.compile(r"^(\s*)((?:[\d.]+ \(\s*[\d.]+%\)\s+)+)(\S.*)$")


def timing_tree(stderr):
    """[(depth, wall seconds, name, is a group)] from --mlir-timing's tree
    (the last "(x%)" column is the wall time); [] when there is none."""
    if "Execution time report" not in stderr:
        return []
    text = stderr[stderr.index("Execution time report"):]
    entries = []
    for line in text.splitlines():
        m = TIMING_LINE.match(line)
        if not m:
            continue
        columns = re.findall(r"([\d.]+) \(\s*[\d.]+%\)", m.group(2))
        # The name starts after the columns; its indentation past the first
        # entry's is the nesting (two spaces a level).
        indent = len(m.group(0)) - len(m.group(3))
        entries.append([indent, float(columns[-1]), m.group(3).strip(), False])
    if not entries:
        return []
    # An entry is a group (a pipeline, "passes") when a direct child is not
    # an analysis ("(A) ...", part of its pass's time).
    for i, e in enumerate(entries):
        for f in entries[i + 1:]:
            if f[0] <= e[0]:
                break
            if not f[2].startswith("(A)"):
                e[3] = True
                break
    base = min(e[0] for e in entries)
    for e in entries:
        e[0] = (e[0] - base) // 2
    # A pass that runs a pipeline dynamically (MapKernelsToGpuPass runs the
    # GPU lowering so) is printed with that pipeline as its next sibling,
    # its own time including the pipeline's: where a group's children add up
    # to more than the group, such a pass gets its own time only.
    for i, e in enumerate(entries):
        if not e[3]:
            continue
        kids = []
        for j in range(i + 1, len(entries)):
            if entries[j][0] <= e[0]:
                break
            if entries[j][0] == e[0] + 1:
                kids.append(j)
        if sum(entries[j][1] for j in kids) <= e[1] * 1.01 + 0.01:
            continue
        for a, b in zip(kids, kids[1:]):
            pass_, pipeline = entries[a], entries[b]
            if not pass_[3] and pipeline[3] and pipeline[1] <= pass_[1]:
                pass_[1] -= pipeline[1]
                pass_[2] += " (own time, without the pipeline it runs)"
    return [tuple(e) for e in entries]


def top_passes(tree, n):
    """The n slowest leaves of the tree (passes and phases, not the groups
    around them nor analyses): [(wall seconds, "group > ... > name")]."""
    leaves, path, previous = [], [], {}  # previous: depth -> the last entry's name
    for depth, w, name, group in tree:
        del path[depth:]
        for d in [d for d in previous if d > depth]:
            del previous[d]
        if group:
            # Nested pipelines share names ('builtin.module' Pipeline): say
            # which pass they follow.
            after = previous.get(depth)
            path.append("%s (after %s)" % (name, after.split(" (")[0]) if after and depth == 1
                        else name)
        elif not name.startswith("(A)") and name not in ("Total", "Rest"):
            leaves.append((w, " > ".join(path[1:] + [name])))
        previous[depth] = name
    return sorted(leaves, reverse=True)[:n]


def cores(r):
    return " (%.2f cores busy on average)" % (r["cpu"] / r["seconds"]) if r["cpu"] else ""


def mib(kib):
    return "%.0f MiB" % (kib / 1024) if kib is not None else "?"


def against_target(seconds):
    if seconds <= TARGET_S:
        return "within the %.0f s aim" % TARGET_S
    return "%.1fx the %.0f s aim" % (seconds / TARGET_S, TARGET_S)


def failure(r):
    if r["timed_out"]:
        return "timed out after %.0f s (killed)" % r["seconds"]
    tail = [l for l in r["stderr"].strip().splitlines() if l.strip()]
    return "exit status %s: %s" % (r["rc"], tail[-1] if tail else "(no message)")


def compile_model(onnx, out, cuda, timeout):
    """One dlcc compile: (result dict, entry points or {}, timing tree)."""
    args = [onnx, "--mlir-timing", "-o", out]
    if cuda:
        args += ["--cubin-cache="]
    else:
        args += ["--gpu-arch=none", "--report"]
    r = run_dlcc(args, timeout)
    r["size"] = out.stat().st_size if r["rc"] == 0 and out.exists() else None
    eps = entry_points(r["stdout"]) if r["rc"] == 0 and not cuda else {}
    return r, eps, timing_tree(r["stderr"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layers", default="12",
                    help="transformer layers; a comma-separated list compiles each (default 12)")
    ap.add_argument("--skip-cuda", action="store_true",
                    help="skip the default-target (sm_80,sm_90) compile")
    ap.add_argument("--timeout", type=float, default=900,
                    help="seconds before a compile is killed (default 900)")
    ap.add_argument("--top", type=int, default=5, help="passes/phases to print (default 5)")
    ap.add_argument("--skip-distinct", action="store_true",
                    help="skip counting the distinct kernel bodies (one more compile)")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the ONNX files and artifacts in DIR instead of a temp dir")
    args = ap.parse_args()
    layer_counts = [int(v) for v in args.layers.split(",")]

    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    s = SIZES
    print("model: BERT-base-size MLM, vocab %d, d_model %d, %d heads, ff %d, post-LN, "
          "batch %d x seq %d; dlcc defaults (cross-entropy, SGD)" % (
              s["vocab"], s["d_model"], s["heads"], s["ff"], s["batch"], s["seq"]))
    print("machine: %d cores; torch %s; peak RSS from %s" % (
        os.cpu_count(), torch.__version__,
        "/usr/bin/time" if GNU_TIME.exists() else "RUSAGE_CHILDREN"))

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dlcc-compile-time-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}  # layers -> dict
    try:
        # The 1- and 2-layer versions first (per-layer counts), then the rest.
        order = [1, 2] + [n for n in layer_counts if n not in (1, 2)]
        for n in order:
            onnx = work / ("bert%d.onnx" % n)
            seconds, params = export(n, onnx)
            res = dict(export=seconds, params=params, onnx_size=onnx.stat().st_size)
            print("\n[%d layer%s] exported %.1fM parameters, %.0f MB ONNX in %.1f s" % (
                n, "" if n == 1 else "s", params / 1e6, res["onnx_size"] / 1e6, seconds))
            sys.stdout.flush()
            kinds = [("cpu", False)]
            if n in layer_counts and not args.skip_cuda:
                kinds.append(("cuda", True))
            for kind, cuda in kinds:
                out = work / ("bert%d-%s.bin" % (n, kind))
                r, eps, tree = compile_model(onnx, out, cuda, args.timeout)
                res[kind] = dict(r, eps=eps, tree=tree)
                if r["rc"] == 0:
                    print("  %-4s compile %7.1f s, peak RSS %s, artifact %.0f MB (%s)" % (
                        kind, r["seconds"], mib(r["rss"]), r["size"] / 1e6,
                        against_target(r["seconds"])))
                else:
                    print("  %-4s compile FAILED: %s" % (kind, failure(r)))
                sys.stdout.flush()
                if out.exists() and not args.keep:
                    out.unlink()
            if n in layer_counts and not args.skip_distinct:
                res["distinct"] = distinct_kernels(onnx, args.timeout)
            if not args.keep:
                onnx.unlink()
            results[n] = res

        # Per-layer counts.
        one, two = results[1]["cpu"]["eps"], results[2]["cpu"]["eps"]
        per_layer = None
        print()
        if "train_step" in one and "train_step" in two:
            per_layer = tuple(b - a for a, b in zip(one["train_step"], two["train_step"]))
            print("per transformer layer (train_step, 2 layers - 1 layer): %d launches, "
                  "%d library calls (forward + backward + update)" % per_layer[:2])
        else:
            print("per transformer layer: unknown (the 1- or 2-layer CPU compile failed)")

        # The table.
        print("\n%-6s %8s %9s %9s %10s %9s %9s %10s %9s %9s" % (
            "layers", "params", "export", "cpu", "cpu RSS", "cpu .bin", "cuda", "cuda RSS",
            "cuda .bin", "train"))
        print("%-6s %8s %9s %9s %10s %9s %9s %10s %9s %9s" % (
            "", "", "", "compile", "", "", "compile", "", "", "launches"))
        for n in sorted(results):
            res = results[n]

            def cols(kind):
                r = res.get(kind)
                if r is None:
                    return ("-", "-", "-")
                if r["rc"] != 0:
                    return ("timeout" if r["timed_out"] else "failed", "-", "-")
                return ("%.1fs" % r["seconds"], mib(r["rss"]), "%.0fMB" % (r["size"] / 1e6))

            ts = res["cpu"]["eps"].get("train_step")
            print("%-6d %7.1fM %8.1fs %9s %10s %9s %9s %10s %9s %9s" % (
                n, res["params"] / 1e6, res["export"], *cols("cpu"), *cols("cuda"),
                "%d+%d" % ts[:2] if ts else "-"))
        print("(train launches: kernel launches + library calls of train_step; RSS: the dlcc "
              "process's peak; cuda: sm_80,sm_90 + CPU kernels, cubin cache off)")

        for n in layer_counts:
            res = results[n]
            eps = res["cpu"]["eps"]
            print("\n== %d layer%s ==" % (n, "" if n == 1 else "s"))
            for kind in ("cpu", "cuda"):
                r = res.get(kind)
                if r is None:
                    continue
                label = "CPU (--gpu-arch=none)" if kind == "cpu" else "CUDA (sm_80,sm_90)"
                if r["rc"] != 0:
                    print("%s compile failed: %s" % (label, failure(r)))
                    continue
                print("%s compile: %.1f s wall (%s), CPU time %.1f s%s, peak RSS %s, "
                      "artifact %.1f MB" % (
                          label, r["seconds"], against_target(r["seconds"]), r["cpu"] or 0,
                          cores(r), mib(r["rss"]), r["size"] / 1e6))
                tree = r["tree"]
                if tree:
                    print("  top-level phases: " + ", ".join(
                        "%s %.1f s" % (name, w) for d, w, name, _ in tree
                        if d == 0 and name != "Total"))
                    print("  the %d most expensive passes/phases (wall):" % args.top)
                    total = next((w for d, w, name, _ in tree if name == "Total"), None)
                    for w, name in top_passes(tree, args.top):
                        print("    %9.2f s  %5.1f%%  %s" % (
                            w, 100 * w / total if total else 0, name))
            summary = kernel_summary(res["cpu"]["stdout"]) if res["cpu"]["rc"] == 0 else None
            if summary:
                print("  report: " + summary)
            distinct = res.get("distinct")
            if distinct:
                print("  planned IR: %d kernel functions (library calls included), %d distinct "
                      "bodies (text equal up to name and locations)" % distinct)
            elif "distinct" in res:
                print("  planned IR: the --compile-to=planned compile failed")
            if eps:
                print("  %-14s %9s %14s %14s" % ("entry point", "launches", "library calls",
                                                 "scratch bytes"))
                for name, (launches, calls, scratch) in eps.items():
                    print("  %-14s %9d %14d %14d" % (name, launches, calls, scratch))
                if per_layer and "train_step" in eps and "train_step" in one:
                    predicted = [a + (n - 1) * p for a, p in zip(one["train_step"][:2],
                                                                  per_layer[:2])]
                    got = eps["train_step"][:2]
                    print("  train_step: %d launches + %d library calls; 1-layer + %d x "
                          "per-layer predicts %d + %d%s" % (
                              got[0], got[1], n - 1, predicted[0], predicted[1],
                              "" if list(got) == predicted else " (differs)"))
        for n in layer_counts:
            cpu = results[n]["cpu"]
            if cpu["rc"] == 0:
                print("\ncompile time, %d layers, CPU kernels only: %.1f s against the %.0f s "
                      "aim (%s)" % (n, cpu["seconds"], TARGET_S, against_target(cpu["seconds"])))
            cuda = results[n].get("cuda")
            if cuda and cuda["rc"] == 0:
                print("compile time, %d layers, default CUDA targets: %.1f s against the %.0f s "
                      "aim (%s)" % (n, cuda["seconds"], TARGET_S,
                                    against_target(cuda["seconds"])))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
