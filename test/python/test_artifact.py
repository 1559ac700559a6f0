"""The train.bin container: writer, loader and C API (docs/artifact-format.md).

Uses build/bin/dlcc-artifact-tool ($DLCC_ARTIFACT_TOOL):
  write-sample OUT [--minimal] [--corrupt=KIND]   writer (ArtifactBuilder)
  inspect [--from-memory] FILE                    loader + C API -> JSON
  api-selftest FILE                               C API argument checks

Every malformed artifact must make `inspect` exit with status 1 and print one
`error: ...` line naming the problem; never crash (signal), never exit 0.
Hashes are recomputed here with an independent pure-Python XXH64 so that a
test can reach a specific check behind the hash check.
"""

import json
import os
import resource
import shutil
import signal
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(
    os.environ.get(
        "DLCC_ARTIFACT_TOOL", str(REPO_ROOT / "build" / "bin" / "dlcc-artifact-tool")
    )
)
RUNTIME_LIB = REPO_ROOT / "build" / "lib" / "libdlcc_runtime.so"
CORPUS = REPO_ROOT / "test" / "Runtime" / "fuzz" / "corpus"

pytestmark = pytest.mark.skipif(
    not TOOL.is_file(), reason=f"dlcc-artifact-tool not found at {TOOL}"
)

HEADER_SIZE = 32
ENTRY_SIZE = 32
METADATA, INITIAL_DATA, KERNEL_IMAGE, ONNX_GRAPH = 1, 2, 3, 4
FORBIDDEN = ("Assertion", "Segmentation", "terminate", "Sanitizer", "Traceback")

# ---------------------------------------------------------------------------
# XXH64 (reference algorithm, seed 0), independent of the C++ code
# ---------------------------------------------------------------------------

_P1 = 0x9E3779B185EBCA87
_P2 = 0xC2B2AE3D27D4EB4F
_P3 = 0x165667B19E3779F9
_P4 = 0x85EBCA77C2B2AE63
_P5 = 0x27D4EB2F165667C5
_M = (1 << 64) - 1


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & _M


def _round(acc, lane):
    acc = (acc + lane * _P2) & _M
    return (_rotl(acc, 31) * _P1) & _M


def _merge(acc, val):
    acc ^= _round(0, val)
    return (acc * _P1 + _P4) & _M


def xxh64(data, seed=0):
    n = len(data)
    i = 0
    if n >= 32:
        v1 = (seed + _P1 + _P2) & _M
        v2 = (seed + _P2) & _M
        v3 = seed
        v4 = (seed - _P1) & _M
        while i + 32 <= n:
            a, b, c, d = struct.unpack_from("<4Q", data, i)
            v1, v2, v3, v4 = _round(v1, a), _round(v2, b), _round(v3, c), _round(v4, d)
            i += 32
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _M
        for v in (v1, v2, v3, v4):
            h = _merge(h, v)
    else:
        h = (seed + _P5) & _M
    h = (h + n) & _M
    while i + 8 <= n:
        (k,) = struct.unpack_from("<Q", data, i)
        h ^= _round(0, k)
        h = (_rotl(h, 27) * _P1 + _P4) & _M
        i += 8
    if i + 4 <= n:
        (k,) = struct.unpack_from("<I", data, i)
        h ^= (k * _P1) & _M
        h = (_rotl(h, 23) * _P2 + _P3) & _M
        i += 4
    while i < n:
        h ^= (data[i] * _P5) & _M
        h = (_rotl(h, 11) * _P1) & _M
        i += 1
    h ^= h >> 33
    h = (h * _P2) & _M
    h ^= h >> 29
    h = (h * _P3) & _M
    h ^= h >> 32
    return h


def test_xxh64_reference_vectors():
    # Published XXH64 test values (seed 0).
    assert xxh64(b"") == 0xEF46DB3751D8E999
    assert xxh64(b"a") == 0xD24EC4F1A98C6E5B
    assert xxh64(b"abc") == 0x44BC2CF5AD770999


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def run_tool(*args, timeout=60, **kwargs):
    return subprocess.run(
        [str(TOOL), *map(str, args)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        **kwargs,
    )


def write_sample(path, *extra):
    r = run_tool("write-sample", path, *extra)
    assert r.returncode == 0, r.stderr
    return Path(path).read_bytes()


def inspect(path, *extra):
    r = run_tool("inspect", *extra, path)
    assert r.returncode == 0, f"inspect failed:\n{r.stderr}"
    return json.loads(r.stdout)


def assert_rejected(path, *phrases, status="DLCC_STATUS_INVALID_ARTIFACT"):
    for mode in ((), ("--from-memory",)):
        r = run_tool("inspect", *mode, path)
        err = r.stderr
        assert r.returncode >= 0, f"inspect crashed with signal {-r.returncode}:\n{err}"
        assert r.returncode == 1, f"expected exit status 1, got {r.returncode}:\n{err}"
        assert err.startswith("error: "), err
        assert err.count("\n") == 1, f"expected one error line:\n{err}"
        for phrase in phrases:
            assert phrase in err, f"expected {phrase!r} in:\n{err}"
        if status:
            assert status in err, f"expected {status} in:\n{err}"
        for bad in FORBIDDEN:
            assert bad not in err, err
    return err


def parse_sections(blob):
    (count,) = struct.unpack_from("<I", blob, 24)
    sections = []
    for i in range(count):
        kind, reserved, offset, size, digest = struct.unpack_from(
            "<IIQQQ", blob, HEADER_SIZE + i * ENTRY_SIZE
        )
        sections.append(dict(kind=kind, reserved=reserved, offset=offset, size=size, hash=digest))
    return sections


def set_section(blob, index, **fields):
    """Returns a copy of blob with section `index`'s table entry changed."""
    s = parse_sections(blob)[index]
    s.update(fields)
    out = bytearray(blob)
    struct.pack_into(
        "<IIQQQ", out, HEADER_SIZE + index * ENTRY_SIZE,
        s["kind"], s["reserved"], s["offset"], s["size"], s["hash"],
    )
    return bytes(out)


def rehash(blob):
    """Recomputes every section's hash (so only later checks can fail)."""
    out = bytes(blob)
    for i, s in enumerate(parse_sections(blob)):
        out = set_section(out, i, hash=xxh64(out[s["offset"]: s["offset"] + s["size"]]))
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("artifact") / "sample.bin"
    return write_sample(path)


@pytest.fixture
def put(tmp_path):
    counter = iter(range(1_000_000))

    def _put(blob):
        p = tmp_path / f"case{next(counter)}.bin"
        p.write_bytes(blob)
        return p

    return _put


# ---------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------


def f32(*values):
    return np.array(values, dtype="<f4").tobytes().hex()


EXPECTED_SLOTS = [
    ("fc1.weight", "parameter", "f32", [3, 4], f32(*(np.arange(12) * 0.5 - 1.0))),
    ("fc1.bias", "parameter", "f32", [3], f32(0.25, -0.5, 1.0)),
    ("bn.running_var", "batch_norm_statistic", "f32", [3], f32(1, 1, 1)),
    ("fc1.weight.adam_m", "optimizer", "f32", [3, 4], "00" * 48),
    ("step", "optimizer", "i64", [], struct.pack("<q", 7).hex()),
    ("dropout.rng", "rng", "u64", [2], struct.pack("<2Q", 0x0123456789ABCDEF, 42).hex()),
    ("empty.table", "parameter", "f16", [0, 4], ""),
]


def arg(name, kind, slot, dtype, shape, size):
    return dict(name=name, kind=kind, state_slot=slot, dtype=dtype, shape=shape, byte_size=size)


EXPECTED_ENTRY_POINTS = [
    dict(
        name="train_step",
        arena_bytes=256,
        command_count=8,
        arguments=[
            arg("x", "input", -1, "f32", [2, 4], 32),
            arg("fc1.weight", "state", 0, "f32", [3, 4], 48),
            arg("fc1.bias", "state", 1, "f32", [3], 12),
            arg("step", "state", 4, "i64", [], 8),
            arg("lr", "input", -1, "f32", [], 4),
        ],
        results=[
            arg("loss", "output", -1, "f32", [], 4),
            arg("fc1.weight", "tied_state", 0, "f32", [3, 4], 48),
            arg("fc1.bias", "tied_state", 1, "f32", [3], 12),
            arg("step", "tied_state", 4, "i64", [], 8),
        ],
    ),
    dict(
        name="forward",
        arena_bytes=0,
        command_count=1,
        arguments=[
            arg("x", "input", -1, "f32", [2, 4], 32),
            arg("fc1.weight", "state", 0, "f32", [3, 4], 48),
            arg("fc1.bias", "state", 1, "f32", [3], 12),
            arg("ids", "input", -1, "i64", [2], 16),
        ],
        results=[arg("y", "output", -1, "f32", [2, 3], 24)],
    ),
]


@pytest.mark.parametrize("mode", [(), ("--from-memory",)], ids=["file", "memory"])
def test_round_trip(tmp_path, mode):
    path = tmp_path / "sample.bin"
    write_sample(path)
    j = inspect(path, *mode)
    assert j["format_version"] == 1
    assert j["producer"] == "dlcc sample"
    assert j["feature_flags"] == 0b11011  # cuda, cpu, cublas, nccl
    assert j["cpu_baseline"] == "x86-64-v2"
    got = [(s["name"], s["kind"], s["dtype"], s["shape"], s["data_hex"]) for s in j["state_slots"]]
    assert got == EXPECTED_SLOTS
    for s in j["state_slots"]:
        assert s["data_size"] * 2 == len(s["data_hex"])
        if s["data_size"]:
            assert s["data_aligned"], f"{s['name']} is not 64-byte aligned in memory"
    assert j["entry_points"] == EXPECTED_ENTRY_POINTS
    assert j["kernels"] == ["linear_relu", "sgd_update"]
    images = [(i["target"], bytes.fromhex(i["data_hex"])) for i in j["kernel_images"]]
    assert images == [
        ("sm_80", b"FAKE-CUBIN-SM80:" + bytes(range(16))),
        ("ptx", b".version 8.0\n.target sm_80\n"),
        ("x86_64-cpu", b"\x7fELF-fake-so"),
    ]
    assert bytes.fromhex(j["onnx_graph_hex"]) == b"ONNX-GRAPH:" + bytes(range(16))


def test_minimal_round_trip(tmp_path):
    path = tmp_path / "minimal.bin"
    blob = write_sample(path, "--minimal")
    j = inspect(path)
    assert j["producer"] == "minimal"
    assert j["feature_flags"] == 0
    assert j["kernels"] == [] and j["kernel_images"] == []
    assert j["onnx_graph_hex"] is None
    assert [s["name"] for s in j["state_slots"]] == ["w"]
    assert j["state_slots"][0]["data_hex"] == f32(1, 2)
    # Only metadata and initial_data sections.
    assert [s["kind"] for s in parse_sections(blob)] == [METADATA, INITIAL_DATA]


def test_container_layout(sample):
    assert sample[:8] == b"DLCCTBIN"
    version, header_size, flags, count, reserved = struct.unpack_from("<IIQII", sample, 8)
    assert (version, header_size, flags, reserved) == (1, 32, 0b11011, 0)
    sections = parse_sections(sample)
    assert [s["kind"] for s in sections] == [METADATA, INITIAL_DATA, KERNEL_IMAGE, ONNX_GRAPH]
    end = HEADER_SIZE + count * ENTRY_SIZE
    for s in sections:
        assert s["offset"] % 64 == 0
        assert s["offset"] >= end, "sections are in file order and do not overlap"
        assert s["hash"] == xxh64(sample[s["offset"]: s["offset"] + s["size"]])
        assert not any(sample[end: s["offset"]]), "padding is zero"
        end = s["offset"] + s["size"]
    assert end == len(sample)
    assert sample[sections[0]["offset"] + 4: sections[0]["offset"] + 8] == b"DLTB"


def test_output_is_deterministic(tmp_path, sample):
    assert write_sample(tmp_path / "again.bin") == sample


def test_c_api_argument_checks(tmp_path):
    path = tmp_path / "sample.bin"
    write_sample(path)
    r = run_tool("api-selftest", path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "api-selftest: ok" in r.stdout


# ---------------------------------------------------------------------------
# Malformed containers
# ---------------------------------------------------------------------------


def test_empty_file(put):
    assert_rejected(put(b""), "file is 0 bytes, smaller than the 32-byte header")


def test_missing_file(tmp_path):
    assert_rejected(tmp_path / "nope.bin", "nope.bin", status=None)


def test_truncated_everywhere(sample, put):
    """Every 7th prefix of the sample: exit 1 with a message, never a crash."""
    path = put(b"")
    for n in list(range(0, len(sample), 7)) + [len(sample) - 1]:
        path.write_bytes(sample[:n])
        r = run_tool("inspect", path)
        assert r.returncode == 1, f"prefix of {n} bytes: exit {r.returncode}\n{r.stderr}"
        assert r.stderr.startswith("error: "), f"prefix of {n} bytes: {r.stderr}"


def test_wrong_magic(sample, put):
    assert_rejected(put(b"DLCCTBIX" + sample[8:]), "magic", '"DLCCTBIX"')


def test_newer_version(sample, put):
    blob = bytearray(sample)
    struct.pack_into("<I", blob, 8, 7)
    assert_rejected(
        put(bytes(blob)),
        "artifact format version 7 is newer than this runtime supports (1); rebuild dlcc-run",
        status="DLCC_STATUS_UNSUPPORTED_VERSION",
    )


def test_version_zero(sample, put):
    blob = bytearray(sample)
    struct.pack_into("<I", blob, 8, 0)
    assert_rejected(put(bytes(blob)), "version 0 is not supported",
                    status="DLCC_STATUS_UNSUPPORTED_VERSION")


@pytest.mark.parametrize(
    "offset,fmt,value,phrase",
    [
        (12, "<I", 64, "header_size is 64, expected 32"),
        (16, "<Q", 1 << 40, "unknown bits"),
        (24, "<I", 0, "section_count is 0"),
        (24, "<I", 100000, "section_count is 100000"),
        (24, "<I", 64, "past the end"),  # file cut to 1024 bytes below
        (28, "<I", 5, "header reserved field"),
    ],
    ids=["header-size", "flags", "no-sections", "too-many-sections", "table-past-end", "reserved"],
)
def test_bad_header_fields(sample, put, offset, fmt, value, phrase):
    blob = bytearray(sample[:1024] if phrase == "past the end" else sample)
    struct.pack_into(fmt, blob, offset, value)
    assert_rejected(put(bytes(blob)), phrase)


def test_section_out_of_bounds(sample, put):
    last = len(parse_sections(sample)) - 1
    assert_rejected(put(set_section(sample, last, size=4096)),
                    f"section {last} (onnx_graph)", "extends past the end")


def test_section_offset_size_overflow(sample, put):
    # offset + size wraps around 2^64 to a small number.
    blob = set_section(sample, 1, offset=(1 << 64) - 64, size=128)
    assert_rejected(put(blob), "section 1 (initial_data)", "overflows 64 bits")


def test_overlapping_sections(sample, put):
    s = parse_sections(sample)
    blob = set_section(sample, 2, offset=s[1]["offset"])  # kernel images onto initial data
    assert_rejected(put(blob), "sections 1 (initial_data) and 2 (kernel_image) overlap")


def test_misaligned_section(sample, put):
    s = parse_sections(sample)
    blob = set_section(sample, 1, offset=s[1]["offset"] + 8, size=s[1]["size"] - 8)
    assert_rejected(put(blob), "not a multiple of 64")


def test_section_inside_header(sample, put):
    assert_rejected(put(set_section(sample, 0, offset=0)), "inside the header")


def test_unknown_section_kind(sample, put):
    assert_rejected(put(set_section(sample, 3, kind=9)), "section 3 has unknown kind 9")


def test_two_metadata_sections(sample, put):
    assert_rejected(put(set_section(sample, 1, kind=METADATA)), "are both metadata sections")


def test_no_metadata_section(sample, put):
    assert_rejected(put(set_section(sample, 0, kind=KERNEL_IMAGE)), "no metadata section")


def test_section_reserved_field(sample, put):
    assert_rejected(put(set_section(sample, 2, reserved=1)), "reserved field")


def test_trailing_bytes(sample, put):
    assert_rejected(put(sample + b"\0" * 64), "64 trailing bytes")


@pytest.mark.parametrize("index", range(4))
def test_bad_hash(sample, put, index):
    s = parse_sections(sample)[index]
    blob = bytearray(sample)
    blob[s["offset"] + s["size"] // 2] ^= 0x01
    err = assert_rejected(put(bytes(blob)), f"section {index}", "hash mismatch")
    assert f"{s['hash']:#x}" in err


# ---------------------------------------------------------------------------
# Malformed metadata (hashes recomputed: only the metadata checks can catch it)
# ---------------------------------------------------------------------------


def patch_metadata(sample, offset, data):
    meta = parse_sections(sample)[0]["offset"]
    blob = bytearray(sample)
    blob[meta + offset: meta + offset + len(data)] = data
    return rehash(bytes(blob))


def test_metadata_bad_root_offset(sample, put):
    blob = patch_metadata(sample, 0, struct.pack("<I", 0xFFFFFFF0))
    assert_rejected(put(blob), "failed FlatBuffers verification")


def test_metadata_bad_vtable(sample, put):
    meta = parse_sections(sample)[0]["offset"]
    (root,) = struct.unpack_from("<I", sample, meta)
    # The root table's soffset to its vtable, pointed far outside the buffer.
    blob = patch_metadata(sample, root, struct.pack("<i", -0x7FFFFFF0))
    assert_rejected(put(blob), "failed FlatBuffers verification")


def test_metadata_bad_identifier(sample, put):
    blob = patch_metadata(sample, 4, b"XXXX")
    assert_rejected(put(blob), 'file identifier "DLTB"')


def test_metadata_too_small(sample, put):
    blob = rehash(set_section(sample, 0, size=4))
    assert_rejected(put(blob), "metadata section is 4 bytes")


def test_metadata_garbage(sample, put):
    """Every 4-byte word of the metadata overwritten in turn (with correct
    hashes): the verifier and the reference checks reject or accept, never
    crash."""
    meta = parse_sections(sample)[0]
    path = put(b"")
    for off in range(0, meta["size"], 52):
        path.write_bytes(patch_metadata(sample, off, b"\xff\xff\xff\x7f"))
        r = run_tool("inspect", path)
        assert r.returncode in (0, 1), f"offset {off}: exit {r.returncode}\n{r.stderr}"


CORRUPTIONS = {
    "slot-size-mismatch": 'state_slots[0] ("fc1.weight").data_size is 44, expected 48 (f32 x [3, 4])',
    "slot-out-of-range": 'state_slots[1] ("fc1.bias").data_offset 1048576 + data_size 12 exceeds the initial_data section',
    "slot-offset-overflow": 'state_slots[0] ("fc1.weight").data_offset 18446744073709551552 + data_size 48 exceeds',
    "slot-misaligned": 'state_slots[1] ("fc1.bias").data_offset 68 is not a multiple of 64',
    "negative-dim": 'state_slots[0] ("fc1.weight").shape[0] is -3',
    "shape-overflow": 'state_slots[0] ("fc1.weight").shape [4611686018427387904, 4611686018427387904] of f32 overflows',
    "unknown-dtype": 'state_slots[0] ("fc1.weight").dtype is 200, not a known element type',
    "unknown-slot-kind": 'state_slots[0] ("fc1.weight").kind is 9',
    "bad-state-slot-index": 'entry_points[0] ("train_step").arguments[1] ("fc1.weight").state_slot is 1000, but the program has 7 state slots',
    "index-bounds-empty": 'arguments[3] ("ids").index_bounds is [0, 0), an empty range',
    "index-bounds-on-float": 'arguments[3] ("ids").index_bounds is set on a input of dtype f32; only integer inputs carry index bounds',
    "tied-state-shape-mismatch": 'results[1] ("fc1.weight").shape is [3, 4], but state slot "fc1.bias" has shape [3]',
    "kernel-image-out-of-range": 'kernel_images[0] ("sm_80") range [offset 0, size 1099511627776] exceeds kernel_image section 2',
    "kernel-image-wrong-section": 'kernel_images[0] ("sm_80").section 0 is a metadata section, expected kernel_image',
    "bad-kernel-index": "commands[1] (LaunchKernel).kernel is 99, but the program has 2 kernels",
    "arena-out-of-range": "commands[0] (Memset).dst [offset 256, size 64] exceeds arena_bytes (256 bytes)",
    "bad-event": "commands[2] (RecordEvent).event is 5",
    "bad-stream": "commands[2] (RecordEvent).stream is 7, but the entry point has 2 streams",
    "version-mismatch": "metadata format_version is 2, but the header says 1",
    "feature-flags-mismatch": "metadata feature_flags 0x1 differ from the header flags 0x1b",
    "onnx-graph-out-of-range": "onnx_graph range [offset 0, size 1073741824] exceeds onnx_graph section 3",
}


def test_corruption_list_is_covered():
    r = run_tool("write-sample", "unused", "--corrupt=list")
    assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.split()) == sorted(CORRUPTIONS)


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_metadata_reference_checks(tmp_path, kind):
    path = tmp_path / f"{kind}.bin"
    write_sample(path, f"--corrupt={kind}")
    assert_rejected(path, CORRUPTIONS[kind])


# ---------------------------------------------------------------------------
# Atomic write
# ---------------------------------------------------------------------------


def test_write_replaces_existing_file(tmp_path):
    path = tmp_path / "train.bin"
    path.write_bytes(b"old contents")
    write_sample(path, "--minimal")
    assert path.read_bytes()[:8] == b"DLCCTBIN"
    assert os.listdir(tmp_path) == ["train.bin"], "no temporary file left"
    assert path.stat().st_mode & 0o777 == 0o644


def test_failed_write_leaves_existing_file_intact(tmp_path):
    """A write that fails midway (file size limit: EFBIG) must not touch the
    existing artifact and must remove its temporary file."""
    path = tmp_path / "train.bin"
    old = b"previous artifact " * 100
    path.write_bytes(old)

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    r = run_tool("write-sample", path, preexec_fn=limit_file_size)
    assert r.returncode == 1, r.stderr
    assert "error: cannot write" in r.stderr, r.stderr
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["train.bin"], os.listdir(tmp_path)


def test_write_into_missing_directory(tmp_path):
    r = run_tool("write-sample", tmp_path / "no" / "such" / "dir" / "train.bin")
    assert r.returncode == 1
    assert "cannot create a temporary file" in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_write_into_read_only_directory(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    path = d / "train.bin"
    path.write_bytes(b"keep me")
    d.chmod(0o555)
    try:
        r = run_tool("write-sample", path)
        assert r.returncode == 1
        assert path.read_bytes() == b"keep me"
    finally:
        d.chmod(0o755)


# ---------------------------------------------------------------------------
# Fuzz corpus replay and the runtime library's dependencies
# ---------------------------------------------------------------------------


def test_fuzz_corpus_replays_cleanly():
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    assert len(files) >= 3
    for f in files:
        assert f.stat().st_size < 4096, f"{f.name} is larger than 4 KB"
        r = run_tool("inspect", f)
        assert r.returncode in (0, 1), f"{f.name}: exit {r.returncode}\n{r.stderr}"
    # The valid seeds still load with this version of the format.
    for name in ("sample.bin", "minimal.bin", "minimal-conv.bin"):
        assert run_tool("inspect", CORPUS / name).returncode == 0, name


@pytest.mark.skipif(not RUNTIME_LIB.exists() or shutil.which("readelf") is None,
                    reason="libdlcc_runtime.so or readelf not available")
def test_runtime_links_no_llvm_and_exports_only_the_c_api():
    dynamic = subprocess.run(["readelf", "-d", str(RUNTIME_LIB)], capture_output=True,
                             text=True, check=True).stdout
    needed = [line for line in dynamic.splitlines() if "(NEEDED)" in line]
    assert needed, dynamic
    for line in needed:
        assert "LLVM" not in line and "MLIR" not in line, line
    symbols = subprocess.run(["readelf", "--dyn-syms", "-W", str(RUNTIME_LIB)],
                             capture_output=True, text=True, check=True).stdout
    exported = set()
    for line in symbols.splitlines():
        cols = line.split()
        if len(cols) >= 8 and cols[6] != "UND" and cols[4] in ("GLOBAL", "WEAK") \
                and cols[3] == "FUNC":
            exported.add(cols[7].split("@")[0])
    assert exported, symbols
    assert all(name.startswith("dlcc_") for name in exported), sorted(
        n for n in exported if not n.startswith("dlcc_"))
