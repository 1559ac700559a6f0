#!/usr/bin/env python3
"""CPU training benchmark: a dlcc train_step against PyTorch and onnxruntime-training.

For each model (torch.onnx.export in training mode of an MLP, the CNN with
BatchNorm and a GPT-style transformer; sizes below), one training step with
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay; mean
cross-entropy over all positions, class axis last) on one fixed batch is
timed in each peer:
  - dlcc: `dlcc -o train.bin --optimizer=adam --lr=1e-3` (CPU only), then
    `dlcc-run --entry train_step --warmup 3 --repeat N --threads T` (the
    session's own wall time per step, batch already set);
  - torch: PyTorch eager (Debian's torch 1.13, on OpenBLAS: see
    scripts/bootstrap.sh), `zero_grad`, forward, loss, backward and
    `torch.optim.Adam.step()`, with `torch.set_num_threads(T)`;
  - ort-train: onnxruntime-training 1.19.2 (on-device training API) from the
    benchmark-only environment bench/.peers-venv that `bash
    bench/setup_peers.sh` creates (it cannot share the project's .venv, which
    has plain onnxruntime; the peer is skipped with a note when the
    environment is absent). Its artifacts come from `artifacts.
    generate_artifacts` on the very ONNX file dlcc compiles: requires_grad =
    the model's parameters (the export keeps torch's names: no constant
    folding), the loss a SoftmaxCrossEntropyLoss (mean, ignore_index -100)
    after flattening logits to (-1, classes) and labels to (-1) as torch's
    loss is written, the optimizer onnxblock's AdamW with weight_decay 0 and
    eps 1e-8 (its only Adam; with no decay it is torch's Adam). Timed per
    step: `Module.__call__` (train_step), `Optimizer.step` (optimizer_step)
    and `lazy_reset_grad`, inputs bound once as OrtValues, with
    SessionOptions intra_op_num_threads = T (inter_op 1). Two adaptations
    make the exports trainable there (the first step's loss is checked
    against torch's): (1) LayerNormalization nodes get their optional Mean and
    InvStdDev outputs (ORT's LayerNormalizationGrad reads them; without them
    generate_artifacts fails on the GPT: "gradient_builder_base.h:123
    i < node_->OutputDefs().size() was false"); (2) the Module is made
    without the eval model (ORT's eval model keeps training-mode
    BatchNormalization's 3 outputs and fails to load: "This number of op
    outputs should be 1 when Training_mode = False"), so ORT, unlike dlcc
    and torch, leaves the BN running statistics as they are. Any other
    failure becomes the row's note "fails in <stage> (<error>)". The timing
    process keeps torch out (the wheel's `import onnxruntime` would load
    Debian's torch for ORTModule, ~250 MB of RSS that the training API
    never uses);
  - torch.compile: only when DLCC_BENCH_TORCH2_PYTHON names a python with
    torch>=2 (and numpy), e.g. a benchmark-only venv with PyPI torch (not
    installed by the project: gigabytes): the torch peer's step with
    `torch.compile(model)` (the optimizer step eager); compilation happens
    in the untimed warm-up steps. Otherwise one line says it was skipped.
Each peer runs in its own process, started by a small wrapper that prints
its peak resident memory (RUSAGE_CHILDREN: a process spawned straight from
this one would inherit this one's peak as the floor of its own), at 1 and
at 2 threads, in alternating rounds (--rounds); the medians of the rounds'
means are compared, dlcc's best thread count against each peer's best
thread count (dlcc/peer, printed on the peer's last row). GPT rows also
print model GFLOP/s (6 x parameters x tokens per step). The compile column
is dlcc's compile time and, for ort-train, generate_artifacts' time.

Report-only: nothing here asserts a time. Usage:
  .venv/bin/python bench/cpu_training.py [--repeat 20] [--rounds 3]
      [--models mlp,cnn,gpt-m] [--threads 1,2]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / "build" / "bin"
PEERS_PYTHON = ROOT / "bench" / ".peers-venv" / "bin" / "python"
sys.path.insert(0, str(ROOT / "test" / "python"))

# The end of each peer's script: 3 warm-up calls of its step(), then
# `repeat` timed ones; prints {"mean": ms, "best": ms, "rss": peak
# kilobytes} as the last line.
TIME_STEPS = r"""
for _ in range(3):
    step()
times = []
for _ in range(repeat):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
print(json.dumps({"mean": 1e3 * float(np.mean(times)), "best": 1e3 * float(np.min(times)),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

# Runs one peer in a fresh process and prints {"mean": ms, "best": ms,
# "rss": peak kilobytes} as its last line (the table's RSS is WITH_RSS's,
# see with_rss). argv[7] == "compile": torch.compile.
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
forward = torch.compile(model) if sys.argv[7] == "compile" else model
def step():
    opt.zero_grad()
    out = forward(x)
    loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), labels.reshape(-1))
    loss.backward()
    opt.step()
""" + TIME_STEPS

# In bench/.peers-venv: onnxruntime-training's artifacts for the ONNX model
# argv[1] (parameters argv[2], a JSON list) into argv[3], then one step to
# check they load and train. Prints {"seconds": generate_artifacts' time,
# "loss": the first step's} or {"stage": ..., "error": ...} as its last line.
ORT_PREPARE = r"""
import json, os, re, sys, time, traceback
stage = "import"
def compact(msg):
    # "/onnxruntime_src/.../file.cc:12 <C++ signature> message" -> "file.cc:12: message"
    msg = " ".join(msg.split())
    m = re.search(r"(?:/\S*/)?([\w.]+\.(?:cc|h|cpp):\d+) ", msg)
    if m:
        rest, depth, j = msg[m.end():], 0, -1
        for j, ch in enumerate(rest):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if ch == ")" and depth == 0:
                break
        rest = re.sub(r"^\s*const\b", "", rest[j + 1:]).strip()
        msg = msg[:m.start()] + m.group(1) + ": " + rest
    return msg
try:
    import numpy as np, onnx, onnxruntime
    onnxruntime.set_default_logger_severity(3)
    from onnx import helper, numpy_helper
    from onnxruntime.training import api, artifacts, onnxblock
    path, params, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    model = onnx.load(path)
    # ORT's LayerNormalizationGrad reads the optional Mean and InvStdDev outputs.
    for node in model.graph.node:
        if node.op_type == "LayerNormalization" and len(node.output) == 1:
            node.output.extend([node.output[0] + ".mean", node.output[0] + ".inv_std_dev"])
    inits = {i.name for i in model.graph.initializer}
    trained = [p for p in params if p in inits]

    class CrossEntropy(onnxblock.Block):
        # cross_entropy(logits.reshape(-1, C), labels.reshape(-1)), mean, ignore_index -100.
        def __init__(self):
            super().__init__()
            self.loss = onnxblock.loss.CrossEntropyLoss(reduction="mean", ignore_index=-100)
        def build(self, logits):
            g = self.base.graph
            dims = [d.dim_value for d in
                    next(o for o in g.output if o.name == logits).type.tensor_type.shape.dim]
            if len(dims) == 2:
                return self.loss(logits)  # it adds the "labels" input
            g.input.append(helper.make_tensor_value_info("labels", onnx.TensorProto.INT64,
                                                         dims[:-1]))
            for name, shape in (("ce.logits_shape", [-1, dims[-1]]), ("ce.labels_shape", [-1])):
                value = numpy_helper.from_array(np.array(shape, np.int64), name)
                g.node.append(helper.make_node("Constant", [], [name], value=value))
            g.node.append(helper.make_node("Reshape", [logits, "ce.logits_shape"], ["ce.logits"]))
            g.node.append(helper.make_node("Reshape", ["labels", "ce.labels_shape"], ["ce.labels"]))
            return self.loss("ce.logits", "ce.labels")

    stage = "generate_artifacts"
    t0 = time.perf_counter()
    artifacts.generate_artifacts(model, requires_grad=trained, loss=CrossEntropy(),
                                 optimizer=onnxblock.optim.AdamW(eps=1e-8, weight_decay=0.0),
                                 artifact_directory=out)
    seconds = time.perf_counter() - t0
    stage = "Module"
    state = api.CheckpointState.load_checkpoint(os.path.join(out, "checkpoint"))
    module = api.Module(os.path.join(out, "training_model.onnx"), state, None, "cpu")
    opt = api.Optimizer(os.path.join(out, "optimizer_model.onnx"), module)
    opt.set_learning_rate(1e-3)
    stage = "train_step"
    with np.load(sys.argv[4]) as f:
        loss = float(module(f["x"], f["labels"]))
    opt.step()
    module.lazy_reset_grad()
    if not np.isfinite(loss):
        raise RuntimeError("loss %r" % loss)
    print(json.dumps({"seconds": seconds, "loss": loss}))
except Exception as e:
    traceback.print_exc()
    print(json.dumps({"stage": stage, "error": compact("%s: %s" % (type(e).__name__, e))}))
    sys.exit(1)
"""

# In bench/.peers-venv: times train_step + optimizer_step + lazy_reset_grad
# on the artifacts in argv[1]; prints the same JSON line as TORCH_STEP.
ORT_STEP = r"""
import json, os, resource, sys, time, types
# `import onnxruntime` from the training wheel imports torch (for ORTModule)
# when it can, which the training API never uses: keep it out so that the
# peak RSS is onnxruntime's, and skip onnxruntime/training/__init__, which
# imports torch too.
sys.modules["torch"] = None
import numpy as np, onnxruntime as ort
ort.set_default_logger_severity(3)
pkg = types.ModuleType("onnxruntime.training")
pkg.__path__ = [os.path.join(os.path.dirname(ort.__file__), "training")]
sys.modules["onnxruntime.training"] = pkg
from onnxruntime.training.api import CheckpointState, Module, Optimizer
art, data, threads, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
state = CheckpointState.load_checkpoint(os.path.join(art, "checkpoint"))
module = Module(os.path.join(art, "training_model.onnx"), state, None, "cpu", so)
opt = Optimizer(os.path.join(art, "optimizer_model.onnx"), module)  # module's SessionOptions
opt.set_learning_rate(1e-3)
with np.load(data) as f:
    x = ort.OrtValue.ortvalue_from_numpy(f["x"])
    labels = ort.OrtValue.ortvalue_from_numpy(f["labels"])
def step():
    module(x, labels)  # train_step
    opt.step()
    module.lazy_reset_grad()
""" + TIME_STEPS

# Runs a command and prints its children's peak resident memory (KiB).
WITH_RSS = r"""
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)
print("rss", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(p.returncode)
"""


class PeerFailed(Exception):
    """A peer (other than dlcc) could not run a model: the row's note."""


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


def last_json(p):
    """The JSON object on the last line of a finished process's stdout, or None."""
    lines = p.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1]) if lines else None
    except ValueError:
        return None


def with_rss(cmd):
    """Runs cmd under WITH_RSS: (the finished process, its peak RSS in KiB).

    Every peer is measured so, by a small parent: a process started straight
    from this one (Python spawns with vfork) inherits this process's peak
    RSS (torch and the exported models) as the floor of its own
    getrusage(RUSAGE_SELF).ru_maxrss, which carries over exec."""
    p = subprocess.run([sys.executable, "-c", WITH_RSS, *map(str, cmd)],
                       capture_output=True, text=True)
    m = re.search(r"^rss (\d+)$", p.stdout, re.M)
    p.stdout = p.stdout[:m.start()] if m else p.stdout
    return p, int(m.group(1)) if m else 0


def peer_result(p, rss, failure):
    """(mean, best, rss) from a peer's JSON line; PeerFailed on failure."""
    r = last_json(p)
    if p.returncode != 0 or r is None:
        tail = (p.stderr.strip().splitlines() or ["exit status %d" % p.returncode])[-1]
        raise PeerFailed("%s (%s)" % (failure, tail))
    return r["mean"], r["best"], rss


def time_dlcc(program, npz, threads, repeat):
    p, rss = with_rss([BIN / "dlcc-run", program, "--entry", "train_step", "--inputs", npz,
                       "--threads", threads, "--warmup", 3, "--repeat", repeat])
    if p.returncode != 0:
        raise SystemExit("dlcc-run failed:\n" + p.stderr)
    m = re.search(r"mean ([\d.]+) ms, min ([\d.]+) ms", p.stderr)
    return float(m.group(1)), float(m.group(2)), rss


def time_torch(python, name, threads, repeat, npz, compile=False):
    return peer_result(*with_rss([python, "-c", TORCH_STEP, ROOT / "test" / "python",
                                  ROOT / "bench", name, threads, repeat, npz,
                                  "compile" if compile else "eager"]), "fails")


def prepare_ort(onnx_path, params, npz, art, loss):
    """generate_artifacts' seconds; PeerFailed with the stage and error, or
    when the first step's loss is not torch's `loss`."""
    art.mkdir()
    p = subprocess.run([str(PEERS_PYTHON), "-c", ORT_PREPARE, str(onnx_path), json.dumps(params),
                        str(art), str(npz)], capture_output=True, text=True)
    r = last_json(p)
    if r is None:
        raise PeerFailed("fails (%s)" % (p.stderr.strip().splitlines() or ["no output"])[-1])
    if p.returncode != 0 or "error" in r:
        raise PeerFailed("fails in %s (%s)" % (r.get("stage"), r.get("error")))
    if abs(r["loss"] - loss) > 1e-4 * max(1.0, abs(loss)):
        raise PeerFailed("wrong loss: first step %.6g, torch %.6g" % (r["loss"], loss))
    return r["seconds"]


def time_ort(art, npz, threads, repeat):
    return peer_result(*with_rss([PEERS_PYTHON, "-c", ORT_STEP, art, npz, threads, repeat]),
                       "fails in timing")


def torch2_python():
    """DLCC_BENCH_TORCH2_PYTHON when it names a python with torch>=2, else None
    (after printing why the torch.compile peer is skipped)."""
    python = os.environ.get("DLCC_BENCH_TORCH2_PYTHON")
    how = ("set DLCC_BENCH_TORCH2_PYTHON to the python of a benchmark-only environment "
           "with PyPI torch>=2 and numpy")
    if not python:
        print("torch.compile: skipped (%s)" % how)
        return None
    try:
        p = subprocess.run([python, "-c", "import numpy, torch; print(torch.__version__)"],
                           capture_output=True, text=True)
        version = p.stdout.strip() if p.returncode == 0 else None
    except OSError:
        version = None
    if not version or not re.match(r"([2-9]|\d\d+)\.", version):
        print("torch.compile: skipped (%s has %s; %s)" % (
            python, "torch " + version if version else "no torch or numpy", how))
        return None
    print("torch.compile: torch %s from %s" % (version, python))
    return python


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
    have_ort = PEERS_PYTHON.exists()
    if not have_ort:
        print("ort-train: skipped (no %s: run bash bench/setup_peers.sh)" %
              PEERS_PYTHON.relative_to(ROOT))
    torch2 = torch2_python()
    print("%-6s %-13s %4s %11s %9s %11s %9s %9s %9s" % (
        "model", "peer", "thr", "mean", "best", "peak RSS", "GFLOP/s", "dlcc/peer", "compile"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in args.models.split(","):
            model, batch = make(name)
            onnx_path = work / f"{name}.onnx"
            torch_models.export(model.train(), torch.from_numpy(batch["x"]), onnx_path,
                                training=True, input_names=["x"], output_names=["logits"])
            program = work / f"{name}.bin"
            t0 = time.perf_counter()
            subprocess.run([str(BIN / "dlcc"), str(onnx_path), "-o", str(program),
                            "--gpu-arch=none", "--optimizer=adam", "--lr=1e-3"], check=True)
            prepare = {"dlcc": time.perf_counter() - t0}
            npz = work / f"{name}.npz"
            np.savez(npz, **batch)
            params = sum(p.numel() for p in model.parameters())
            tokens = batch["x"].size if name.startswith("gpt") else 0

            # The peers in table order: name -> f(threads) -> (mean, best, rss).
            peers = {
                "dlcc": lambda t: time_dlcc(program, npz, t, args.repeat),
                "torch": lambda t: time_torch(sys.executable, name, t, args.repeat, npz),
            }
            notes = {}
            if have_ort:
                art = work / f"{name}.ort"
                with torch.no_grad():
                    out = model(torch.from_numpy(batch["x"]))
                    labels = torch.from_numpy(batch["labels"]).reshape(-1)
                    loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), labels)
                try:
                    prepare["ort-train"] = prepare_ort(
                        onnx_path, [n for n, _ in model.named_parameters()], npz, art,
                        float(loss))
                    peers["ort-train"] = lambda t: time_ort(art, npz, t, args.repeat)
                except PeerFailed as e:
                    notes["ort-train"] = str(e)
            if torch2:
                peers["torch.compile"] = lambda t: time_torch(torch2, name, t, args.repeat, npz,
                                                              compile=True)
            runs = {(peer, t): [] for peer in peers for t in threads}
            for t in threads:
                for _ in range(args.rounds):  # alternating rounds
                    for peer, run in list(peers.items()):
                        if peer in notes:
                            continue
                        try:
                            runs[(peer, t)].append(run(t))
                        except PeerFailed as e:
                            notes[peer] = str(e)
            results = {k: (float(np.median([r[0] for r in rows])), min(r[1] for r in rows),
                           max(r[2] for r in rows))
                       for k, rows in runs.items() if rows and k[0] not in notes}
            best = {peer: min(results[(peer, t)][0] for t in threads)
                    for peer in peers if peer not in notes}
            for peer in list(peers) + [p for p in notes if p not in peers]:
                if peer in notes:
                    print("%-6s %-13s %s" % (name, peer, notes[peer]))
                    continue
                for t in threads:
                    mean, low, rss = results[(peer, t)]
                    gflops = 6 * params * tokens / (mean * 1e-3) / 1e9 if tokens else float("nan")
                    ratio = ("%.2f" % (best["dlcc"] / best[peer])
                             if peer != "dlcc" and t == threads[-1] else "")
                    print("%-6s %-13s %4d %9.2fms %7.2fms %9.1fMB %9.1f %9s %9s" % (
                        name, peer, t, mean, low, rss / 1024, gflops, ratio,
                        "%.1fs" % prepare[peer] if peer in prepare else ""))
    print("dlcc/peer = dlcc's best mean / the peer's best mean over the thread counts (below 1: "
          "dlcc is faster); medians of %d alternating rounds of %d steps" % (args.rounds,
                                                                            args.repeat))


if __name__ == "__main__":
    main()
