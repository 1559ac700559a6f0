"""The CUDA backend plugin (libdlcc_cuda.so, runtime/cuda/).

Three groups:

- the build: the plugin exports only its factory, links cuBLASLt but not
  libcuda or cuDNN (both are dlopen'ed at run time), and libdlcc_runtime.so
  links no CUDA library;
- without a GPU (this machine, CI): asking for CUDA fails with one clear
  message (no driver, the toolkit's driver stub, a missing or bogus plugin, a
  plugin of another ABI version, a plugin reporting its own error through the
  host callback), DLCC_DEVICE_AUTO falls back to the CPU, nothing crashes;
- with a GPU: compiled models run with --device cuda and match the CPU run
  (rtol 1e-4, atol 1e-5 * max|b|), and repeated runs (CUDA graph replay) are
  bit-identical to the first (eager) run. These skip only when there is no
  CUDA driver (libcuda.so.1 cannot be loaded, or cuInit reports no device);
  with a driver they fail unless `dlcc-run --device cuda` runs a tiny program.
"""
import ctypes
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "test" / "Runtime" / "cpu"))

import cpu_sample as cs  # noqa: E402

BUILD = ROOT / "build"
LIB = BUILD / "lib"
PLUGIN = LIB / "libdlcc_cuda.so"
RUNTIME = LIB / "libdlcc_runtime.so"
DLCC = BUILD / "bin" / "dlcc"
DLCC_RUN = BUILD / "bin" / "dlcc-run"
CUDA_H = Path("/usr/local/cuda/include/cuda.h")
STUB = Path("/usr/local/cuda/lib64/stubs/libcuda.so")
FACTORY = "dlcc_cuda_backend_plugin_v3"
RTOL, ATOL_REL = 1e-4, 1e-5
UNSUPPORTED = 9
CPU, CUDA = 1, 2
CUDA_LIBS = re.compile(r"lib(cuda|cudart|cublas|cublasLt|cudnn\w*|nccl|nvrtc)\.so")

pytestmark = pytest.mark.skipif(not DLCC_RUN.exists() or not RUNTIME.exists(),
                                reason="the runtime and dlcc-run are not built")


def run(cmd, env=None, **kwargs):
    full = dict(os.environ)
    full.pop("DLCC_CUDA_PLUGIN", None)
    full.update(env or {})
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          timeout=600, env=full, **kwargs)


def needed(path):
    out = run(["readelf", "-d", path]).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def driver_present():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The CPU sample program and an input file for its forward entry point."""
    d = tmp_path_factory.mktemp("sample")
    program = cs.write_sample(d / "sample.bin", cs.build_kernels(d))
    inputs = d / "x.npz"
    r = run([DLCC_RUN, program, "--describe"])
    n = int(re.search(r'"x": input f32 \[(\d+)\]', r.stdout).group(1))
    np.savez(inputs, x=np.arange(n, dtype=np.float32))
    return program, inputs


def assert_one_error_line(r, *fragments):
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("dlcc-run: error: "), lines
    for f in fragments:
        assert f in lines[0], (f, lines[0])
    for bad in cs.FORBIDDEN:
        assert bad not in r.stderr
    return lines[0]


# ---------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------

needs_plugin = pytest.mark.skipif(not CUDA_H.exists(),
                                  reason="no CUDA toolkit: the plugin is not built")


@needs_plugin
def test_plugin_exports_only_the_factory():
    assert PLUGIN.is_file(), "libdlcc_cuda.so was not built"
    out = run(["nm", "-D", "--defined-only", PLUGIN]).stdout
    symbols = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert symbols == [FACTORY], symbols


@needs_plugin
def test_plugin_links_cublaslt_but_not_the_driver():
    libs = needed(PLUGIN)
    assert any(lib.startswith("libcublasLt.so") for lib in libs), libs
    # The driver (libcuda.so.1) and cuDNN (libcudnn.so.9) are dlopen'ed at run
    # time, so that the plugin loads without them.
    assert not any(re.match(r"libcuda\.so", lib) for lib in libs), libs
    assert not any(lib.startswith(("libcudart", "libcublas.so", "libcudnn", "libnccl"))
                   for lib in libs), libs


@needs_plugin
def test_plugin_loads_cudnn_at_run_time():
    """cuDNN's functions come from dlsym on libcudnn.so.9, never the linker:
    without cuDNN only convolutions are UNSUPPORTED."""
    out = run(["nm", "-D", "--undefined-only", PLUGIN]).stdout
    undefined = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert undefined, out
    assert not [name for name in undefined if name.lower().startswith("cudnn")], undefined
    assert "libcudnn.so.9" in run(["strings", PLUGIN]).stdout


def test_runtime_links_no_cuda_library():
    libs = needed(RUNTIME)
    assert not [lib for lib in libs if CUDA_LIBS.search(lib)], libs
    # Nor does it export anything but the C API.
    out = run(["nm", "-D", "--defined-only", RUNTIME]).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    assert names and all(n.startswith("dlcc_") for n in names), names


# ---------------------------------------------------------------------------
# Without a GPU
# ---------------------------------------------------------------------------

no_driver = pytest.mark.skipif(driver_present(), reason="a CUDA driver is installed here")


class Api:
    """The few C API calls these tests need, through ctypes."""

    class Options(ctypes.Structure):
        _fields_ = [("device", ctypes.c_int), ("cpu_threads", ctypes.c_uint32),
                    ("cuda_device", ctypes.c_int32), ("flags", ctypes.c_uint64)]

    def __init__(self):
        lib = ctypes.CDLL(str(RUNTIME))
        vp = ctypes.c_void_p
        lib.dlcc_status_message.restype = ctypes.c_char_p
        lib.dlcc_program_load_file.argtypes = [ctypes.c_char_p, vp, ctypes.POINTER(vp)]
        lib.dlcc_program_release.argtypes = [vp]
        lib.dlcc_session_options_initialize.argtypes = [ctypes.POINTER(Api.Options)]
        lib.dlcc_session_create.argtypes = [vp, ctypes.POINTER(Api.Options), ctypes.POINTER(vp)]
        lib.dlcc_session_release.argtypes = [vp]
        lib.dlcc_session_device.argtypes = [vp, ctypes.POINTER(ctypes.c_int)]
        self.lib = lib

    def message(self):
        return self.lib.dlcc_status_message().decode()

    def create(self, path, device):
        """(status, message, device of the session or None)."""
        program = ctypes.c_void_p()
        assert self.lib.dlcc_program_load_file(str(path).encode(), None,
                                               ctypes.byref(program)) == 0, self.message()
        try:
            o = Api.Options()
            self.lib.dlcc_session_options_initialize(ctypes.byref(o))
            o.device = device
            session = ctypes.c_void_p()
            status = self.lib.dlcc_session_create(program, ctypes.byref(o),
                                                  ctypes.byref(session))
            if status != 0:
                return status, self.message(), None
            kind = ctypes.c_int()
            assert self.lib.dlcc_session_device(session, ctypes.byref(kind)) == 0
            self.lib.dlcc_session_release(session)
            return status, None, kind.value
        finally:
            self.lib.dlcc_program_release(program)


@pytest.fixture(scope="module")
def api():
    return Api()


@no_driver
@needs_plugin
def test_cuda_session_without_a_driver(api, sample):
    program, _ = sample
    status, text, _ = api.create(program, CUDA)
    assert status == UNSUPPORTED
    assert text.startswith("CUDA backend not available: no CUDA driver "
                           "(libcuda.so.1 not found"), text


@no_driver
def test_auto_falls_back_to_cpu_and_sets_no_message(api, sample):
    program, _ = sample
    status, first, _ = api.create(program, CUDA)
    assert status == UNSUPPORTED
    status, text, device = api.create(program, 0)  # DLCC_DEVICE_AUTO
    assert status == 0 and device == CPU
    # Probing CUDA for AUTO set no message: the last failure's is unchanged.
    assert api.message() == first


@no_driver
@needs_plugin
def test_dlcc_run_device_cuda_fails_with_one_line(sample):
    program, inputs = sample
    line = assert_one_error_line(run([DLCC_RUN, program, "--inputs", inputs,
                                      "--device", "cuda"]),
                                 "CUDA backend not available: no CUDA driver")
    assert "libcuda.so.1" in line


@no_driver
@needs_plugin
@pytest.mark.skipif(not STUB.exists(), reason="no driver stub in the toolkit")
def test_the_toolkit_driver_stub_is_not_a_driver(sample, tmp_path):
    # The stub resolves every symbol, but cuInit fails: a clear message, and
    # AUTO still runs on the CPU.
    (tmp_path / "libcuda.so.1").symlink_to(STUB)
    env = {"LD_LIBRARY_PATH": str(tmp_path)}
    program, inputs = sample
    assert_one_error_line(run([DLCC_RUN, program, "--inputs", inputs, "--device", "cuda"],
                              env=env),
                          "CUDA backend not available: cuInit failed: CUDA_ERROR_STUB_LIBRARY")
    out = tmp_path / "y.npz"
    r = run([DLCC_RUN, program, "--inputs", inputs, "--outputs", out], env=env)
    assert r.returncode == 0, r.stderr
    cpu = tmp_path / "cpu.npz"
    assert run([DLCC_RUN, program, "--inputs", inputs, "--outputs", cpu,
                "--device", "cpu"]).returncode == 0
    with np.load(out) as a, np.load(cpu) as b:
        for k in b.files:
            np.testing.assert_array_equal(a[k], b[k])


FAKE_PLUGIN = r"""
#include "BackendPlugin.h"
#include <string.h>

static int available(void) { return 0; }
static dlcc_status_t create(const dlcc_plugin_host_t *host, int32_t device,
                            dlcc_plugin_backend_t **out) {
  (void)device; (void)out;
  return host->report(DLCC_STATUS_UNSUPPORTED,
                      "CUDA backend not available: the fake plugin has no device");
}
static dlcc_backend_plugin_t table;

__attribute__((visibility("default")))
const dlcc_backend_plugin_t *FACTORY_NAME(uint32_t version) {
  (void)version;
  if (RETURN_NULL)
    return 0;
  memset(&table, 0, sizeof table);
  table.abi_version = ABI_VERSION;
  table.struct_size = sizeof table;
  table.description = "fake";
  table.available = available;
  table.create = create;
  return &table;
}
"""


def build_fake(tmp_path, name, factory=FACTORY, abi="DLCC_BACKEND_PLUGIN_ABI_VERSION",
               null=0):
    src = tmp_path / (name + ".c")
    src.write_text(FAKE_PLUGIN)
    so = tmp_path / (name + ".so")
    r = run([cs.CC, "-shared", "-fPIC", "-O1", "-Wall", "-Werror",
             "-I", ROOT / "runtime" / "src", "-I", ROOT / "include",
             "-DFACTORY_NAME=" + factory, "-DABI_VERSION=" + str(abi),
             "-DRETURN_NULL=%d" % null, "-o", so, src])
    assert r.returncode == 0, r.stderr
    return so


def plugin_cases(tmp_path):
    text = tmp_path / "text.so"
    text.write_text("this is not a shared object\n")
    return [
        (tmp_path / "missing.so", "cannot load the CUDA plugin", "cannot open shared object"),
        (text, "cannot load the CUDA plugin", str(text)),
        (build_fake(tmp_path, "nosymbol", factory="some_other_symbol"),
         "is not a dlcc CUDA plugin for this runtime", FACTORY),
        (build_fake(tmp_path, "abi", abi=999), "has plugin ABI version 999",
         "this runtime needs version 3"),
        (build_fake(tmp_path, "null", null=1), "returned no plugin table", ""),
        # A well-formed plugin: its message crosses through host->report.
        (build_fake(tmp_path, "fake"), "the fake plugin has no device", ""),
    ]


@pytest.mark.parametrize("case", range(6), ids=["missing", "text-file", "no-symbol",
                                                 "other-abi", "null-table", "reporting"])
def test_bad_plugins_give_clear_errors(sample, tmp_path, case):
    plugin, want, also = plugin_cases(tmp_path)[case]
    program, inputs = sample
    env = {"DLCC_CUDA_PLUGIN": str(plugin)}
    line = assert_one_error_line(
        run([DLCC_RUN, program, "--inputs", inputs, "--device", "cuda"], env=env),
        "CUDA backend not available: ", want, also)
    if case < 5:
        assert str(plugin) in line
    # AUTO falls back to the CPU whatever the plugin is.
    out = tmp_path / "y.npz"
    r = run([DLCC_RUN, program, "--inputs", inputs, "--outputs", out], env=env)
    assert r.returncode == 0 and out.is_file(), r.stderr


# ---------------------------------------------------------------------------
# With a GPU
# ---------------------------------------------------------------------------


# Loads the driver and calls cuInit in a child process (the test process
# stays free of CUDA): prints "nolib ERROR" or "CODE NAME".
CUINIT_PROBE = r"""
import ctypes, sys
try:
    cuda = ctypes.CDLL("libcuda.so.1")
except OSError as e:
    print("nolib", e)
    sys.exit(0)
rc = cuda.cuInit(0)
name = ctypes.c_char_p()
cuda.cuGetErrorName(rc, ctypes.byref(name))
print(rc, (name.value or b"?").decode())
"""
# cuInit's results that mean "no driver here": no GPU, or the toolkit's
# driver stub (a placeholder that resolves every symbol) instead of a driver.
NO_DRIVER = {100: "CUDA_ERROR_NO_DEVICE", 34: "CUDA_ERROR_STUB_LIBRARY"}


def no_cuda_driver():
    """Why there is no CUDA driver here (libcuda.so.1 cannot be loaded, or
    cuInit reports no device), or None when a driver is present. Fails the
    calling test when the probe itself fails or cuInit fails otherwise: a
    driver is present, and CUDA not working is a failure, not a skip."""
    r = subprocess.run([sys.executable, "-c", CUINIT_PROBE], capture_output=True,
                       text=True, timeout=120)
    out = r.stdout.strip()
    if r.returncode != 0 or not out:
        pytest.fail("the cuInit probe failed (exit %d): %s" % (r.returncode,
                                                                (r.stderr or out)[-300:]))
    if out.startswith("nolib"):
        return "no CUDA driver (libcuda.so.1 cannot be loaded: %s)" % out[6:]
    code, name = out.split(None, 1)
    name = NO_DRIVER.get(int(code), name)
    if int(code) in NO_DRIVER:
        return "no CUDA driver/GPU (cuInit: %s)" % name
    if int(code) != 0:
        pytest.fail("a CUDA driver is present but cuInit failed: %s (%s)" % (name, code))
    return None


@pytest.fixture(scope="module")
def gpu(request):
    """Skips only when there is no CUDA driver (no libcuda.so.1, or cuInit
    says there is no device); with a driver, fails unless a CUDA session runs
    a tiny compiled program."""
    why = no_cuda_driver()
    if why:
        pytest.skip(why)
    assert PLUGIN.is_file(), "a CUDA driver is present but %s was not built" % PLUGIN
    assert DLCC.exists(), "%s was not built" % DLCC
    program, inputs = request.getfixturevalue("sample")
    mlp = ROOT / "examples" / "mlp" / "mlp.onnx"
    d = Path(inputs).parent
    tiny = d / "mlp.bin"
    r = run([DLCC, mlp, "--inference", "-o", tiny])
    assert r.returncode == 0, "cannot compile the probe program: " + r.stderr[-500:]
    x = d / "mlp_x.npz"
    np.savez(x, x=np.ones((2, 4), np.float32))
    r = run([DLCC_RUN, tiny, "--inputs", x, "--device", "cuda", "--outputs", d / "probe.npz"])
    assert r.returncode == 0, ("a CUDA driver is present but the probe program failed on "
                               "CUDA: " + r.stderr.strip()[-500:])
    return tiny, x


def load(path):
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def assert_close(got, expected):
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for name, b in expected.items():
        a = got[name]
        assert a.shape == b.shape and a.dtype == b.dtype, name
        if b.dtype.kind != "f":
            np.testing.assert_array_equal(a, b)
            continue
        tol = ATOL_REL * float(np.max(np.abs(b), initial=0)) + RTOL * np.abs(b)
        err = np.abs(a.astype(np.float64) - b.astype(np.float64))
        assert np.all(err <= tol), "%s: max abs error %.3g" % (name, err.max())


def cuda_vs_cpu(tmp_path, program, inputs, repeat=4, env=None):
    cpu = tmp_path / "cpu.npz"
    r = run([DLCC_RUN, program, "--inputs", inputs, "--outputs", cpu, "--device", "cpu"])
    assert r.returncode == 0, r.stderr
    once = tmp_path / "cuda1.npz"
    r = run([DLCC_RUN, program, "--inputs", inputs, "--outputs", once, "--device", "cuda"],
            env=env)
    assert r.returncode == 0, r.stderr
    assert_close(load(once), load(cpu))
    # Runs 2.. are a captured graph and its replays; an inference program's
    # outputs do not depend on the run, so they must equal the eager run's bits.
    many = tmp_path / "cudaN.npz"
    r = run([DLCC_RUN, program, "--inputs", inputs, "--outputs", many, "--device", "cuda",
             "--repeat", repeat], env=env)
    assert r.returncode == 0, r.stderr
    a, b = load(once), load(many)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    return load(once)


def test_gpu_mlp_example(gpu, tmp_path):
    program, x = gpu
    cuda_vs_cpu(tmp_path, program, x)


def test_gpu_graphs_off_gives_the_same_bits(gpu, tmp_path):
    program, x = gpu
    (tmp_path / "on").mkdir()
    (tmp_path / "off").mkdir()
    on = cuda_vs_cpu(tmp_path / "on", program, x)
    off = cuda_vs_cpu(tmp_path / "off", program, x, env={"DLCC_CUDA_GRAPHS": "0"})
    for k in on:
        np.testing.assert_array_equal(on[k], off[k])


@pytest.fixture(scope="module")
def exported(gpu, tmp_path_factory):
    """The whole-model cases of test_inference_programs.py (exported only
    when a GPU is present)."""
    from test_whole_models_vs_onnxruntime import export_cases

    return export_cases(tmp_path_factory.mktemp("models"))


@pytest.mark.parametrize("gemm", ["library", "generated"])
@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "gpt"])
def test_gpu_whole_models_match_the_cpu(exported, tmp_path, name, training, gemm):
    onnx_path, npz = exported[(name, training)]
    program = tmp_path / "model.bin"
    extra = ["--generated-gemm", "--generated-conv"] if gemm == "generated" else []
    r = run([DLCC, onnx_path, "--inference", "-o", program, *extra])
    assert r.returncode == 0, r.stderr
    cuda_vs_cpu(tmp_path, program, npz)


def test_gpu_sample_program_has_no_cuda_image(gpu, sample):
    # The CPU sample has kernels but no CUDA image: a clear UNSUPPORTED error.
    program, inputs = sample
    assert_one_error_line(run([DLCC_RUN, program, "--inputs", inputs, "--device", "cuda"]),
                          "no CUDA kernel image for CUDA device 0")
