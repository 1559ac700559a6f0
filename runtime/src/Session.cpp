//===- Session.cpp - The session C API: create, feed, run, read -----------===//
//
// dlcc_session_*: device selection, allocation of every buffer a run needs
// (so that a run allocates nothing), inputs, results, state. See Session.h
// for what a session owns and docs/runtime.md for the semantics.
//
//===----------------------------------------------------------------------===//

#include "Session.h"
#include "Status.h"
#include "Support.h"
#include "ThreadPool.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

using namespace dlcc::runtime;
namespace fb = dlcc::schema;

dlcc_session::~dlcc_session() {
  try { // a destructor: a failed diagnostic print must not escape
    for (const EntryPlan &plan : plans)
      printProfile(*program, plan);
  } catch (...) {
  }
  if (backend)
    for (DevicePtr p : allocations)
      backend->free(p);
  allocations.clear();
  backend.reset(); // unloads the kernel code
  releaseProgram(program); // the last reference destroys the program
}

dlcc_status_t dlcc_session::allocate(uint64_t bytes, DevicePtr &out,
                                     bool zero) {
  allocations.reserve(allocations.size() + 1);
  if (dlcc_status_t s = backend->allocate(bytes, out))
    return s;
  allocations.push_back(out);
  return zero ? backend->memset(out, 0, bytes) : DLCC_STATUS_OK;
}

namespace {

/// Writes slot `b`'s initial value (stored or splat; not zeros) into its
/// buffer. A splat is filled from a host buffer of at most 1 MiB, copied in
/// as many times as the slot needs: a huge splat constant never exists in
/// host memory at its full size.
dlcc_status_t initializeSlot(Backend &backend, SlotBuffers &b) {
  if (!b.splat)
    return backend.copyIn(b.current, b.initial, b.bytes);
  if (b.bytes == 0)
    return DLCC_STATUS_OK;
  uint64_t chunk = std::min<uint64_t>(
      b.bytes, std::max<uint64_t>(1, (uint64_t(1) << 20) / b.elementBytes) *
                   b.elementBytes);
  std::vector<uint8_t> pattern(chunk);
  fillWithElement(pattern.data(), chunk, b.initial, b.elementBytes);
  auto *dst = static_cast<uint8_t *>(b.current);
  for (uint64_t done = 0; done < b.bytes; done += chunk)
    if (dlcc_status_t st = backend.copyIn(
            dst + done, pattern.data(), std::min(chunk, b.bytes - done)))
      return st;
  return DLCC_STATUS_OK;
}

template <typename T> flatbuffers::uoffset_t count(const T *vector) {
  return vector ? vector->size() : 0;
}

dlcc_status_t nullArgument(const char *function) {
  return setError(DLCC_STATUS_INVALID_ARGUMENT,
                  strCat(function, ": a handle or pointer is NULL"));
}

dlcc_status_t outOfRange(const char *function, const char *what, size_t index,
                         size_t n) {
  return setError(DLCC_STATUS_OUT_OF_RANGE,
                  strCat(function, ": ", what, " index ", index,
                         " is out of range (count ", n, ")"));
}

/// "f32 [2, 4]"
std::string typeText(fb::DType dtype,
                     const flatbuffers::Vector<int64_t> *shape) {
  std::string s = strCat(fb::EnumNameDType(dtype), " [");
  for (flatbuffers::uoffset_t i = 0; i < count(shape); ++i)
    s += strCat(i ? ", " : "", shape->Get(i));
  return s + "]";
}

std::string epName(const fb::EntryPoint *ep) {
  return strCat("entry point ", quoted(ep->name()->string_view()));
}

const fb::EntryPoint *entryPoint(const dlcc_session *s, size_t index) {
  return s->program->index.meta->entry_points()->Get(
      flatbuffers::uoffset_t(index));
}

dlcc_status_t checkEntryPoint(const char *function, const dlcc_session *s,
                              size_t index) {
  size_t n = s->entries.size();
  if (index >= n)
    return outOfRange(function, "entry point", index, n);
  return DLCC_STATUS_OK;
}

dlcc_status_t checkSize(const char *function, const std::string &what,
                        uint64_t expected, size_t got, const void *data) {
  if (uint64_t(got) != expected)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat(function, ": ", what, " is ", expected,
                           " bytes, but size is ", got));
  if (!data && got != 0)
    return nullArgument(function);
  return DLCC_STATUS_OK;
}

dlcc_status_t checkOptions(const dlcc_session_options_t &o) {
  if (o.device != DLCC_DEVICE_AUTO && o.device != DLCC_DEVICE_CPU &&
      o.device != DLCC_DEVICE_CUDA)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_session_options_t.device is ", int(o.device),
                           ", not a dlcc_device_kind_t"));
  if (o.flags != 0)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_session_options_t.flags is ", hex(o.flags),
                           "; no flags are defined"));
  if (o.cuda_device < 0)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_session_options_t.cuda_device is ",
                           o.cuda_device, ", expected >= 0"));
  if (o.cpu_threads > kMaxCpuThreads)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_session_options_t.cpu_threads is ",
                           o.cpu_threads, ", at most ", kMaxCpuThreads,
                           " are supported"));
  return DLCC_STATUS_OK;
}

dlcc_status_t createBackend(const dlcc_program &program,
                            const dlcc_session_options_t &o,
                            std::unique_ptr<Backend> &out) {
  bool cuda = o.device == DLCC_DEVICE_CUDA ||
              (o.device == DLCC_DEVICE_AUTO && cudaBackendAvailable());
  if (cuda)
    return createCudaBackend(program, o.cuda_device, out);
  uint32_t threads = 0;
  if (dlcc_status_t s = resolveThreadCount(o.cpu_threads, threads))
    return s;
  return createCpuBackend(program, threads, out);
}

/// Allocates and initialises everything a run needs.
dlcc_status_t setUp(dlcc_session &s) {
  const dlcc_program &program = *s.program;
  const fb::Program *meta = program.index.meta;
  std::vector<bool> launched;
  if (dlcc_status_t st =
          planEntryPoints(program, *s.backend, s.plans, launched))
    return st;
  if (profilingRequested())
    for (EntryPlan &plan : s.plans)
      plan.profile.assign(plan.commands.size(), CommandProfile());
  if (dlcc_status_t st = s.backend->loadKernels(program, launched))
    return st;

  const auto *eps = meta->entry_points();
  uint64_t arenaBytes = 0;
  for (flatbuffers::uoffset_t e = 0; e < count(eps); ++e)
    arenaBytes = std::max(arenaBytes, eps->Get(e)->arena_bytes());
  if (dlcc_status_t st = s.allocate(arenaBytes, s.arena))
    return st;

  // State slots: one buffer each, which the slot's state arguments and
  // tied results share (updated in place, never double buffered).
  const auto *slots = meta->state_slots();
  s.slots.resize(count(slots));
  for (flatbuffers::uoffset_t i = 0; i < count(slots); ++i) {
    const fb::StateSlot *slot = slots->Get(i);
    SlotBuffers &b = s.slots[i];
    b.bytes = slot->data_size();
    b.constant = slot->kind() == fb::StateSlotKind::constant;
    b.zeroInitialized = slot->initial_value() == fb::InitialValue::zeros;
    b.splat = slot->initial_value() == fb::InitialValue::splat;
    b.elementBytes = dtypeSize(slot->dtype());
    b.initial = program.index.initialData + slot->data_offset();
    if (b.constant && b.bytes && !b.zeroInitialized && !b.splat &&
        s.backend->hostAddressable()) {
      // Read-only and never tied: bind the program's own copy.
      b.current = const_cast<uint8_t *>(b.initial);
      b.borrowed = true;
    } else {
      if (dlcc_status_t st =
              s.allocate(b.bytes, b.current, /*zero=*/b.zeroInitialized))
        return st;
      if (!b.zeroInitialized)
        if (dlcc_status_t st = initializeSlot(*s.backend, b))
          return st;
    }
  }

  // Inputs and outputs of every entry point.
  s.entries.resize(count(eps));
  for (flatbuffers::uoffset_t e = 0; e < count(eps); ++e) {
    const fb::EntryPoint *ep = eps->Get(e);
    const ProgramIndex::EntryPointSizes &sizes = program.index.entryPoints[e];
    EntryBuffers &b = s.entries[e];
    size_t nargs = count(ep->arguments()), nresults = count(ep->results());
    b.inputs.assign(nargs, nullptr);
    b.inputSet.assign(nargs, false);
    b.outputs.assign(nresults, nullptr);
    b.argumentBindings.assign(nargs, nullptr);
    b.resultBindings.assign(nresults, nullptr);
    for (size_t a = 0; a < nargs; ++a)
      if (ep->arguments()->Get(flatbuffers::uoffset_t(a))->kind() ==
          fb::ArgumentKind::input)
        if (dlcc_status_t st = s.allocate(sizes.argumentBytes[a], b.inputs[a]))
          return st;
    for (size_t r = 0; r < nresults; ++r)
      if (ep->results()->Get(flatbuffers::uoffset_t(r))->kind() ==
          fb::ArgumentKind::output)
        if (dlcc_status_t st = s.allocate(sizes.resultBytes[r], b.outputs[r]))
          return st;
  }
  return DLCC_STATUS_OK;
}

} // namespace

extern "C" {

dlcc_status_t dlcc_session_options_initialize(dlcc_session_options_t *options) {
  if (!options)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    "dlcc_session_options_initialize: options is NULL");
  std::memset(options, 0, sizeof(*options));
  options->device = DLCC_DEVICE_AUTO;
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_session_create(const dlcc_program_t *program,
                                  const dlcc_session_options_t *options,
                                  dlcc_session_t **out_session) {
  return apiCall("dlcc_session_create", [&]() -> dlcc_status_t {
    if (!program || !out_session)
      return nullArgument("dlcc_session_create");
    dlcc_session_options_t o;
    dlcc_session_options_initialize(&o);
    if (options)
      o = *options;
    if (dlcc_status_t s = checkOptions(o))
      return s;
    auto session = std::make_unique<dlcc_session>(program);
    if (dlcc_status_t s = createBackend(*program, o, session->backend))
      return s;
    if (dlcc_status_t s = setUp(*session))
      return s;
    *out_session = session.release();
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_session_release(dlcc_session_t *session) {
  delete session;
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_session_device(const dlcc_session_t *session,
                                  dlcc_device_kind_t *out_device) {
  return apiCall("dlcc_session_device", [&]() -> dlcc_status_t {
    if (!session || !out_device)
      return nullArgument("dlcc_session_device");
    *out_device = session->backend->kind();
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_session_cpu_threads(const dlcc_session_t *session,
                                       uint32_t *out_threads) {
  return apiCall("dlcc_session_cpu_threads", [&]() -> dlcc_status_t {
    if (!session || !out_threads)
      return nullArgument("dlcc_session_cpu_threads");
    *out_threads = session->backend->cpuThreads();
    return DLCC_STATUS_OK;
  });
}

namespace {
/// The first element of an index input outside its bounds, as a message;
/// "" when every element is allowed. Values are read with memcpy (the
/// caller's buffer need not be aligned).
std::string indexBoundsViolation(const fb::ArgumentDescriptor &arg,
                                 const void *data, uint64_t bytes) {
  const fb::IndexBounds &b = *arg.index_bounds();
  uint64_t elementBytes = dtypeSize(arg.dtype());
  if (elementBytes == 0)
    return "";
  uint64_t n = bytes / elementBytes, bad = 0, first = 0;
  std::string firstValue;
  const auto *p = static_cast<const unsigned char *>(data);
  for (uint64_t i = 0; i < n; ++i) {
    int64_t v = 0;
    bool huge = false; // a u64 above INT64_MAX: beyond every bound
    std::string text;
    switch (arg.dtype()) {
#define DLCC_READ(DT, T)                                                        \
  case fb::DType::DT: {                                                        \
    T x;                                                                       \
    std::memcpy(&x, p + i * sizeof(T), sizeof(T));                             \
    v = int64_t(x);                                                            \
    huge = std::is_unsigned_v<T> && sizeof(T) == 8 && uint64_t(x) > INT64_MAX; \
    text = std::to_string(x);                                                  \
    break;                                                                     \
  }
      DLCC_READ(i8, int8_t)
      DLCC_READ(i16, int16_t)
      DLCC_READ(i32, int32_t)
      DLCC_READ(i64, int64_t)
      DLCC_READ(u8, uint8_t)
      DLCC_READ(u16, uint16_t)
      DLCC_READ(u32, uint32_t)
      DLCC_READ(u64, uint64_t)
#undef DLCC_READ
    default:
      return "";
    }
    bool ok = !huge && ((v >= b.min() && v < b.max()) ||
                        (b.has_ignore() && v == b.ignore()));
    if (!ok && bad++ == 0) {
      first = i;
      firstValue = text;
    }
  }
  if (!bad)
    return "";
  // The flat position as a multi-index of the shape.
  std::vector<uint64_t> index;
  const auto *shape = arg.shape();
  uint64_t rest = first;
  for (flatbuffers::uoffset_t d = shape ? shape->size() : 0; d-- > 0;) {
    uint64_t extent = uint64_t(shape->Get(d));
    index.insert(index.begin(), extent ? rest % extent : 0);
    rest = extent ? rest / extent : 0;
  }
  std::string at = "[";
  for (size_t d = 0; d < index.size(); ++d)
    at += (d ? ", " : "") + std::to_string(index[d]);
  at += "]";
  std::string allowed = strCat("[", b.min(), ", ", b.max(), ")");
  if (b.has_ignore())
    allowed += strCat(" or ", b.ignore());
  return strCat("element ", at, " is ", firstValue, ", outside ", allowed,
                bad > 1 ? strCat(" (", bad, " of ", n, " elements are)") : "",
                "; it indexes ",
                b.use() ? std::string(b.use()->string_view()) : "a tensor");
}
} // namespace

dlcc_status_t dlcc_session_set_input(dlcc_session_t *session,
                                     size_t entry_point, size_t argument_index,
                                     const void *data, size_t size) {
  static const char *const fn = "dlcc_session_set_input";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    if (dlcc_status_t s = checkEntryPoint(fn, session, entry_point))
      return s;
    const fb::EntryPoint *ep = entryPoint(session, entry_point);
    EntryBuffers &b = session->entries[entry_point];
    if (argument_index >= b.inputs.size())
      return outOfRange(fn, "argument", argument_index, b.inputs.size());
    const fb::ArgumentDescriptor *arg =
        ep->arguments()->Get(flatbuffers::uoffset_t(argument_index));
    std::string what = strCat(epName(ep), " argument ", argument_index, " (",
                              quoted(arg->name()->string_view()), ")");
    if (arg->kind() != fb::ArgumentKind::input) {
      const fb::StateSlot *slot =
          session->program->index.meta->state_slots()->Get(
              uint32_t(arg->state_slot()));
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      strCat(fn, ": ", what,
                             " is a state argument bound to state slot ",
                             quoted(slot->name()->string_view()),
                             ", not an input (use dlcc_session_write_state)"));
    }
    uint64_t bytes = session->program->index.entryPoints[entry_point]
                         .argumentBytes[argument_index];
    if (dlcc_status_t s = checkSize(
            fn, strCat(what, ", ", typeText(arg->dtype(), arg->shape())), bytes,
            size, data))
      return s;
    // Index inputs are checked here, on the host: the kernels clamp, so an
    // out-of-range value would otherwise be silently wrong.
    if (arg->index_bounds() && bytes) {
      std::string bad = indexBoundsViolation(*arg, data, bytes);
      if (!bad.empty())
        return setError(DLCC_STATUS_INVALID_ARGUMENT,
                        strCat(fn, ": ", what, ": ", bad));
    }
    if (dlcc_status_t s =
            session->backend->copyIn(b.inputs[argument_index], data, bytes))
      return s;
    b.inputSet[argument_index] = true;
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_session_run(dlcc_session_t *session, size_t entry_point) {
  static const char *const fn = "dlcc_session_run";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    if (dlcc_status_t s = checkEntryPoint(fn, session, entry_point))
      return s;
    const fb::EntryPoint *ep = entryPoint(session, entry_point);
    EntryBuffers &b = session->entries[entry_point];
    b.hasResults = false;
    const auto *args = ep->arguments();
    const auto *results = ep->results();
    for (size_t a = 0; a < b.inputs.size(); ++a) {
      const fb::ArgumentDescriptor *arg = args->Get(flatbuffers::uoffset_t(a));
      if (arg->kind() == fb::ArgumentKind::input) {
        if (!b.inputSet[a])
          return setError(DLCC_STATUS_INVALID_ARGUMENT,
                          strCat(fn, ": ", epName(ep), ": input argument ", a,
                                 " (", quoted(arg->name()->string_view()),
                                 ") was never set (dlcc_session_set_input)"));
        b.argumentBindings[a] = b.inputs[a];
      } else {
        b.argumentBindings[a] =
            session->slots[size_t(arg->state_slot())].current;
      }
    }
    // A tied result is the slot's own buffer (the state argument's): the
    // program writes the next value in place after its last read of the
    // old one (the loader checked the order).
    for (size_t r = 0; r < b.outputs.size(); ++r) {
      const fb::ArgumentDescriptor *res =
          results->Get(flatbuffers::uoffset_t(r));
      b.resultBindings[r] =
          res->kind() == fb::ArgumentKind::output
              ? b.outputs[r]
              : session->slots[size_t(res->state_slot())].current;
    }
    Bindings bindings;
    bindings.arguments = b.argumentBindings.data();
    bindings.results = b.resultBindings.data();
    bindings.arena = session->arena;
    // Nothing has run yet: every failure above left the state untouched. A
    // failure from here on may leave the updated slots partly updated
    // (dlcc.h, "State after a failed run").
    if (dlcc_status_t s =
            execute(*session->backend, session->plans[entry_point], bindings,
                    session->scratch))
      return s;
    b.hasResults = true;
    return DLCC_STATUS_OK;
  });
}

dlcc_status_t dlcc_session_get_result(dlcc_session_t *session,
                                      size_t entry_point, size_t result_index,
                                      void *dst, size_t size) {
  static const char *const fn = "dlcc_session_get_result";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    if (dlcc_status_t s = checkEntryPoint(fn, session, entry_point))
      return s;
    const fb::EntryPoint *ep = entryPoint(session, entry_point);
    EntryBuffers &b = session->entries[entry_point];
    if (result_index >= b.outputs.size())
      return outOfRange(fn, "result", result_index, b.outputs.size());
    const fb::ArgumentDescriptor *res =
        ep->results()->Get(flatbuffers::uoffset_t(result_index));
    std::string what = strCat(epName(ep), " result ", result_index, " (",
                              quoted(res->name()->string_view()), ", ",
                              typeText(res->dtype(), res->shape()), ")");
    if (!b.hasResults)
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      strCat(fn, ": ", epName(ep),
                             " has no results: it has not run successfully "
                             "(dlcc_session_run)"));
    uint64_t bytes = session->program->index.entryPoints[entry_point]
                         .resultBytes[result_index];
    if (dlcc_status_t s = checkSize(fn, what, bytes, size, dst))
      return s;
    DevicePtr src = res->kind() == fb::ArgumentKind::output
                        ? b.outputs[result_index]
                        : session->slots[size_t(res->state_slot())].current;
    return session->backend->copyOut(dst, src, bytes);
  });
}

dlcc_status_t dlcc_session_read_state(dlcc_session_t *session, size_t slot,
                                      void *dst, size_t size) {
  static const char *const fn = "dlcc_session_read_state";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    if (slot >= session->slots.size())
      return outOfRange(fn, "state slot", slot, session->slots.size());
    const fb::StateSlot *s =
        session->program->index.meta->state_slots()->Get(uint32_t(slot));
    SlotBuffers &b = session->slots[slot];
    if (dlcc_status_t st = checkSize(
            fn,
            strCat("state slot ", slot, " (", quoted(s->name()->string_view()),
                   ", ", typeText(s->dtype(), s->shape()), ")"),
            b.bytes, size, dst))
      return st;
    return session->backend->copyOut(dst, b.current, b.bytes);
  });
}

dlcc_status_t dlcc_session_write_state(dlcc_session_t *session, size_t slot,
                                       const void *src, size_t size) {
  static const char *const fn = "dlcc_session_write_state";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    if (slot >= session->slots.size())
      return outOfRange(fn, "state slot", slot, session->slots.size());
    const fb::StateSlot *s =
        session->program->index.meta->state_slots()->Get(uint32_t(slot));
    SlotBuffers &b = session->slots[slot];
    std::string what =
        strCat("state slot ", slot, " (", quoted(s->name()->string_view()),
               ", ", typeText(s->dtype(), s->shape()), ")");
    if (b.constant)
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      strCat(fn, ": ", what, " is a constant (read-only)"));
    if (dlcc_status_t st = checkSize(fn, what, b.bytes, size, src))
      return st;
    return session->backend->copyIn(b.current, src, b.bytes);
  });
}

dlcc_status_t dlcc_session_reset_state(dlcc_session_t *session) {
  static const char *const fn = "dlcc_session_reset_state";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session)
      return nullArgument(fn);
    for (size_t i = 0; i < session->slots.size(); ++i) {
      SlotBuffers &b = session->slots[i];
      if (b.borrowed)
        continue;
      if (b.zeroInitialized) {
        if (dlcc_status_t st = session->backend->memset(b.current, 0, b.bytes))
          return st;
        continue;
      }
      if (dlcc_status_t st = initializeSlot(*session->backend, b))
        return st;
    }
    // memset is asynchronous on CUDA; copyIn waits.
    return session->backend->synchronize();
  });
}

dlcc_status_t dlcc_session_state_bytes(const dlcc_session_t *session,
                                       uint64_t *out_bytes) {
  static const char *const fn = "dlcc_session_state_bytes";
  return apiCall(fn, [&]() -> dlcc_status_t {
    if (!session || !out_bytes)
      return nullArgument(fn);
    uint64_t bytes = 0;
    for (const SlotBuffers &b : session->slots)
      if (!b.borrowed)
        bytes += b.bytes;
    *out_bytes = bytes;
    return DLCC_STATUS_OK;
  });
}

} // extern "C"
