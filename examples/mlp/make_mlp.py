"""Writes examples/mlp/mlp.onnx: a tiny MLP (4 -> 8 -> ReLU -> 3).

Exported with torch.onnx.export in training mode (opset 17, fixed batch 2,
no constant folding); torch is seeded so the file is reproducible with the
same torch version:

    .venv/bin/python examples/mlp/make_mlp.py
    build/bin/dlcc examples/mlp/mlp.onnx --emit=mlir
"""

import sys
import warnings
from pathlib import Path

import torch
import torch.nn as nn

IN_FEATURES, HIDDEN, OUT_FEATURES, BATCH = 4, 8, 3, 2


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(IN_FEATURES, HIDDEN)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(HIDDEN, OUT_FEATURES)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def main(path):
    torch.manual_seed(0)
    model = MLP()
    x = torch.randn(BATCH, IN_FEATURES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (x,),
            str(path),
            opset_version=17,
            training=torch.onnx.TrainingMode.TRAINING,
            do_constant_folding=False,
            input_names=["x"],
            output_names=["y"],
        )
    print(f"wrote {path} ({Path(path).stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent / "mlp.onnx")
