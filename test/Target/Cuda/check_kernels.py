#!/usr/bin/env python3
"""Checks the CUDA kernels dlcc generates for whole models, without a GPU.

For each model: `dlcc model.onnx --compile-to=gpu-ptx` (the product
pipeline: one gpu.binary holding the PTX of every kernel for sm_80 and
sm_90), then for each target the PTX is extracted and assembled by
`ptxas -v -arch=<chip>`, and every kernel must satisfy:
  - ptxas accepts it;
  - registers x threads per block <= 65536 (the register file of one SM,
    so that one block can be resident) and static shared memory <= 48 KiB;
  - no register spills (reported, not fatal: `--allow-spills`);
  - its PTX `.entry` has as many parameters as the kernel function has
    memref arguments (bare-pointer convention: one pointer per buffer, no
    leading block offset yet).

Usage:
  check_kernels.py [--train] [--models mlp,cnn,gpt] [--keep DIR] [MODEL.onnx ...]
With no model paths the MLP, CNN and GPT of test/python/torch_models.py are
exported (needs torch). Prints one line per kernel with --verbose, a summary
per model and target, and exits non-zero on any failure.

Functions are importable (test/python/test_cuda_kernels.py uses them).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUILD = Path(os.environ.get("DLCC_BUILD", ROOT / "build"))
DLCC = Path(os.environ.get("DLCC_BIN", BUILD / "bin" / "dlcc"))
DLCC_OPT = Path(os.environ.get("DLCC_OPT_BIN", BUILD / "bin" / "dlcc-opt"))
CUDA = Path(os.environ.get("CUDA_HOME", "/usr/local/cuda"))
PTXAS = CUDA / "bin" / "ptxas"
CHIPS = ("sm_80", "sm_90")
MAX_REGISTERS_PER_BLOCK = 65536
MAX_STATIC_SMEM = 48 * 1024


class CheckError(Exception):
    pass


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise CheckError("%s failed (%d):\n%s" % (" ".join(map(str, cmd)), p.returncode,
                                                  p.stderr[-3000:]))
    return p.stdout


# --- compiling -------------------------------------------------------------

def compile_model(onnx_path, chips=CHIPS, extra_dlcc_args=()):
    """Returns (MLIR text at the gpu-ptx phase, seconds of the whole
    pipeline, 0: import, kernel formation and code generation are one pass
    manager now)."""
    t0 = time.monotonic()
    out = run([str(DLCC), str(onnx_path), "--compile-to=gpu-ptx",
               "--gpu-arch=" + ",".join(chips), "--cuda-toolkit=" + str(CUDA),
               *extra_dlcc_args])
    return out, time.monotonic() - t0, 0.0


# --- reading the output ----------------------------------------------------

_ESCAPE = re.compile(r"\\(\\|[0-9A-Fa-f]{2})")


def unescape_mlir_string(s):
    """Inverse of MLIR's string attribute printer (\\XX hex bytes, \\\\)."""
    def repl(m):
        g = m.group(1)
        return "\\" if g == "\\" else chr(int(g, 16))
    return _ESCAPE.sub(repl, s)


_OBJECT = re.compile(
    r'#gpu\.object<#nvvm\.target<chip = "(sm_\d+)"[^>]*>, (?:properties = \{[^}]*\}, )?'
    r'(assembly|bin|fatbin|offload) = "((?:[^"\\]|\\.)*)"')


def extract_objects(mlir_text):
    """{chip: (kind, text)} of the gpu.binary objects."""
    objects = {}
    for m in _OBJECT.finditer(mlir_text):
        objects[m.group(1)] = (m.group(2), unescape_mlir_string(m.group(3)))
    return objects


_HOST_KERNEL = re.compile(r"func\.func private @(\w+)\(([^)]*)\)[^{]*attributes \{([^}]*)\}")


@dataclass
class HostKernel:
    name: str
    memref_args: int
    grid: int
    block: int
    schedule: str


def host_kernels(mlir_text):
    """The kernel functions (with dlcc.grid/dlcc.block) and their launch sizes."""
    kernels = {}
    for m in _HOST_KERNEL.finditer(mlir_text):
        attrs = m.group(3)
        grid = re.search(r"dlcc\.grid = (\d+)", attrs)
        block = re.search(r"dlcc\.block = (\d+)", attrs)
        if not (grid and block):
            continue
        schedule = re.search(r'dlcc\.schedule = "([\w-]+)"', attrs)
        kernels[m.group(1)] = HostKernel(
            m.group(1), m.group(2).count("memref<"), int(grid.group(1)),
            int(block.group(1)), schedule.group(1) if schedule else "")
    return kernels


_ENTRY = re.compile(r"\.visible \.entry (\w+)\(([^)]*)\)", re.S)


def ptx_entries(ptx):
    """{kernel name: number of .param} of the PTX entries."""
    return {m.group(1): m.group(2).count(".param") for m in _ENTRY.finditer(ptx)}


@dataclass
class PtxasKernel:
    registers: int = 0
    smem: int = 0
    stack: int = 0
    spill_stores: int = 0
    spill_loads: int = 0


def ptxas(ptx, chip, workdir):
    """Assembles `ptx` for `chip` with -v; returns ({kernel: PtxasKernel}, seconds)."""
    src = Path(workdir) / ("kernels_%s.ptx" % chip)
    src.write_text(ptx)
    t0 = time.monotonic()
    p = subprocess.run([str(PTXAS), "-v", "-arch=%s" % chip, str(src), "-o",
                        str(src.with_suffix(".cubin"))], capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if p.returncode != 0:
        raise CheckError("ptxas -arch=%s rejected the PTX:\n%s" % (chip, p.stderr[-3000:]))
    info = {}
    current = None
    for line in (p.stdout + p.stderr).splitlines():
        m = re.search(r"(?:Compiling entry function|Function properties for) '?(\w+)'?", line)
        if m:
            current = info.setdefault(m.group(1), PtxasKernel())
            continue
        if current is None:
            continue
        m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads",
                      line)
        if m:
            current.stack, current.spill_stores, current.spill_loads = map(int, m.groups())
        m = re.search(r"Used (\d+) registers", line)
        if m:
            current.registers = int(m.group(1))
            s = re.search(r"(\d+) bytes smem", line)
            current.smem = int(s.group(1)) if s else 0
    return info, seconds


# --- checking --------------------------------------------------------------

@dataclass
class TargetReport:
    chip: str
    kernels: int = 0
    max_registers: int = 0
    max_smem: int = 0
    spills: int = 0
    ptxas_seconds: float = 0.0
    problems: list = field(default_factory=list)


def check_module(mlir_text, workdir, chips=CHIPS, allow_spills=True, verbose=False):
    """Checks every kernel of a compiled module; returns [TargetReport]."""
    hosts = host_kernels(mlir_text)
    objects = extract_objects(mlir_text)
    if not hosts:
        raise CheckError("no tiled kernel functions in the output")
    reports = []
    for chip in chips:
        if chip not in objects:
            raise CheckError("no %s object in the gpu.binary" % chip)
        kind, ptx = objects[chip]
        if kind != "assembly":
            raise CheckError("%s object is %s, not PTX (use format=isa)" % (chip, kind))
        if ".target %s" % chip not in ptx:
            raise CheckError("%s PTX lacks `.target %s`" % (chip, chip))
        rep = TargetReport(chip)
        entries = ptx_entries(ptx)
        info, rep.ptxas_seconds = ptxas(ptx, chip, workdir)
        rep.kernels = len(entries)
        if set(entries) != set(hosts):
            rep.problems.append("PTX entries %s != kernel functions %s" % (
                sorted(set(entries) ^ set(hosts)), "(symmetric difference)"))
        for name, host in sorted(hosts.items()):
            k = info.get(name)
            if k is None:
                rep.problems.append("%s: no ptxas report" % name)
                continue
            if entries.get(name) != host.memref_args:
                rep.problems.append("%s: %s PTX params, %d memref arguments" % (
                    name, entries.get(name), host.memref_args))
            if k.registers * host.block > MAX_REGISTERS_PER_BLOCK:
                rep.problems.append("%s: %d registers x %d threads > %d" % (
                    name, k.registers, host.block, MAX_REGISTERS_PER_BLOCK))
            if k.smem > MAX_STATIC_SMEM:
                rep.problems.append("%s: %d bytes shared memory > 48 KiB" % (name, k.smem))
            if k.spill_stores or k.spill_loads:
                rep.spills += 1
                if not allow_spills:
                    rep.problems.append("%s: spills %d/%d bytes" % (
                        name, k.spill_stores, k.spill_loads))
            rep.max_registers = max(rep.max_registers, k.registers)
            rep.max_smem = max(rep.max_smem, k.smem)
            if verbose:
                print("  %s %-28s %-17s grid %6d block %4d  %3d regs %5d B smem %3d B stack" % (
                    chip, name, host.schedule, host.grid, host.block, k.registers, k.smem,
                    k.stack))
        reports.append(rep)
    return reports


# --- models ----------------------------------------------------------------

def export_models(workdir, names=("mlp", "cnn", "gpt"), training=False):
    """Exports the torch_models.py models (the shapes of the whole-model
    tests); returns {name: path}."""
    sys.path.insert(0, str(ROOT / "test" / "python"))
    import torch
    import torch_models

    torch.manual_seed(0)
    paths = {}
    for name in names:
        if name == "mlp":
            model, args = torch_models.MLP(dropout=0.0), (torch.randn(2, 4),)
            ins, outs = ["x"], ["y"]
        elif name == "cnn":
            model, args = torch_models.SmallCNN(), (torch.randn(2, 1, 12, 12),)
            ins, outs = ["x"], ["logits"]
        elif name == "gpt":
            model = torch_models.TinyGPT(dropout=0.0)
            args = (torch.randint(0, 64, (2, 8)), torch.randint(0, 64, (2, 8)))
            ins, outs = ["idx", "targets"], ["logits", "loss"]
        else:
            raise CheckError("unknown model %r" % name)
        model.train(training)
        path = Path(workdir) / ("%s_%s.onnx" % (name, "train" if training else "eval"))
        torch_models.export(model, args, path, training=training, input_names=ins,
                            output_names=outs)
        paths[name] = path
    return paths


def check_model(onnx_path, workdir, chips=CHIPS, allow_spills=True, verbose=False,
                extra_dlcc_args=()):
    """Compiles and checks one model; returns (reports, compile seconds, codegen seconds)."""
    text, t_form, t_codegen = compile_model(onnx_path, chips=chips,
                                            extra_dlcc_args=extra_dlcc_args)
    (Path(workdir) / "kernels.gpu.mlir").write_text(text)
    return check_module(text, workdir, chips, allow_spills, verbose), t_form, t_codegen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", help="ONNX files (default: export the test models)")
    ap.add_argument("--models", dest="names", default="mlp,cnn,gpt")
    ap.add_argument("--train", action="store_true", help="export in training mode")
    ap.add_argument("--keep", help="keep PTX and MLIR under this directory")
    ap.add_argument("--no-spills", action="store_true", help="fail on register spills")
    ap.add_argument("--verbose", "-v", action="store_true")
    opts = ap.parse_args()

    work = Path(opts.keep or tempfile.mkdtemp(prefix="dlcc-cuda-"))
    work.mkdir(parents=True, exist_ok=True)
    if opts.models:
        paths = {Path(m).stem: Path(m) for m in opts.models}
    else:
        paths = export_models(work, opts.names.split(","), opts.train)
    failed = False
    for name, path in paths.items():
        d = work / name
        d.mkdir(exist_ok=True)
        try:
            reports, t_form, t_codegen = check_model(path, d, allow_spills=not opts.no_spills,
                                                     verbose=opts.verbose)
        except CheckError as e:
            print("%s: FAILED: %s" % (name, e))
            failed = True
            continue
        print("%s: import+kernels %.2f s, codegen (bufferize, tile, map, PTX x%d) %.2f s" % (
            name, t_form, len(reports), t_codegen))
        for r in reports:
            status = "ok" if not r.problems else "FAILED"
            print("  %s: %d kernels, ptxas %.2f s, max %d registers, max %d B smem, "
                  "%d with spills: %s" % (r.chip, r.kernels, r.ptxas_seconds, r.max_registers,
                                          r.max_smem, r.spills, status))
            for p in r.problems:
                print("    " + p)
            failed |= bool(r.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
