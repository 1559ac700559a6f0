"""State updated in place (docs/runtime.md, "State"; docs/artifact-format.md,
"State updated in place").

A tied result (the next value of a state slot) is bound to the slot's own
buffer: the compiler writes it there directly when every read of the old
value comes first (or one elementwise kernel reads each element before it
writes it: the BatchNorm running-statistics update), else through an arena
temporary copied into the slot by a final Copy command. The runtime keeps one
buffer per slot. Checked here on a training-mode torch BatchNorm2d compiled
by `dlcc --inference -o m.bin --gpu-arch=none` and run through the C API
(ctypes):

- the running statistics after two runs equal two NumPy updates (ONNX
  semantics: momentum 0.9 on the old value, the batch's population
  variance), and the output of each run is the batch-normalised input;
- the session's state memory (dlcc_session_state_bytes) is the sum of the
  slots' sizes, not twice that for the updated ones;
- a run that fails before any command runs (an input never set), and a
  wrong-size input, leave the statistics as they were;
- a model that reads the old running mean after the update is computed goes
  through a temporary and one Copy, with the same results;
- zero-initialised slots (BatchNorm's zero bias) store nothing, read zeros
  and are shown by `dlcc-run --describe` with the state bytes.
"""
import ctypes
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
BIN = ROOT / "build" / "bin"
DLCC, DLCC_RUN = BIN / "dlcc", BIN / "dlcc-run"
RUNTIME_LIB = ROOT / "build" / "lib" / "libdlcc_runtime.so"

pytestmark = pytest.mark.skipif(
    not DLCC.is_file() or not DLCC_RUN.is_file() or not RUNTIME_LIB.is_file(),
    reason="dlcc, dlcc-run or libdlcc_runtime.so not built")

OK, INVALID_ARGUMENT = 0, 1
CPU = 1
SPLAT = 2  # DLCC_INITIAL_VALUE_SPLAT
C, N, H, W = 16, 4, 5, 3  # channels, batch, height, width
MOMENTUM, EPSILON = 0.9, 1e-5


# ---------------------------------------------------------------------------
# ctypes binding (include/dlcc-c/dlcc.h)
# ---------------------------------------------------------------------------

class SessionOptions(ctypes.Structure):
    _fields_ = [("device", ctypes.c_int), ("cpu_threads", ctypes.c_uint32),
                ("cuda_device", ctypes.c_int32), ("flags", ctypes.c_uint64)]


def _library():
    lib = ctypes.CDLL(str(RUNTIME_LIB))
    vp, sz = ctypes.c_void_p, ctypes.c_size_t
    sigs = {
        "dlcc_status_message": ([], ctypes.c_char_p),
        "dlcc_program_load_file": ([ctypes.c_char_p, vp, ctypes.POINTER(vp)], ctypes.c_int),
        "dlcc_program_release": ([vp], ctypes.c_int),
        "dlcc_program_find_state_slot": ([vp, ctypes.c_char_p, ctypes.POINTER(sz)],
                                         ctypes.c_int),
        "dlcc_program_state_slot_count": ([vp, ctypes.POINTER(sz)], ctypes.c_int),
        "dlcc_program_state_slot_initial_data": ([vp, sz, ctypes.POINTER(vp),
                                                  ctypes.POINTER(sz)], ctypes.c_int),
        "dlcc_program_state_slot_zero_initialized": ([vp, sz, ctypes.POINTER(ctypes.c_int)],
                                                     ctypes.c_int),
        "dlcc_program_state_slot_initial_value": ([vp, sz, ctypes.POINTER(ctypes.c_int)],
                                                  ctypes.c_int),
        "dlcc_session_options_initialize": ([ctypes.POINTER(SessionOptions)], ctypes.c_int),
        "dlcc_session_create": ([vp, ctypes.POINTER(SessionOptions), ctypes.POINTER(vp)],
                                ctypes.c_int),
        "dlcc_session_release": ([vp], ctypes.c_int),
        "dlcc_session_set_input": ([vp, sz, sz, vp, sz], ctypes.c_int),
        "dlcc_session_run": ([vp, sz], ctypes.c_int),
        "dlcc_session_get_result": ([vp, sz, sz, vp, sz], ctypes.c_int),
        "dlcc_session_read_state": ([vp, sz, vp, sz], ctypes.c_int),
        "dlcc_session_write_state": ([vp, sz, vp, sz], ctypes.c_int),
        "dlcc_session_reset_state": ([vp], ctypes.c_int),
        "dlcc_session_state_bytes": ([vp, ctypes.POINTER(ctypes.c_uint64)], ctypes.c_int),
    }
    for name, (args, res) in sigs.items():
        f = getattr(lib, name)
        f.argtypes, f.restype = args, res
    return lib


LIB = _library() if RUNTIME_LIB.is_file() else None


class DlccError(Exception):
    def __init__(self, status):
        self.status, self.text = status, LIB.dlcc_status_message().decode()
        super().__init__(f"status {status}: {self.text}")


def check(status):
    if status != OK:
        raise DlccError(status)


def ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


class Program:
    def __init__(self, path):
        self.handle = ctypes.c_void_p()
        check(LIB.dlcc_program_load_file(str(path).encode(), None, ctypes.byref(self.handle)))

    def slot(self, name):
        i = ctypes.c_size_t()
        check(LIB.dlcc_program_find_state_slot(self.handle, name.encode(), ctypes.byref(i)))
        return i.value

    def slot_sizes(self):
        n = ctypes.c_size_t()
        check(LIB.dlcc_program_state_slot_count(self.handle, ctypes.byref(n)))
        sizes = []
        for i in range(n.value):
            data, size = ctypes.c_void_p(), ctypes.c_size_t()
            check(LIB.dlcc_program_state_slot_initial_data(self.handle, i, ctypes.byref(data),
                                                           ctypes.byref(size)))
            sizes.append(size.value)
        return sizes

    def zero_initialized(self, slot):
        z = ctypes.c_int(-1)
        check(LIB.dlcc_program_state_slot_zero_initialized(self.handle, slot, ctypes.byref(z)))
        return bool(z.value)

    def close(self):
        check(LIB.dlcc_program_release(self.handle))


class Session:
    """The program's only entry point is "forward": argument 0 is the input
    x, result 0 the output."""

    def __init__(self, program):
        options = SessionOptions()
        check(LIB.dlcc_session_options_initialize(ctypes.byref(options)))
        options.device, options.cpu_threads = CPU, 2
        self.handle = ctypes.c_void_p()
        check(LIB.dlcc_session_create(program.handle, ctypes.byref(options),
                                      ctypes.byref(self.handle)))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        LIB.dlcc_session_release(self.handle)

    def set_input(self, x):
        x = np.ascontiguousarray(x)
        check(LIB.dlcc_session_set_input(self.handle, 0, 0, ptr(x), x.nbytes))

    def run(self):
        check(LIB.dlcc_session_run(self.handle, 0))

    def result(self, index, shape):
        out = np.empty(shape, np.float32)
        check(LIB.dlcc_session_get_result(self.handle, 0, index, ptr(out), out.nbytes))
        return out

    def state(self, slot, shape=(C,)):
        out = np.empty(shape, np.float32)
        check(LIB.dlcc_session_read_state(self.handle, slot, ptr(out), out.nbytes))
        return out

    def write_state(self, slot, value):
        value = np.ascontiguousarray(value, np.float32)
        check(LIB.dlcc_session_write_state(self.handle, slot, ptr(value), value.nbytes))

    def state_bytes(self):
        n = ctypes.c_uint64()
        check(LIB.dlcc_session_state_bytes(self.handle, ctypes.byref(n)))
        return n.value


# ---------------------------------------------------------------------------
# Models and references
# ---------------------------------------------------------------------------

def run(*cmd):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"{cmd[0]} failed ({r.returncode}):\n{r.stderr[-3000:]}"
    return r.stdout


def initializers(onnx_path):
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_path))
    return {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}


def batches(count):
    rng = np.random.default_rng(7)
    return [(rng.standard_normal((N, C, H, W)) * 2 + 0.5).astype(np.float32)
            for _ in range(count)]


def bn_update(mean, var, x):
    """ONNX BatchNormalization (training_mode=1): the running statistics'
    next values (the batch's population variance)."""
    x = x.astype(np.float64)
    return (MOMENTUM * mean + (1 - MOMENTUM) * x.mean(axis=(0, 2, 3)),
            MOMENTUM * var + (1 - MOMENTUM) * x.var(axis=(0, 2, 3)))


def bn_output(x, scale, bias):
    x = x.astype(np.float64)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    return (x - mean) / np.sqrt(var + EPSILON) * scale.reshape(1, -1, 1, 1) + \
        bias.reshape(1, -1, 1, 1)


def compile_model(onnx_path, out):
    report = run(DLCC, onnx_path, "--inference", "-o", out, "--gpu-arch=none", "--report")
    return report


def describe(program_path):
    return run(DLCC_RUN, program_path, "--describe")


def commands_and_launches(program_path, report):
    commands = int(re.search(r"(\d+) commands", describe(program_path)).group(1))
    launches = int(re.search(r"launches: (\d+)", report).group(1))
    return commands, launches


@pytest.fixture(scope="module")
def bn(tmp_path_factory):
    """torch.nn.BatchNorm2d(C) exported in training mode, with non-trivial
    running statistics and scale (its bias stays zero)."""
    torch = pytest.importorskip("torch")
    import torch_models

    d = tmp_path_factory.mktemp("bn")
    torch.manual_seed(0)
    model = torch.nn.BatchNorm2d(C, momentum=1 - MOMENTUM, eps=EPSILON)
    with torch.no_grad():
        model.running_mean.copy_(torch.linspace(-1, 1, C))
        model.running_var.copy_(torch.linspace(0.5, 2, C))
        model.weight.copy_(torch.linspace(0.5, 1.5, C))
    onnx_path = torch_models.export(model.train(), (torch.zeros(N, C, H, W),),
                                    d / "bn.onnx", training=True, input_names=["x"],
                                    output_names=["y"])
    program = d / "m.bin"
    report = compile_model(onnx_path, program)
    return dict(onnx=onnx_path, program=program, report=report,
                init=initializers(onnx_path), dir=d)


def stat_names(init):
    mean = next(k for k in init if k.endswith("running_mean"))
    var = next(k for k in init if k.endswith("running_var"))
    scale = next(k for k in init if k.endswith("weight"))
    bias = next(k for k in init if k.endswith("bias"))
    return mean, var, scale, bias


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

def test_running_statistics_after_two_runs(bn):
    mean_name, var_name, scale_name, bias_name = stat_names(bn["init"])
    mean = bn["init"][mean_name].astype(np.float64)
    var = bn["init"][var_name].astype(np.float64)
    scale, bias = bn["init"][scale_name], bn["init"][bias_name]
    program = Program(bn["program"])
    try:
        with Session(program) as s:
            for x in batches(2):
                s.set_input(x)
                s.run()
                mean, var = bn_update(mean, var, x)
                np.testing.assert_allclose(s.state(program.slot(mean_name)), mean,
                                           rtol=1e-5, atol=1e-6)
                np.testing.assert_allclose(s.state(program.slot(var_name)), var,
                                           rtol=1e-5, atol=1e-6)
                np.testing.assert_allclose(s.result(0, (N, C, H, W)),
                                           bn_output(x, scale, bias), rtol=1e-4, atol=1e-4)
                # The tied results are the slots' values.
                np.testing.assert_array_equal(s.result(1, (C,)),
                                              s.state(program.slot(mean_name)))
    finally:
        program.close()


def test_statistics_are_updated_in_place(bn):
    """Both running statistics are written into their slots directly: the
    command stream is the kernels only, no Copy."""
    commands, launches = commands_and_launches(bn["program"], bn["report"])
    assert commands == launches, bn["report"]


def test_state_memory_is_the_state_size_once(bn):
    program = Program(bn["program"])
    try:
        sizes = program.slot_sizes()
        assert sizes == [C * 4] * 4, sizes  # weight, bias, running mean and variance
        with Session(program) as s:
            # One buffer per slot: 4 * 64 bytes. Double buffering the two
            # updated statistics took 6 * 64 bytes.
            assert s.state_bytes() == sum(sizes) == 4 * C * 4
            s.set_input(batches(1)[0])
            s.run()
            assert s.state_bytes() == sum(sizes)
    finally:
        program.close()


def test_failed_runs_leave_the_state_intact(bn):
    mean_name, var_name, _, _ = stat_names(bn["init"])
    program = Program(bn["program"])
    try:
        mean_slot, var_slot = program.slot(mean_name), program.slot(var_name)
        x = batches(1)[0]
        with Session(program) as s:
            # An input never set: the run fails before any command runs.
            with pytest.raises(DlccError) as e:
                s.run()
            assert e.value.status == INVALID_ARGUMENT
            assert '("x") was never set' in e.value.text
            np.testing.assert_array_equal(s.state(mean_slot), bn["init"][mean_name])
            np.testing.assert_array_equal(s.state(var_slot), bn["init"][var_name])
            with pytest.raises(DlccError):
                s.result(0, (N, C, H, W))  # no results after a failed run
            # One good run, then a wrong-size input: rejected, nothing changes.
            s.set_input(x)
            s.run()
            after_one = s.state(mean_slot), s.state(var_slot)
            with pytest.raises(DlccError) as e:
                s.set_input(np.zeros((N, C, H, W + 1), np.float32))
            assert e.value.status == INVALID_ARGUMENT and "bytes, but size is" in e.value.text
            np.testing.assert_array_equal(s.state(mean_slot), after_one[0])
            np.testing.assert_array_equal(s.state(var_slot), after_one[1])
            # The previous input stays set: the next run is the second update.
            s.run()
            mean, var = bn_update(*bn_update(bn["init"][mean_name].astype(np.float64),
                                             bn["init"][var_name].astype(np.float64), x), x)
            np.testing.assert_allclose(s.state(mean_slot), mean, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(s.state(var_slot), var, rtol=1e-5, atol=1e-6)
            # reset_state restores the initial values.
            check(LIB.dlcc_session_reset_state(s.handle))
            np.testing.assert_array_equal(s.state(mean_slot), bn["init"][mean_name])
    finally:
        program.close()


def test_dlcc_run_with_a_wrong_shape_fails_cleanly(bn, tmp_path):
    bad = tmp_path / "bad.npz"
    np.savez(bad, x=np.zeros((N, C, H, W + 1), np.float32))
    state = tmp_path / "state.npz"
    r = subprocess.run([str(DLCC_RUN), str(bn["program"]), "--inputs", str(bad),
                        "--save-state", str(state)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 1 and r.stderr.startswith("dlcc-run: error: "), r.stderr
    assert not state.exists()


def test_zero_initialized_bias(bn):
    """BatchNorm's bias starts at zero: a zero-initialised slot, stored
    nowhere in the artifact, read as zeros, reset to zeros."""
    _, _, _, bias_name = stat_names(bn["init"])
    assert not bn["init"][bias_name].any()
    program = Program(bn["program"])
    try:
        bias = program.slot(bias_name)
        assert program.zero_initialized(bias)
        assert not program.zero_initialized(program.slot(stat_names(bn["init"])[0]))
        with Session(program) as s:
            np.testing.assert_array_equal(s.state(bias), np.zeros(C, np.float32))
            s.write_state(bias, np.ones(C, np.float32))
            np.testing.assert_array_equal(s.state(bias), np.ones(C, np.float32))
            check(LIB.dlcc_session_reset_state(s.handle))
            np.testing.assert_array_equal(s.state(bias), np.zeros(C, np.float32))
    finally:
        program.close()


def test_describe_shows_state_bytes(bn):
    _, _, _, bias_name = stat_names(bn["init"])
    text = describe(bn["program"])
    assert f"state bytes: {4 * C * 4} ({3 * C * 4} stored, {C * 4} zero-initialised, " \
           "0 splat; constants 0)" in text.splitlines(), text
    assert any(line.endswith("zero-initialised") and f'"{bias_name}"' in line
               for line in text.splitlines()), text
    assert f"state and constants: {4 * C * 4} bytes" in bn["report"]


def bn_then_read_old_mean(path):
    """BatchNormalization (training) followed by z = 2 * running_mean: the old
    mean is read after the new one is computed, so the update cannot be in
    place."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    init = dict(scale=rng.random(C).astype(np.float32) + 0.5,
                bias=rng.standard_normal(C).astype(np.float32),
                mean=rng.standard_normal(C).astype(np.float32),
                var=rng.random(C).astype(np.float32) + 0.5,
                two=np.array(2, np.float32))
    nodes = [helper.make_node("BatchNormalization", ["x", "scale", "bias", "mean", "var"],
                              ["y", "mean_out", "var_out"], training_mode=1,
                              momentum=MOMENTUM, epsilon=EPSILON),
             helper.make_node("Mul", ["mean", "two"], ["z"])]
    graph = helper.make_graph(
        nodes, "bn_read_old_mean",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [N, C, H, W])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [N, C, H, W]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, [C])],
        [numpy_helper.from_array(v, k) for k, v in init.items()])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return init


def test_update_through_a_temporary(tmp_path):
    pytest.importorskip("onnx")
    init = bn_then_read_old_mean(tmp_path / "m.onnx")
    report = compile_model(tmp_path / "m.onnx", tmp_path / "m.bin")
    # The mean goes through a temporary and one Copy; the variance in place.
    commands, launches = commands_and_launches(tmp_path / "m.bin", report)
    assert commands == launches + 1, (commands, launches)
    program = Program(tmp_path / "m.bin")
    try:
        mean_slot, var_slot = program.slot("mean"), program.slot("var")
        mean, var = init["mean"].astype(np.float64), init["var"].astype(np.float64)
        with Session(program) as s:
            # scale, bias, mean, variance and the scalar 2.
            assert s.state_bytes() == sum(program.slot_sizes()) == 4 * C * 4 + 4
            for x in batches(2):
                s.set_input(x)
                s.run()
                np.testing.assert_allclose(s.result(1, (C,)), 2 * mean, rtol=1e-5,
                                           atol=1e-6)  # the old mean
                mean, var = bn_update(mean, var, x)
                np.testing.assert_allclose(s.state(mean_slot), mean, rtol=1e-5, atol=1e-6)
                np.testing.assert_allclose(s.state(var_slot), var, rtol=1e-5, atol=1e-6)
    finally:
        program.close()


def splat_model(path, rows, cols, fill):
    """y = x + C and z = C, C = ConstantOfShape([rows, cols]) of `fill`: a
    constant too large to clone into a kernel, returned as it is."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = numpy_helper.from_array(np.array([rows, cols], dtype=np.int64), "s")
    value = numpy_helper.from_array(np.array([fill], dtype=np.float32))
    g = helper.make_graph(
        [helper.make_node("ConstantOfShape", ["s"], ["c"], value=value),
         helper.make_node("Add", ["x", "c"], ["y"]),
         helper.make_node("Identity", ["c"], ["z"])],
        "splat", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [rows, cols])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [rows, cols]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, [rows, cols])],
        [shape])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), path)


def test_splat_constant_stores_one_element(tmp_path):
    """A constant of one repeated value stores that value once in the
    artifact (StateSlot.initial_value splat); the runtime fills the slot, and
    the C API still gives the whole initial value."""
    pytest.importorskip("onnx")
    rows, cols, fill = 512, 1024, 2.5
    splat_model(tmp_path / "m.onnx", rows, cols, fill)
    compile_model(tmp_path / "m.onnx", tmp_path / "m.bin")
    full = rows * cols * 4
    assert (tmp_path / "m.bin").stat().st_size < full // 8
    text = describe(tmp_path / "m.bin")
    assert any(line.endswith(f"f32 [{rows}, {cols}] splat") for line in text.splitlines()), text
    assert f"0 zero-initialised, {full} splat; constants {full})" in text, text

    x = np.random.default_rng(0).standard_normal((rows, cols)).astype(np.float32)
    np.savez(tmp_path / "in.npz", x=x)
    run(DLCC_RUN, tmp_path / "m.bin", "--inputs", tmp_path / "in.npz", "--outputs",
        tmp_path / "out.npz")
    with np.load(tmp_path / "out.npz") as f:
        np.testing.assert_array_equal(f["y"], x + np.float32(fill))
        np.testing.assert_array_equal(f["z"], np.full((rows, cols), fill, np.float32))

    program = Program(tmp_path / "m.bin")
    try:
        n = ctypes.c_size_t()
        check(LIB.dlcc_program_state_slot_count(program.handle, ctypes.byref(n)))
        kinds = []
        for i in range(n.value):
            kind = ctypes.c_int(-1)
            check(LIB.dlcc_program_state_slot_initial_value(program.handle, i,
                                                            ctypes.byref(kind)))
            kinds.append(kind.value)
        assert kinds.count(SPLAT) == 1, kinds
        slot = kinds.index(SPLAT)
        data, size = ctypes.c_void_p(), ctypes.c_size_t()
        for _ in range(2):  # made once, then the same bytes
            check(LIB.dlcc_program_state_slot_initial_data(program.handle, slot,
                                                           ctypes.byref(data),
                                                           ctypes.byref(size)))
            assert size.value == full and data.value % 64 == 0
            values = np.ctypeslib.as_array(ctypes.cast(data, ctypes.POINTER(ctypes.c_float)),
                                           (rows * cols,))
            assert np.all(values == np.float32(fill))
        assert not program.zero_initialized(slot)
        with Session(program) as s:
            assert s.state_bytes() == full
    finally:
        program.close()
