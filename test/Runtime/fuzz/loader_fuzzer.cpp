//===- loader_fuzzer.cpp - libFuzzer target for the train.bin loader ------===//
//
// Feeds arbitrary bytes to dlcc_program_load_memory and, when they load, runs
// every query. The loader must never crash, hang or read out of bounds; built
// with ASan/UBSan (runtime/CMakeLists.txt, -DDLCC_BUILD_FUZZERS=ON):
//   build-fuzz/bin/dlcc-loader-fuzzer -max_total_time=600 \
//       test/Runtime/fuzz/corpus
// The seed corpus is replayed (without sanitizers) by
// test/python/test_artifact.py.
//
//===----------------------------------------------------------------------===//

#include "Touch.h"
#include "dlcc-c/dlcc.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {

using dlcc::fuzz::touch;

void touchString(const char *s) { touch(s, std::strlen(s)); }

void queryAll(const dlcc_program_t *p) {
  const char *s = nullptr;
  const void *data = nullptr;
  size_t size = 0, n = 0, rank = 0, index = 0;
  const int64_t *dims = nullptr;
  if (dlcc_program_producer(p, &s) == DLCC_STATUS_OK)
    touchString(s);
  if (dlcc_program_cpu_baseline(p, &s) == DLCC_STATUS_OK)
    touchString(s);
  if (dlcc_program_onnx_graph(p, &data, &size) == DLCC_STATUS_OK)
    touch(data, size);
  dlcc_program_state_slot_count(p, &n);
  for (size_t i = 0; i < n; ++i) {
    if (dlcc_program_state_slot_name(p, i, &s) == DLCC_STATUS_OK) {
      touchString(s);
      dlcc_program_find_state_slot(p, s, &index);
    }
    dlcc_state_slot_kind_t kind;
    dlcc_dtype_t dtype{};
    if (dlcc_program_state_slot_kind(p, i, &kind) == DLCC_STATUS_OK)
      dlcc_state_slot_kind_name(kind, &s);
    if (dlcc_program_state_slot_dtype(p, i, &dtype) == DLCC_STATUS_OK)
      dlcc_dtype_name(dtype, &s);
    if (dlcc_program_state_slot_shape(p, i, &rank, &dims) == DLCC_STATUS_OK)
      touch(dims, rank * sizeof(int64_t));
    // A zero-initialised slot's bytes are mapped zeros of any declared size
    // (nothing in the file bounds it): read only its start. A splat slot's
    // are allocated on request: only small ones are asked for.
    int zero = 0;
    dlcc_program_state_slot_zero_initialized(p, i, &zero);
    dlcc_initial_value_t init = DLCC_INITIAL_VALUE_STORED;
    dlcc_program_state_slot_initial_value(p, i, &init);
    if (init == DLCC_INITIAL_VALUE_SPLAT) {
      size_t bytes = 0;
      if (dlcc_dtype_size(dtype, &bytes) != DLCC_STATUS_OK)
        continue;
      for (size_t d = 0; d < rank && bytes <= (size_t(1) << 20); ++d)
        bytes = dims[d] > int64_t(1) << 20 ? SIZE_MAX : bytes * size_t(dims[d]);
      if (bytes > (size_t(1) << 20))
        continue;
    }
    if (dlcc_program_state_slot_initial_data(p, i, &data, &size) ==
        DLCC_STATUS_OK)
      touch(data, zero && size > 4096 ? 4096 : size);
  }
  dlcc_program_entry_point_count(p, &n);
  for (size_t e = 0; e < n; ++e) {
    if (dlcc_program_entry_point_name(p, e, &s) == DLCC_STATUS_OK) {
      touchString(s);
      dlcc_program_find_entry_point(p, s, &index);
    }
    size_t args = 0, results = 0, commands = 0;
    uint64_t arena = 0;
    dlcc_program_entry_point_arena_bytes(p, e, &arena);
    dlcc_program_entry_point_command_count(p, e, &commands);
    dlcc_program_entry_point_argument_count(p, e, &args);
    dlcc_program_entry_point_result_count(p, e, &results);
    dlcc_argument_descriptor_t d;
    for (size_t i = 0; i < args; ++i)
      if (dlcc_program_entry_point_argument(p, e, i, &d) == DLCC_STATUS_OK) {
        touchString(d.name);
        touch(d.dims, d.rank * sizeof(int64_t));
      }
    for (size_t i = 0; i < results; ++i)
      if (dlcc_program_entry_point_result(p, e, i, &d) == DLCC_STATUS_OK) {
        touchString(d.name);
        touch(d.dims, d.rank * sizeof(int64_t));
      }
  }
  dlcc_program_kernel_count(p, &n);
  for (size_t k = 0; k < n; ++k)
    if (dlcc_program_kernel_name(p, k, &s) == DLCC_STATUS_OK)
      touchString(s);
  dlcc_program_kernel_image_count(p, &n);
  for (size_t i = 0; i < n; ++i)
    if (dlcc_program_kernel_image(p, i, &s, &data, &size) == DLCC_STATUS_OK) {
      touchString(s);
      touch(data, size);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dlcc_program_t *program = nullptr;
  if (dlcc_program_load_memory(data, size, nullptr, &program) ==
      DLCC_STATUS_OK) {
    queryAll(program);
    dlcc_program_release(program);
  } else {
    touchString(dlcc_status_message());
  }
  return 0;
}
