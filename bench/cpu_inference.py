#!/usr/bin/env python3
"""CPU inference benchmark: dlcc against onnxruntime, measured in one run.

For each model (torch.onnx.export of an MLP, a CNN with BatchNorm and a
GPT-style transformer, eval mode, sizes below), the same ONNX file is
  - compiled by `dlcc --inference -o` (CPU kernels + oneDNN GEMMs; with
    --generated-gemm also the generated-GEMM variant) and timed with
    `dlcc-run --warmup 3 --repeat N` (wall time per run of the entry point,
    inputs already set: the session's own timing);
  - run by onnxruntime's CPU execution provider with the same thread count,
    timed around InferenceSession.run in the same way.
The two are timed in alternating rounds (--rounds, default 5) and the
medians of the rounds' means are compared: on a shared machine, slow and
fast spells then fall on both. Prints per model: dlcc's kernel launches and library calls, the mean and best
times, and the ratio dlcc / onnxruntime (below 1: dlcc is faster). The
outputs are also compared so that a fast wrong answer cannot pass unnoticed.

Report-only: nothing here asserts a time. Usage:
  .venv/bin/python bench/cpu_inference.py [--threads 2] [--repeat 50]
      [--rounds 5] [--models mlp,cnn,gpt] [--generated-gemm]
  (--models also takes cnn-m and gpt-m, the medium sizes of the GPU runs)
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "python"))
import torch_models  # noqa: E402

BIN = ROOT / "build" / "bin"


def make(name):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    if name == "mlp":
        model = torch_models.MLP(in_features=512, hidden=2048, out_features=512, dropout=0.0)
        inputs = {"x": rng.standard_normal((64, 512)).astype(np.float32)}
        return model, inputs, ["y"]
    if name == "cnn":
        model = torch_models.SmallCNN()
        inputs = {"x": rng.standard_normal((32, 1, 12, 12)).astype(np.float32)}
        return model, inputs, ["logits"]
    if name == "cnn-m":  # the sizes of scripts/gpu_bundle.py's cnn-m
        model = torch_models.SmallCNN(in_channels=3, channels=(64, 128))
        inputs = {"x": rng.standard_normal((64, 3, 32, 32)).astype(np.float32)}
        return model, inputs, ["logits"]
    if name == "gpt-m":  # likewise
        model = torch_models.TinyGPT(vocab_size=1024, d_model=256, n_heads=8, n_layers=4,
                                     block_size=128, dropout=0.0)
        inputs = {"idx": rng.integers(0, 1024, (8, 128)).astype(np.int64)}
        return model, inputs, ["logits"]
    model = torch_models.TinyGPT(vocab_size=512, d_model=128, n_heads=4, n_layers=2,
                                 block_size=64, dropout=0.0)
    inputs = {"idx": rng.integers(0, 512, (4, 64)).astype(np.int64)}
    return model, inputs, ["logits"]


def time_dlcc(program, npz, out, threads, repeat):
    p = subprocess.run([str(BIN / "dlcc-run"), str(program), "--inputs", str(npz),
                        "--outputs", str(out), "--threads", str(threads),
                        "--warmup", "3", "--repeat", str(repeat)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("dlcc-run failed:\n" + p.stderr)
    m = re.search(r"mean ([\d.]+) ms, min ([\d.]+) ms", p.stderr)
    return float(m.group(1)), float(m.group(2))


def ort_session(path, inputs, threads):
    """An onnxruntime session and its outputs (the reference)."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    outputs = s.run(None, inputs)
    names = [o.name for o in s.get_outputs()]
    return s, dict(zip(names, outputs))


def time_ort(session, inputs, repeat):
    for _ in range(3):
        session.run(None, inputs)  # three untimed runs, as dlcc-run --warmup 3
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        session.run(None, inputs)
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.mean(times)), 1e3 * float(np.min(times))


def interleaved(rounds, first, second):
    """Times `first` and `second` (each returning (mean, best) in ms) in
    alternating rounds, so that a shared machine's slow and fast spells fall
    on both; returns the medians of the rounds' means and the best bests."""
    a, b = [], []
    for _ in range(rounds):
        a.append(first())
        b.append(second())
    med = lambda xs: float(np.median([x[0] for x in xs]))  # noqa: E731
    return (med(a), min(x[1] for x in a)), (med(b), min(x[1] for x in b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=50, help="runs per round")
    ap.add_argument("--rounds", type=int, default=5,
                    help="alternating dlcc/onnxruntime rounds (medians are reported)")
    ap.add_argument("--models", default="mlp,cnn,gpt")
    ap.add_argument("--generated-gemm", action="store_true",
                    help="also time the generated-GEMM variant")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dlcc-bench-"))
    try:
        run_models(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_models(args, work):
    print("%-6s %-10s %8s %8s %11s %11s %11s %11s %8s %9s" % (
        "model", "variant", "launches", "libcalls", "dlcc mean", "dlcc best", "ort mean",
        "ort best", "ratio", "max err"))
    for name in args.models.split(","):
        model, inputs, outputs = make(name)
        path = work / (name + ".onnx")
        torch_models.export(model.eval(), tuple(torch.from_numpy(v) for v in inputs.values()),
                            path, training=False, input_names=list(inputs),
                            output_names=outputs)
        npz = work / (name + ".npz")
        np.savez(npz, **inputs)
        session, expected = ort_session(path, inputs, args.threads)
        variants = [("library", [])] + ([("generated", ["--generated-gemm"])]
                                        if args.generated_gemm else [])
        for variant, extra in variants:
            program = work / ("%s-%s.bin" % (name, variant))
            report = subprocess.run([str(BIN / "dlcc"), str(path), "--inference", "-o",
                                     str(program), "--gpu-arch=none", "--report", *extra],
                                    capture_output=True, text=True, check=True).stdout
            m = re.search(r"kernels: (\d+), launches: (\d+), library calls: (\d+)", report)
            out = work / ("%s-%s.out.npz" % (name, variant))
            (mean, best), (ort_mean, ort_best) = interleaved(
                args.rounds, lambda: time_dlcc(program, npz, out, args.threads, args.repeat),
                lambda: time_ort(session, inputs, args.repeat))
            with np.load(out) as f:
                err = max(float(np.max(np.abs(f[k] - expected[k]))) for k in f.files)
            print("%-6s %-10s %8s %8s %9.3fms %9.3fms %9.3fms %9.3fms %8.2f %9.2g" % (
                name, variant, m.group(2), m.group(3), mean, best, ort_mean, ort_best,
                mean / ort_mean, err))
    print("ratio = dlcc mean / onnxruntime mean (medians of %d alternating rounds of %d runs "
          "each), %d threads" % (args.rounds, args.repeat, args.threads))


if __name__ == "__main__":
    main()
