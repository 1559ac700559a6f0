"""The conformance gates (test/conformance/): a regression fails the suite.

- With the real dlcc, a few models pass the program conformance run (their
  classes equal the checked-in expected_outcomes.txt).
- A deliberately broken dlcc (a wrapper that lowers Add as Sub, and fails
  with an error for another model) makes the same run exit 1 with exactly
  those models failed: wrong numbers and a model that stops compiling are
  failures, never skips.
- A class change, an improvement included, fails until --update-expected
  rewrites the file; a limitation is an exact message, not a substring.
- The GPU fixture of test_cuda_backend.py skips only without a CUDA driver
  and fails when a driver is present but cuInit fails (fake libcuda.so.1s).
"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONFORMANCE = ROOT / "test" / "conformance"
sys.path.insert(0, str(CONFORMANCE))
sys.path.insert(0, str(HERE))

import conformance_common as cc  # noqa: E402

BUILD = ROOT / "build"
DLCC = BUILD / "bin" / "dlcc"
SUBSET = r"^node/test_(add|relu|sub)$"
MODELS = ("node/test_add", "node/test_relu", "node/test_sub")

needs_build = pytest.mark.skipif(
    not all((BUILD / "bin" / t).exists() for t in ("dlcc", "dlcc-run", "dlcc-artifact-tool",
                                                     "dlcc-opt")),
    reason="dlcc is not built")
needs_data = pytest.mark.skipif(not all((cc.DATA / m / "model.onnx").exists() for m in MODELS),
                                reason="no ONNX backend test data (libonnx-testdata)")


def harness(script, tmp_path, *args):
    """Runs a conformance harness on SUBSET; (exit status, stdout, {model:
    (verdict tag or None, message)}) from its JUnit file."""
    junit = tmp_path / ("%s.xml" % script)
    r = subprocess.run([sys.executable, str(CONFORMANCE / script), "--build", str(BUILD),
                        "--filter", SUBSET, "--junit", str(junit), *map(str, args)],
                       capture_output=True, text=True, timeout=600)
    cases = {}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            tags = [c for c in case if c.tag in ("failure", "error", "skipped")]
            cases[case.get("name")] = (tags[0].tag, tags[0].get("message")) if tags \
                else (None, "")
    return r.returncode, r.stdout + r.stderr, cases


BROKEN_DLCC = '''#!%(python)s
"""dlcc with a broken lowering: Add computes Sub, and test_relu stops compiling."""
import os, sys
import onnx
args = sys.argv[1:]
if "test_relu" in args[0]:
    sys.stderr.write("dlcc: error: injected: this model no longer compiles\\n")
    sys.exit(1)
m = onnx.load(args[0])
swapped = False
for n in m.graph.node:
    if n.op_type == "Add":
        n.op_type, swapped = "Sub", True
if swapped:
    args[0] = os.path.join(%(tmp)r, "swapped-%%d.onnx" %% os.getpid())
    onnx.save(m, args[0])
os.execv(%(dlcc)r, [%(dlcc)r] + args)
'''


@needs_build
@needs_data
def test_program_conformance_gates(tmp_path):
    # The real dlcc: the subset has its expected classes.
    rc, out, cases = harness("onnx_program_conformance.py", tmp_path)
    assert rc == 0, out
    assert sorted(cases) == sorted(MODELS), out
    assert all(v is None for v, _ in cases.values()), cases
    assert "every model has its expected class" in out

    # The broken lowering: the run fails, naming the two models.
    wrapper = tmp_path / "broken-dlcc"
    wrapper.write_text(BROKEN_DLCC % dict(python=sys.executable, tmp=str(tmp_path),
                                         dlcc=str(DLCC)))
    wrapper.chmod(0o755)
    rc, out, cases = harness("onnx_program_conformance.py", tmp_path, "--dlcc", wrapper)
    assert rc == 1, out
    assert cases["node/test_sub"] == (None, ""), cases
    verdict, message = cases["node/test_add"]
    assert verdict == "failure" and message.startswith("failed (expected pass)"), message
    assert "elements differ" in message, message
    verdict, message = cases["node/test_relu"]
    assert verdict == "failure" and message.startswith("not-imported (expected pass)"), message
    assert "injected" in message, message
    assert re.search(r"FAILED \(2: 0 class changes, 2 failures\)", out), out


@needs_build
@needs_data
def test_a_class_change_fails_until_the_file_is_updated(tmp_path):
    expected = tmp_path / "expected_outcomes.txt"
    shutil.copy(cc.EXPECTED, expected)
    table = cc.read_expected(expected)
    assert {m: table[m]["import"] for m in MODELS} == dict.fromkeys(MODELS, cc.PASS)
    # Pretend Add was unsupported: that it now imports is a change.
    table["node/test_add"]["import"] = "unsupported:Add"
    cc.write_expected(table, expected)
    rc, out, cases = harness("onnx_import_conformance.py", tmp_path, "--expected", expected)
    assert rc == 1, out
    verdict, message = cases["node/test_add"]
    assert verdict == "failure", cases
    assert message.startswith("class changed: expected unsupported:Add, got pass"), message
    assert "--update-expected" in message, message
    assert cases["node/test_sub"] == (None, ""), cases

    rc, out, cases = harness("onnx_import_conformance.py", tmp_path, "--expected", expected,
                             "--update-expected")
    assert rc == 0, out
    assert cc.read_expected(expected) == cc.read_expected(cc.EXPECTED)
    rc, out, cases = harness("onnx_import_conformance.py", tmp_path, "--expected", expected)
    assert rc == 0, out


def test_limitations_are_exact_messages():
    # A listed message is that limitation, whatever the names and numbers ...
    for line, reason in (
            ("node producing 'y' (Reshape-14): the 'shape' input ('s') must be known at "
             "compile time; it is computed from runtime data", "runtime-shape-input"),
            ("node 'r' (Range-11): start, limit and delta must be known at compile time "
             "(the output's size depends on them); input 'n_FP' is computed from runtime "
             "data", "runtime-shape-input"),
            ("graph input 'x' has unsupported element type string", "string-type"),
            ("node #3 (Loop, output 'out') has a subgraph attribute 'body'; control flow "
             "is not supported", "control-flow")):
        assert cc.classify_rejection("dlcc: error: %s\n" % line) == (
            "limitation:" + reason, line)
    # ... but a message that only contains a listed phrase, or names no
    # listed limitation, is a failure.
    for text in ("dlcc: error: this lowering is not supported",
                 "dlcc: error: node 'a' (Add-14): K must be one value known at compile time "
                 "and something else broke",
                 "dlcc: error: graph input 'x' has unsupported element type string8"):
        assert cc.classify_rejection(text + "\n")[0] == cc.FAIL, text
    # Two error lines, a crash trace: failures.
    assert cc.classify_rejection("dlcc: error: a\ndlcc: error: b\n")[0] == cc.FAIL
    assert cc.classify_rejection("dlcc: error: graph input 'x' has unsupported element type "
                                 "string\nStack dump:\n")[0] == cc.FAIL
    # Unsupported operator versions name the ops.
    err = ("dlcc: error: the model uses 2 unsupported operator version(s):\n"
           "  StringNormalizer-10: 1 node(s), e.g. 'n' (outputs: y)\n"
           "  ai.onnx.ml.Foo (not an operator of opset 9): 2 node(s), e.g. 'a', 'b'\n")
    assert cc.classify_rejection(err)[0] == "unsupported:StringNormalizer,ai.onnx.ml.Foo"


def test_expected_file_is_checked(tmp_path):
    table = cc.read_expected(cc.EXPECTED)
    suites = {m.split("/")[0] for m in table}
    assert suites == set(cc.SUITES), suites
    assert all(c != cc.FAIL for cols in table.values() for c in cols.values())
    bad = tmp_path / "bad.txt"
    for line, error in (("node/test_x pass pass", "expected 4 fields"),
                        ("node/test_x pass pass passed", "unknown class"),
                        ("node/test_x fail pass pass", "unknown class"),
                        ("node/test_x unsupported pass pass", "unknown class"),
                        ("node/test_x limitation:sometimes pass pass", "not a reason")):
        bad.write_text(line + "\n")
        with pytest.raises(ValueError, match=error):
            cc.read_expected(bad)
    # The file is written in its canonical form (sorted, aligned): a rewrite
    # without changes changes nothing.
    copy = tmp_path / "copy.txt"
    cc.write_expected(table, copy)
    assert copy.read_text() == cc.EXPECTED.read_text()


FAKE_LIBCUDA = r'''
int cuInit(unsigned flags) { (void)flags; return CODE; }
int cuGetErrorName(int e, const char **s) {
  *s = e == 0 ? "CUDA_SUCCESS" : e == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN";
  return 0;
}
'''


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_gpu_fixture_skips_only_without_a_driver(tmp_path, monkeypatch):
    from test_cuda_backend import no_cuda_driver

    def fake(code):
        d = tmp_path / str(code)
        d.mkdir()
        src = d / "fake.c"
        src.write_text(FAKE_LIBCUDA)
        subprocess.run(["cc", "-shared", "-fPIC", "-DCODE=%d" % code, "-o",
                        str(d / "libcuda.so.1"), str(src)], check=True)
        monkeypatch.setenv("LD_LIBRARY_PATH", "%s:%s" % (d, os.environ.get("LD_LIBRARY_PATH",
                                                                            "")))

    fake(100)  # a driver without a GPU: skip
    assert "CUDA_ERROR_NO_DEVICE" in no_cuda_driver()
    fake(0)  # a working driver: run the GPU tests
    assert no_cuda_driver() is None
    fake(999)  # a driver whose cuInit fails: a failure, not a skip
    with pytest.raises(pytest.fail.Exception, match="cuInit failed: CUDA_ERROR_UNKNOWN"):
        no_cuda_driver()
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path / "nothing"))
    if not any(Path(d, "libcuda.so.1").exists() for d in ("/usr/lib/x86_64-linux-gnu",
                                                          "/usr/lib64", "/lib64")):
        assert "libcuda.so.1 cannot be loaded" in no_cuda_driver()
