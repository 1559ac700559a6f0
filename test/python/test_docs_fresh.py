"""Generated files stay in sync with their sources."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_reference_docs_are_fresh():
    if not (ROOT / "build/bin/dlcc").exists():
        pytest.skip("dlcc is not built")
    r = subprocess.run([sys.executable, str(ROOT / "scripts/gen_docs.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_onnx_op_version_table_matches_onnx():
    """The importer's since-version table (ONNX's versioning rule) equals the
    schema history of the installed onnx package."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts/gen_onnx_op_versions.py"),
                        "--check"], capture_output=True, text=True)
    assert r.returncode == 0, "lib/Importer/Onnx/OnnxOpVersions.inc is stale"


def test_registered_versions_are_onnx_since_versions():
    """Every version a handler is registered for is a real since-version."""
    if not (ROOT / "build/bin/dlcc").exists():
        pytest.skip("dlcc is not built")
    import onnx.defs
    history = {}
    for s in onnx.defs.get_all_schemas_with_history():
        history.setdefault((s.domain or "ai.onnx", s.name), set()).add(s.since_version)
    out = subprocess.run([str(ROOT / "build/bin/dlcc"), "--list-supported-ops"],
                         capture_output=True, text=True, check=True).stdout
    bad = []
    for line in out.splitlines():
        domain, op, *versions = line.split()
        known = history.get((domain, op), set())
        bad += ["%s-%s" % (op, v) for v in versions if int(v) not in known]
    assert not bad, "registered versions that ONNX does not define: " + ", ".join(bad)
