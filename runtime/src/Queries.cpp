//===- Queries.cpp - Read-only queries on a loaded program ----------------===//
//
// Every value read here was validated at load time (Validate.cpp), so the
// queries only check their own arguments.
//
//===----------------------------------------------------------------------===//

#include "Program.h"
#include "Status.h"
#include "Support.h"

#include <cstring>
#include <mutex>

#include <sys/mman.h>

using namespace dlcc::runtime;
namespace fb = dlcc::schema;

namespace {

// The helpers below build messages (which allocates) inside try blocks: no
// exception may leave a C API function.
dlcc_status_t nullArgument(const char *function) noexcept {
  try {
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat(function, ": a handle or out-pointer is NULL"));
  } catch (...) {
    return DLCC_STATUS_INVALID_ARGUMENT;
  }
}

dlcc_status_t outOfRange(const char *function, const char *what, size_t index,
                         size_t count) noexcept {
  try {
    return setError(DLCC_STATUS_OUT_OF_RANGE,
                    strCat(function, ": ", what, " index ", index,
                           " is out of range (count ", count, ")"));
  } catch (...) {
    return DLCC_STATUS_OUT_OF_RANGE;
  }
}

dlcc_status_t unknownEnum(const char *function, int value) noexcept {
  try {
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat(function, ": unknown enum value ", value));
  } catch (...) {
    return DLCC_STATUS_INVALID_ARGUMENT;
  }
}

template <typename T> size_t count(const T *vector) {
  return vector ? vector->size() : 0;
}

const char *stringOrEmpty(const flatbuffers::String *s) {
  return s ? s->c_str() : "";
}

/// At least `bytes` read-only zero bytes, page aligned, valid until the
/// process ends: the initial value of zero-initialised slots, which the
/// artifact does not store. An anonymous read-only mapping costs address
/// space only (every page reads the kernel's shared zero page). The region
/// only grows, to the next power of two, and old regions are never unmapped
/// (pointers handed out stay valid), so at most twice the largest request is
/// mapped. nullptr when the mapping fails.
const void *zeroBytes(uint64_t bytes) noexcept {
  static std::mutex mutex;
  static void *region = nullptr;
  static uint64_t regionBytes = 0;
  try {
    std::lock_guard<std::mutex> lock(mutex);
    if (bytes <= regionBytes)
      return region;
    uint64_t size = uint64_t(1) << 16;
    while (size < bytes) {
      if (size > (UINT64_MAX >> 1) || size > SIZE_MAX / 2)
        return nullptr;
      size <<= 1;
    }
    void *p = ::mmap(nullptr, size_t(size), PROT_READ,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      return nullptr;
    region = p;
    regionBytes = size;
    return region;
  } catch (...) {
    return nullptr;
  }
}

/// Looks up slot `index`, or reports an error.
dlcc_status_t getSlot(const char *function, const dlcc_program_t *program,
                      size_t index, const fb::StateSlot *&slot) {
  size_t n = count(program->index.meta->state_slots());
  if (index >= n)
    return outOfRange(function, "state slot", index, n);
  slot = program->index.meta->state_slots()->Get(flatbuffers::uoffset_t(index));
  return DLCC_STATUS_OK;
}

dlcc_status_t getEntryPoint(const char *function, const dlcc_program_t *program,
                            size_t index, const fb::EntryPoint *&ep) {
  size_t n = count(program->index.meta->entry_points());
  if (index >= n)
    return outOfRange(function, "entry point", index, n);
  ep = program->index.meta->entry_points()->Get(flatbuffers::uoffset_t(index));
  return DLCC_STATUS_OK;
}

dlcc_status_t describeArgument(const char *function,
                               const dlcc_program_t *program, size_t entryPoint,
                               size_t index, bool result,
                               dlcc_argument_descriptor_t *out) {
  if (!program || !out)
    return nullArgument(function);
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint(function, program, entryPoint, ep))
    return s;
  const auto *list = result ? ep->results() : ep->arguments();
  size_t n = count(list);
  if (index >= n)
    return outOfRange(function, result ? "result" : "argument", index, n);
  const fb::ArgumentDescriptor *arg = list->Get(flatbuffers::uoffset_t(index));
  const auto &sizes = program->index.entryPoints[entryPoint];
  out->name = arg->name()->c_str();
  out->kind = static_cast<dlcc_argument_kind_t>(arg->kind());
  out->state_slot = arg->state_slot();
  out->dtype = static_cast<dlcc_dtype_t>(arg->dtype());
  out->rank = count(arg->shape());
  out->dims = out->rank ? arg->shape()->data() : nullptr;
  out->byte_size =
      result ? sizes.resultBytes[index] : sizes.argumentBytes[index];
  return DLCC_STATUS_OK;
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Enumerations
//===----------------------------------------------------------------------===//

dlcc_status_t dlcc_dtype_name(dlcc_dtype_t dtype, const char **out_name) {
  if (!out_name)
    return nullArgument("dlcc_dtype_name");
  fb::DType d = static_cast<fb::DType>(dtype);
  if (int(dtype) <= 0 || int(dtype) > int(fb::DType::MAX))
    return unknownEnum("dlcc_dtype_name", int(dtype));
  *out_name = fb::EnumNameDType(d);
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_dtype_size(dlcc_dtype_t dtype, size_t *out_bytes) {
  if (!out_bytes)
    return nullArgument("dlcc_dtype_size");
  if (int(dtype) <= 0 || int(dtype) > int(fb::DType::MAX))
    return unknownEnum("dlcc_dtype_size", int(dtype));
  *out_bytes = size_t(dtypeSize(static_cast<fb::DType>(dtype)));
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_state_slot_kind_name(dlcc_state_slot_kind_t kind,
                                        const char **out_name) {
  if (!out_name)
    return nullArgument("dlcc_state_slot_kind_name");
  if (int(kind) < 0 || int(kind) > int(fb::StateSlotKind::MAX))
    return unknownEnum("dlcc_state_slot_kind_name", int(kind));
  *out_name = fb::EnumNameStateSlotKind(static_cast<fb::StateSlotKind>(kind));
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_argument_kind_name(dlcc_argument_kind_t kind,
                                      const char **out_name) {
  if (!out_name)
    return nullArgument("dlcc_argument_kind_name");
  if (int(kind) < 0 || int(kind) > int(fb::ArgumentKind::MAX))
    return unknownEnum("dlcc_argument_kind_name", int(kind));
  *out_name = fb::EnumNameArgumentKind(static_cast<fb::ArgumentKind>(kind));
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_device_kind_name(dlcc_device_kind_t kind,
                                    const char **out_name) {
  if (!out_name)
    return nullArgument("dlcc_device_kind_name");
  switch (kind) {
  case DLCC_DEVICE_AUTO:
    *out_name = "auto";
    return DLCC_STATUS_OK;
  case DLCC_DEVICE_CPU:
    *out_name = "cpu";
    return DLCC_STATUS_OK;
  case DLCC_DEVICE_CUDA:
    *out_name = "cuda";
    return DLCC_STATUS_OK;
  }
  return unknownEnum("dlcc_device_kind_name", int(kind));
}

//===----------------------------------------------------------------------===//
// Program-wide
//===----------------------------------------------------------------------===//

dlcc_status_t dlcc_program_format_version(const dlcc_program_t *program,
                                          uint32_t *out_version) {
  if (!program || !out_version)
    return nullArgument("dlcc_program_format_version");
  *out_version = program->container.formatVersion;
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_producer(const dlcc_program_t *program,
                                    const char **out_producer) {
  if (!program || !out_producer)
    return nullArgument("dlcc_program_producer");
  *out_producer = stringOrEmpty(program->index.meta->producer());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_feature_flags(const dlcc_program_t *program,
                                         uint64_t *out_flags) {
  if (!program || !out_flags)
    return nullArgument("dlcc_program_feature_flags");
  *out_flags = uint64_t(program->index.meta->feature_flags());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_cpu_baseline(const dlcc_program_t *program,
                                        const char **out_baseline) {
  if (!program || !out_baseline)
    return nullArgument("dlcc_program_cpu_baseline");
  *out_baseline = stringOrEmpty(program->index.meta->cpu_baseline());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_onnx_graph(const dlcc_program_t *program,
                                      const void **out_data, size_t *out_size) {
  if (!program || !out_data || !out_size)
    return nullArgument("dlcc_program_onnx_graph");
  bool any = program->index.onnxGraph && program->index.onnxGraphSize;
  *out_data = any ? program->index.onnxGraph : nullptr;
  *out_size = any ? size_t(program->index.onnxGraphSize) : 0;
  return DLCC_STATUS_OK;
}

//===----------------------------------------------------------------------===//
// State slots
//===----------------------------------------------------------------------===//

dlcc_status_t dlcc_program_state_slot_count(const dlcc_program_t *program,
                                            size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_state_slot_count");
  *out_count = count(program->index.meta->state_slots());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_find_state_slot(const dlcc_program_t *program,
                                           const char *name,
                                           size_t *out_index) {
  return apiCall("dlcc_program_find_state_slot", [&]() -> dlcc_status_t {
    if (!program || !name || !out_index)
      return nullArgument("dlcc_program_find_state_slot");
    auto it = program->index.slotByName.find(name);
    if (it == program->index.slotByName.end())
      return setError(DLCC_STATUS_NOT_FOUND,
                      strCat("no state slot named ", quoted(name)));
    *out_index = it->second;
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_program_state_slot_name(const dlcc_program_t *program,
                                           size_t index,
                                           const char **out_name) {
  if (!program || !out_name)
    return nullArgument("dlcc_program_state_slot_name");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s =
          getSlot("dlcc_program_state_slot_name", program, index, slot))
    return s;
  *out_name = slot->name()->c_str();
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_state_slot_kind(const dlcc_program_t *program,
                                           size_t index,
                                           dlcc_state_slot_kind_t *out_kind) {
  if (!program || !out_kind)
    return nullArgument("dlcc_program_state_slot_kind");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s =
          getSlot("dlcc_program_state_slot_kind", program, index, slot))
    return s;
  *out_kind = static_cast<dlcc_state_slot_kind_t>(slot->kind());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_state_slot_dtype(const dlcc_program_t *program,
                                            size_t index,
                                            dlcc_dtype_t *out_dtype) {
  if (!program || !out_dtype)
    return nullArgument("dlcc_program_state_slot_dtype");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s =
          getSlot("dlcc_program_state_slot_dtype", program, index, slot))
    return s;
  *out_dtype = static_cast<dlcc_dtype_t>(slot->dtype());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_state_slot_shape(const dlcc_program_t *program,
                                            size_t index, size_t *out_rank,
                                            const int64_t **out_dims) {
  if (!program || !out_rank || !out_dims)
    return nullArgument("dlcc_program_state_slot_shape");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s =
          getSlot("dlcc_program_state_slot_shape", program, index, slot))
    return s;
  *out_rank = count(slot->shape());
  *out_dims = *out_rank ? slot->shape()->data() : nullptr;
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_state_slot_initial_data(const dlcc_program_t *program,
                                     size_t index, const void **out_data,
                                     size_t *out_size) {
  if (!program || !out_data || !out_size)
    return nullArgument("dlcc_program_state_slot_initial_data");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s =
          getSlot("dlcc_program_state_slot_initial_data", program, index, slot))
    return s;
  const void *data = nullptr;
  if (slot->data_size() == 0)
    data = nullptr;
  else if (slot->initial_value() == fb::InitialValue::splat) {
    // Materialised once per program, 64-byte aligned.
    std::lock_guard<std::mutex> lock(program->splatMutex);
    auto &value = program->splatValues[index];
    uint64_t bytes = slot->data_size();
    if (!value) {
      void *p = bytes > SIZE_MAX - 63
                    ? nullptr
                    : std::aligned_alloc(64, size_t((bytes + 63) / 64 * 64));
      if (!p)
        return setError(
            DLCC_STATUS_OUT_OF_MEMORY,
            strCat("dlcc_program_state_slot_initial_data: state slot ", index,
                   " (", quoted(slot->name()->string_view()), ") is a splat of ",
                   bytes, " bytes, which cannot be allocated"));
      value.reset(static_cast<uint8_t *>(p));
      fillWithElement(value.get(), bytes,
                      program->index.initialData + slot->data_offset(),
                      dtypeSize(slot->dtype()));
    }
    data = value.get();
  } else if (slot->initial_value() != fb::InitialValue::zeros)
    data = program->index.initialData + slot->data_offset();
  else if (!(data = zeroBytes(slot->data_size()))) {
    try {
      return setError(
          DLCC_STATUS_OUT_OF_MEMORY,
          strCat("dlcc_program_state_slot_initial_data: state slot ", index,
                 " (", quoted(slot->name()->string_view()),
                 ") is zero-initialised and ", slot->data_size(),
                 " bytes of zeros cannot be mapped"));
    } catch (...) {
      return DLCC_STATUS_OUT_OF_MEMORY;
    }
  }
  *out_size = size_t(slot->data_size());
  *out_data = data;
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_state_slot_zero_initialized(const dlcc_program_t *program,
                                         size_t index,
                                         int *out_zero_initialized) {
  if (!program || !out_zero_initialized)
    return nullArgument("dlcc_program_state_slot_zero_initialized");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s = getSlot("dlcc_program_state_slot_zero_initialized",
                                program, index, slot))
    return s;
  *out_zero_initialized = slot->initial_value() == fb::InitialValue::zeros;
  return DLCC_STATUS_OK;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

dlcc_status_t dlcc_program_entry_point_count(const dlcc_program_t *program,
                                             size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_entry_point_count");
  *out_count = count(program->index.meta->entry_points());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_find_entry_point(const dlcc_program_t *program,
                                            const char *name,
                                            size_t *out_index) {
  return apiCall("dlcc_program_find_entry_point", [&]() -> dlcc_status_t {
    if (!program || !name || !out_index)
      return nullArgument("dlcc_program_find_entry_point");
    auto it = program->index.entryPointByName.find(name);
    if (it == program->index.entryPointByName.end())
      return setError(DLCC_STATUS_NOT_FOUND,
                      strCat("no entry point named ", quoted(name)));
    *out_index = it->second;
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_program_entry_point_name(const dlcc_program_t *program,
                                            size_t entry_point,
                                            const char **out_name) {
  if (!program || !out_name)
    return nullArgument("dlcc_program_entry_point_name");
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint("dlcc_program_entry_point_name", program,
                                      entry_point, ep))
    return s;
  *out_name = ep->name()->c_str();
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_entry_point_argument_count(const dlcc_program_t *program,
                                        size_t entry_point, size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_entry_point_argument_count");
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint("dlcc_program_entry_point_argument_count",
                                      program, entry_point, ep))
    return s;
  *out_count = count(ep->arguments());
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_entry_point_argument(const dlcc_program_t *program,
                                  size_t entry_point, size_t index,
                                  dlcc_argument_descriptor_t *out_descriptor) {
  return describeArgument("dlcc_program_entry_point_argument", program,
                          entry_point, index, /*result=*/false, out_descriptor);
}

dlcc_status_t
dlcc_program_entry_point_result_count(const dlcc_program_t *program,
                                      size_t entry_point, size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_entry_point_result_count");
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint("dlcc_program_entry_point_result_count",
                                      program, entry_point, ep))
    return s;
  *out_count = count(ep->results());
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_entry_point_result(const dlcc_program_t *program,
                                size_t entry_point, size_t index,
                                dlcc_argument_descriptor_t *out_descriptor) {
  return describeArgument("dlcc_program_entry_point_result", program,
                          entry_point, index, /*result=*/true, out_descriptor);
}

dlcc_status_t
dlcc_program_entry_point_arena_bytes(const dlcc_program_t *program,
                                     size_t entry_point, uint64_t *out_bytes) {
  if (!program || !out_bytes)
    return nullArgument("dlcc_program_entry_point_arena_bytes");
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint("dlcc_program_entry_point_arena_bytes",
                                      program, entry_point, ep))
    return s;
  *out_bytes = ep->arena_bytes();
  return DLCC_STATUS_OK;
}

dlcc_status_t
dlcc_program_entry_point_command_count(const dlcc_program_t *program,
                                       size_t entry_point, size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_entry_point_command_count");
  const fb::EntryPoint *ep = nullptr;
  if (dlcc_status_t s = getEntryPoint("dlcc_program_entry_point_command_count",
                                      program, entry_point, ep))
    return s;
  *out_count = count(ep->commands());
  return DLCC_STATUS_OK;
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

dlcc_status_t dlcc_program_kernel_count(const dlcc_program_t *program,
                                        size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_kernel_count");
  *out_count = count(program->index.meta->kernels());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_kernel_name(const dlcc_program_t *program,
                                       size_t index, const char **out_name) {
  if (!program || !out_name)
    return nullArgument("dlcc_program_kernel_name");
  size_t n = count(program->index.meta->kernels());
  if (index >= n)
    return outOfRange("dlcc_program_kernel_name", "kernel", index, n);
  *out_name = program->index.meta->kernels()
                  ->Get(flatbuffers::uoffset_t(index))
                  ->name()
                  ->c_str();
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_kernel_variant_count(const dlcc_program_t *program,
                                                size_t kernel,
                                                size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_kernel_variant_count");
  size_t n = count(program->index.meta->kernels());
  if (kernel >= n)
    return outOfRange("dlcc_program_kernel_variant_count", "kernel", kernel, n);
  *out_count = count(program->index.meta->kernels()
                         ->Get(flatbuffers::uoffset_t(kernel))
                         ->variants());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_kernel_variant(const dlcc_program_t *program,
                                          size_t kernel, size_t index,
                                          dlcc_kernel_variant_t *out) {
  if (!program || !out)
    return nullArgument("dlcc_program_kernel_variant");
  size_t n = count(program->index.meta->kernels());
  if (kernel >= n)
    return outOfRange("dlcc_program_kernel_variant", "kernel", kernel, n);
  const auto *variants = program->index.meta->kernels()
                             ->Get(flatbuffers::uoffset_t(kernel))
                             ->variants();
  size_t v = count(variants);
  if (index >= v)
    return outOfRange("dlcc_program_kernel_variant", "variant", index, v);
  const auto *variant = variants->Get(flatbuffers::uoffset_t(index));
  out->image = variant->image();
  out->symbol = variant->symbol()->c_str();
  out->registers = variant->registers();
  out->shared_mem_bytes = variant->shared_mem_bytes();
  out->max_threads_per_block = variant->max_threads_per_block();
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_kernel_image_count(const dlcc_program_t *program,
                                              size_t *out_count) {
  if (!program || !out_count)
    return nullArgument("dlcc_program_kernel_image_count");
  *out_count = count(program->index.meta->kernel_images());
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_kernel_image(const dlcc_program_t *program,
                                        size_t index, const char **out_target,
                                        const void **out_data,
                                        size_t *out_size) {
  if (!program || !out_target || !out_data || !out_size)
    return nullArgument("dlcc_program_kernel_image");
  size_t n = count(program->index.meta->kernel_images());
  if (index >= n)
    return outOfRange("dlcc_program_kernel_image", "kernel image", index, n);
  const fb::KernelImage *image =
      program->index.meta->kernel_images()->Get(flatbuffers::uoffset_t(index));
  *out_target = image->target()->c_str();
  *out_data = program->bytes.get() +
              program->container.sections[image->section()].offset +
              image->offset();
  *out_size = size_t(image->size());
  return DLCC_STATUS_OK;
}


dlcc_status_t
dlcc_program_state_slot_initial_value(const dlcc_program_t *program,
                                      size_t index, dlcc_initial_value_t *out) {
  if (!program || !out)
    return nullArgument("dlcc_program_state_slot_initial_value");
  const fb::StateSlot *slot = nullptr;
  if (dlcc_status_t s = getSlot("dlcc_program_state_slot_initial_value",
                                program, index, slot))
    return s;
  switch (slot->initial_value()) {
  case fb::InitialValue::zeros:
    *out = DLCC_INITIAL_VALUE_ZEROS;
    break;
  case fb::InitialValue::splat:
    *out = DLCC_INITIAL_VALUE_SPLAT;
    break;
  default:
    *out = DLCC_INITIAL_VALUE_STORED;
    break;
  }
  return DLCC_STATUS_OK;
}

} // extern "C"
