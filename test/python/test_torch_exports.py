"""End-to-end tests: PyTorch models exported to ONNX import into dlcc.

Each model of torch_models.py is exported (opset 17) in every configuration:
  mode: train (TrainingMode.TRAINING, no constant folding: every parameter
        keeps its own initializer and name), eval (TrainingMode.EVAL with
        constant folding) or eval_nofold (EVAL without it; torch still fuses
        BatchNorm into Conv and merges initializers of equal value, such as
        the LayerNorm weights, in eval mode);
  batch: static, or a dynamic axis "batch" bound with `--batch 3` (a size
        other than the traced one).
and `dlcc model.onnx --emit=mlir` must succeed, print the expected dlcc ops,
one `dlcc.state_slot parameter` per surviving trainable parameter, and IR that
dlcc-opt parses back.

Binaries: $DLCC_BIN (default <repo>/build/bin/dlcc) and $DLCC_OPT_BIN (default
<repo>/build/bin/dlcc-opt); tests are skipped when they do not exist.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import onnx
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from torch_models import MLP, SmallCNN, TinyGPT, export  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DLCC_BIN = Path(os.environ.get("DLCC_BIN", str(REPO_ROOT / "build" / "bin" / "dlcc")))
DLCC_OPT_BIN = Path(
    os.environ.get("DLCC_OPT_BIN", str(REPO_ROOT / "build" / "bin" / "dlcc-opt"))
)

pytestmark = pytest.mark.skipif(
    not DLCC_BIN.is_file(), reason=f"dlcc binary not found at {DLCC_BIN} (set DLCC_BIN)"
)

BOUND_BATCH = 3  # the size --batch binds a dynamic batch axis to
TRACE_BATCH = 2  # the batch size the models are traced with
GPT = dict(vocab_size=64, d_model=32, n_heads=2, n_layers=2, block_size=8)
SEQ = 8

# ---------------------------------------------------------------------------
# Models and configurations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    make: object  # () -> nn.Module
    make_args: object  # () -> tuple of example inputs
    input_names: tuple
    output_names: tuple


MODELS = {
    "mlp": ModelSpec(
        lambda: MLP(4, 8, 3),
        lambda: (torch.randn(TRACE_BATCH, 4),),
        ("x",),
        ("y",),
    ),
    "cnn": ModelSpec(
        lambda: SmallCNN(in_channels=1, channels=(4, 8), num_classes=10),
        lambda: (torch.randn(TRACE_BATCH, 1, 8, 8),),
        ("x",),
        ("y",),
    ),
    "gpt": ModelSpec(
        lambda: TinyGPT(**GPT),
        lambda: (torch.randint(0, GPT["vocab_size"], (TRACE_BATCH, SEQ)),),
        ("idx",),
        ("logits",),
    ),
    "gpt_loss": ModelSpec(
        lambda: TinyGPT(**GPT),
        lambda: (
            torch.randint(0, GPT["vocab_size"], (TRACE_BATCH, SEQ)),
            torch.randint(0, GPT["vocab_size"], (TRACE_BATCH, SEQ)),
        ),
        ("idx", "targets"),
        ("logits", "loss"),
    ),
}
MODES = ("train", "eval", "eval_nofold")
CONFIGS = [(m, mode, dyn) for m in MODELS for mode in MODES for dyn in (False, True)]
DYNAMIC_CONFIGS = [c for c in CONFIGS if c[2]]


def config_id(config):
    model, mode, dyn = config
    return f"{model}-{mode}-{'dynbatch' if dyn else 'static'}"


@dataclass
class Exported:
    path: Path
    model: torch.nn.Module
    initializers: frozenset
    dynamic: bool
    input_names: tuple


class ExportCache:
    """Exports each configuration once, on first use, and remembers dlcc runs."""

    def __init__(self, directory):
        self.directory = directory
        self.exports = {}
        self.runs = {}

    def get(self, config):
        if config not in self.exports:
            name, mode, dyn = config
            spec = MODELS[name]
            torch.manual_seed(0)
            model = spec.make()
            args = spec.make_args()
            path = self.directory / f"{config_id(config)}.onnx"
            export(
                model,
                args,
                path,
                training=mode == "train",
                dynamic_batch=dyn,
                constant_folding=mode != "eval_nofold",
                input_names=list(spec.input_names),
                output_names=list(spec.output_names),
            )
            inits = frozenset(i.name for i in onnx.load(str(path)).graph.initializer)
            self.exports[config] = Exported(path, model, inits, dyn, spec.input_names)
        return self.exports[config]

    def run(self, config, *extra, bind_batch=True):
        """dlcc --emit=mlir on the export, with `--batch BOUND_BATCH` for a
        dynamic batch unless bind_batch is false."""
        exported = self.get(config)
        if exported.dynamic and bind_batch:
            extra = ("--batch", str(BOUND_BATCH)) + extra
        key = (config, extra)
        if key not in self.runs:
            self.runs[key] = run_dlcc(exported.path, *extra)
        return self.runs[key]


def run_dlcc(model_path, *extra):
    return subprocess.run(
        [str(DLCC_BIN), str(model_path), "--emit=mlir", *extra],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return ExportCache(tmp_path_factory.mktemp("torch_exports"))


# ---------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------

SLOT_RE = re.compile(r'dlcc\.state_slot (\w+) @(?:"([^"]+)"|([\w.$-]+)) :')


def state_slots(text):
    """{name: kind} of every dlcc.state_slot in the printed IR."""
    return {m.group(2) or m.group(3): m.group(1) for m in SLOT_RE.finditer(text)}


def symbol(name):
    return "@" + name if re.fullmatch(r"[A-Za-z_][\w.$]*", name) else f'@"{name}"'


def expected_ops(name, mode):
    """(must appear, must not appear) substrings of the printed IR."""
    train = mode == "train"
    present, absent = [], []
    if name == "mlp":
        present += ["dlcc.matmul"]
    if name == "cnn":
        present += ["dlcc.convolution", "dlcc.pool max", "dlcc.pool avg", "dlcc.matmul"]
        bn = ["dlcc.batch_norm_training", "dlcc.tied_state",
              "dlcc.state_slot batch_norm_statistic"]
        (present if train else absent).extend(bn)
    if name.startswith("gpt"):
        present += ["dlcc.gather", "dlcc.layer_norm", "dlcc.softmax", "dlcc.erf",
                    "dlcc.matmul"]
        loss = ["dlcc.cross_entropy", "dlcc.log_softmax"]
        (present if name == "gpt_loss" else absent).extend(loss)
    if name != "cnn":  # models with Dropout
        (present if train else absent).append("dlcc.dropout_mask")
    return present, absent


def assert_ok(result):
    assert result.returncode == 0, (
        f"dlcc exited with {result.returncode}:\n{result.stderr[-4000:]}"
    )
    assert "error:" not in result.stderr, result.stderr[-4000:]
    assert "unsupported" not in result.stdout.lower()
    assert "unsupported" not in result.stderr.lower()


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_imports_with_expected_ops(exports, config):
    result = exports.run(config)
    assert_ok(result)
    text = result.stdout
    present, absent = expected_ops(config[0], config[1])
    for op in present:
        assert op in text, f"expected {op!r} in the imported IR"
    for op in absent:
        assert op not in text, f"unexpected {op!r} in the imported IR"


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_parameters_become_state_slots(exports, config):
    exported = exports.get(config)
    result = exports.run(config)
    assert_ok(result)
    slots = state_slots(result.stdout)
    params = [n for n, p in exported.model.named_parameters() if p.requires_grad]
    surviving = [n for n in params if n in exported.initializers]
    if config[1] == "train":  # every parameter keeps its own initializer
        assert surviving == params, (
            f"parameters missing from the ONNX initializers: "
            f"{sorted(set(params) - exported.initializers)}"
        )
    assert surviving, "no parameter survived the export; the check would be vacuous"
    for n in surviving:
        assert slots.get(n) == "parameter", (
            f"no 'dlcc.state_slot parameter {symbol(n)}' (found kind {slots.get(n)!r})"
        )
    if config[0].startswith("gpt"):
        # lm_head.weight is tied to tok_emb.weight: one slot, not two.
        assert "lm_head.weight" not in slots
        assert "tok_emb.weight" in slots


@pytest.mark.parametrize(
    "config", [c for c in CONFIGS if c[0] == "cnn" and c[1] == "train"], ids=config_id
)
def test_batch_norm_statistics_are_tied_state(exports, config):
    exported = exports.get(config)
    result = exports.run(config)
    assert_ok(result)
    slots = state_slots(result.stdout)
    stats = [n for n, _ in exported.model.named_buffers()
             if n.endswith(("running_mean", "running_var"))]
    assert len(stats) == 4
    for n in stats:
        assert slots.get(n) == "batch_norm_statistic", (
            f"no 'dlcc.state_slot batch_norm_statistic {symbol(n)}'"
        )
        assert f"dlcc.tied_state = {symbol(n)}" in result.stdout, (
            f"no result tied to {symbol(n)}"
        )


@pytest.mark.parametrize("config", DYNAMIC_CONFIGS, ids=config_id)
def test_dynamic_batch_is_bound(exports, config):
    exported = exports.get(config)
    result = exports.run(config)
    assert_ok(result)
    for name in exported.input_names:
        assert re.search(
            rf'tensor<{BOUND_BATCH}x[^>]*> {{dlcc.input = "{name}"}}', result.stdout
        ), f"input {name!r} not bound to batch {BOUND_BATCH}"


@pytest.mark.parametrize("config", DYNAMIC_CONFIGS, ids=config_id)
def test_dynamic_batch_without_binding_is_rejected(exports, config):
    exported = exports.get(config)
    result = exports.run(config, bind_batch=False)
    assert result.returncode == 1, (
        f"expected exit status 1, got {result.returncode}:\n{result.stderr[-4000:]}"
    )
    assert "dlcc: error:" in result.stderr, result.stderr
    assert "'batch'" in result.stderr, result.stderr
    assert f"'{exported.input_names[0]}'" in result.stderr, result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(
    not DLCC_OPT_BIN.is_file(),
    reason=f"dlcc-opt binary not found at {DLCC_OPT_BIN} (set DLCC_OPT_BIN)",
)
@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_printed_ir_reparses(exports, config):
    result = exports.run(config, "--print-weights")
    assert_ok(result)
    reparsed = subprocess.run(
        [str(DLCC_OPT_BIN)],
        input=result.stdout,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert reparsed.returncode == 0, (
        f"dlcc-opt could not parse the printed IR:\n{reparsed.stderr[-4000:]}"
    )
    # Same state slots after the round trip.
    assert state_slots(reparsed.stdout) == state_slots(result.stdout)
