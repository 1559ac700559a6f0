//===- Validate.cpp - Checks of the metadata section ----------------------===//
//
// After the container checks (Container.cpp) the metadata section is run
// through the FlatBuffers verifier, and then every enum value, index, offset
// and size it holds is checked against the tables and sections it refers to.
// Each failure produces one message that names the field, e.g.
//   state_slots[2] ("fc1.bias").data_size is 8, expected 12 (f32 x [3])
// Nothing here trusts a value before it has been checked; sizes are computed
// with overflow checks.
//
//===----------------------------------------------------------------------===//

#include "Program.h"
#include "Support.h"
#include "dlcc/Target/Support/ConvolutionGeometry.h"
#include "dlcc/Target/Support/ProgramLimits.h"

#include <cstring>
#include <unordered_set>

namespace dlcc::runtime {

namespace fb = dlcc::schema;

uint64_t dtypeSize(fb::DType dtype) {
  switch (dtype) {
  case fb::DType::f8e4m3fn:
  case fb::DType::f8e5m2:
  case fb::DType::i1:
  case fb::DType::i8:
  case fb::DType::u8:
    return 1;
  case fb::DType::f16:
  case fb::DType::bf16:
  case fb::DType::i16:
  case fb::DType::u16:
    return 2;
  case fb::DType::f32:
  case fb::DType::i32:
  case fb::DType::u32:
    return 4;
  case fb::DType::f64:
  case fb::DType::i64:
  case fb::DType::u64:
    return 8;
  case fb::DType::undefined:
    return 0;
  }
  return 0;
}

namespace {

constexpr uint32_t kMaxStreams = 1024;
constexpr uint32_t kMaxEvents = 1u << 20;
constexpr uint64_t kMaxThreadsPerBlock = limits::kMaxThreadsPerBlock;

/// Collects the first error; every check returns false once one is set.
class Checker {
public:
  Checker(const uint8_t *file, const Container &container, ProgramIndex &index,
          std::string &message)
      : file(file), container(container), index(index), message(message) {}

  bool run();

private:
  bool fail(std::string text) {
    message = std::move(text);
    return false;
  }

  bool checkName(const flatbuffers::String *name, const std::string &field);
  /// The FlatBuffers verifier (2.0.8) checks a vector's length prefix but not
  /// that its elements are aligned for their type; reading a misaligned
  /// int64/struct is undefined, and the C API hands out `const int64_t *`.
  /// An empty vector has nothing to read (writers need not align it; the
  /// C API returns NULL for it).
  template <typename T>
  bool checkAligned(const flatbuffers::Vector<T> *vector,
                    const std::string &field) {
    if (vector && vector->size() != 0 &&
        reinterpret_cast<uintptr_t>(vector->data()) % alignof(T))
      return fail(strCat(field, " is not aligned to ", alignof(T), " bytes"));
    return true;
  }
  bool checkDType(fb::DType dtype, const std::string &field);
  bool tensorBytes(fb::DType dtype, const flatbuffers::Vector<int64_t> *shape,
                   const std::string &field, uint64_t &bytes);
  bool checkSectionRange(uint32_t section, fb::SectionKind kind,
                         uint64_t offset, uint64_t size,
                         const std::string &field);

  bool checkStateSlots();
  bool checkKernelImages();
  bool checkKernels();
  bool checkEntryPoints();
  bool checkArguments(const fb::EntryPoint &ep, const std::string &epField,
                      bool results, std::vector<uint64_t> &bytes);
  bool checkInPlaceOrder(const fb::EntryPoint &ep, const std::string &field);
  bool checkCommand(const fb::EntryPoint &ep, size_t epIndex,
                    const fb::Command *command, const std::string &field);
  bool checkBuffer(const fb::BufferRef *ref, size_t epIndex,
                   const fb::EntryPoint &ep, const std::string &field);
  /// A buffer a command writes: arguments are read-only.
  bool checkWritable(const fb::BufferRef *ref, const std::string &field);
  bool checkStream(uint32_t stream, const fb::EntryPoint &ep,
                   const std::string &field);
  bool checkLaunch(const fb::LaunchKernel &launch, size_t epIndex,
                   const fb::EntryPoint &ep, const std::string &field);
  bool checkConvGeometry(const fb::ConvDescriptor &c, const std::string &df);
  bool checkLibraryCall(const fb::LibraryCall &call, size_t epIndex,
                        const fb::EntryPoint &ep, const std::string &field);

  const uint8_t *file;
  const Container &container;
  ProgramIndex &index;
  std::string &message;
  const fb::Program *program = nullptr;
};

std::string shapeText(const flatbuffers::Vector<int64_t> *shape) {
  std::string s = "[";
  if (shape)
    for (flatbuffers::uoffset_t i = 0; i < shape->size(); ++i)
      s += strCat(i ? ", " : "", shape->Get(i));
  return s + "]";
}

std::string named(const std::string &field, const flatbuffers::String *name) {
  return name ? strCat(field, " (", quoted(name->string_view()), ")") : field;
}

template <typename T> flatbuffers::uoffset_t count(const T *vector) {
  return vector ? vector->size() : 0;
}

bool Checker::checkName(const flatbuffers::String *name,
                        const std::string &field) {
  if (!name || name->size() == 0)
    return fail(strCat(field, ".name is empty"));
  if (std::memchr(name->data(), 0, name->size()))
    return fail(strCat(field, ".name ", quoted(name->string_view()),
                       " contains a NUL byte"));
  return true;
}

bool Checker::checkDType(fb::DType dtype, const std::string &field) {
  if (dtypeSize(dtype) == 0)
    return fail(
        strCat(field, " is ", unsigned(dtype), ", not a known element type"));
  return true;
}

bool Checker::tensorBytes(fb::DType dtype,
                          const flatbuffers::Vector<int64_t> *shape,
                          const std::string &field, uint64_t &bytes) {
  if (!checkDType(dtype, field + ".dtype") ||
      !checkAligned(shape, field + ".shape"))
    return false;
  uint64_t total = dtypeSize(dtype);
  for (flatbuffers::uoffset_t i = 0; i < count(shape); ++i) {
    int64_t dim = shape->Get(i);
    if (dim < 0)
      return fail(strCat(field, ".shape[", i, "] is ", dim,
                         "; dimensions must be >= 0"));
    if (!checkedMul(total, uint64_t(dim), total))
      return fail(strCat(field, ".shape ", shapeText(shape), " of ",
                         fb::EnumNameDType(dtype),
                         " overflows 64 bits when computing its byte size"));
  }
  if (total > limits::kMaxTensorBytes)
    return fail(strCat(field, ".shape ", shapeText(shape), " of ",
                       fb::EnumNameDType(dtype), " is ", total,
                       " bytes, more than the limit of ",
                       limits::kMaxTensorBytes, " per tensor"));
  bytes = total;
  return true;
}

bool Checker::checkSectionRange(uint32_t section, fb::SectionKind kind,
                                uint64_t offset, uint64_t size,
                                const std::string &field) {
  if (section >= container.sections.size())
    return fail(strCat(field, ".section is ", section, ", but the file has ",
                       container.sections.size(), " sections"));
  const Section &s = container.sections[section];
  if (s.kind != uint32_t(kind))
    return fail(strCat(field, ".section ", section, " is a ",
                       sectionKindName(s.kind), " section, expected ",
                       fb::EnumNameSectionKind(kind)));
  if (!rangeWithin(offset, size, s.size))
    return fail(strCat(field, " range [offset ", offset, ", size ", size,
                       "] exceeds ", fb::EnumNameSectionKind(kind), " section ",
                       section, " (", s.size, " bytes)"));
  return true;
}

bool Checker::run() {
  const Section &meta = container.sections[size_t(container.metadata)];
  const uint8_t *buf = file + meta.offset;
  if (meta.size < 8)
    return fail(strCat("metadata section is ", meta.size,
                       " bytes, too small for a FlatBuffer"));
  if (meta.size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return fail(strCat("metadata section is ", meta.size,
                       " bytes, larger than a FlatBuffer can be"));
  if (!fb::ProgramBufferHasIdentifier(buf))
    return fail(strCat("metadata section does not carry the FlatBuffers file "
                       "identifier \"",
                       fb::ProgramIdentifier(), "\""));
  // The table budget bounds the verifier's work on buffers whose offsets
  // point many times at the same table.
  flatbuffers::uoffset_t maxTables =
      flatbuffers::uoffset_t(std::max<uint64_t>(1000000, meta.size / 4));
  flatbuffers::Verifier verifier(buf, size_t(meta.size), /*max_depth=*/64,
                                 maxTables);
  if (!fb::VerifyProgramBuffer(verifier))
    return fail(
        "metadata section failed FlatBuffers verification against "
        "schema/train_bin.fbs (corrupt, or written for another schema)");
  program = fb::GetProgram(buf);
  index.meta = program;

  if (program->format_version() != container.formatVersion)
    return fail(strCat("metadata format_version is ", program->format_version(),
                       ", but the header says ", container.formatVersion));
  uint64_t flags = uint64_t(program->feature_flags());
  if (flags & ~kKnownFeatureFlags)
    return fail(strCat("metadata feature_flags ", hex(flags),
                       " have unknown bits ",
                       hex(flags & ~kKnownFeatureFlags)));
  if (flags != container.flags)
    return fail(strCat("metadata feature_flags ", hex(flags),
                       " differ from the header flags ", hex(container.flags)));
  if (container.initialData >= 0) {
    const Section &s = container.sections[size_t(container.initialData)];
    index.initialData = file + s.offset;
    index.initialDataSize = s.size;
  }
  if (const fb::SectionRange *graph = program->onnx_graph()) {
    if (!checkSectionRange(graph->section(), fb::SectionKind::onnx_graph,
                           graph->offset(), graph->size(), "onnx_graph"))
      return false;
    index.onnxGraph =
        file + container.sections[graph->section()].offset + graph->offset();
    index.onnxGraphSize = graph->size();
  }
  return checkStateSlots() && checkKernelImages() && checkKernels() &&
         checkEntryPoints();
}

bool Checker::checkStateSlots() {
  const auto *slots = program->state_slots();
  size_t stored = 0;
  for (flatbuffers::uoffset_t i = 0; i < count(slots); ++i)
    stored += slots->Get(i)->initial_value() != fb::InitialValue::zeros;
  if (stored > 0 && container.initialData < 0)
    return fail(strCat("the program has ", stored,
                       " state slots with stored initial values but no "
                       "initial_data section"));
  for (flatbuffers::uoffset_t i = 0; i < count(slots); ++i) {
    const fb::StateSlot *slot = slots->Get(i);
    std::string field = strCat("state_slots[", i, "]");
    if (!checkName(slot->name(), field))
      return false;
    field = named(field, slot->name());
    if (!index.slotByName.emplace(slot->name()->string_view(), i).second)
      return fail(strCat(field, ": duplicate state slot name"));
    if (uint8_t(slot->kind()) > uint8_t(fb::StateSlotKind::MAX))
      return fail(strCat(field, ".kind is ", unsigned(slot->kind()),
                         ", not a known state slot kind"));
    uint64_t bytes = 0;
    if (!tensorBytes(slot->dtype(), slot->shape(), field, bytes))
      return false;
    if (slot->data_size() != bytes)
      return fail(strCat(field, ".data_size is ", slot->data_size(),
                         ", expected ", bytes, " (",
                         fb::EnumNameDType(slot->dtype()), " x ",
                         shapeText(slot->shape()), ")"));
    if (uint8_t(slot->initial_value()) > uint8_t(fb::InitialValue::MAX))
      return fail(strCat(field, ".initial_value is ",
                         unsigned(slot->initial_value()),
                         ", not a known kind of initial value (stored, "
                         "zeros, splat)"));
    if (slot->initial_value() == fb::InitialValue::zeros) {
      // Nothing is stored: there is no range to point into.
      if (slot->data_offset() != 0)
        return fail(strCat(field, " is zero-initialised (initial_value "
                                  "zeros) but has data_offset ",
                           slot->data_offset(),
                           "; a zero-initialised slot stores no bytes, its "
                           "data_offset must be 0"));
      continue;
    }
    // A splat stores one element; otherwise the whole value is stored.
    bool splat = slot->initial_value() == fb::InitialValue::splat;
    if (splat && container.formatVersion < 3)
      return fail(strCat(field, " is a splat (initial_value splat), which "
                                "format version ",
                         container.formatVersion, " does not have"));
    uint64_t storedBytes = splat ? dtypeSize(slot->dtype()) : slot->data_size();
    if (slot->data_offset() % kAlignment != 0)
      return fail(strCat(field, ".data_offset ", slot->data_offset(),
                         " is not a multiple of ", kAlignment));
    if (!rangeWithin(slot->data_offset(), storedBytes, index.initialDataSize))
      return fail(strCat(field, ".data_offset ", slot->data_offset(), " + ",
                         splat ? strCat("one element's ", storedBytes, " bytes")
                               : strCat("data_size ", storedBytes),
                         " exceeds the initial_data section (",
                         index.initialDataSize, " bytes)"));
  }
  return true;
}

bool Checker::checkKernelImages() {
  const auto *images = program->kernel_images();
  for (flatbuffers::uoffset_t i = 0; i < count(images); ++i) {
    const fb::KernelImage *image = images->Get(i);
    std::string field = strCat("kernel_images[", i, "]");
    if (image->target()->size() == 0)
      return fail(strCat(field, ".target is empty"));
    field = strCat(field, " (", quoted(image->target()->string_view()), ")");
    if (image->size() == 0)
      return fail(strCat(field, ".size is 0"));
    if (image->offset() % kAlignment != 0)
      return fail(strCat(field, ".offset ", image->offset(),
                         " is not a multiple of ", kAlignment));
    if (!checkSectionRange(image->section(), fb::SectionKind::kernel_image,
                           image->offset(), image->size(), field))
      return false;
  }
  return true;
}

bool Checker::checkKernels() {
  const auto *kernels = program->kernels();
  const auto *images = program->kernel_images();
  std::unordered_set<std::string_view> names;
  for (flatbuffers::uoffset_t k = 0; k < count(kernels); ++k) {
    const fb::Kernel *kernel = kernels->Get(k);
    std::string field = strCat("kernels[", k, "]");
    if (!checkName(kernel->name(), field))
      return false;
    field = named(field, kernel->name());
    if (!names.insert(kernel->name()->string_view()).second)
      return fail(strCat(field, ": duplicate kernel name"));
    const auto *params = kernel->parameters();
    for (flatbuffers::uoffset_t p = 0; p < count(params); ++p) {
      const fb::KernelParameter *param = params->Get(p);
      std::string pf = strCat(field, ".parameters[", p, "]");
      if (uint8_t(param->kind()) > uint8_t(fb::KernelParameterKind::MAX))
        return fail(strCat(pf, ".kind is ", unsigned(param->kind()),
                           ", not a known parameter kind"));
      if (!checkDType(param->dtype(), pf + ".dtype"))
        return false;
    }
    std::unordered_set<std::string_view> targets;
    const auto *variants = kernel->variants();
    for (flatbuffers::uoffset_t v = 0; v < count(variants); ++v) {
      const fb::KernelVariant *variant = variants->Get(v);
      std::string vf = strCat(field, ".variants[", v, "]");
      if (variant->image() >= count(images))
        return fail(strCat(vf, ".image is ", variant->image(),
                           ", but the program has ", count(images),
                           " kernel images"));
      if (variant->symbol()->size() == 0)
        return fail(strCat(vf, ".symbol is empty"));
      if (std::memchr(variant->symbol()->data(), 0, variant->symbol()->size()))
        return fail(strCat(vf, ".symbol contains a NUL byte"));
      std::string_view target =
          images->Get(variant->image())->target()->string_view();
      if (!targets.insert(target).second)
        return fail(
            strCat(field, " has two variants for target ", quoted(target)));
    }
  }
  return true;
}

bool Checker::checkEntryPoints() {
  const auto *eps = program->entry_points();
  index.entryPoints.resize(count(eps));
  for (flatbuffers::uoffset_t e = 0; e < count(eps); ++e) {
    const fb::EntryPoint *ep = eps->Get(e);
    std::string field = strCat("entry_points[", e, "]");
    if (!checkName(ep->name(), field))
      return false;
    field = named(field, ep->name());
    if (!index.entryPointByName.emplace(ep->name()->string_view(), e).second)
      return fail(strCat(field, ": duplicate entry point name"));
    if (ep->stream_count() == 0 || ep->stream_count() > kMaxStreams)
      return fail(strCat(field, ".stream_count is ", ep->stream_count(),
                         ", expected 1 to ", kMaxStreams));
    if (ep->event_count() > kMaxEvents)
      return fail(strCat(field, ".event_count is ", ep->event_count(),
                         ", at most ", kMaxEvents, " are allowed"));
    ProgramIndex::EntryPointSizes &sizes = index.entryPoints[e];
    if (!checkArguments(*ep, field, /*results=*/false, sizes.argumentBytes) ||
        !checkArguments(*ep, field, /*results=*/true, sizes.resultBytes))
      return false;
    const auto *commands = ep->commands();
    for (flatbuffers::uoffset_t c = 0; c < count(commands); ++c)
      if (!checkCommand(*ep, e, commands->Get(c),
                        strCat(field, ".commands[", c, "]")))
        return false;
    if (!checkInPlaceOrder(*ep, field))
      return false;
  }
  return true;
}

namespace {

const char *commandName(const fb::Command *command) {
  return fb::EnumNameCommandOp(command->op_type());
}

/// Calls f(ref, written) for every BufferRef of a (validated) command;
/// `written` for the operand a library call writes (its last one).
template <typename F> void forEachBuffer(const fb::Command *command, F f) {
  switch (command->op_type()) {
  case fb::CommandOp::LaunchKernel:
    if (const auto *args = command->op_as_LaunchKernel()->arguments())
      for (const fb::KernelArgument *a : *args)
        if (a->buffer())
          f(*a->buffer(), false);
    break;
  case fb::CommandOp::LibraryCall: {
    const fb::LibraryCall *call = command->op_as_LibraryCall();
    const auto *operands = call->operands();
    for (flatbuffers::uoffset_t i = 0; i < operands->size(); ++i)
      f(*operands->Get(i), i + 1 == operands->size());
    if (call->workspace())
      f(*call->workspace(), false);
    break;
  }
  case fb::CommandOp::Copy:
    f(*command->op_as_Copy()->src(), false);
    f(*command->op_as_Copy()->dst(), true);
    break;
  case fb::CommandOp::Memset:
    f(*command->op_as_Memset()->dst(), true);
    break;
  default:
    break;
  }
}

} // namespace

/// State updated in place (format version 2): a tied result is bound to its
/// slot's buffer, which is also the slot's state argument. In list order, no
/// command may reference the argument after the first command that
/// references the result (the old value would be gone); one command may
/// reference both (an elementwise kernel reading each element before writing
/// it), except a gemm or convolution writing the result while reading the
/// argument, which no library computes in place.
bool Checker::checkInPlaceOrder(const fb::EntryPoint &ep,
                                const std::string &field) {
  const auto *args = ep.arguments();
  const auto *results = ep.results();
  const auto *commands = ep.commands();
  constexpr int64_t kNone = -1;
  std::vector<int64_t> lastArgument(count(args), kNone);
  std::vector<int64_t> firstResult(count(results), kNone);
  for (flatbuffers::uoffset_t c = 0; c < count(commands); ++c)
    forEachBuffer(commands->Get(c), [&](const fb::BufferRef &ref, bool) {
      if (ref.space() == fb::MemorySpace::argument)
        lastArgument[ref.index()] = c;
      else if (ref.space() == fb::MemorySpace::result &&
               firstResult[ref.index()] == kNone)
        firstResult[ref.index()] = c;
    });
  for (flatbuffers::uoffset_t r = 0; r < count(results); ++r) {
    const fb::ArgumentDescriptor *res = results->Get(r);
    if (res->kind() != fb::ArgumentKind::tied_state)
      continue;
    uint32_t a = 0;
    while (!(args->Get(a)->kind() == fb::ArgumentKind::state &&
             args->Get(a)->state_slot() == res->state_slot()))
      ++a; // checkArguments found it
    int64_t last = lastArgument[a], first = firstResult[r];
    if (last == kNone || first == kNone || last < first)
      continue;
    std::string what = strCat(
        "argument ", a, " (", quoted(args->Get(a)->name()->string_view()),
        ") and result ", r, " (", quoted(res->name()->string_view()),
        "), the old and the next value of state slot ", res->state_slot(),
        ", share the slot's buffer");
    const fb::Command *writer = commands->Get(flatbuffers::uoffset_t(first));
    if (last > first)
      return fail(strCat(field, ".commands[", last, "] (",
                         commandName(commands->Get(
                             flatbuffers::uoffset_t(last))),
                         ") uses argument ", a, " after commands[", first,
                         "] (", commandName(writer), ") used result ", r,
                         ": ", what,
                         ", so every use of the old value must come first"));
    // last == first: one command uses both.
    const fb::LibraryCall *call = writer->op_as_LibraryCall();
    if (!call || call->kind() > fb::LibraryCallKind::conv_backward_filter)
      continue;
    bool readsArgument = false, writesResult = false;
    forEachBuffer(writer, [&](const fb::BufferRef &ref, bool written) {
      readsArgument |= !written && ref.space() == fb::MemorySpace::argument &&
                       ref.index() == a;
      writesResult |= written && ref.space() == fb::MemorySpace::result &&
                      ref.index() == r;
    });
    if (readsArgument && writesResult)
      return fail(strCat(field, ".commands[", first, "] (LibraryCall ",
                         fb::EnumNameLibraryCallKind(call->kind()),
                         ") reads argument ", a, " and writes result ", r,
                         ": ", what,
                         ", and a library call cannot compute in place"));
  }
  return true;
}

bool Checker::checkArguments(const fb::EntryPoint &ep,
                             const std::string &epField, bool results,
                             std::vector<uint64_t> &bytes) {
  const auto *list = results ? ep.results() : ep.arguments();
  const char *listName = results ? "results" : "arguments";
  const auto *slots = program->state_slots();
  std::unordered_set<std::string_view> names;
  std::unordered_set<int32_t> boundSlots;
  bytes.assign(count(list), 0);
  for (flatbuffers::uoffset_t i = 0; i < count(list); ++i) {
    const fb::ArgumentDescriptor *arg = list->Get(i);
    std::string field = strCat(epField, ".", listName, "[", i, "]");
    if (!checkName(arg->name(), field))
      return false;
    field = named(field, arg->name());
    if (!names.insert(arg->name()->string_view()).second)
      return fail(
          strCat(field, ": duplicate name among the entry point's ", listName));
    fb::ArgumentKind kind = arg->kind();
    bool kindOk = results ? (kind == fb::ArgumentKind::output ||
                             kind == fb::ArgumentKind::tied_state)
                          : (kind == fb::ArgumentKind::input ||
                             kind == fb::ArgumentKind::state);
    if (!kindOk) {
      const char *kindName = uint8_t(kind) <= uint8_t(fb::ArgumentKind::MAX)
                                 ? fb::EnumNameArgumentKind(kind)
                                 : "unknown";
      return fail(strCat(field, ".kind is ", unsigned(kind), " (", kindName,
                         "), expected ",
                         results ? "output or tied_state" : "input or state"));
    }
    if (!tensorBytes(arg->dtype(), arg->shape(), field, bytes[i]))
      return false;
    if (const fb::IndexBounds *b = arg->index_bounds()) {
      fb::DType d = arg->dtype();
      bool integer = d == fb::DType::i8 || d == fb::DType::i16 ||
                     d == fb::DType::i32 || d == fb::DType::i64 ||
                     d == fb::DType::u8 || d == fb::DType::u16 ||
                     d == fb::DType::u32 || d == fb::DType::u64;
      if (kind != fb::ArgumentKind::input || !integer)
        return fail(strCat(field, ".index_bounds is set on a ",
                           fb::EnumNameArgumentKind(kind), " of dtype ",
                           fb::EnumNameDType(d),
                           "; only integer inputs carry index bounds"));
      if (b->min() >= b->max())
        return fail(strCat(field, ".index_bounds is [", b->min(), ", ",
                           b->max(), "), an empty range"));
    }
    int32_t slotIndex = arg->state_slot();
    bool isState =
        kind == fb::ArgumentKind::state || kind == fb::ArgumentKind::tied_state;
    if (!isState) {
      if (slotIndex != -1)
        return fail(strCat(field, ".state_slot is ", slotIndex,
                           ", expected -1 for kind ",
                           fb::EnumNameArgumentKind(kind)));
      continue;
    }
    if (slotIndex < 0 || uint32_t(slotIndex) >= count(slots))
      return fail(strCat(field, ".state_slot is ", slotIndex,
                         ", but the program has ", count(slots),
                         " state slots"));
    const fb::StateSlot *slot = slots->Get(uint32_t(slotIndex));
    std::string slotName = quoted(slot->name()->string_view());
    if (arg->dtype() != slot->dtype())
      return fail(strCat(field, ".dtype is ", fb::EnumNameDType(arg->dtype()),
                         ", but state slot ", slotName, " is ",
                         fb::EnumNameDType(slot->dtype())));
    const auto *argShape = arg->shape();
    const auto *slotShape = slot->shape();
    bool sameShape = count(argShape) == count(slotShape);
    for (flatbuffers::uoffset_t d = 0; sameShape && d < count(argShape); ++d)
      sameShape = argShape->Get(d) == slotShape->Get(d);
    if (!sameShape)
      return fail(strCat(field, ".shape is ", shapeText(argShape),
                         ", but state slot ", slotName, " has shape ",
                         shapeText(slotShape)));
    if (!boundSlots.insert(slotIndex).second)
      return fail(strCat(field, ": state slot ", slotName,
                         " appears twice among the entry point's ", listName));
    if (results && slot->kind() == fb::StateSlotKind::constant)
      return fail(strCat(field, " is tied to state slot ", slotName,
                         ", which is a constant (constants are never "
                         "updated)"));
    if (results) {
      // A tied result must be the next value of a slot that is an argument.
      bool bound = false;
      const auto *args = ep.arguments();
      for (flatbuffers::uoffset_t a = 0; !bound && a < count(args); ++a)
        bound = args->Get(a)->kind() == fb::ArgumentKind::state &&
                args->Get(a)->state_slot() == slotIndex;
      if (!bound)
        return fail(
            strCat(field, " is tied to state slot ", slotName,
                   ", which is not a state argument of the entry point"));
    }
  }
  return true;
}

bool Checker::checkStream(uint32_t stream, const fb::EntryPoint &ep,
                          const std::string &field) {
  if (stream >= ep.stream_count())
    return fail(strCat(field, ".stream is ", stream,
                       ", but the entry point has ", ep.stream_count(),
                       " streams"));
  return true;
}

bool Checker::checkBuffer(const fb::BufferRef *ref, size_t epIndex,
                          const fb::EntryPoint &ep, const std::string &field) {
  if (!ref)
    return fail(strCat(field, " is missing"));
  const ProgramIndex::EntryPointSizes &sizes = index.entryPoints[epIndex];
  uint64_t limit = 0;
  std::string where;
  switch (ref->space()) {
  case fb::MemorySpace::arena:
    if (ref->index() != 0)
      return fail(strCat(field, ".index is ", ref->index(),
                         ", expected 0 for the arena"));
    limit = ep.arena_bytes();
    where = "arena_bytes";
    break;
  case fb::MemorySpace::argument:
  case fb::MemorySpace::result: {
    bool isArg = ref->space() == fb::MemorySpace::argument;
    const std::vector<uint64_t> &list =
        isArg ? sizes.argumentBytes : sizes.resultBytes;
    if (ref->index() >= list.size())
      return fail(strCat(field, ".index is ", ref->index(),
                         ", but the entry point has ", list.size(),
                         isArg ? " arguments" : " results"));
    limit = list[ref->index()];
    where = strCat(isArg ? "argument " : "result ", ref->index(), "'s size");
    break;
  }
  default:
    return fail(strCat(field, ".space is ", unsigned(ref->space()),
                       ", not a known memory space"));
  }
  if (!rangeWithin(ref->offset(), ref->size(), limit))
    return fail(strCat(field, " [offset ", ref->offset(), ", size ",
                       ref->size(), "] exceeds ", where, " (", limit,
                       " bytes)"));
  return true;
}

bool Checker::checkWritable(const fb::BufferRef *ref,
                            const std::string &field) {
  if (ref->space() == fb::MemorySpace::argument)
    return fail(strCat(field, " writes into argument ", ref->index(),
                       "; arguments are read-only"));
  return true;
}

bool Checker::checkCommand(const fb::EntryPoint &ep, size_t epIndex,
                           const fb::Command *command,
                           const std::string &field) {
  // The verifier accepts a union type without a value; nothing below may.
  if (command->op_type() != fb::CommandOp::NONE && !command->op())
    return fail(strCat(field, " has operation type ",
                       unsigned(command->op_type()), " but no operation"));
  switch (command->op_type()) {
  case fb::CommandOp::NONE:
    return fail(strCat(field, " has no operation"));
  case fb::CommandOp::LaunchKernel:
    return checkLaunch(*command->op_as_LaunchKernel(), epIndex, ep,
                       field + " (LaunchKernel)");
  case fb::CommandOp::LibraryCall:
    return checkLibraryCall(*command->op_as_LibraryCall(), epIndex, ep,
                            field + " (LibraryCall)");
  case fb::CommandOp::Copy: {
    const fb::Copy *copy = command->op_as_Copy();
    std::string f = field + " (Copy)";
    if (!checkBuffer(copy->src(), epIndex, ep, f + ".src") ||
        !checkBuffer(copy->dst(), epIndex, ep, f + ".dst") ||
        !checkWritable(copy->dst(), f + ".dst") ||
        !checkStream(copy->stream(), ep, f))
      return false;
    if (copy->src()->size() != copy->dst()->size())
      return fail(strCat(f, ": src.size ", copy->src()->size(),
                         " differs from dst.size ", copy->dst()->size()));
    return true;
  }
  case fb::CommandOp::Memset: {
    const fb::Memset *memset = command->op_as_Memset();
    std::string f = field + " (Memset)";
    return checkBuffer(memset->dst(), epIndex, ep, f + ".dst") &&
           checkWritable(memset->dst(), f + ".dst") &&
           checkStream(memset->stream(), ep, f);
  }
  case fb::CommandOp::RecordEvent:
  case fb::CommandOp::WaitEvent: {
    bool record = command->op_type() == fb::CommandOp::RecordEvent;
    uint32_t event = record ? command->op_as_RecordEvent()->event()
                            : command->op_as_WaitEvent()->event();
    uint32_t stream = record ? command->op_as_RecordEvent()->stream()
                             : command->op_as_WaitEvent()->stream();
    std::string f = field + (record ? " (RecordEvent)" : " (WaitEvent)");
    if (event >= ep.event_count())
      return fail(strCat(f, ".event is ", event, ", but the entry point has ",
                         ep.event_count(), " events"));
    return checkStream(stream, ep, f);
  }
  }
  return fail(strCat(field, " has unknown operation type ",
                     unsigned(command->op_type())));
}

bool Checker::checkLaunch(const fb::LaunchKernel &launch, size_t epIndex,
                          const fb::EntryPoint &ep, const std::string &field) {
  const auto *kernels = program->kernels();
  if (launch.kernel() >= count(kernels))
    return fail(strCat(field, ".kernel is ", launch.kernel(),
                       ", but the program has ", count(kernels), " kernels"));
  const fb::Kernel *kernel = kernels->Get(launch.kernel());
  const auto *params = kernel->parameters();
  const auto *args = launch.arguments();
  if (count(args) != count(params))
    return fail(strCat(field, " passes ", count(args), " arguments to kernel ",
                       quoted(kernel->name()->string_view()), ", which has ",
                       count(params), " parameters"));
  for (flatbuffers::uoffset_t i = 0; i < count(args); ++i) {
    const fb::KernelArgument *arg = args->Get(i);
    std::string af = strCat(field, ".arguments[", i, "]");
    if (params->Get(i)->kind() == fb::KernelParameterKind::buffer) {
      if (!checkBuffer(arg->buffer(), epIndex, ep, af + ".buffer"))
        return false;
    } else if (arg->buffer()) {
      return fail(
          strCat(af, " has a buffer, but parameter ", i, " is a scalar"));
    }
  }
  const fb::Dim3 *grid = launch.grid();
  const fb::Dim3 *block = launch.block();
  if (!grid || grid->x() == 0 || grid->y() == 0 || grid->z() == 0)
    return fail(strCat(field, ".grid is missing or has a zero dimension"));
  if (grid->x() > limits::kMaxGridBlocks)
    return fail(strCat(field, ".grid.x is ", grid->x(), ", more than ",
                       limits::kMaxGridBlocks, " blocks"));
  // The kernel's code assumes the block count it was compiled for.
  const fb::Dim3 *compiled = kernel->grid();
  if (!compiled || compiled->x() != grid->x() || compiled->y() != grid->y() ||
      compiled->z() != grid->z())
    return fail(strCat(
        field, ".grid is ", grid->x(), "x", grid->y(), "x", grid->z(),
        ", but kernel ", quoted(kernel->name()->string_view()),
        compiled ? strCat(" was compiled for ", compiled->x(), "x",
                          compiled->y(), "x", compiled->z())
                 : std::string(" records no grid")));
  if (!block || block->x() == 0 || block->y() == 0 || block->z() == 0)
    return fail(strCat(field, ".block is missing or has a zero dimension"));
  uint64_t threads = uint64_t(block->x()) * block->y(); // < 2^64
  if (!checkedMul(threads, block->z(), threads) ||
      threads > kMaxThreadsPerBlock)
    return fail(strCat(field, ".block ", block->x(), "x", block->y(), "x",
                       block->z(), " has more than ", kMaxThreadsPerBlock,
                       " threads"));
  return checkStream(launch.stream(), ep, field);
}

/// The convolution's shapes agree with its strides, pads, dilations and
/// groups (the libraries read the operands by these numbers): N and the
/// channels match, every stride and dilation is >= 1, pads >= 0, spatial
/// extents, strides, dilations and pads are below 2^31, and each output
/// extent is (D + pads - dil*(K-1) - 1) / stride + 1 >= 1.
bool Checker::checkConvGeometry(const fb::ConvDescriptor &c,
                                const std::string &df) {
  const auto &x = *c.input_shape(), &w = *c.filter_shape(),
             &y = *c.output_shape();
  size_t spatial = x.size() - 2;
  if (spatial > 3)
    return fail(strCat(df, " has ", spatial,
                       " spatial dimensions; at most 3 are supported"));
  int64_t g = c.groups();
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i] < 1 || w[i] < 1 || y[i] < 1)
      return fail(strCat(df, " has a dimension < 1 (input ",
                         shapeText(c.input_shape()), ", filter ",
                         shapeText(c.filter_shape()), ", output ",
                         shapeText(c.output_shape()), ")"));
  if (y[0] != x[0] || y[1] != w[0] || x[1] % g != 0 || w[0] % g != 0 ||
      w[1] != x[1] / g)
    return fail(strCat(df, ": input ", shapeText(c.input_shape()),
                       ", filter ", shapeText(c.filter_shape()), ", output ",
                       shapeText(c.output_shape()), " and groups ", g,
                       " do not agree (N, channels)"));
  for (size_t i = 0; i < spatial; ++i) {
    int64_t s = (*c.strides())[i], d = (*c.dilations())[i];
    int64_t lo = (*c.pads())[i], hi = (*c.pads())[spatial + i];
    constexpr int64_t kLimit = int64_t(1) << 31;
    if (s < 1 || d < 1 || lo < 0 || hi < 0 || s >= kLimit || d >= kLimit ||
        lo >= kLimit || hi >= kLimit || x[2 + i] >= kLimit ||
        w[2 + i] >= kLimit)
      return fail(strCat(df, " spatial dimension ", i, " has stride ", s,
                         ", dilation ", d, ", pads ", lo, " and ", hi,
                         ", input ", x[2 + i], ", filter ", w[2 + i],
                         "; expected strides and dilations >= 1, pads >= 0, "
                         "each below 2^31"));
    // Every term is below 2^31, so d * (K - 1) < 2^62: no int64 overflow.
    if (geometry::convOutputExtent(x[2 + i], w[2 + i], s, d, lo, hi) !=
        y[2 + i])
      return fail(strCat(df, " spatial dimension ", i, ": output extent ",
                         y[2 + i], " does not follow from input ", x[2 + i],
                         ", filter ", w[2 + i], ", stride ", s, ", dilation ",
                         d, " and pads ", lo, ", ", hi));
  }
  return true;
}

bool Checker::checkLibraryCall(const fb::LibraryCall &call, size_t epIndex,
                               const fb::EntryPoint &ep,
                               const std::string &field) {
  fb::LibraryCallKind kind = call.kind();
  if (uint8_t(kind) > uint8_t(fb::LibraryCallKind::MAX))
    return fail(strCat(field, ".kind is ", unsigned(kind),
                       ", not a known library call"));
  fb::LibraryDescriptor expected;
  switch (kind) {
  case fb::LibraryCallKind::gemm:
    expected = fb::LibraryDescriptor::GemmDescriptor;
    break;
  case fb::LibraryCallKind::conv_forward:
  case fb::LibraryCallKind::conv_backward_data:
  case fb::LibraryCallKind::conv_backward_filter:
    expected = fb::LibraryDescriptor::ConvDescriptor;
    break;
  default:
    expected = fb::LibraryDescriptor::CollectiveDescriptor;
    break;
  }
  if (call.descriptor_type() != expected || !call.descriptor())
    return fail(strCat(
        field, ".descriptor is ",
        unsigned(call.descriptor_type()) <= unsigned(fb::LibraryDescriptor::MAX)
            ? fb::EnumNameLibraryDescriptor(call.descriptor_type())
            : "unknown",
        ", expected ", fb::EnumNameLibraryDescriptor(expected), " for ",
        fb::EnumNameLibraryCallKind(kind)));
  const auto *operands = call.operands();
  if (!checkAligned(operands, field + ".operands"))
    return false;
  size_t expectedOperands =
      expected == fb::LibraryDescriptor::CollectiveDescriptor ? 2 : 3;
  if (count(operands) != expectedOperands)
    return fail(strCat(field, " has ", count(operands), " operands, ",
                       fb::EnumNameLibraryCallKind(kind), " takes ",
                       expectedOperands));
  for (flatbuffers::uoffset_t i = 0; i < count(operands); ++i)
    if (!checkBuffer(operands->Get(i), epIndex, ep,
                     strCat(field, ".operands[", i, "]")))
      return false;
  // The last operand is the one written (C, Y, dX, dW, recv).
  if (!checkWritable(operands->Get(count(operands) - 1),
                     strCat(field, ".operands[", count(operands) - 1, "]")))
    return false;
  if (call.workspace() &&
      (!checkBuffer(call.workspace(), epIndex, ep, field + ".workspace") ||
       !checkWritable(call.workspace(), field + ".workspace")))
    return false;

  std::string df = field + ".descriptor";
  if (expected == fb::LibraryDescriptor::GemmDescriptor) {
    const fb::GemmDescriptor *g = call.descriptor_as_GemmDescriptor();
    if (g->m() < 0 || g->n() < 0 || g->k() < 0 || g->batch() < 1)
      return fail(strCat(df, " has m=", g->m(), " n=", g->n(), " k=", g->k(),
                         " batch=", g->batch(),
                         "; m, n, k must be >= 0 and batch >= 1"));
    if (!checkDType(g->a_dtype(), df + ".a_dtype") ||
        !checkDType(g->b_dtype(), df + ".b_dtype") ||
        !checkDType(g->c_dtype(), df + ".c_dtype") ||
        !checkDType(g->compute_dtype(), df + ".compute_dtype"))
      return false;
    if (g->lda() < 0 || g->ldb() < 0 || g->ldc() < 0 || g->stride_a() < 0 ||
        g->stride_b() < 0 || g->stride_c() < 0)
      return fail(strCat(df, " has a negative leading dimension or stride"));
    // Every element the gemm touches lies within its operand:
    // (batch-1)*stride + (rows-1)*ld + cols elements of rows x cols.
    uint64_t m = uint64_t(g->m()), n = uint64_t(g->n()), k = uint64_t(g->k());
    struct Extent {
      const char *name;
      uint64_t rows, cols;
      int64_t ld, stride;
      fb::DType dtype;
    } extents[3] = {{"A", g->trans_a() ? k : m, g->trans_a() ? m : k, g->lda(),
                     g->stride_a(), g->a_dtype()},
                    {"B", g->trans_b() ? n : k, g->trans_b() ? k : n, g->ldb(),
                     g->stride_b(), g->b_dtype()},
                    {"C", m, n, g->ldc(), g->stride_c(), g->c_dtype()}};
    for (int i = 0; i < 3; ++i) {
      const Extent &e = extents[i];
      uint64_t elements = 0, rowsPart = 0, bytes = 0;
      bool ok = true;
      if (e.rows && e.cols)
        ok = checkedMul(uint64_t(g->batch() - 1), uint64_t(e.stride),
                        elements) &&
             checkedMul(e.rows - 1, uint64_t(e.ld), rowsPart) &&
             checkedAdd(elements, rowsPart, elements) &&
             checkedAdd(elements, e.cols, elements);
      ok = ok && checkedMul(elements, dtypeSize(e.dtype), bytes);
      if (!ok || bytes > operands->Get(i)->size())
        return fail(strCat(
            field, ".operands[", i, "] (", e.name, ") is ",
            operands->Get(i)->size(), " bytes, but the descriptor reaches ",
            ok ? strCat(bytes, " bytes") : std::string("past 2^64 bytes"), " (",
            e.rows, "x", e.cols, " ", fb::EnumNameDType(e.dtype), ", ld ", e.ld,
            ", batch ", g->batch(), ", stride ", e.stride, ")"));
    }
  } else if (expected == fb::LibraryDescriptor::ConvDescriptor) {
    const fb::ConvDescriptor *c = call.descriptor_as_ConvDescriptor();
    if (!checkDType(c->dtype(), df + ".dtype") ||
        !checkDType(c->compute_dtype(), df + ".compute_dtype"))
      return false;
    if (!checkAligned(c->input_shape(), df + ".input_shape") ||
        !checkAligned(c->filter_shape(), df + ".filter_shape") ||
        !checkAligned(c->output_shape(), df + ".output_shape") ||
        !checkAligned(c->strides(), df + ".strides") ||
        !checkAligned(c->pads(), df + ".pads") ||
        !checkAligned(c->dilations(), df + ".dilations"))
      return false;
    size_t rank = count(c->input_shape());
    if (rank < 3 || count(c->filter_shape()) != rank ||
        count(c->output_shape()) != rank)
      return fail(strCat(df, " shapes have ranks ", rank, ", ",
                         count(c->filter_shape()), ", ",
                         count(c->output_shape()),
                         "; expected one rank >= 3 for input, filter, output"));
    size_t spatial = rank - 2;
    if (count(c->strides()) != spatial || count(c->dilations()) != spatial ||
        count(c->pads()) != 2 * spatial)
      return fail(strCat(df, " needs ", spatial, " strides, ", spatial,
                         " dilations and ", 2 * spatial, " pads"));
    if (c->groups() < 1)
      return fail(strCat(df, ".groups is ", c->groups(), ", expected >= 1"));
    if (!checkConvGeometry(*c, df))
      return false;
    // Each operand holds exactly its tensor.
    const flatbuffers::Vector<int64_t> *shapes[3];
    switch (kind) {
    case fb::LibraryCallKind::conv_forward: // X, W, Y
      shapes[0] = c->input_shape(), shapes[1] = c->filter_shape(),
      shapes[2] = c->output_shape();
      break;
    case fb::LibraryCallKind::conv_backward_data: // dY, W, dX
      shapes[0] = c->output_shape(), shapes[1] = c->filter_shape(),
      shapes[2] = c->input_shape();
      break;
    default: // conv_backward_filter: X, dY, dW
      shapes[0] = c->input_shape(), shapes[1] = c->output_shape(),
      shapes[2] = c->filter_shape();
      break;
    }
    for (int i = 0; i < 3; ++i) {
      uint64_t bytes = 0;
      if (!tensorBytes(c->dtype(), shapes[i], df, bytes))
        return false;
      if (operands->Get(i)->size() != bytes)
        return fail(strCat(field, ".operands[", i, "].size is ",
                           operands->Get(i)->size(), ", expected ", bytes, " (",
                           fb::EnumNameDType(c->dtype()), " x ",
                           shapeText(shapes[i]), ")"));
    }
  } else {
    const fb::CollectiveDescriptor *c =
        call.descriptor_as_CollectiveDescriptor();
    if (uint8_t(c->op()) > uint8_t(fb::ReduceOp::MAX))
      return fail(
          strCat(df, ".op is ", unsigned(c->op()), ", not a known reduction"));
    if (!checkDType(c->dtype(), df + ".dtype"))
      return false;
    uint64_t bytes = 0;
    if (!checkedMul(c->count(), dtypeSize(c->dtype()), bytes) ||
        bytes != operands->Get(0)->size())
      return fail(strCat(field, ".operands[0].size is ",
                         operands->Get(0)->size(), ", but count ", c->count(),
                         " of ", fb::EnumNameDType(c->dtype()),
                         " needs a different size"));
  }
  return checkStream(call.stream(), ep, field);
}

} // namespace

bool validateMetadata(const uint8_t *file, const Container &container,
                      ProgramIndex &index, std::string &message) {
  return Checker(file, container, index, message).run();
}

} // namespace dlcc::runtime
