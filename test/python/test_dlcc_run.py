"""dlcc-run (tools/dlcc-run): running programs on .npz inputs, --describe, and
one clear error line with exit status 1 for every bad input, leaving an
existing --outputs file untouched. Programs are written by
`dlcc-artifact-tool write-cpu-sample` with kernels compiled from
test/Runtime/cpu/sample_kernels.c."""

import io
import os
import resource
import signal
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Runtime" / "cpu"))
import cpu_sample as cs  # noqa: E402

pytestmark = pytest.mark.skipif(
    not cs.DLCC_RUN.is_file() or not cs.TOOL.is_file() or cs.CC is None,
    reason="dlcc-run, dlcc-artifact-tool or a C compiler not found")

N = 1000
OLD_OUTPUT = b"previous outputs, must survive any failure\n"


@pytest.fixture(scope="module")
def kernels(tmp_path_factory):
    return cs.build_kernels(tmp_path_factory.mktemp("kernels"))


@pytest.fixture(scope="module")
def model(tmp_path_factory, kernels):
    return cs.write_sample(tmp_path_factory.mktemp("model") / "model.bin", kernels)


@pytest.fixture
def work(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return d


def dlcc_run(*args, env=None, timeout=120, **kwargs):
    full_env = dict(os.environ)
    full_env.pop("DLCC_NUM_THREADS", None)
    full_env.update(env or {})
    return subprocess.run([str(cs.DLCC_RUN), *map(str, args)], capture_output=True,
                          text=True, errors="replace", timeout=timeout, env=full_env, **kwargs)


def ok(*args, **kwargs):
    r = dlcc_run(*args, **kwargs)
    assert r.returncode == 0, r.stderr
    return r


def x_input(seed=0):
    return np.random.default_rng(seed).standard_normal(N).astype(np.float32)


def savez(path, compressed=False, **arrays):
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def assert_error(work, args, *phrases, env=None, timeout=120):
    """dlcc-run fails with exit status 1 and one line naming the problem, and
    leaves an existing --outputs file (work/out.npz) and its directory as
    they were."""
    out = work / "out.npz"
    out.write_bytes(OLD_OUTPUT)
    before = sorted(p.name for p in work.iterdir())
    r = dlcc_run(*args, "--outputs", out, env=env, timeout=timeout)
    err = r.stderr
    assert r.returncode >= 0, f"killed by signal {-r.returncode}:\n{err}"
    assert r.returncode == 1, f"exit status {r.returncode}:\n{err}"
    assert err.startswith("dlcc-run: error: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), f"expected one line:\n{err}"
    for phrase in phrases:
        assert phrase in err, f"expected {phrase!r} in:\n{err}"
    for bad in cs.FORBIDDEN:
        assert bad not in err, err
    assert out.read_bytes() == OLD_OUTPUT, "the existing output file changed"
    assert sorted(p.name for p in work.iterdir()) == before, "files left behind"
    return err


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("compressed", [False, True], ids=["savez", "savez_compressed"])
def test_forward_outputs(model, work, compressed):
    x = x_input()
    inputs = savez(work / "in.npz", compressed, x=x)
    out = work / "out.npz"
    r = ok(model, "--inputs", inputs, "--outputs", out)
    assert r.stderr == ""
    with np.load(out) as y:
        assert sorted(y.files) == ["flags", "marks", "y"]
        assert y["y"].dtype == np.float32 and y["y"].shape == (N,)
        np.testing.assert_array_equal(y["y"], cs.forward_y(x))
        assert y["marks"].dtype == np.int64
        np.testing.assert_array_equal(y["marks"], cs.marks((7, 3, 2)))
        assert y["flags"].dtype == np.uint8
        np.testing.assert_array_equal(y["flags"], np.full(16, 42, np.uint8))
    assert sorted(p.name for p in work.iterdir()) == ["in.npz", "out.npz"]
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_output_replaces_existing_file(model, work):
    out = work / "out.npz"
    out.write_bytes(OLD_OUTPUT)
    ok(model, "--inputs", savez(work / "in.npz", x=x_input()), "--outputs", out)
    with np.load(out) as y:
        assert "y" in y.files


def test_threads_give_identical_files(model, work):
    inputs = savez(work / "in.npz", x=x_input(3))
    blobs = []
    for threads in (1, 4):
        out = work / f"out{threads}.npz"
        ok(model, "--inputs", inputs, "--outputs", out, "--threads", threads)
        blobs.append(out.read_bytes())
    assert blobs[0] == blobs[1]


def test_train_step_repeat_and_save_state(model, work):
    x = x_input(4)
    inputs = savez(work / "in.npz", x=x, lr=np.array(0.25, np.float32))  # rank 0
    out, state = work / "out.npz", work / "state.npz"
    r = ok(model, "--entry", "train_step", "--inputs", inputs, "--outputs", out,
           "--save-state", state, "--repeat", 3, "--device", "cpu", "--threads", 2)
    assert r.stderr.startswith("dlcc-run: train_step: 3 runs, mean "), r.stderr
    assert "ms per run" in r.stderr
    with np.load(out) as y:
        assert y.files == ["prev_step"]
        assert y["prev_step"].shape == () and y["prev_step"] == 2
    expected = cs.initial_w(N)
    for _ in range(3):
        expected = expected + np.float32(0.25) * x
    with np.load(state) as s:
        assert sorted(s.files) == ["step", "w"], "constants are not state"
        np.testing.assert_array_equal(s["w"], expected)
        assert s["step"] == 3


def test_without_outputs_prints_a_summary(model, work):
    r = ok(model, "--inputs", savez(work / "in.npz", x=x_input()))
    # Every line ends with a newline, the last one included.
    assert r.stdout == "y: f32 [1000]\nmarks: i64 [42]\nflags: u8 [16]\n", repr(r.stdout)
    assert r.stderr == ""
    assert sorted(p.name for p in work.iterdir()) == ["in.npz"]


def test_summary_with_repeat_ends_with_newlines(model, work):
    inputs = savez(work / "in.npz", x=x_input(), lr=np.array(0.5, np.float32))
    r = ok(model, "--entry", "train_step", "--inputs", inputs, "--repeat", 2)
    assert r.stdout == "prev_step: i64 []\n", repr(r.stdout)
    assert r.stderr.startswith("dlcc-run: train_step: 2 runs") and r.stderr.endswith(" ms per run\n")


def test_entry_option_with_equals(model, work):
    inputs = savez(work / "in.npz", x=x_input(), lr=np.array(1, np.float32))
    ok(model, "--entry=train_step", f"--inputs={inputs}", f"--outputs={work / 'o.npz'}")
    assert (work / "o.npz").is_file()


def test_gemm_entry_point(kernels, work):
    path = cs.write_sample(work / "gemm.bin", kernels, "--gemm", "6,9,4,3,1,0,1")
    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 4, 6)).astype(np.float32)  # trans_a: [batch, k, m]
    b = rng.standard_normal((4, 9)).astype(np.float32)     # broadcast over batch
    out = work / "out.npz"
    ok(path, "--entry", "gemm", "--inputs", savez(work / "in.npz", a=a, b=b), "--outputs", out)
    with np.load(out) as c:
        np.testing.assert_allclose(c["c"], np.swapaxes(a, 1, 2) @ b, rtol=1e-5, atol=1e-5)


def test_describe(model):
    r = ok(model, "--describe")
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"program {model}: producer \"dlcc cpu sample\", "
                               "format version 3, cpu baseline x86-64, features has_cpu_kernels")
    for line in [
        'entry point "forward": 3 arguments, 3 results, 8 commands, arena 4096 bytes',
        '  argument 0 "x": input f32 [1000]',
        '  argument 1 "w": state f32 [1000] (state slot 0)',
        '  argument 2 "c": state f32 [1000] (state slot 1)',
        '  result 0 "y": output f32 [1000]',
        '  result 1 "marks": output i64 [42]',
        'entry point "train_step": 4 arguments, 3 results, 3 commands, arena 0 bytes',
        '  argument 3 "lr": input f32 []',
        '  result 0 "w": tied_state f32 [1000] (state slot 0)',
        "state slots: 3",
        '  1 "c": constant f32 [1000]',
        '  2 "step": optimizer i64 []',
        "kernels: 4",
    ]:
        assert line in lines, f"{line!r} not in:\n{r.stdout}"
    assert r.stderr == ""


def test_help():
    r = ok("--help")
    assert r.stdout.startswith("usage: dlcc-run")


def test_kernel_image_writes_no_temporary_files(model, work, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    ok(model, "--inputs", savez(work / "in.npz", x=x_input()), env={"TMPDIR": str(tmpdir)})
    assert list(tmpdir.iterdir()) == []


def test_dlcc_num_threads(model, work):
    inputs = savez(work / "in.npz", x=x_input())
    ok(model, "--inputs", inputs, env={"DLCC_NUM_THREADS": "3"})


# ---------------------------------------------------------------------------
# Errors: artifact, entry point, options
# ---------------------------------------------------------------------------


def test_missing_artifact(work):
    assert_error(work, [work / "nope.bin", "--inputs", "x.npz"], "nope.bin: cannot open")


# Files that are not regular files are rejected before anything reads them:
# opening a FIFO for reading would wait for a writer that never comes (the
# short timeout turns such a regression into a failure instead of a hang),
# and /dev/zero never ends.
NOT_REGULAR_TIMEOUT = 20


def _special_file(work, kind):
    if kind == "fifo":
        path = work / "special"
        os.mkfifo(path)
        return path, "(a FIFO)"
    if kind == "directory":
        path = work / "special"
        path.mkdir()
        return path, "(a directory)"
    return Path("/dev/zero"), "(a character device)"


@pytest.mark.parametrize("kind", ["fifo", "directory", "dev-zero"])
def test_artifact_that_is_not_a_regular_file(model, work, kind):
    path, what = _special_file(work, kind)
    inputs = savez(work / "in.npz", x=x_input())
    assert_error(work, [path, "--inputs", inputs], f"{path}: not a regular file {what}",
                 timeout=NOT_REGULAR_TIMEOUT)


@pytest.mark.parametrize("kind", ["fifo", "directory", "dev-zero"])
def test_inputs_that_are_not_a_regular_file(model, work, kind):
    path, what = _special_file(work, kind)
    assert_error(work, [model, "--inputs", path], f"{path}: not a regular file {what}",
                 timeout=NOT_REGULAR_TIMEOUT)


def test_describe_of_a_fifo(work):
    fifo = work / "model.bin"
    os.mkfifo(fifo)
    r = dlcc_run(fifo, "--describe", timeout=NOT_REGULAR_TIMEOUT)
    assert r.returncode == 1, r.stderr
    assert r.stderr == f"dlcc-run: error: {fifo}: not a regular file (a FIFO)\n"


def test_invalid_artifact(model, work):
    bad = work / "bad.bin"
    bad.write_bytes(model.read_bytes()[:500])
    assert_error(work, [bad, "--inputs", "x.npz"], "bad.bin:")


def test_artifact_with_flipped_byte(model, work):
    blob = bytearray(model.read_bytes())
    blob[len(blob) // 2] ^= 0x10
    bad = work / "bad.bin"
    bad.write_bytes(bytes(blob))
    assert_error(work, [bad, "--inputs", "x.npz"], "hash mismatch")


def test_unknown_entry_point(model, work):
    inputs = savez(work / "in.npz", x=x_input())
    assert_error(work, [model, "--inputs", inputs, "--entry", "backward"],
                 'no entry point "backward"', '"forward", "train_step"')


@pytest.mark.parametrize("args,phrase", [
    (["--threads", "abc"], "--threads needs an integer from 0 to 1024, got 'abc'"),
    (["--threads", "5000"], "--threads needs an integer from 0 to 1024, got '5000'"),
    (["--threads", "-1"], "--threads needs an integer"),
    (["--repeat", "0"], "--repeat needs an integer from 1"),
    (["--repeat", "1.5"], "--repeat needs an integer"),
    (["--warmup", "-1"], "--warmup needs an integer from 0"),
    (["--device", "gpu"], "--device must be auto, cpu or cuda, got 'gpu'"),
    (["--bogus"], "unknown option '--bogus'"),
    (["--entry"], "--entry needs a value"),
    (["other.bin"], "unexpected argument 'other.bin'"),
    (["--describe=yes"], "--describe takes no value"),
], ids=["threads-text", "threads-large", "threads-negative", "repeat-zero", "repeat-float", "warmup-negative",
        "device", "unknown-option", "missing-value", "two-models", "describe-value"])
def test_bad_options(model, work, args, phrase):
    assert_error(work, [model, *args], phrase)


def test_no_model(work):
    assert_error(work, [], "no model file given")


def test_cuda_not_available(model, work):
    inputs = savez(work / "in.npz", x=x_input())
    assert_error(work, [model, "--inputs", inputs, "--device", "cuda"],
                 "CUDA backend not available")


def test_bad_dlcc_num_threads(model, work):
    inputs = savez(work / "in.npz", x=x_input())
    assert_error(work, [model, "--inputs", inputs], 'DLCC_NUM_THREADS is "0"',
                 env={"DLCC_NUM_THREADS": "0"})


@pytest.mark.parametrize("option,phrase", [
    (["--baseline", "x86-64-v9"], 'cpu_baseline "x86-64-v9" is not known'),
    (["--missing-symbol"], 'symbol "dlcc_test_no_such_symbol" not found'),
    (["--collective"], "is a LibraryCall (all_reduce)"),
], ids=["baseline", "missing-symbol", "collective"])
def test_program_the_cpu_cannot_run(kernels, work, option, phrase):
    path = cs.write_sample(work / "p.bin", kernels, *option)
    inputs = savez(work / "in.npz", x=x_input())
    assert_error(work, [path, "--inputs", inputs], phrase)


# ---------------------------------------------------------------------------
# Errors: inputs
# ---------------------------------------------------------------------------


def test_missing_input(model, work):
    inputs = savez(work / "in.npz", a=np.zeros(3), b=np.zeros(2))
    assert_error(work, [model, "--inputs", inputs],
                 "has no array 'x' for input 0 of entry point \"forward\"",
                 "(the file holds a, b)")


def test_no_inputs_option(model, work):
    assert_error(work, [model], 'entry point "forward" needs inputs (x)', "--inputs")


def test_missing_inputs_file(model, work):
    assert_error(work, [model, "--inputs", work / "none.npz"], "none.npz: cannot open")


def test_input_not_in_program(model, work):
    inputs = savez(work / "in.npz", x=x_input(), bogus=np.zeros(2))
    assert_error(work, [model, "--inputs", inputs],
                 "holds 'bogus', which is not an input of entry point \"forward\"",
                 "(its inputs: x)")


def test_state_given_as_input(model, work):
    inputs = savez(work / "in.npz", x=x_input(), w=np.zeros(N, np.float32))
    assert_error(work, [model, "--inputs", inputs], "holds 'w', which is a state argument")


def test_wrong_shape(model, work):
    inputs = savez(work / "in.npz", x=np.zeros((2, 500), np.float32))
    assert_error(work, [model, "--inputs", inputs],
                 "input 'x' of entry point \"forward\" has shape (1000,)",
                 "holds shape (2, 500)")


def test_scalar_for_vector(model, work):
    inputs = savez(work / "in.npz", x=np.float32(1))
    assert_error(work, [model, "--inputs", inputs], "has shape (1000,)", "holds shape ()")


def test_wrong_dtype(model, work):
    inputs = savez(work / "in.npz", x=np.zeros(N, np.float64))
    assert_error(work, [model, "--inputs", inputs],
                 "input 'x' of entry point \"forward\" is f32 [1000]",
                 "holds dtype '<f8' (needs '<f4')")


def test_wrong_dtype_of_scalar(model, work):
    inputs = savez(work / "in.npz", x=x_input(), lr=np.array(1, np.int32))
    assert_error(work, [model, "--entry", "train_step", "--inputs", inputs],
                 "input 'lr'", "is f32 []", "'<i4'")


def test_not_a_zip(model, work):
    bad = work / "in.npz"
    bad.write_bytes(b"this is not a zip archive at all" * 4)
    assert_error(work, [model, "--inputs", bad], "not a valid .npz file (zip archive)")


def test_plain_npy_instead_of_npz(model, work):
    bad = work / "in.npy"
    np.save(bad, x_input())
    assert_error(work, [model, "--inputs", bad], "not a valid .npz file")


@pytest.mark.parametrize("keep", [0.3, 0.9])
def test_truncated_npz(model, work, keep):
    blob = savez(work / "full.npz", x=x_input()).read_bytes()
    (work / "full.npz").unlink()
    bad = work / "in.npz"
    bad.write_bytes(blob[: int(len(blob) * keep)])
    assert_error(work, [model, "--inputs", bad], "in.npz")


def _stored_npz(path, name, payload):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(name, payload)
    return path


def _npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


@pytest.mark.parametrize("compressed", [False, True], ids=["stored", "deflated"])
def test_corrupt_member(model, work, compressed):
    """One flipped byte inside the member's data: libzip's CRC check."""
    blob = bytearray(savez(work / "good.npz", compressed, x=x_input()).read_bytes())
    (work / "good.npz").unlink()
    blob[len(blob) // 3] ^= 0x01  # inside the (only) member's data
    bad = work / "in.npz"
    bad.write_bytes(bytes(blob))
    assert_error(work, [model, "--inputs", bad], "member 'x.npy'")


@pytest.mark.parametrize("payload,phrase", [
    (b"not an npy file at all", "not a .npy array"),
    (b"\x93NUMPY\x07\x00" + b"\0" * 20, "unsupported .npy format version 7.0"),
    (b"\x93NUMPY\x01\x00\xff\x00{'descr'", "truncated .npy header"),
    (b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f4' ", "bad .npy header"),
    (b"\x93NUMPY\x01\x00\x50\x00" + b"{'descr': '<f4', 'fortran_order': False, "
     b"'shape': (1000,), 'extra': 1}".ljust(80) + b"\0" * 4000, "unexpected key 'extra'"),
], ids=["no-magic", "version", "truncated-header", "unterminated-dict", "extra-key"])
def test_bad_npy_header(model, work, payload, phrase):
    bad = _stored_npz(work / "in.npz", "x.npy", payload)
    assert_error(work, [model, "--inputs", bad], "member 'x.npy'", phrase)


def test_npy_data_truncated(model, work):
    payload = _npy_bytes(x_input())[:-8]
    bad = _stored_npz(work / "in.npz", "x.npy", payload)
    assert_error(work, [model, "--inputs", bad], "holds 3992 bytes of data", "(truncated)")


def test_member_claiming_a_huge_size(model, work):
    """A directory entry that claims 2 GiB: rejected from the header, before
    anything that large is allocated or read."""
    blob = bytearray(savez(work / "good.npz", True, x=x_input()).read_bytes())
    (work / "good.npz").unlink()
    local = blob.find(b"PK\x03\x04")
    central = blob.find(b"PK\x01\x02")
    struct.pack_into("<I", blob, local + 22, 0x7FFFFFFF)    # uncompressed size
    struct.pack_into("<I", blob, central + 24, 0x7FFFFFFF)
    bad = work / "in.npz"
    bad.write_bytes(bytes(blob))
    assert_error(work, [model, "--inputs", bad], "in.npz")


def test_fortran_order(model, work):
    inputs = savez(work / "in.npz", x=np.asfortranarray(np.zeros((10, 100), np.float32)))
    assert_error(work, [model, "--inputs", inputs], "Fortran-order")


def test_big_endian(model, work):
    inputs = savez(work / "in.npz", x=x_input().astype(">f4"))
    assert_error(work, [model, "--inputs", inputs], "big-endian dtype '>f4'")


def test_object_array(model, work):
    inputs = savez(work / "in.npz", x=np.array([None] * N, dtype=object))
    assert_error(work, [model, "--inputs", inputs], "object arrays ('|O')")


def test_structured_dtype(model, work):
    inputs = savez(work / "in.npz", x=np.zeros(N, dtype=[("a", "<f4")]))
    assert_error(work, [model, "--inputs", inputs], "structured dtypes")


def test_npy_format_versions_2_and_3(model, work):
    x = x_input(7)
    for version in ((2, 0), (3, 0)):
        buf = io.BytesIO()
        np.lib.format.write_array(buf, x, version=version)
        inputs = _stored_npz(work / "in.npz", "x.npy", buf.getvalue())
        out = work / "out.npz"
        ok(model, "--inputs", inputs, "--outputs", out)
        with np.load(out) as y:
            np.testing.assert_array_equal(y["y"], cs.forward_y(x))


# ---------------------------------------------------------------------------
# Errors: writing outputs
# ---------------------------------------------------------------------------


def test_output_into_missing_directory(model, work):
    inputs = savez(work / "in.npz", x=x_input())
    r = dlcc_run(model, "--inputs", inputs, "--outputs", work / "no" / "dir" / "out.npz")
    assert r.returncode == 1
    assert r.stderr.startswith("dlcc-run: error: ") and "cannot create a temporary file" in r.stderr


def test_failed_write_leaves_existing_output(model, work):
    """The output write fails midway (RLIMIT_FSIZE: EFBIG): the old file stays,
    no temporary file is left."""
    inputs = savez(work / "in.npz", x=x_input())
    out = work / "out.npz"
    out.write_bytes(OLD_OUTPUT)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    r = dlcc_run(model, "--inputs", inputs, "--outputs", out, preexec_fn=limit)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("dlcc-run: error: ") and "cannot write" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1
    assert out.read_bytes() == OLD_OUTPUT
    assert sorted(p.name for p in work.iterdir()) == ["in.npz", "out.npz"]


def test_outputs_and_state_to_the_same_file(model, work):
    assert_error(work, [model, "--save-state", work / "out.npz"],
                 "--outputs and --save-state name the same file")


# ---------------------------------------------------------------------------
# A program from the compiler (dlcc --inference), against onnxruntime
# ---------------------------------------------------------------------------

DLCC = cs.BUILD / "bin" / "dlcc"
MLP = cs.REPO_ROOT / "examples" / "mlp" / "mlp.onnx"


def _dlcc_compiles_inference():
    if not DLCC.is_file() or not MLP.is_file():
        return False
    r = subprocess.run([str(DLCC), "--help"], capture_output=True, text=True)
    return "--inference" in r.stdout


@pytest.mark.skipif(not _dlcc_compiles_inference(), reason="dlcc --inference not available")
@pytest.mark.parametrize("gemm", ["library-call", "generated"])
def test_compiled_mlp_matches_onnxruntime(work, gemm):
    ort = pytest.importorskip("onnxruntime")
    model = work / "mlp.bin"
    extra = ["--generated-gemm"] if gemm == "generated" else []
    r = subprocess.run([str(DLCC), str(MLP), "--inference", "-o", str(model), *extra],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    session = ort.InferenceSession(str(MLP), providers=["CPUExecutionProvider"])
    feeds = {}
    for i, inp in enumerate(session.get_inputs()):
        shape = [d if isinstance(d, int) else 2 for d in inp.shape]
        feeds[inp.name] = np.random.default_rng(i).standard_normal(shape).astype(np.float32)
    expected = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
    inputs = savez(work / "in.npz", **feeds)
    for threads in (1, 2):
        out = work / f"out{threads}.npz"
        ok(model, "--inputs", inputs, "--outputs", out, "--threads", threads)
        with np.load(out) as got:
            assert sorted(got.files) == sorted(expected)
            for name, value in expected.items():
                np.testing.assert_allclose(got[name], value, rtol=1e-5, atol=1e-5)
    # Generated kernels give the same bits for any thread count; oneDNN only
    # for a fixed count (its blocking depends on the team size).
    if gemm == "generated":
        assert (work / "out1.npz").read_bytes() == (work / "out2.npz").read_bytes()


NPZ_CORPUS = Path(__file__).resolve().parents[1] / "Runtime" / "fuzz" / "npz-corpus"
EXECUTOR_SEED = NPZ_CORPUS.parent / "executor-corpus" / "matmul-add-relu.bin"


@pytest.mark.skipif(not EXECUTOR_SEED.is_file(), reason="executor fuzz corpus not found")
def test_npz_fuzz_corpus_replays_cleanly(work):
    """Every file of the .npz reader fuzzer's corpus (test/Runtime/fuzz/
    npz-corpus: seeds and regression inputs) given to dlcc-run --inputs of a
    compiled program (input x: f32 [2, 4]): it runs (the seed that holds just
    that x) or fails with one error line and exit status 1; never a crash."""
    files = sorted(p for p in NPZ_CORPUS.iterdir() if p.is_file())
    assert len(files) >= 5
    ran = []
    for f in files:
        assert f.stat().st_size < 8192, f"{f.name} is larger than 8 KB (-max_len=8192)"
        r = dlcc_run(EXECUTOR_SEED, "--inputs", f, "--outputs", work / "out.npz",
                     "--threads", 1, timeout=60)
        assert r.returncode in (0, 1), f"{f.name}: exit {r.returncode}\n{r.stderr}"
        if r.returncode == 0:
            ran.append(f.name)
        else:
            assert r.stderr.startswith("dlcc-run: error: "), f"{f.name}: {r.stderr}"
            assert r.stderr.count("\n") == 1, f"{f.name}: {r.stderr}"
        for bad in ("Assertion", "Segmentation", "terminate", "Sanitizer"):
            assert bad not in r.stderr, f"{f.name}: {r.stderr}"
    assert "f32-stored.npz" in ran and "f32-deflated.npz" not in ran
