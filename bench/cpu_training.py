#!/usr/bin/env python3
"""CPU training benchmark: a dlcc train_step against PyTorch eager.

For each model (torch.onnx.export in training mode of an MLP, the CNN with
BatchNorm and a GPT-style transformer; sizes below), one training step with
Adam (cross-entropy loss) is timed
  - in dlcc: `dlcc -o train.bin` (CPU only), then `dlcc-run --entry
    train_step --warmup 3 --repeat N --threads T` (the session's own wall
    time per step, batch already set);
  - in PyTorch eager (Debian's torch, on OpenBLAS: see
    scripts/bootstrap.sh), `zero_grad`, forward, loss, backward and
    `optimizer.step()`, with `torch.set_num_threads(T)`.
Each peer runs in its own process (so that the peak resident memory, which
is printed, is its own), at 1 and at 2 threads, in alternating rounds
(--rounds); the medians of the rounds' means are compared, best thread
count against best thread count. GPT rows also print model GFLOP/s
(6 x parameters x tokens per step).

Report-only: nothing here asserts a time. Usage:
  .venv/bin/python bench/cpu_training.py [--repeat 20] [--rounds 3]
      [--models mlp,cnn,gpt-m] [--threads 1,2]
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "build" / "bin"
sys.path.insert(0, str(ROOT / "test" / "python"))

# Runs one peer in a fresh process and prints {"mean": ms, "best": ms,
# "rss": peak kilobytes} as its last line.
TORCH_STEP = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, torch, torch_models
sys.path.insert(0, sys.argv[2])
import cpu_training as bench
name, threads, repeat, data = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
torch.set_num_threads(threads)
model, _ = bench.make(name)
model.train()
with np.load(data) as f:
    x, labels = torch.from_numpy(f["x"]), torch.from_numpy(f["labels"])
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def step():
    opt.zero_grad()
    out = model(x)
    loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), labels.reshape(-1))
    loss.backward()
    opt.step()
for _ in range(3):
    step()
times = []
for _ in range(repeat):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
print(json.dumps({"mean": 1e3 * float(np.mean(times)), "best": 1e3 * float(np.min(times)),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

# Runs a command and prints its children's peak resident memory (KiB).
WITH_RSS = r"""
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)
print("rss", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(p.returncode)
"""


def make(name):
    """The model and its training batch (inputs, labels)."""
    import torch
    import torch_models

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    if name == "mlp":
        model = torch_models.MLP(in_features=512, hidden=2048, out_features=512, dropout=0.0)
        batch = {"x": rng.standard_normal((64, 512)).astype(np.float32),
                 "labels": rng.integers(0, 512, 64).astype(np.int64)}
    elif name == "cnn":
        model = torch_models.SmallCNN()
        batch = {"x": rng.standard_normal((32, 1, 12, 12)).astype(np.float32),
                 "labels": rng.integers(0, 10, 32).astype(np.int64)}
    else:  # gpt-m: d_model 256, 4 layers, sequence 128, batch 8
        model = torch_models.TinyGPT(vocab_size=1024, d_model=256, n_heads=8, n_layers=4,
                                     block_size=128, dropout=0.0)
        batch = {"x": rng.integers(0, 1024, (8, 128)).astype(np.int64),
                 "labels": rng.integers(0, 1024, (8, 128)).astype(np.int64)}
    return model, batch


def time_dlcc(program, npz, threads, repeat):
    p = subprocess.run([sys.executable, "-c", WITH_RSS, str(BIN / "dlcc-run"), str(program),
                        "--entry", "train_step", "--inputs", str(npz), "--threads",
                        str(threads), "--warmup", "3", "--repeat", str(repeat)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("dlcc-run failed:\n" + p.stderr)
    m = re.search(r"mean ([\d.]+) ms, min ([\d.]+) ms", p.stderr)
    rss = int(re.search(r"rss (\d+)", p.stdout).group(1))
    return float(m.group(1)), float(m.group(2)), rss


def time_torch(name, threads, repeat, npz):
    p = subprocess.run([sys.executable, "-c", TORCH_STEP, str(ROOT / "test" / "python"),
                        str(ROOT / "bench"), name, str(threads), str(repeat), str(npz)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("torch step failed:\n" + p.stderr)
    r = json.loads(p.stdout.strip().splitlines()[-1])
    return r["mean"], r["best"], r["rss"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="mlp,cnn,gpt-m")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    import torch
    import torch_models

    threads = [int(t) for t in args.threads.split(",")]
    print("%-6s %-8s %4s %11s %9s %11s %9s %8s %9s" % (
        "model", "peer", "thr", "mean", "best", "peak RSS", "GFLOP/s", "ratio", "compile"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in args.models.split(","):
            model, batch = make(name)
            onnx_path = work / f"{name}.onnx"
            torch_models.export(model.train(), torch.from_numpy(batch["x"]), onnx_path,
                                training=True, input_names=["x"], output_names=["logits"])
            program = work / f"{name}.bin"
            import time
            t0 = time.perf_counter()
            subprocess.run([str(BIN / "dlcc"), str(onnx_path), "-o", str(program),
                            "--gpu-arch=none", "--optimizer=adam", "--lr=1e-3"], check=True)
            compile_s = time.perf_counter() - t0
            npz = work / f"{name}.npz"
            np.savez(npz, **batch)
            params = sum(p.numel() for p in model.parameters())
            tokens = batch["x"].size if name.startswith("gpt") else 0
            results = {}
            for t in threads:
                dl, tc = [], []
                for _ in range(args.rounds):  # alternating rounds
                    dl.append(time_dlcc(program, npz, t, args.repeat))
                    tc.append(time_torch(name, t, args.repeat, npz))
                for peer, rows in (("dlcc", dl), ("torch", tc)):
                    results[(peer, t)] = (float(np.median([r[0] for r in rows])),
                                          min(r[1] for r in rows), max(r[2] for r in rows))
            best = {peer: min(results[(peer, t)][0] for t in threads)
                    for peer in ("dlcc", "torch")}
            for (peer, t), (mean, low, rss) in sorted(results.items()):
                gflops = 6 * params * tokens / (mean * 1e-3) / 1e9 if tokens else float("nan")
                ratio = best["dlcc"] / best["torch"] if peer == "dlcc" and t == threads[-1] else None
                print("%-6s %-8s %4d %9.2fms %7.2fms %9.1fMB %9.1f %8s %8.1fs" % (
                    name, peer, t, mean, low, rss / 1024, gflops,
                    "%.2f" % ratio if ratio else "", compile_s if peer == "dlcc" else 0))
    print("ratio = best dlcc mean / best torch mean over the thread counts (below 1: dlcc "
          "is faster); medians of %d alternating rounds of %d steps" % (args.rounds, args.repeat))


if __name__ == "__main__":
    main()
