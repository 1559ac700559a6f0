//===- executor_fuzzer.cpp - libFuzzer target for loading and running -----===//
//
// Feeds arbitrary bytes to dlcc_program_load_memory and, when they load,
// creates a CPU session (1 thread), sets every input of every entry point to
// fixed bytes of the right size, runs every entry point, reads back every
// result and state slot and releases everything. Whatever the validator
// accepts must run without reading or writing out of bounds. Built with
// ASan/UBSan (runtime/CMakeLists.txt, -DDLCC_BUILD_FUZZERS=ON):
//   build-fuzz/bin/dlcc-executor-fuzzer -max_len=16384 -max_total_time=600 \
//       test/Runtime/fuzz/executor-corpus
// The seeds are real compiled artifacts (dlcc --inference --gpu-arch=none);
// test/python/test_artifact.py replays them through dlcc-run.
//
// As in the loader fuzzer, the fuzzing build skips the section hashes so
// that mutated metadata reaches the checks. Kernel images are machine code
// (docs/artifact-format.md, "Trust model"): mutating their bytes would only
// fuzz the dynamic loader, so a session is created only when every kernel
// image is an intact kernel_image section (its whole range, hashing to the
// section table's value), checked here with the hash comparison hidden from
// libFuzzer's comparison tracing; the custom mutator mostly mutates the
// metadata section in place. Inputs that would allocate more than
// kMaxSessionBytes or run more than kMaxBlocks kernel blocks are only loaded.
//
//===----------------------------------------------------------------------===//

#include "Touch.h"
#include "dlcc-c/dlcc.h"

#include "Program.h"
#include "Support.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

namespace fb = dlcc::schema;
using dlcc::runtime::SectionKind;

constexpr uint64_t kMaxSessionBytes = uint64_t(64) << 20;
constexpr uint64_t kMaxBlocks = uint64_t(1) << 16;

using dlcc::fuzz::touch;

/// Whether the bytes of kernel image `image` are a whole kernel_image section
/// whose contents hash to the section table's value. Not instrumented for
/// coverage: libFuzzer must not learn the hash from the comparison.
__attribute__((no_sanitize("coverage"))) bool
imageIntact(const dlcc_program &program, const fb::KernelImage &image) {
  if (image.section() >= program.container.sections.size())
    return false;
  const dlcc::runtime::Section &s = program.container.sections[image.section()];
  if (s.kind != uint32_t(SectionKind::KernelImage) || image.offset() != 0 ||
      image.size() != s.size)
    return false;
  return XXH64(program.bytes.get() + s.offset, size_t(s.size), 0) == s.hash;
}

/// Whether a session of `program` is worth creating: intact kernel images,
/// bounded memory and bounded kernel work.
bool runnable(const dlcc_program &program) {
  const fb::Program *meta = program.index.meta;
  if (const auto *images = meta->kernel_images())
    for (const fb::KernelImage *image : *images)
      if (!imageIntact(program, *image))
        return false;
  uint64_t bytes = 0;
  if (const auto *slots = meta->state_slots())
    for (const fb::StateSlot *slot : *slots)
      bytes += slot->data_size(); // each <= 2^40 (validated)
  uint64_t arena = 0;
  const auto *eps = meta->entry_points();
  for (flatbuffers::uoffset_t e = 0; eps && e < eps->size(); ++e) {
    const fb::EntryPoint *ep = eps->Get(e);
    if (ep->arena_bytes() > kMaxSessionBytes)
      return false;
    arena = std::max<uint64_t>(arena, ep->arena_bytes());
    const auto &sizes = program.index.entryPoints[e];
    for (uint64_t b : sizes.argumentBytes)
      bytes += b;
    for (uint64_t b : sizes.resultBytes)
      bytes += b;
    if (bytes > kMaxSessionBytes)
      return false;
    const auto *commands = ep->commands();
    for (flatbuffers::uoffset_t c = 0; commands && c < commands->size(); ++c)
      if (const fb::LaunchKernel *l = commands->Get(c)->op_as_LaunchKernel()) {
        const fb::Dim3 *g = l->grid();
        if (uint64_t(g->x()) * g->y() > kMaxBlocks ||
            uint64_t(g->x()) * g->y() * g->z() > kMaxBlocks)
          return false;
      }
  }
  return bytes + arena <= kMaxSessionBytes;
}

/// A fixed value of each element type (zeros for integers and bools, so
/// that index inputs are in range; 0.5 for floating point).
void fill(std::vector<uint8_t> &buffer, dlcc_dtype_t dtype) {
  std::fill(buffer.begin(), buffer.end(), 0);
  auto pattern = [&](const void *value, size_t n) {
    for (size_t i = 0; i + n <= buffer.size(); i += n)
      std::memcpy(buffer.data() + i, value, n);
  };
  const float f = 0.5f;
  const double d = 0.5;
  const uint16_t h = 0x3800, bf = 0x3f00;
  switch (dtype) {
  case DLCC_DTYPE_F32:
    pattern(&f, sizeof f);
    break;
  case DLCC_DTYPE_F64:
    pattern(&d, sizeof d);
    break;
  case DLCC_DTYPE_F16:
    pattern(&h, sizeof h);
    break;
  case DLCC_DTYPE_BF16:
    pattern(&bf, sizeof bf);
    break;
  default:
    break;
  }
}

void runAll(dlcc_program_t *program) {
  dlcc_session_options_t options;
  dlcc_session_options_initialize(&options);
  options.device = DLCC_DEVICE_CPU;
  options.cpu_threads = 1;
  dlcc_session_t *session = nullptr;
  if (dlcc_session_create(program, &options, &session) != DLCC_STATUS_OK) {
    if (std::getenv("DLCC_FUZZ_VERBOSE"))
      std::fprintf(stderr, "executor-fuzzer: %s\n", dlcc_status_message());
    touch(dlcc_status_message(), std::strlen(dlcc_status_message()));
    return;
  }
  std::vector<uint8_t> buffer;
  size_t entryPoints = 0;
  dlcc_program_entry_point_count(program, &entryPoints);
  for (size_t e = 0; e < entryPoints; ++e) {
    size_t args = 0, results = 0;
    dlcc_program_entry_point_argument_count(program, e, &args);
    dlcc_program_entry_point_result_count(program, e, &results);
    dlcc_argument_descriptor_t d;
    for (size_t a = 0; a < args; ++a)
      if (dlcc_program_entry_point_argument(program, e, a, &d) ==
              DLCC_STATUS_OK &&
          d.kind == DLCC_ARGUMENT_INPUT) {
        buffer.resize(size_t(d.byte_size));
        fill(buffer, d.dtype);
        dlcc_session_set_input(session, e, a, buffer.data(), buffer.size());
      }
    // Twice: a second run sees the state the first one left.
    for (int run = 0; run < 2; ++run) {
      if (dlcc_session_run(session, e) != DLCC_STATUS_OK)
        break;
      for (size_t r = 0; r < results; ++r)
        if (dlcc_program_entry_point_result(program, e, r, &d) ==
            DLCC_STATUS_OK) {
          buffer.resize(size_t(d.byte_size));
          if (dlcc_session_get_result(session, e, r, buffer.data(),
                                      buffer.size()) == DLCC_STATUS_OK)
            touch(buffer.data(), buffer.size());
        }
    }
  }
  size_t slots = 0;
  dlcc_program_state_slot_count(program, &slots);
  for (size_t i = 0; i < slots; ++i) {
    const void *initial = nullptr;
    size_t size = 0;
    if (dlcc_program_state_slot_initial_data(program, i, &initial, &size) !=
        DLCC_STATUS_OK)
      continue;
    buffer.resize(size);
    if (dlcc_session_read_state(session, i, buffer.data(), buffer.size()) ==
        DLCC_STATUS_OK)
      touch(buffer.data(), buffer.size());
  }
  dlcc_session_reset_state(session);
  dlcc_session_release(session);
}

} // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize);

/// Mutates the metadata section in place (its size kept, so that the
/// container stays valid) 7 times in 8, else the whole input: half of a
/// compiled artifact is kernel code, which runnable() turns away.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  using namespace dlcc::runtime;
  if (seed % 8 != 0 && size >= kHeaderSize &&
      std::memcmp(data, kMagic, sizeof(kMagic)) == 0) {
    uint32_t count = readLE32(data + 24);
    for (uint32_t i = 0; i < count && i < kMaxSections; ++i) {
      size_t entry = kHeaderSize + size_t(i) * kSectionEntrySize;
      if (entry + kSectionEntrySize > size)
        break;
      const uint8_t *e = data + entry;
      uint64_t offset = readLE64(e + 8), bytes = readLE64(e + 16);
      if (readLE32(e) == uint32_t(SectionKind::Metadata) && bytes &&
          offset <= size && bytes <= size - offset) {
        LLVMFuzzerMutate(data + offset, size_t(bytes), size_t(bytes));
        return size;
      }
    }
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dlcc_program_t *program = nullptr;
  if (dlcc_program_load_memory(data, size, nullptr, &program) !=
      DLCC_STATUS_OK) {
    touch(dlcc_status_message(), std::strlen(dlcc_status_message()));
    return 0;
  }
  static const bool verbose = std::getenv("DLCC_FUZZ_VERBOSE") != nullptr;
  bool run = runnable(*program);
  if (verbose)
    std::fprintf(stderr, "executor-fuzzer: loaded, %s\n",
                 run ? "running" : "not run (see runnable())");
  if (run)
    runAll(program);
  dlcc_program_release(program);
  return 0;
}
