#!/usr/bin/env python3
"""CUDA inference benchmark: dlcc-run --device cuda against --device cpu.

For each model (torch.onnx.export, eval mode: an MLP, a CNN, a GPT-style
transformer) the ONNX file is compiled once by `dlcc --inference -o` and
timed with `dlcc-run --repeat N` on the GPU (first run eager, second
captured into a CUDA graph, the rest replayed; DLCC_CUDA_GRAPHS=0 with
--no-graphs) and on the CPU. Prints the mean and best time per run and the
speedup; the outputs are compared (rtol 1e-4) so that a fast wrong answer
does not go unnoticed.

Report-only; exits 0 with "skipped: no CUDA GPU/driver" when the CUDA
backend is not available. Usage:
  .venv/bin/python bench/cuda_inference.py [--repeat 200] [--models mlp,cnn,gpt]
      [--generated-gemm] [--no-graphs]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "python"))
BIN = ROOT / "build" / "bin"
TIMING = re.compile(r"mean ([0-9.]+) ms, min ([0-9.]+) ms")


def make(name):
    import torch
    import torch_models

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    if name == "mlp":
        model = torch_models.MLP(in_features=512, hidden=2048, out_features=512, dropout=0.0)
        return model, {"x": rng.standard_normal((64, 512)).astype(np.float32)}, ["y"]
    if name == "cnn":
        model = torch_models.SmallCNN()
        return model, {"x": rng.standard_normal((32, 1, 12, 12)).astype(np.float32)}, ["logits"]
    model = torch_models.TinyGPT(vocab_size=512, d_model=128, n_heads=4, n_layers=2,
                                 block_size=64, dropout=0.0)
    return model, {"idx": rng.integers(0, 512, (4, 64)).astype(np.int64)}, ["logits"]


def dlcc_run(program, npz, out, device, repeat, env=None):
    full = dict(os.environ, **(env or {}))
    p = subprocess.run([str(BIN / "dlcc-run"), str(program), "--inputs", str(npz),
                        "--outputs", str(out), "--device", device, "--repeat", str(repeat)],
                       capture_output=True, text=True, env=full)
    if p.returncode != 0:
        return None, p.stderr.strip()
    m = TIMING.search(p.stderr)
    return (float(m.group(1)), float(m.group(2))) if m else (float("nan"),) * 2, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--models", default="mlp,cnn,gpt")
    ap.add_argument("--generated-gemm", action="store_true")
    ap.add_argument("--no-graphs", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        import torch
        import torch_models

        env = {"DLCC_CUDA_GRAPHS": "0"} if args.no_graphs else None
        header = "%-5s %12s %12s %12s %12s %8s" % ("model", "cuda mean", "cuda min",
                                                    "cpu mean", "cpu min", "speedup")
        for name in args.models.split(","):
            model, inputs, outputs = make(name)
            onnx_path, npz, program = tmp / (name + ".onnx"), tmp / (name + ".npz"), \
                tmp / (name + ".bin")
            torch_models.export(model, tuple(torch.from_numpy(v) for v in inputs.values()),
                                onnx_path, training=False, input_names=list(inputs),
                                output_names=outputs)
            np.savez(npz, **inputs)
            extra = ["--generated-gemm"] if args.generated_gemm else []
            subprocess.run([str(BIN / "dlcc"), str(onnx_path), "--inference", "-o",
                            str(program), *extra], check=True, capture_output=True)
            gpu, why = dlcc_run(program, npz, tmp / "g.npz", "cuda", args.repeat, env)
            if gpu is None:
                print("skipped: no CUDA GPU/driver (%s)" % why)
                return 0
            if header:
                print(header)
                header = None
            cpu, why = dlcc_run(program, npz, tmp / "c.npz", "cpu", max(1, args.repeat // 10))
            if cpu is None:
                raise SystemExit("dlcc-run on the CPU failed: " + why)
            with np.load(tmp / "g.npz") as g, np.load(tmp / "c.npz") as c:
                for k in c.files:
                    b = c[k].astype(np.float64)
                    tol = 1e-5 * float(np.max(np.abs(b))) + 1e-4 * np.abs(b)
                    if not np.all(np.abs(g[k] - b) <= tol):
                        print("%s: output %s differs from the CPU's" % (name, k))
            print("%-5s %9.3f ms %9.3f ms %9.3f ms %9.3f ms %7.1fx" % (
                name, gpu[0], gpu[1], cpu[0], cpu[1], cpu[0] / gpu[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
