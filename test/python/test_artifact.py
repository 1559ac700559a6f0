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
    assert j["format_version"] == 3
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
    assert (version, header_size, flags, reserved) == (3, 32, 0b11011, 0)
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
        "artifact format version 7 is newer than this runtime supports (3); rebuild dlcc-run",
        status="DLCC_STATUS_UNSUPPORTED_VERSION",
    )


def test_older_version(sample, put):
    """Version 1 computed tied results into separate buffers; this runtime
    binds them to the slot's own buffer, so it reads versions 2 (no splat
    slots) and 3 only."""
    blob = bytearray(sample)
    struct.pack_into("<I", blob, 8, 1)
    assert_rejected(
        put(bytes(blob)),
        "artifact format version 1 is not supported (this runtime reads versions 2 to 3); "
        "recompile the model with this dlcc",
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
    "splat-out-of-range": 'state_slots[0] ("fc1.weight").data_offset 1099511627776 + one element\'s 4 bytes exceeds',
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
    "version-mismatch": "metadata format_version is 4, but the header says 3",
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
# Zero-initialised state slots (StateSlot.initial_value, format version 2)
# ---------------------------------------------------------------------------

# StateSlot fields in schema order; Program.state_slots is Program field 4.
SLOT_FIELDS = ("name", "kind", "dtype", "shape", "data_offset", "data_size",
               "initial_value")
STORED, ZEROS, SPLAT = 0, 1, 2


def slot_field_offset(blob, slot, field):
    """Offset (relative to the metadata section) of state slot `slot`'s scalar
    `field`, read with a minimal FlatBuffers table walk (the writer stores
    every scalar, ForceDefaults, so each has a place to patch)."""
    meta = parse_sections(blob)[0]["offset"]
    m = blob[meta:]

    def u32(pos):
        return struct.unpack_from("<I", m, pos)[0]

    def field_pos(table, index):
        vtable = table - struct.unpack_from("<i", m, table)[0]
        vtable_size = struct.unpack_from("<H", m, vtable)[0]
        assert 4 + 2 * index < vtable_size, f"field {index} is absent"
        (off,) = struct.unpack_from("<H", m, vtable + 4 + 2 * index)
        assert off, f"field {index} is not stored"
        return table + off

    root = u32(0)
    slots = field_pos(root, 4)
    slots += u32(slots)
    assert slot < u32(slots)
    element = slots + 4 + 4 * slot
    table = element + u32(element)
    return field_pos(table, SLOT_FIELDS.index(field))


def patch_slot(blob, slot, **fields):
    """A copy of blob with slot fields replaced (hashes recomputed)."""
    formats = {"initial_value": "<B", "data_offset": "<Q", "data_size": "<Q"}
    for name, value in fields.items():
        blob = patch_metadata(blob, slot_field_offset(blob, slot, name),
                              struct.pack(formats[name], value))
    return blob


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    return write_sample(tmp_path_factory.mktemp("minimal") / "minimal.bin", "--minimal")


def test_zero_initialized_slot_loads_as_zeros(minimal, put):
    """The minimal sample's slot "w" (f32 [2], stored 1, 2) marked zeros: it
    loads, and its initial value reads as 8 zero bytes, 64-byte aligned."""
    blob = patch_slot(minimal, 0, initial_value=ZEROS)
    j = inspect(put(blob))
    (slot,) = j["state_slots"]
    assert slot["name"] == "w" and slot["data_size"] == 8
    assert slot["data_hex"] == "00" * 8
    assert slot["data_aligned"]
    # Unchanged, it is stored.
    assert inspect(put(minimal))["state_slots"][0]["data_hex"] == f32(1, 2)


def test_splat_slot_loads_as_its_first_element_repeated(minimal, put):
    """The minimal sample's slot "w" (f32 [2], stored 1, 2) marked splat:
    one element (1) is its value, repeated over the slot's 8 bytes."""
    j = inspect(put(patch_slot(minimal, 0, initial_value=SPLAT)))
    (slot,) = j["state_slots"]
    assert slot["data_size"] == 8 and slot["data_hex"] == f32(1, 1)
    assert slot["data_aligned"]


def test_zero_initialized_query(minimal, put):
    import ctypes

    if not RUNTIME_LIB.exists():
        pytest.skip("libdlcc_runtime.so not built")
    lib = ctypes.CDLL(str(RUNTIME_LIB))
    vp = ctypes.c_void_p
    lib.dlcc_program_load_file.argtypes = [ctypes.c_char_p, vp, ctypes.POINTER(vp)]
    lib.dlcc_program_state_slot_zero_initialized.argtypes = [
        vp, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]
    lib.dlcc_program_release.argtypes = [vp]
    for blob, expected in ((minimal, 0), (patch_slot(minimal, 0, initial_value=ZEROS), 1)):
        program = vp()
        assert lib.dlcc_program_load_file(str(put(blob)).encode(), None,
                                          ctypes.byref(program)) == 0
        zero = ctypes.c_int(-1)
        assert lib.dlcc_program_state_slot_zero_initialized(program, 0, ctypes.byref(zero)) == 0
        assert zero.value == expected
        assert lib.dlcc_program_state_slot_zero_initialized(program, 1, ctypes.byref(zero)) == 2
        assert lib.dlcc_program_release(program) == 0


@pytest.mark.parametrize(
    "fields,phrase",
    [
        (dict(initial_value=ZEROS, data_offset=64),
         'state_slots[0] ("w") is zero-initialised (initial_value zeros) but has '
         'data_offset 64; a zero-initialised slot stores no bytes, its data_offset must be 0'),
        (dict(initial_value=ZEROS, data_size=4),
         'state_slots[0] ("w").data_size is 4, expected 8 (f32 x [2])'),
        (dict(initial_value=ZEROS, data_size=1 << 62),
         'state_slots[0] ("w").data_size is 4611686018427387904, expected 8 (f32 x [2])'),
        (dict(initial_value=7),
         'state_slots[0] ("w").initial_value is 7, not a known kind of initial value '
         '(stored, zeros, splat)'),
        (dict(initial_value=STORED, data_offset=64),
         'state_slots[0] ("w").data_offset 64 + data_size 8 exceeds the initial_data section'),
        (dict(initial_value=SPLAT, data_offset=64),
         'state_slots[0] ("w").data_offset 64 + one element\'s 4 bytes exceeds the '
         'initial_data section'),
    ],
    ids=["zeros-with-data-offset", "zeros-size-mismatch", "zeros-huge-size",
         "unknown-initial-value", "stored-out-of-range", "splat-out-of-range"],
)
def test_corrupt_zero_initialization_is_rejected(minimal, put, fields, phrase):
    assert_rejected(put(patch_slot(minimal, 0, **fields)), phrase)


DLCC = REPO_ROOT / "build" / "bin" / "dlcc"


@pytest.mark.skipif(not DLCC.is_file(), reason="dlcc not built")
def test_compiled_zero_slots_store_no_bytes(tmp_path, put):
    """A model whose 1 MiB weight is all zeros: the artifact stores no bytes
    for it (the file is far smaller than the weight), the slot is
    zero-initialised, and a slot with a non-zero value is stored."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    zeros = numpy_helper.from_array(np.zeros((512, 512), np.float32), "w")
    bias = numpy_helper.from_array(np.arange(512, dtype=np.float32), "b")
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "w"], ["t"]), helper.make_node("Add", ["t", "b"], ["y"])],
        "zeros",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [512, 512])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [512, 512])],
        [zeros, bias])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, tmp_path / "zeros.onnx")
    out = tmp_path / "zeros.bin"
    r = subprocess.run([str(DLCC), str(tmp_path / "zeros.onnx"), "--inference", "-o", str(out),
                        "--gpu-arch=none"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    blob = out.read_bytes()
    assert len(blob) < 512 * 512 * 4 // 4, f"{len(blob)} bytes: the zeros were stored"
    sections = {s["kind"]: s for s in parse_sections(blob)}
    assert sections[INITIAL_DATA]["size"] == 512 * 4  # only the bias
    j = inspect(out)
    slots = {s["name"]: s for s in j["state_slots"]}
    assert slots["w"]["data_size"] == 512 * 512 * 4
    assert slots["w"]["data_hex"] == "00" * (512 * 512 * 4)
    assert slot_field_offset(blob, list(slots).index("w"), "initial_value")
    assert bytes.fromhex(slots["b"]["data_hex"]) == np.arange(512, dtype="<f4").tobytes()


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
        # Seeds stay well below the fuzzer's -max_len=8192.
        assert f.stat().st_size < 8192, f"{f.name} is larger than 8 KB"
        r = run_tool("inspect", f)
        assert r.returncode in (0, 1), f"{f.name}: exit {r.returncode}\n{r.stderr}"
    # The valid seeds still load with this version of the format.
    for name in ("sample.bin", "minimal.bin", "minimal-conv.bin", "minimal-zero-init.bin",
                 "minimal-splat.bin"):
        assert run_tool("inspect", CORPUS / name).returncode == 0, name


def test_fuzz_seeds_are_current(tmp_path):
    """The seeds are what this writer produces (regenerate them after a format
    change: docs/artifact-format.md, "Testing"); minimal-zero-init.bin and
    minimal-splat.bin are minimal.bin with its slot marked zero-initialised
    and a splat of its first element."""
    minimal = write_sample(tmp_path / "minimal.bin", "--minimal")
    assert (CORPUS / "minimal.bin").read_bytes() == minimal
    assert (CORPUS / "minimal-zero-init.bin").read_bytes() == patch_slot(
        minimal, 0, initial_value=ZEROS)
    assert (CORPUS / "minimal-splat.bin").read_bytes() == patch_slot(
        minimal, 0, initial_value=SPLAT)
    assert (CORPUS / "sample.bin").read_bytes() == write_sample(tmp_path / "sample.bin")


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


# ---------------------------------------------------------------------------
# Compiled artifacts run after metadata corruption; the executor fuzz corpus
# ---------------------------------------------------------------------------

import sys  # noqa: E402

DLCC_RUN = Path(os.environ.get("DLCC_RUN", str(REPO_ROOT / "build" / "bin" / "dlcc-run")))
EXECUTOR_CORPUS = REPO_ROOT / "test" / "Runtime" / "fuzz" / "executor-corpus"
needs_dlcc_run = pytest.mark.skipif(not DLCC_RUN.is_file(), reason="dlcc-run not built")


def _table_field(m, table, index):
    """Position of field `index` of the FlatBuffers table at `table` in `m`
    (None when absent)."""
    vtable = table - struct.unpack_from("<i", m, table)[0]
    vtable_size = struct.unpack_from("<H", m, vtable)[0]
    if 4 + 2 * index >= vtable_size:
        return None
    (off,) = struct.unpack_from("<H", m, vtable + 4 + 2 * index)
    return table + off if off else None


def _vector_table(m, field, i):
    """The i-th table of the vector of tables referenced at `field`."""
    vec = field + struct.unpack_from("<I", m, field)[0]
    assert i < struct.unpack_from("<I", m, vec)[0]
    element = vec + 4 + 4 * i
    return element + struct.unpack_from("<I", m, element)[0]


def launch_grid_offset(blob, entry_point, command):
    """Offset (relative to the metadata section) of the grid (Dim3 x, y, z
    as u32) of entry_points[entry_point].commands[command], a LaunchKernel."""
    m = blob[parse_sections(blob)[0]["offset"]:]
    root = struct.unpack_from("<I", m, 0)[0]
    ep = _vector_table(m, _table_field(m, root, 5), entry_point)  # entry_points
    cmd = _vector_table(m, _table_field(m, ep, 3), command)  # commands
    assert m[_table_field(m, cmd, 0)] == 1, "not a LaunchKernel"  # op_type
    op = _table_field(m, cmd, 1)
    launch = op + struct.unpack_from("<I", m, op)[0]
    return _table_field(m, launch, 2)  # LaunchKernel.grid


def rehash_except_code(blob):
    """Recomputes the hashes of every section but the kernel images: the
    executor fuzzer (which skips the hash check) runs only intact kernel
    images, so its findings replay here with their code untouched."""
    out = bytes(blob)
    for i, s in enumerate(parse_sections(blob)):
        if s["kind"] != KERNEL_IMAGE:
            out = set_section(out, i, hash=xxh64(out[s["offset"]: s["offset"] + s["size"]]))
    return out


@needs_dlcc_run
def test_launch_grid_larger_than_compiled_is_rejected(tmp_path):
    """softmax-layernorm.bin runs one block per row (grid.x 3, rows 3); grid.x
    7, 11 or 19 (one flipped bit) makes the kernel read and write rows 3.. of
    3-row buffers. It must be rejected with a clear error, never run."""
    seed = (EXECUTOR_CORPUS / "softmax-layernorm.bin").read_bytes()
    grid = launch_grid_offset(seed, 0, 0)
    meta = parse_sections(seed)[0]["offset"]
    assert struct.unpack_from("<3I", seed, meta + grid) == (3, 1, 1)
    inputs = tmp_path / "in.npz"
    np.savez(inputs, x=np.ones((3, 8), np.float32))
    for x in (7, 11, 19, 3 | 1 << 20):
        blob = patch_metadata(seed, grid, struct.pack("<I", x))
        path = tmp_path / f"grid{x}.bin"
        path.write_bytes(blob)
        r = subprocess.run([str(DLCC_RUN), str(path), "--inputs", str(inputs), "--threads", "1"],
                           capture_output=True, text=True, errors="replace", timeout=120)
        assert r.returncode == 1, f"grid.x {x}: exit {r.returncode}\n{r.stderr}"
        assert r.stderr.startswith("dlcc-run: error: ") and "grid" in r.stderr, r.stderr


# Runs every entry point of each artifact as the executor fuzzer does (CPU,
# 1 thread, inputs of the right size set to 0.5 / zeros, two runs, results
# and state read back), in a child process so that a crash is a failure.
_EXECUTOR_REPLAY = r"""
import ctypes, struct, sys
lib = ctypes.CDLL(sys.argv[1])
vp, sz = ctypes.c_void_p, ctypes.c_size_t
class Desc(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("kind", ctypes.c_int), ("state_slot", ctypes.c_int64),
                ("dtype", ctypes.c_int), ("rank", sz), ("dims", ctypes.POINTER(ctypes.c_int64)),
                ("byte_size", ctypes.c_uint64)]
class Opts(ctypes.Structure):
    _fields_ = [("device", ctypes.c_int), ("cpu_threads", ctypes.c_uint32),
                ("cuda_device", ctypes.c_int32), ("flags", ctypes.c_uint64)]
lib.dlcc_status_message.restype = ctypes.c_char_p
F32, F64 = 3, 4  # dlcc_dtype_t
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    p = vp()
    if lib.dlcc_program_load_memory(data, sz(len(data)), None, ctypes.byref(p)):
        print(path, "rejected:", lib.dlcc_status_message().decode(errors="replace"))
        continue
    o = Opts()
    lib.dlcc_session_options_initialize(ctypes.byref(o))
    o.device, o.cpu_threads = 1, 1  # DLCC_DEVICE_CPU
    s = vp()
    if lib.dlcc_session_create(p, ctypes.byref(o), ctypes.byref(s)):
        print(path, "no session:", lib.dlcc_status_message().decode(errors="replace"))
        lib.dlcc_program_release(p)
        continue
    n, ran = sz(), 0
    lib.dlcc_program_entry_point_count(p, ctypes.byref(n))
    for e in range(n.value):
        na, nr, d = sz(), sz(), Desc()
        lib.dlcc_program_entry_point_argument_count(p, sz(e), ctypes.byref(na))
        lib.dlcc_program_entry_point_result_count(p, sz(e), ctypes.byref(nr))
        for a in range(na.value):
            if lib.dlcc_program_entry_point_argument(p, sz(e), sz(a), ctypes.byref(d)) == 0 \
                    and d.kind == 0:
                b = bytearray(d.byte_size)
                if d.dtype in (F32, F64):
                    fmt = "<f" if d.dtype == F32 else "<d"
                    k = struct.calcsize(fmt)
                    b = bytearray(struct.pack(fmt, 0.5) * (d.byte_size // k))
                buf = (ctypes.c_char * len(b)).from_buffer(b) if b else None
                lib.dlcc_session_set_input(s, sz(e), sz(a), buf, sz(len(b)))
        for _ in range(2):
            if lib.dlcc_session_run(s, sz(e)):
                print(path, "run failed:", lib.dlcc_status_message().decode(errors="replace"))
                break
            ran += 1
            for r in range(nr.value):
                lib.dlcc_program_entry_point_result(p, sz(e), sz(r), ctypes.byref(d))
                out = ctypes.create_string_buffer(max(d.byte_size, 1))
                assert lib.dlcc_session_get_result(s, sz(e), sz(r), out, sz(d.byte_size)) == 0
    print(path, "ran", ran)
    lib.dlcc_session_release(s)
    lib.dlcc_program_release(p)
"""


@pytest.mark.skipif(not RUNTIME_LIB.exists(), reason="libdlcc_runtime.so not built")
def test_executor_fuzz_corpus_replays_cleanly(tmp_path):
    """Every file of the executor fuzzer's corpus (real compiled artifacts and
    regression inputs, hashes but the kernel images' recomputed) loads and
    runs, or is rejected with a message; never a crash. The compiled seeds
    (test/Runtime/fuzz/make-executor-corpus) load and run."""
    files = sorted(p for p in EXECUTOR_CORPUS.iterdir() if p.suffix == ".bin")
    assert len(files) >= 4
    paths = []
    for f in files:
        assert f.stat().st_size < 8192, f"{f.name} is larger than 8 KB (-max_len=8192)"
        paths.append(tmp_path / f.name)
        paths[-1].write_bytes(rehash_except_code(f.read_bytes()))
    r = subprocess.run([sys.executable, "-c", _EXECUTOR_REPLAY, str(RUNTIME_LIB), *map(str, paths)],
                       capture_output=True, text=True, errors="replace", timeout=300)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    for bad in FORBIDDEN:
        assert bad not in r.stderr, r.stderr
    lines = dict(line.split(" ", 1) for line in r.stdout.splitlines())
    for name in ("matmul-add-relu.bin", "conv-batchnorm-relu.bin", "softmax-layernorm.bin",
                 "gather.bin"):
        assert lines[str(tmp_path / name)] == "ran 2", r.stdout
