#!/usr/bin/env python3
"""Regenerates lib/Importer/Onnx/OnnxOpVersions.inc from the onnx package.

The importer applies ONNX's versioning rule (a node gets the semantics of its
op's largest since-version not above the model's opset) with this table, so it
must list every since-version of every op. test/python/test_op_versions.py
checks that the committed table matches the installed onnx package.
"""
import sys
from collections import defaultdict
from pathlib import Path

import onnx.defs

MAX_OPSET = 22
DOMAINS = ("", "ai.onnx.preview.training")


def render() -> str:
    history = defaultdict(set)
    for s in onnx.defs.get_all_schemas_with_history():
        if s.domain in DOMAINS and s.since_version <= MAX_OPSET:
            history[(s.domain, s.name)].add(s.since_version)
    lines = [
        "// Generated from the onnx package's schema history (scripts/gen_onnx_op_versions.py).",
        "// Each entry: domain, op type, every since-version up to opset 22.",
    ]
    for (domain, name), versions in sorted(history.items()):
        lines.append('{"%s", "%s", {%s}},' % (domain, name, ", ".join(map(str, sorted(versions)))))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "lib/Importer/Onnx/OnnxOpVersions.inc"
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        sys.exit(0 if out.read_text() == render() else 1)
    out.write_text(render())
