"""The runtime's execution: sessions, the executor and the CPU backend
(docs/runtime.md), through the C API with ctypes on programs written by
`dlcc-artifact-tool write-cpu-sample` with kernels compiled here from
test/Runtime/cpu/sample_kernels.c. No mocks: real kernels in a real shared
object, loaded by the runtime from memory."""

import ctypes
import json
import os
import struct
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Runtime" / "cpu"))
import cpu_sample as cs  # noqa: E402

pytestmark = pytest.mark.skipif(
    not cs.TOOL.is_file() or not cs.RUNTIME_LIB.is_file() or cs.CC is None,
    reason="dlcc-artifact-tool, libdlcc_runtime.so or a C compiler not found")

OK, INVALID_ARGUMENT, OUT_OF_RANGE, IO_ERROR, INVALID_ARTIFACT = 0, 1, 2, 4, 5
OUT_OF_MEMORY, UNSUPPORTED = 7, 9
CPU, CUDA = 1, 2


# ---------------------------------------------------------------------------
# ctypes binding of the C API (include/dlcc-c/dlcc.h)
# ---------------------------------------------------------------------------

class SessionOptions(ctypes.Structure):
    _fields_ = [("device", ctypes.c_int), ("cpu_threads", ctypes.c_uint32),
                ("cuda_device", ctypes.c_int32), ("flags", ctypes.c_uint64)]


class ArgumentDescriptor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("kind", ctypes.c_int),
                ("state_slot", ctypes.c_int64), ("dtype", ctypes.c_int),
                ("rank", ctypes.c_size_t), ("dims", ctypes.POINTER(ctypes.c_int64)),
                ("byte_size", ctypes.c_uint64)]


def _load_library():
    lib = ctypes.CDLL(str(cs.RUNTIME_LIB))
    vp, sz = ctypes.c_void_p, ctypes.c_size_t
    sigs = {
        "dlcc_status_message": ([], ctypes.c_char_p),
        "dlcc_program_load_file": ([ctypes.c_char_p, vp, ctypes.POINTER(vp)], ctypes.c_int),
        "dlcc_program_release": ([vp], ctypes.c_int),
        "dlcc_program_find_entry_point": ([vp, ctypes.c_char_p, ctypes.POINTER(sz)], ctypes.c_int),
        "dlcc_program_find_state_slot": ([vp, ctypes.c_char_p, ctypes.POINTER(sz)], ctypes.c_int),
        "dlcc_program_entry_point_argument": ([vp, sz, sz, ctypes.POINTER(ArgumentDescriptor)],
                                              ctypes.c_int),
        "dlcc_program_entry_point_result": ([vp, sz, sz, ctypes.POINTER(ArgumentDescriptor)],
                                            ctypes.c_int),
        "dlcc_session_options_initialize": ([ctypes.POINTER(SessionOptions)], ctypes.c_int),
        "dlcc_session_create": ([vp, ctypes.POINTER(SessionOptions), ctypes.POINTER(vp)],
                                ctypes.c_int),
        "dlcc_session_release": ([vp], ctypes.c_int),
        "dlcc_session_device": ([vp, ctypes.POINTER(ctypes.c_int)], ctypes.c_int),
        "dlcc_session_cpu_threads": ([vp, ctypes.POINTER(ctypes.c_uint32)], ctypes.c_int),
        "dlcc_session_set_input": ([vp, sz, sz, vp, sz], ctypes.c_int),
        "dlcc_session_run": ([vp, sz], ctypes.c_int),
        "dlcc_session_get_result": ([vp, sz, sz, vp, sz], ctypes.c_int),
        "dlcc_session_read_state": ([vp, sz, vp, sz], ctypes.c_int),
        "dlcc_session_write_state": ([vp, sz, vp, sz], ctypes.c_int),
        "dlcc_session_reset_state": ([vp], ctypes.c_int),
    }
    for name, (args, res) in sigs.items():
        f = getattr(lib, name)
        f.argtypes, f.restype = args, res
    return lib


LIB = _load_library() if cs.RUNTIME_LIB.is_file() else None


def message():
    return LIB.dlcc_status_message().decode()


class DlccError(Exception):
    def __init__(self, status, text):
        super().__init__(f"status {status}: {text}")
        self.status, self.text = status, text


def check(status):
    if status != OK:
        raise DlccError(status, message())


class Program:
    def __init__(self, path):
        self.handle = ctypes.c_void_p()
        check(LIB.dlcc_program_load_file(str(path).encode(), None, ctypes.byref(self.handle)))

    def entry(self, name):
        i = ctypes.c_size_t()
        check(LIB.dlcc_program_find_entry_point(self.handle, name.encode(), ctypes.byref(i)))
        return i.value

    def slot(self, name):
        i = ctypes.c_size_t()
        check(LIB.dlcc_program_find_state_slot(self.handle, name.encode(), ctypes.byref(i)))
        return i.value

    def descriptor(self, entry, index, result):
        d = ArgumentDescriptor()
        f = LIB.dlcc_program_entry_point_result if result else LIB.dlcc_program_entry_point_argument
        check(f(self.handle, entry, index, ctypes.byref(d)))
        return d

    def release(self):
        if self.handle:
            check(LIB.dlcc_program_release(self.handle))
            self.handle = ctypes.c_void_p()


DTYPES = {3: np.float32, 11: np.int64, 12: np.uint8}


class Session:
    def __init__(self, program, threads=0, device=0):
        self.program = program
        o = SessionOptions()
        check(LIB.dlcc_session_options_initialize(ctypes.byref(o)))
        o.cpu_threads, o.device = threads, device
        self.handle = ctypes.c_void_p()
        check(LIB.dlcc_session_create(program.handle, ctypes.byref(o), ctypes.byref(self.handle)))

    def release(self):
        if self.handle:
            LIB.dlcc_session_release(self.handle)
            self.handle = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def set_input(self, entry, index, array):
        array = np.ascontiguousarray(array)
        check(LIB.dlcc_session_set_input(self.handle, entry, index,
                                         array.ctypes.data_as(ctypes.c_void_p), array.nbytes))

    def run(self, entry):
        check(LIB.dlcc_session_run(self.handle, entry))

    def result(self, entry, index):
        d = self.program.descriptor(entry, index, result=True)
        shape = tuple(d.dims[i] for i in range(d.rank))
        out = np.empty(shape, dtype=DTYPES[d.dtype])
        check(LIB.dlcc_session_get_result(self.handle, entry, index,
                                          out.ctypes.data_as(ctypes.c_void_p), out.nbytes))
        return out

    def read_state(self, slot, dtype, shape):
        out = np.empty(shape, dtype=dtype)
        check(LIB.dlcc_session_read_state(self.handle, slot,
                                          out.ctypes.data_as(ctypes.c_void_p), out.nbytes))
        return out

    def write_state(self, slot, array):
        array = np.ascontiguousarray(array)
        check(LIB.dlcc_session_write_state(self.handle, slot,
                                           array.ctypes.data_as(ctypes.c_void_p), array.nbytes))

    def cpu_threads(self):
        n = ctypes.c_uint32()
        check(LIB.dlcc_session_cpu_threads(self.handle, ctypes.byref(n)))
        return n.value

    def device(self):
        d = ctypes.c_int()
        check(LIB.dlcc_session_device(self.handle, ctypes.byref(d)))
        return d.value


def create_error(path, **kwargs):
    """The status and message of a failing dlcc_session_create."""
    program = Program(path)
    try:
        with pytest.raises(DlccError) as info:
            Session(program, **kwargs)
        return info.value
    finally:
        program.release()


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kernels(tmp_path_factory):
    return cs.build_kernels(tmp_path_factory.mktemp("kernels"))


@pytest.fixture
def sample(tmp_path, kernels):
    def _sample(*options, name="sample.bin"):
        return cs.write_sample(tmp_path / name, kernels, *options)
    return _sample


def run_forward(path, x, threads=0):
    program = Program(path)
    try:
        with Session(program, threads=threads) as s:
            fwd = program.entry("forward")
            s.set_input(fwd, 0, x)
            s.run(fwd)
            return s.result(fwd, 0), s.result(fwd, 1), s.result(fwd, 2)
    finally:
        program.release()


# ---------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------


def test_forward_matches_numpy(sample):
    x = np.random.default_rng(0).standard_normal(1000).astype(np.float32)
    y, marks, flags = run_forward(sample(), x)
    np.testing.assert_array_equal(y, cs.forward_y(x))
    np.testing.assert_array_equal(marks, cs.marks((7, 3, 2)))
    np.testing.assert_array_equal(flags, np.full(16, 0x2A, np.uint8))


def test_train_step_swaps_tied_state(sample):
    n = 1000
    program = Program(sample())
    x = np.random.default_rng(1).standard_normal(n).astype(np.float32)
    lr = np.array(0.5, np.float32)
    try:
        with Session(program) as s:
            step, fwd = program.entry("train_step"), program.entry("forward")
            w_slot, step_slot = program.slot("w"), program.slot("step")
            s.set_input(step, 0, x)
            s.set_input(step, 3, lr)
            expected = cs.initial_w(n)
            for i in range(3):
                s.run(step)
                expected = expected + lr * x
                w = s.read_state(w_slot, np.float32, (n,))
                np.testing.assert_array_equal(w, expected)
                assert s.read_state(step_slot, np.int64, ()) == i + 1
                assert s.result(step, 2) == i, "prev_step is the step before the run"
                np.testing.assert_array_equal(s.result(step, 0), w)  # tied result = slot
            # forward reads the updated weight.
            s.set_input(fwd, 0, x)
            s.run(fwd)
            np.testing.assert_array_equal(s.result(fwd, 0), cs.forward_y(x, expected))
            # Reset restores the initial values (and leaves the constant).
            check(LIB.dlcc_session_reset_state(s.handle))
            np.testing.assert_array_equal(s.read_state(w_slot, np.float32, (n,)),
                                          cs.initial_w(n))
            assert s.read_state(step_slot, np.int64, ()) == 0
            np.testing.assert_array_equal(s.read_state(program.slot("c"), np.float32, (n,)),
                                          cs.constant_c(n))
    finally:
        program.release()


def test_write_state_is_used_by_the_next_run(sample):
    n = 1000
    program = Program(sample())
    try:
        with Session(program) as s:
            fwd = program.entry("forward")
            w = np.linspace(-1, 1, n, dtype=np.float32)
            s.write_state(program.slot("w"), w)
            x = np.ones(n, np.float32)
            s.set_input(fwd, 0, x)
            s.run(fwd)
            np.testing.assert_array_equal(s.result(fwd, 0), cs.forward_y(x, w))
            with pytest.raises(DlccError) as e:
                s.write_state(program.slot("c"), w)
            assert e.value.status == INVALID_ARGUMENT and "constant" in e.value.text
    finally:
        program.release()


def test_sessions_have_separate_state(sample):
    program = Program(sample())
    try:
        with Session(program) as a, Session(program) as b:
            step = program.entry("train_step")
            for s in (a, b):
                s.set_input(step, 0, np.ones(1000, np.float32))
                s.set_input(step, 3, np.array(1, np.float32))
            a.run(step)
            a.run(step)
            b.run(step)
            assert a.read_state(program.slot("step"), np.int64, ()) == 2
            assert b.read_state(program.slot("step"), np.int64, ()) == 1
    finally:
        program.release()


def test_failed_run_changes_no_state(sample):
    program = Program(sample())
    try:
        with Session(program) as s:
            step = program.entry("train_step")
            s.set_input(step, 0, np.ones(1000, np.float32))  # lr never set
            with pytest.raises(DlccError) as e:
                s.run(step)
            assert e.value.status == INVALID_ARGUMENT
            assert '("lr") was never set' in e.value.text
            assert s.read_state(program.slot("step"), np.int64, ()) == 0
            np.testing.assert_array_equal(s.read_state(program.slot("w"), np.float32, (1000,)),
                                          cs.initial_w(1000))
    finally:
        program.release()


@pytest.mark.parametrize("n", [5000, 257])
def test_thread_counts_give_identical_bits(sample, n):
    path = sample("--n", n, "--grid", "13,3,1")
    x = np.random.default_rng(2).standard_normal(n).astype(np.float32)
    reference = run_forward(path, x, threads=1)
    for threads in (2, 3, 4, 7):
        got = run_forward(path, x, threads=threads)
        for r, g in zip(reference, got):
            assert r.tobytes() == g.tobytes(), f"{threads} threads differ from 1"
    np.testing.assert_array_equal(reference[0], cs.forward_y(x))


@pytest.mark.parametrize("grid", [(1, 1, 1), (2, 1, 1), (5, 1, 1), (7, 3, 2), (1, 4, 3),
                                  (97, 1, 1)])
@pytest.mark.parametrize("threads", [1, 3, 4])
def test_uneven_grids_run_every_block_once(sample, grid, threads):
    path = sample("--grid", ",".join(map(str, grid)), "--n", 1)
    _, marks, _ = run_forward(path, np.ones(1, np.float32), threads=threads)
    np.testing.assert_array_equal(marks, cs.marks(grid))


@pytest.mark.parametrize("n", [1, 255, 256, 257, 1023])
def test_partial_last_block(sample, n):
    x = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    y, _, _ = run_forward(sample("--n", n), x, threads=4)
    np.testing.assert_array_equal(y, cs.forward_y(x))


def test_thread_count_from_options_and_environment(sample, monkeypatch):
    program = Program(sample())
    try:
        with Session(program, threads=3) as s:
            assert s.device() == CPU
            assert s.cpu_threads() == 3
        monkeypatch.setenv("DLCC_NUM_THREADS", "5")
        with Session(program) as s:
            assert s.cpu_threads() == 5
        with Session(program, threads=2) as s:
            assert s.cpu_threads() == 2, "the option wins over the environment"
        monkeypatch.setenv("DLCC_NUM_THREADS", "many")
        with pytest.raises(DlccError) as e:
            Session(program)
        assert e.value.status == INVALID_ARGUMENT and "DLCC_NUM_THREADS" in e.value.text
        monkeypatch.delenv("DLCC_NUM_THREADS")
        with Session(program) as s:
            assert s.cpu_threads() >= 1
    finally:
        program.release()


def test_kernel_image_leaves_no_files(sample, tmp_path, monkeypatch):
    """The image goes through a memfd: nothing is written to $TMPDIR."""
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    x = np.ones(1000, np.float32)
    y, _, _ = run_forward(sample(), x)
    np.testing.assert_array_equal(y, cs.forward_y(x))
    assert list(tmpdir.iterdir()) == []


def test_many_sessions_load_and_unload_kernels(sample):
    path = sample()
    x = np.ones(1000, np.float32)
    for _ in range(20):
        y, _, _ = run_forward(path, x, threads=2)
        np.testing.assert_array_equal(y, cs.forward_y(x))


# ---------------------------------------------------------------------------
# Session creation: what the CPU backend cannot run
# ---------------------------------------------------------------------------


def test_missing_symbol(sample):
    e = create_error(sample("--missing-symbol"))
    assert e.status == INVALID_ARTIFACT
    assert 'kernel "affine": symbol "dlcc_test_no_such_symbol" not found' in e.text


def test_unknown_cpu_baseline(sample):
    e = create_error(sample("--baseline", "x86-64-v9"))
    assert e.status == UNSUPPORTED
    assert 'cpu_baseline "x86-64-v9" is not known' in e.text


def _host_flags():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


@pytest.mark.parametrize("level,flags", [
    ("x86-64-v2", {"sse4_2", "ssse3", "popcnt"}),
    ("x86-64-v3", {"avx2", "fma", "bmi2", "avx", "f16c", "movbe"}),
    ("x86-64-v4", {"avx512f", "avx512bw", "avx512dq", "avx512vl"}),
])
def test_cpu_baseline_against_the_host(sample, level, flags):
    path = sample("--baseline", level)
    if flags <= _host_flags():
        x = np.ones(1000, np.float32)
        np.testing.assert_array_equal(run_forward(path, x)[0], cs.forward_y(x))
    else:
        e = create_error(path)
        assert e.status == UNSUPPORTED
        assert f"need {level}, but this CPU lacks" in e.text


def test_no_cpu_kernel_image(tmp_path):
    path = cs.write_sample(tmp_path / "gpu-only.bin", None, "--no-cpu-image")
    e = create_error(path)
    assert e.status == UNSUPPORTED
    assert "no CPU kernel image" in e.text


def test_collective_is_unsupported(sample):
    e = create_error(sample("--collective"))
    assert e.status == UNSUPPORTED
    assert 'entry point "train_step": commands[3] is a LibraryCall (all_reduce)' in e.text


def test_f64_gemm_is_unsupported(sample):
    e = create_error(sample("--gemm", "2,2,2,1,0,0,0", "--gemm-f64"))
    assert e.status == UNSUPPORTED
    assert "is a LibraryCall (gemm)" in e.text
    assert "takes f32 operands only" in e.text


# ---------------------------------------------------------------------------
# gemm library calls (CpuGemm.cpp)
# ---------------------------------------------------------------------------


def gemm_inputs(m, n, k, batch, ta, tb, bcast, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((batch, k, m) if ta else (batch, m, k)).astype(np.float32)
    b_shape = (n, k) if tb else (k, n)
    b = rng.standard_normal(b_shape if bcast else (batch, *b_shape)).astype(np.float32)
    return a, b


def gemm_reference(a, b, ta, tb):
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    if ta:
        a64 = np.swapaxes(a64, -1, -2)
    if tb:
        b64 = np.swapaxes(b64, -1, -2)
    return a64 @ b64


def run_entry(path, name, inputs, threads=0):
    """Result 0 of entry point `name` run once on `inputs` (in order)."""
    program = Program(path)
    try:
        with Session(program, threads=threads) as s:
            e = program.entry(name)
            for i, value in enumerate(inputs):
                s.set_input(e, i, value)
            s.run(e)
            return s.result(e, 0)
    finally:
        program.release()


def run_gemm(path, a, b, threads=0):
    return run_entry(path, "gemm", (a, b), threads)


@pytest.mark.parametrize("shape", [
    (5, 7, 3, 1, 0, 0, 0), (5, 7, 3, 2, 1, 0, 0), (5, 7, 3, 2, 0, 1, 0), (5, 7, 3, 2, 1, 1, 0),
    (4, 300, 17, 3, 0, 0, 1), (64, 64, 64, 2, 0, 1, 1), (1, 1, 1, 1, 0, 0, 0),
    (3, 5, 0, 2, 0, 0, 0), (130, 520, 33, 1, 0, 0, 0),
], ids=lambda s: "m{}n{}k{}b{}ta{}tb{}bc{}".format(*s))
def test_gemm(sample, shape):
    m, n, k, batch, ta, tb, bcast = shape
    path = sample("--gemm", ",".join(map(str, shape)))
    a, b = gemm_inputs(*shape)
    c = run_gemm(path, a, b)
    assert c.shape == (batch, m, n) and c.dtype == np.float32
    np.testing.assert_allclose(c, gemm_reference(a, b, ta, tb), rtol=1e-5, atol=1e-5)
    # oneDNN is bit-reproducible for a given thread count; its blocking
    # depends on the team size, so other counts agree to rounding only.
    assert run_gemm(path, a, b).tobytes() == c.tobytes()
    for threads in (1, 3):
        np.testing.assert_allclose(run_gemm(path, a, b, threads), c, rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------------------
# Convolution library calls (CpuConv.cpp)
# ---------------------------------------------------------------------------

# N, C, H, W, O, KH, KW, SH, SW, PT, PL, PB, PR, DH, DW, G
CONV_CASES = {
    "basic": (2, 3, 9, 9, 8, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1),
    "padded": (1, 4, 7, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    "asymmetric-strided": (2, 3, 10, 11, 5, 3, 2, 2, 3, 0, 1, 2, 0, 1, 1, 1),
    "dilated": (1, 2, 12, 12, 4, 3, 3, 1, 1, 2, 2, 2, 2, 2, 3, 1),
    "grouped": (2, 8, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4),
    "depthwise": (1, 16, 14, 14, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 16),
    "pointwise": (4, 64, 8, 8, 32, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
}


def conv_reference(x, w, c):
    """torch's conv2d in float64 (asymmetric padding with F.pad first)."""
    import torch
    import torch.nn.functional as F
    sh, sw, pt, pl, pb, pr, dh, dw, g = c[7:]
    xp = F.pad(torch.from_numpy(x.astype(np.float64)), (pl, pr, pt, pb))
    return F.conv2d(xp, torch.from_numpy(w.astype(np.float64)), stride=(sh, sw),
                    dilation=(dh, dw), groups=g).numpy()


def run_conv(path, x, w, threads=0):
    return run_entry(path, "conv", (x, w), threads)


@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_conv(sample, case):
    c = CONV_CASES[case]
    n, ch, h, wd, o, kh, kw, g = c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[15]
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, ch, h, wd)).astype(np.float32)
    w = rng.standard_normal((o, ch // g, kh, kw)).astype(np.float32)
    path = sample("--conv", ",".join(map(str, c)))
    want = conv_reference(x, w, c)
    y = run_conv(path, x, w)
    assert y.shape == want.shape and y.dtype == np.float32
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)
    assert run_conv(path, x, w).tobytes() == y.tobytes()  # same threads: same bits
    np.testing.assert_allclose(run_conv(path, x, w, threads=1), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", ["backward-data", "backward-filter"])
@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_conv_gradients(sample, case, kind):
    """conv_backward_data (dX from dY and W) and conv_backward_filter (dW
    from X and dY) library calls of the same convolutions, against torch's
    autograd of conv2d in float64."""
    import torch
    import torch.nn.functional as F
    c = CONV_CASES[case]
    n, ch, h, wd, o, kh, kw, g = c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[15]
    sh, sw, pt, pl, pb, pr, dh, dw = c[7:15]
    rng = np.random.default_rng(2)
    x = rng.standard_normal((n, ch, h, wd)).astype(np.float32)
    w = rng.standard_normal((o, ch // g, kh, kw)).astype(np.float32)
    y_shape = conv_reference(x, w, c).shape
    dy = rng.standard_normal(y_shape).astype(np.float32)
    tx = torch.from_numpy(x.astype(np.float64)).requires_grad_()
    tw = torch.from_numpy(w.astype(np.float64)).requires_grad_()
    ty = F.conv2d(F.pad(tx, (pl, pr, pt, pb)), tw, stride=(sh, sw), dilation=(dh, dw), groups=g)
    ty.backward(torch.from_numpy(dy.astype(np.float64)))
    path = sample("--conv", ",".join(map(str, c)), "--conv-kind", kind)
    if kind == "backward-data":
        got, want = run_entry(path, "conv", (dy, w), 0), tx.grad.numpy()
    else:
        got, want = run_entry(path, "conv", (x, dy), 0), tw.grad.numpy()
    assert got.shape == want.shape and got.dtype == np.float32
    scale = float(np.max(np.abs(want)))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.parametrize("conv,message", [
    # A 2x2 input under a 3x3 filter without padding: no output position.
    ("1,1,2,2,1,3,3,1,1,0,0,0,0,1,1,1", "has a dimension < 1"),
    # 3 channels in 2 groups.
    ("1,3,5,5,4,3,3,1,1,0,0,0,0,1,1,2", "do not agree (N, channels)"),
    # A zero stride.
    ("1,1,5,5,1,3,3,0,1,0,0,0,0,1,1,1", "has a dimension < 1"),
    # A zero stride with the output extents given (3x3): the stride check
    # itself, not the output's zero extent.
    ("1,1,5,5,1,3,3,0,1,0,0,0,0,1,1,1,3,3", "spatial dimension 0 has stride 0"),
])
def test_conv_geometry_is_validated(sample, conv, message):
    err = inspect_error(sample("--conv", conv))
    assert 'entry_points[2] ("conv").commands[0] (LibraryCall).descriptor' in err, err
    assert message in err, err


def test_conv_geometry_cannot_overflow(sample):
    """A dilation of 2^35 over a filter 2^29 + 1 tall would make
    dilation * (filter - 1) = 2^64, which wraps to 0 in int64 arithmetic:
    the extent check then passed an 8-tall output for an 8-tall input, and a
    library would read far outside the input. Such sizes are rejected."""
    d, k = 2 ** 35, 2 ** 29 + 1
    err = inspect_error(sample("--conv", "1,1,8,1,1,%d,1,1,1,0,0,0,0,%d,1,1,8,1" % (k, d)))
    assert ("descriptor spatial dimension 0 has stride 1, dilation %d, pads 0 and 0" % d) in err, err


def test_conv_output_extent_is_validated(sample):
    """An output extent that does not follow from the geometry (every
    [1, 1, 3, 3] in the metadata, the filter's and the output's shapes,
    patched to [1, 1, 3, 4]) is rejected."""
    path = sample("--conv", "1,1,5,5,1,3,3,1,1,0,0,0,0,1,1,1")
    blob = bytes(path.read_bytes())
    pattern = struct.pack("<4q", 1, 1, 3, 3)
    assert blob.count(pattern) >= 2
    bad = path.with_name("bad.bin")
    bad.write_bytes(rehash(blob.replace(pattern, struct.pack("<4q", 1, 1, 3, 4))))
    err = inspect_error(bad)
    assert ("descriptor spatial dimension 1: output extent 4 does not follow from input 5, "
            "filter 4, stride 1") in err, err


def test_gemm_operand_bounds_are_validated(sample):
    """The loader checks the descriptor against its operands' sizes (here a
    stride that reaches past A)."""
    path = sample("--gemm", "4,4,4,2,0,0,0")
    blob = bytearray(path.read_bytes())
    # stride_a is 16 (m*k) as the only int64 16 directly followed by
    # stride_b 16 and stride_c 16 in the metadata; make it 17.
    pattern = struct.pack("<3q", 16, 16, 16)
    at = blob.find(pattern)
    assert at > 0 and blob.find(pattern, at + 1) < 0
    struct.pack_into("<q", blob, at, 17)
    bad = path.with_name("bad.bin")
    bad.write_bytes(rehash(bytes(blob)))
    err = inspect_error(bad)
    assert 'entry_points[2] ("gemm").commands[0] (LibraryCall).operands[0] (A) is 128 bytes, ' \
        "but the descriptor reaches 132 bytes" in err


def test_image_that_is_not_a_shared_object(tmp_path):
    path = cs.write_sample(tmp_path / "bad-image.bin", cs.KERNELS_C)  # C source, not ELF
    e = create_error(path)
    assert e.status == INVALID_ARTIFACT
    assert "is not a loadable shared object" in e.text


def test_cuda_is_not_available(sample):
    e = create_error(sample(), device=CUDA)
    assert e.status == UNSUPPORTED
    assert e.text.startswith("CUDA backend not available: ")


def test_session_api_misuse(sample):
    r = subprocess.run([str(cs.TOOL), "session-selftest", str(sample())],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "session-selftest: ok" in r.stdout


def test_program_release_races_session_create(sample):
    """Programs are reference counted (a session holds a reference): the
    handle released before, after and while other threads create, run and
    release sessions of the program (dlcc-artifact-tool
    program-lifetime-selftest, 10 rounds of 4 threads)."""
    r = subprocess.run([str(cs.TOOL), "program-lifetime-selftest", str(sample()), "10"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "program-lifetime-selftest: ok" in r.stdout


def test_program_outlives_its_handle(sample):
    """Through ctypes: the handle released while a session is alive; the
    session keeps running (its constant slot is bound to the program's own
    data), and a second release of the handle is reported."""
    x = np.random.default_rng(9).standard_normal(1000).astype(np.float32)
    program = Program(sample())
    handle = program.handle
    fwd = program.entry("forward")
    s = Session(program, threads=2)
    try:
        check(LIB.dlcc_program_release(handle))
        assert LIB.dlcc_program_release(handle) == INVALID_ARGUMENT
        assert "already released" in message()
        s.set_input(fwd, 0, x)
        s.run(fwd)
        out = np.empty(1000, np.float32)
        check(LIB.dlcc_session_get_result(s.handle, fwd, 0,
                                          out.ctypes.data_as(ctypes.c_void_p), out.nbytes))
        np.testing.assert_array_equal(out, cs.forward_y(x))
    finally:
        s.release()  # the last reference: the program goes too
        program.handle = ctypes.c_void_p()


@pytest.mark.parametrize("kind", ["fifo", "directory", "dev-zero"])
def test_load_file_rejects_files_that_are_not_regular(tmp_path, kind):
    """dlcc_program_load_file never blocks on a FIFO (no writer ever opens
    it) and rejects directories and devices; run in a subprocess with a
    timeout so that a regression fails instead of hanging the suite."""
    if kind == "fifo":
        path = tmp_path / "model.bin"
        os.mkfifo(path)
        what = "(a FIFO)"
    elif kind == "directory":
        path = tmp_path / "model.bin"
        path.mkdir()
        what = "(a directory)"
    else:
        path, what = Path("/dev/zero"), "(a character device)"
    r = subprocess.run([str(cs.TOOL), "inspect", str(path)], capture_output=True,
                       text=True, timeout=20)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{path}: not a regular file {what}" in r.stderr, r.stderr
    # The status, in-process (safe now that the subprocess did not block).
    handle = ctypes.c_void_p()
    status = LIB.dlcc_program_load_file(str(path).encode(), None, ctypes.byref(handle))
    assert status == IO_ERROR and not handle.value
    assert message() == f"{path}: not a regular file {what}"


# A 3x3 convolution whose input is 2^32 floats (16 GiB): preparing it
# (oneDNN's buffer for the input in its blocked layout) or, where oneDNN keeps
# the plain layout, the session's input buffer cannot be allocated under a
# 4 GiB address-space limit.
_OOM_SCRIPT = textwrap.dedent("""
    import ctypes, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    lib = ctypes.CDLL(sys.argv[1])
    vp = ctypes.c_void_p
    lib.dlcc_status_message.restype = ctypes.c_char_p
    lib.dlcc_program_load_file.argtypes = [ctypes.c_char_p, vp, ctypes.POINTER(vp)]
    lib.dlcc_session_create.argtypes = [vp, vp, ctypes.POINTER(vp)]
    class Options(ctypes.Structure):
        _fields_ = [("device", ctypes.c_int), ("cpu_threads", ctypes.c_uint32),
                    ("cuda_device", ctypes.c_int32), ("flags", ctypes.c_uint64)]
    program, session = vp(), vp()
    assert lib.dlcc_program_load_file(sys.argv[2].encode(), None, ctypes.byref(program)) == 0
    o = Options(1, 2, 0, 0)  # the CPU, 2 threads
    status = lib.dlcc_session_create(program, ctypes.byref(o), ctypes.byref(session))
    print(status)
    print(lib.dlcc_status_message().decode())
""")


@pytest.mark.parametrize("kind", ["forward", "backward-data", "backward-filter"])
def test_out_of_memory_while_preparing_a_convolution(sample, tmp_path, kind):
    """Out of memory while the session prepares a library call is
    DLCC_STATUS_OUT_OF_MEMORY with a message saying so, not UNSUPPORTED."""
    path = sample("--conv", "1,16,16384,16384,16,3,3,1,1,1,1,1,1,1,1,1",
                  "--conv-kind", kind)
    r = subprocess.run([sys.executable, "-c", _OOM_SCRIPT, str(cs.RUNTIME_LIB), str(path)],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "DLCC_NUM_THREADS": "2"})
    assert r.returncode == 0, r.stdout + r.stderr
    status, text = r.stdout.split("\n", 1)
    assert int(status) == OUT_OF_MEMORY, text
    assert "out of memory" in text or "cannot allocate" in text, text
    assert "does not support" not in text, text



def test_concurrent_sessions_on_many_threads_agree(sample):
    """Four sessions of 4 threads each, run concurrently from four threads
    (each opening its own OpenMP team), all compute the right results."""
    path = sample("--grid", "64,1,1")
    program = Program(path)
    callers, threads = 4, 4
    x = np.random.default_rng(3).standard_normal(1000).astype(np.float32)
    ran = threading.Barrier(callers + 1)
    done = threading.Barrier(callers + 1)
    results = [None] * callers

    def work(i):
        try:
            with Session(program, threads=threads) as s:
                fwd = program.entry("forward")
                s.set_input(fwd, 0, x)
                for _ in range(5):
                    s.run(fwd)
                results[i] = (s.result(fwd, 0), s.result(fwd, 1))
        finally:
            ran.wait()   # every caller is still alive when threads are counted
            done.wait()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(callers)]
    try:
        for w in workers:
            w.start()
        ran.wait(timeout=120)
        done.wait(timeout=120)
    finally:
        for w in workers:
            w.join(timeout=120)
        program.release()
    for y, marks in results:
        np.testing.assert_array_equal(y, cs.forward_y(x))
        np.testing.assert_array_equal(marks, cs.marks((64, 1, 1)))


# ---------------------------------------------------------------------------
# Loader rules added with execution
# ---------------------------------------------------------------------------


def rehash(blob):
    """Recomputes the metadata section's hash (section 0) after a patch."""
    from test_artifact import parse_sections, set_section, xxh64
    out = blob
    for i, s in enumerate(parse_sections(blob)):
        out = set_section(out, i, hash=xxh64(out[s["offset"]: s["offset"] + s["size"]]))
    return out


def inspect_error(path):
    r = subprocess.run([str(cs.TOOL), "inspect", str(path)], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stderr


def test_constant_slot_kind_round_trips(sample):
    r = subprocess.run([str(cs.TOOL), "inspect", str(sample())], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    slots = json.loads(r.stdout)["state_slots"]
    assert [(s["name"], s["kind"]) for s in slots] == [
        ("w", "parameter"), ("c", "constant"), ("step", "optimizer")]


def test_tied_constant_is_rejected(sample):
    err = inspect_error(sample("--tie-constant"))
    assert 'results[3] ("c") is tied to state slot "c", which is a constant' in err


def test_write_into_argument_space_is_rejected(sample):
    err = inspect_error(sample("--write-argument"))
    assert "commands[8] (Memset).dst writes into argument 0; arguments are read-only" in err




def test_gemm_bits_do_not_depend_on_earlier_sessions(sample):
    """oneDNN chooses (and caches) an implementation per thread count: a
    session created after one with another thread count gets the same bits
    as before."""
    shape = (5, 7, 3, 2, 1, 1, 0)
    path = sample("--gemm", ",".join(map(str, shape)))
    a, b = gemm_inputs(*shape)
    first = run_gemm(path, a, b, 2).tobytes()
    for t in (1, 3, 2):
        run_gemm(path, a, b, t)
        assert run_gemm(path, a, b, 2).tobytes() == first, t
