//===- ArtifactWriter.cpp - Writing train.bin -----------------------------===//
//
// Layout of the written file (docs/artifact-format.md):
//   header (32 bytes) | section table (32 bytes per section) | padding to 64
//   | metadata | initial_data | kernel_image | onnx_graph
// Every section starts at a multiple of 64; inside initial_data and
// kernel_image every tensor / image starts at a multiple of 64 (relative to
// the section, hence also in the file). Padding bytes are zero. Sections
// without contents are omitted, except metadata. The output is a pure
// function of the builder's contents (no timestamps).
//
// The container constants are repeated from the runtime
// (runtime/src/Container.h): the schema is the only shared file.
//
//===----------------------------------------------------------------------===//

#include "dlcc/Target/Artifact/ArtifactWriter.h"

#include "dlcc/schema/train_bin_generated.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace dlcc::artifact {

namespace fb = dlcc::schema;

namespace {

constexpr char kMagic[8] = {'D', 'L', 'C', 'C', 'T', 'B', 'I', 'N'};
constexpr uint32_t kHeaderSize = 32;
constexpr uint32_t kSectionEntrySize = 32;
constexpr uint64_t kAlignment = 64;
constexpr uint64_t kKnownFeatureFlags = 0x1f;
const uint8_t kZeros[kAlignment] = {};

template <typename... Args> std::string strCat(const Args &...args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

uint64_t alignUp(uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

void putLE32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}
void putLE64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

/// A run of bytes of the output; `data == nullptr` means zeros.
struct Chunk {
  const uint8_t *data;
  uint64_t size;
};

struct SectionPlan {
  explicit SectionPlan(fb::SectionKind kind) : kind(kind) {}
  fb::SectionKind kind;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t hash = 0;
  std::vector<Chunk> chunks;

  /// Appends `size` bytes at the next 64-byte aligned position; returns the
  /// section-relative offset.
  uint64_t append(const uint8_t *data, uint64_t bytes) {
    uint64_t at = alignUp(size);
    if (at > size)
      chunks.push_back({nullptr, at - size});
    if (bytes)
      chunks.push_back({data, bytes});
    size = at + bytes;
    return at;
  }
};

/// The whole file as a list of chunks.
struct FilePlan {
  std::vector<uint8_t> header; // header + section table
  std::vector<uint8_t> metadata;
  std::vector<SectionPlan> sections;
  uint64_t fileSize = 0;

  template <typename Sink> bool emit(Sink &&sink) const {
    uint64_t at = 0;
    auto put = [&](const uint8_t *data, uint64_t size) {
      while (size > 0) {
        uint64_t n = data ? size : std::min<uint64_t>(size, kAlignment);
        if (!sink(data ? data : kZeros, n))
          return false;
        if (data)
          data += n;
        size -= n;
        at += n;
      }
      return true;
    };
    if (!put(header.data(), header.size()))
      return false;
    for (const SectionPlan &s : sections) {
      if (!put(nullptr, s.offset - at))
        return false;
      for (const Chunk &c : s.chunks)
        if (!put(c.data, c.size))
          return false;
    }
    return true;
  }
};

} // namespace

uint64_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F8E4M3FN:
  case DType::F8E5M2:
  case DType::I1:
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::F16:
  case DType::BF16:
  case DType::I16:
  case DType::U16:
    return 2;
  case DType::F32:
  case DType::I32:
  case DType::U32:
    return 4;
  case DType::F64:
  case DType::I64:
  case DType::U64:
    return 8;
  }
  return 0;
}

struct ArtifactBuilder::Impl {
  struct Slot {
    std::string name;
    StateSlotKind kind;
    DType dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> owned;
    const uint8_t *data;
    size_t size;
    bool zeros = false; // zero-initialised: `size` bytes, none stored
    bool splat = false; // every element `owned` (one element), stored once
  };
  struct Image {
    std::string target;
    std::vector<uint8_t> bytes;
  };

  std::string producer;
  uint64_t flags = 0;
  std::string cpuBaseline;
  std::vector<Slot> slots;
  std::vector<Image> images;
  std::vector<KernelDesc> kernels;
  std::vector<EntryPointDesc> entryPoints;
  bool hasOnnxGraph = false;
  std::vector<uint8_t> onnxGraph;

  bool check(std::string &error) const;
  bool plan(FilePlan &out, std::string &error) const;
};

ArtifactBuilder::ArtifactBuilder() : impl(std::make_unique<Impl>()) {}
ArtifactBuilder::~ArtifactBuilder() = default;

void ArtifactBuilder::setProducer(std::string producer) {
  impl->producer = std::move(producer);
}
void ArtifactBuilder::setFeatureFlags(uint64_t flags) { impl->flags = flags; }
void ArtifactBuilder::setCpuBaseline(std::string baseline) {
  impl->cpuBaseline = std::move(baseline);
}

uint32_t ArtifactBuilder::addStateSlot(std::string name, StateSlotKind kind,
                                       DType dtype, std::vector<int64_t> shape,
                                       std::vector<uint8_t> bytes) {
  Impl::Slot slot{std::move(name),  kind,    dtype, std::move(shape),
                  std::move(bytes), nullptr, 0};
  slot.data = slot.owned.data();
  slot.size = slot.owned.size();
  impl->slots.push_back(std::move(slot));
  // The vector's buffer moved with it; refresh the pointer.
  impl->slots.back().data = impl->slots.back().owned.data();
  return uint32_t(impl->slots.size() - 1);
}

uint32_t ArtifactBuilder::addStateSlotBorrowed(std::string name,
                                               StateSlotKind kind, DType dtype,
                                               std::vector<int64_t> shape,
                                               const void *data, size_t size) {
  impl->slots.push_back({std::move(name),
                         kind,
                         dtype,
                         std::move(shape),
                         {},
                         static_cast<const uint8_t *>(data),
                         size});
  return uint32_t(impl->slots.size() - 1);
}

/// dtype size x product(shape) for a slot whose bytes are not given; check()
/// reports a bad shape (a size that overflows is left 0 here, which check()
/// then rejects).
static size_t declaredSlotBytes(DType dtype, const std::vector<int64_t> &shape) {
  uint64_t bytes = dtypeSize(dtype);
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(bytes, uint64_t(d), &bytes))
      return 0;
  return size_t(bytes);
}

uint32_t ArtifactBuilder::addZeroStateSlot(std::string name,
                                           StateSlotKind kind, DType dtype,
                                           std::vector<int64_t> shape) {
  size_t bytes = declaredSlotBytes(dtype, shape);
  impl->slots.push_back({std::move(name), kind, dtype, std::move(shape), {},
                         nullptr, bytes, /*zeros=*/true});
  return uint32_t(impl->slots.size() - 1);
}

uint32_t ArtifactBuilder::addSplatStateSlot(std::string name,
                                            StateSlotKind kind, DType dtype,
                                            std::vector<int64_t> shape,
                                            std::vector<uint8_t> element) {
  size_t bytes = declaredSlotBytes(dtype, shape);
  Impl::Slot slot{std::move(name), kind,    dtype, std::move(shape),
                  std::move(element), nullptr, bytes};
  slot.splat = true;
  impl->slots.push_back(std::move(slot));
  return uint32_t(impl->slots.size() - 1);
}

uint32_t ArtifactBuilder::addKernelImage(std::string target,
                                         std::vector<uint8_t> bytes) {
  impl->images.push_back({std::move(target), std::move(bytes)});
  return uint32_t(impl->images.size() - 1);
}

uint32_t ArtifactBuilder::addKernel(KernelDesc kernel) {
  impl->kernels.push_back(std::move(kernel));
  return uint32_t(impl->kernels.size() - 1);
}

uint32_t ArtifactBuilder::addEntryPoint(EntryPointDesc entryPoint) {
  impl->entryPoints.push_back(std::move(entryPoint));
  return uint32_t(impl->entryPoints.size() - 1);
}

void ArtifactBuilder::setOnnxGraph(std::vector<uint8_t> bytes) {
  impl->hasOnnxGraph = true;
  impl->onnxGraph = std::move(bytes);
}

// The writer checks what it can cheaply get wrong (names, sizes, indices);
// the runtime's loader checks everything again.
bool ArtifactBuilder::Impl::check(std::string &error) const {
  if (flags & ~kKnownFeatureFlags) {
    error = strCat("unknown feature flag bits ", flags & ~kKnownFeatureFlags);
    return false;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot &s = slots[i];
    std::string field = strCat("state slot ", i, " '", s.name, "'");
    if (s.name.empty() || s.name.find('\0') != std::string::npos) {
      error = strCat(field, ": the name must be non-empty and contain no NUL");
      return false;
    }
    if (!names.insert(s.name).second) {
      error = strCat(field, ": duplicate name");
      return false;
    }
    uint64_t bytes = dtypeSize(s.dtype);
    if (bytes == 0) {
      error = strCat(field, ": unknown dtype");
      return false;
    }
    for (int64_t d : s.shape)
      if (d < 0 || __builtin_mul_overflow(bytes, uint64_t(d), &bytes)) {
        error = strCat(field, ": bad shape (negative or overflowing)");
        return false;
      }
    if (bytes != s.size) {
      error = strCat(field, ": initial data is ", s.size, " bytes, expected ",
                     bytes);
      return false;
    }
    if (s.splat && s.owned.size() != dtypeSize(s.dtype)) {
      error = strCat(field, ": a splat's element is ", s.owned.size(),
                     " bytes, expected ", dtypeSize(s.dtype));
      return false;
    }
    if (s.size && !s.data && !s.zeros && !s.splat) {
      error = strCat(field, ": initial data pointer is null");
      return false;
    }
  }
  for (size_t i = 0; i < images.size(); ++i)
    if (images[i].target.empty() || images[i].bytes.empty()) {
      error = strCat("kernel image ", i, ": empty target or contents");
      return false;
    }
  names.clear();
  for (const KernelDesc &k : kernels) {
    if (k.name.empty() || !names.insert(k.name).second) {
      error = strCat("kernel '", k.name, "': empty or duplicate name");
      return false;
    }
    for (const KernelVariant &v : k.variants)
      if (v.image >= images.size() || v.symbol.empty()) {
        error = strCat("kernel '", k.name, "': variant with image ", v.image,
                       " (of ", images.size(), ") or an empty symbol");
        return false;
      }
  }
  names.clear();
  for (const EntryPointDesc &ep : entryPoints) {
    if (ep.name.empty() || !names.insert(ep.name).second) {
      error = strCat("entry point '", ep.name, "': empty or duplicate name");
      return false;
    }
    for (const auto *list : {&ep.arguments, &ep.results})
      for (const ArgumentDesc &a : *list) {
        bool state =
            a.kind == ArgumentKind::State || a.kind == ArgumentKind::TiedState;
        if (state ? (a.stateSlot < 0 || size_t(a.stateSlot) >= slots.size())
                  : a.stateSlot != -1) {
          error = strCat("entry point '", ep.name, "': argument '", a.name,
                         "' has state slot ", a.stateSlot, " (of ",
                         slots.size(), ")");
          return false;
        }
        if (a.hasIndexBounds &&
            (a.kind != ArgumentKind::Input ||
             a.indexBounds.min >= a.indexBounds.max)) {
          error = strCat("entry point '", ep.name, "': argument '", a.name,
                         "' has index bounds [", a.indexBounds.min, ", ",
                         a.indexBounds.max, ") (inputs only, min < max)");
          return false;
        }
      }
    for (const Command &c : ep.commands)
      if (const auto *launch = std::get_if<LaunchKernel>(&c))
        if (launch->kernel >= kernels.size() ||
            launch->args.size() != kernels[launch->kernel].params.size()) {
          error = strCat("entry point '", ep.name, "': launch of kernel ",
                         launch->kernel, " (of ", kernels.size(), ") with ",
                         launch->args.size(),
                         " arguments (must match its parameters)");
          return false;
        }
  }
  return true;
}

namespace {

fb::BufferRef toFb(const BufferRef &r) {
  return fb::BufferRef(static_cast<fb::MemorySpace>(r.space), r.index, r.offset,
                       r.size);
}
fb::Dim3 toFb(const Dim3 &d) { return fb::Dim3(d.x, d.y, d.z); }
fb::DType toFb(DType d) { return static_cast<fb::DType>(d); }

flatbuffers::Offset<fb::ArgumentDescriptor>
buildArgument(flatbuffers::FlatBufferBuilder &fbb, const ArgumentDesc &a) {
  flatbuffers::Offset<fb::IndexBounds> bounds = 0;
  if (a.hasIndexBounds) {
    const IndexBounds &b = a.indexBounds;
    bounds = fb::CreateIndexBounds(fbb, b.min, b.max, b.hasIgnore, b.ignore,
                                   fbb.CreateString(b.use));
  }
  // (gcc evaluated these arguments right to left before; keeping that order
  // keeps artifacts byte-identical.)
  auto shape = fbb.CreateVector(a.shape);
  auto name = fbb.CreateSharedString(a.name);
  return fb::CreateArgumentDescriptor(fbb, name,
                                      static_cast<fb::ArgumentKind>(a.kind),
                                      a.stateSlot, toFb(a.dtype), shape, bounds);
}

flatbuffers::Offset<fb::LibraryCall>
buildLibraryCall(flatbuffers::FlatBufferBuilder &fbb, const LibraryCall &c) {
  fb::LibraryDescriptor type = fb::LibraryDescriptor::NONE;
  flatbuffers::Offset<void> desc;
  if (const auto *g = std::get_if<GemmDesc>(&c.descriptor)) {
    type = fb::LibraryDescriptor::GemmDescriptor;
    desc = fb::CreateGemmDescriptor(
               fbb, g->transA, g->transB, g->m, g->n, g->k, g->batch, g->lda,
               g->ldb, g->ldc, g->strideA, g->strideB, g->strideC, g->alpha,
               g->beta, toFb(g->aType), toFb(g->bType), toFb(g->cType),
               toFb(g->computeType))
               .Union();
  } else if (const auto *cv = std::get_if<ConvDesc>(&c.descriptor)) {
    type = fb::LibraryDescriptor::ConvDescriptor;
    desc = fb::CreateConvDescriptor(
               fbb, fbb.CreateVector(cv->inputShape),
               fbb.CreateVector(cv->filterShape),
               fbb.CreateVector(cv->outputShape), fbb.CreateVector(cv->strides),
               fbb.CreateVector(cv->pads), fbb.CreateVector(cv->dilations),
               cv->groups, toFb(cv->dtype), toFb(cv->computeType))
               .Union();
  } else if (const auto *co = std::get_if<CollectiveDesc>(&c.descriptor)) {
    type = fb::LibraryDescriptor::CollectiveDescriptor;
    desc = fb::CreateCollectiveDescriptor(
               fbb, static_cast<fb::ReduceOp>(co->op), toFb(co->dtype),
               co->count, co->communicator)
               .Union();
  }
  std::vector<fb::BufferRef> operands;
  for (const BufferRef &r : c.operands)
    operands.push_back(toFb(r));
  fb::BufferRef workspace = toFb(c.workspace);
  return fb::CreateLibraryCall(fbb, static_cast<fb::LibraryCallKind>(c.kind),
                               type, desc, fbb.CreateVectorOfStructs(operands),
                               c.hasWorkspace ? &workspace : nullptr, c.stream);
}

flatbuffers::Offset<fb::Command>
buildCommand(flatbuffers::FlatBufferBuilder &fbb, const Command &command,
             const std::vector<KernelDesc> &kernels) {
  if (const auto *l = std::get_if<LaunchKernel>(&command)) {
    // Buffer parameters get a BufferRef, scalar parameters only their bits.
    const KernelDesc &kernel = kernels[l->kernel];
    std::vector<flatbuffers::Offset<fb::KernelArgument>> args;
    for (size_t i = 0; i < l->args.size(); ++i) {
      const KernelArg &a = l->args[i];
      fb::BufferRef buffer = toFb(a.buffer);
      bool isBuffer = kernel.params[i].kind == ParameterKind::Buffer;
      args.push_back(fb::CreateKernelArgument(fbb, isBuffer ? &buffer : nullptr,
                                              isBuffer ? 0 : a.scalarBits));
    }
    fb::Dim3 grid = toFb(l->grid), block = toFb(l->block);
    auto op =
        fb::CreateLaunchKernel(fbb, l->kernel, fbb.CreateVector(args), &grid,
                               &block, l->sharedMemBytes, l->stream);
    return fb::CreateCommand(fbb, fb::CommandOp::LaunchKernel, op.Union());
  }
  if (const auto *c = std::get_if<LibraryCall>(&command))
    return fb::CreateCommand(fbb, fb::CommandOp::LibraryCall,
                             buildLibraryCall(fbb, *c).Union());
  if (const auto *c = std::get_if<Copy>(&command)) {
    fb::BufferRef src = toFb(c->src), dst = toFb(c->dst);
    return fb::CreateCommand(
        fbb, fb::CommandOp::Copy,
        fb::CreateCopy(fbb, &src, &dst, c->stream).Union());
  }
  if (const auto *m = std::get_if<Memset>(&command)) {
    fb::BufferRef dst = toFb(m->dst);
    return fb::CreateCommand(
        fbb, fb::CommandOp::Memset,
        fb::CreateMemset(fbb, &dst, m->value, m->stream).Union());
  }
  if (const auto *r = std::get_if<RecordEvent>(&command))
    return fb::CreateCommand(
        fbb, fb::CommandOp::RecordEvent,
        fb::CreateRecordEvent(fbb, r->event, r->stream).Union());
  const auto &w = std::get<WaitEvent>(command);
  return fb::CreateCommand(fbb, fb::CommandOp::WaitEvent,
                           fb::CreateWaitEvent(fbb, w.event, w.stream).Union());
}

} // namespace

bool ArtifactBuilder::Impl::plan(FilePlan &out, std::string &error) const {
  if (!check(error))
    return false;

  // Section order and indices: metadata, initial_data, kernel_image,
  // onnx_graph; all but metadata only when they have contents.
  out.sections.clear();
  out.sections.emplace_back(fb::SectionKind::metadata);
  SectionPlan data(fb::SectionKind::initial_data);
  std::vector<uint64_t> slotOffsets;
  bool anyStored = false;
  for (const Slot &s : slots) {
    // A zero-initialised slot stores nothing (data_offset 0), a splat one
    // element.
    slotOffsets.push_back(s.zeros ? 0
                          : s.splat
                              ? data.append(s.owned.data(), s.owned.size())
                              : data.append(s.data, s.size));
    anyStored |= !s.zeros;
  }
  SectionPlan code(fb::SectionKind::kernel_image);
  std::vector<uint64_t> imageOffsets;
  for (const Image &i : images)
    imageOffsets.push_back(code.append(i.bytes.data(), i.bytes.size()));
  SectionPlan graph(fb::SectionKind::onnx_graph);
  graph.append(onnxGraph.data(), onnxGraph.size());

  uint32_t codeSection = 0, graphSection = 0;
  if (anyStored)
    out.sections.push_back(std::move(data));
  if (!images.empty()) {
    codeSection = uint32_t(out.sections.size());
    out.sections.push_back(std::move(code));
  }
  if (hasOnnxGraph) {
    graphSection = uint32_t(out.sections.size());
    out.sections.push_back(std::move(graph));
  }

  // Metadata. ForceDefaults stores every scalar, so that tools (and tests)
  // can patch any field in place.
  flatbuffers::FlatBufferBuilder fbb(4096);
  fbb.ForceDefaults(true);
  std::vector<flatbuffers::Offset<fb::StateSlot>> fbSlots;
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot &s = slots[i];
    fbSlots.push_back(fb::CreateStateSlot(
        fbb, fbb.CreateSharedString(s.name),
        static_cast<fb::StateSlotKind>(s.kind), toFb(s.dtype),
        fbb.CreateVector(s.shape), slotOffsets[i], s.size,
        s.zeros   ? fb::InitialValue::zeros
        : s.splat ? fb::InitialValue::splat
                  : fb::InitialValue::stored));
  }
  std::vector<flatbuffers::Offset<fb::KernelImage>> fbImages;
  for (size_t i = 0; i < images.size(); ++i)
    fbImages.push_back(fb::CreateKernelImage(
        fbb, fbb.CreateSharedString(images[i].target), codeSection,
        imageOffsets[i], images[i].bytes.size()));
  std::vector<flatbuffers::Offset<fb::Kernel>> fbKernels;
  for (const KernelDesc &k : kernels) {
    std::vector<flatbuffers::Offset<fb::KernelParameter>> params;
    for (const KernelParam &p : k.params)
      params.push_back(fb::CreateKernelParameter(
          fbb, fbb.CreateSharedString(p.name),
          static_cast<fb::KernelParameterKind>(p.kind), toFb(p.dtype)));
    std::vector<flatbuffers::Offset<fb::KernelVariant>> variants;
    for (const KernelVariant &v : k.variants)
      variants.push_back(fb::CreateKernelVariant(
          fbb, v.image, fbb.CreateSharedString(v.symbol), v.registers,
          v.sharedMemBytes, v.maxThreadsPerBlock));
    fb::Dim3 grid = toFb(k.grid);
    fbKernels.push_back(fb::CreateKernel(fbb, fbb.CreateSharedString(k.name),
                                         fbb.CreateVector(params),
                                         fbb.CreateVector(variants), &grid));
  }
  std::vector<flatbuffers::Offset<fb::EntryPoint>> fbEntryPoints;
  for (const EntryPointDesc &ep : entryPoints) {
    std::vector<flatbuffers::Offset<fb::ArgumentDescriptor>> args, results;
    for (const ArgumentDesc &a : ep.arguments)
      args.push_back(buildArgument(fbb, a));
    for (const ArgumentDesc &a : ep.results)
      results.push_back(buildArgument(fbb, a));
    std::vector<flatbuffers::Offset<fb::Command>> commands;
    for (const Command &c : ep.commands)
      commands.push_back(buildCommand(fbb, c, kernels));
    fbEntryPoints.push_back(fb::CreateEntryPoint(
        fbb, fbb.CreateSharedString(ep.name), fbb.CreateVector(args),
        fbb.CreateVector(results), fbb.CreateVector(commands), ep.arenaBytes,
        ep.streamCount, ep.eventCount));
  }
  fb::SectionRange graphRange(graphSection, 0, onnxGraph.size());
  auto root = fb::CreateProgram(
      fbb, kArtifactFormatVersion, fbb.CreateSharedString(producer),
      static_cast<fb::FeatureFlags>(flags), fbb.CreateSharedString(cpuBaseline),
      fbb.CreateVector(fbSlots), fbb.CreateVector(fbEntryPoints),
      fbb.CreateVector(fbImages), fbb.CreateVector(fbKernels),
      hasOnnxGraph ? &graphRange : nullptr);
  fb::FinishProgramBuffer(fbb, root);
  out.metadata.assign(fbb.GetBufferPointer(),
                      fbb.GetBufferPointer() + fbb.GetSize());
  out.sections[0].append(out.metadata.data(), out.metadata.size());

  // Offsets and hashes.
  uint64_t at =
      alignUp(kHeaderSize + uint64_t(out.sections.size()) * kSectionEntrySize);
  for (SectionPlan &s : out.sections) {
    s.offset = alignUp(at);
    at = s.offset + s.size;
    XXH64_state_t state;
    XXH64_reset(&state, 0);
    for (const Chunk &c : s.chunks) {
      uint64_t left = c.size;
      const uint8_t *p = c.data;
      while (left > 0) {
        uint64_t n = p ? left : std::min<uint64_t>(left, kAlignment);
        XXH64_update(&state, p ? p : kZeros, size_t(n));
        if (p)
          p += n;
        left -= n;
      }
    }
    s.hash = XXH64_digest(&state);
  }
  out.fileSize = at;

  // Header and section table.
  out.header.clear();
  out.header.reserve(kHeaderSize + out.sections.size() * kSectionEntrySize);
  for (char c : kMagic)
    out.header.push_back(uint8_t(c));
  putLE32(out.header, kArtifactFormatVersion);
  putLE32(out.header, kHeaderSize);
  putLE64(out.header, flags);
  putLE32(out.header, uint32_t(out.sections.size()));
  putLE32(out.header, 0);
  for (const SectionPlan &s : out.sections) {
    putLE32(out.header, uint32_t(s.kind));
    putLE32(out.header, 0);
    putLE64(out.header, s.offset);
    putLE64(out.header, s.size);
    putLE64(out.header, s.hash);
  }
  return true;
}

std::vector<uint8_t> ArtifactBuilder::serialize(std::string *error) const {
  FilePlan plan;
  std::string message;
  if (!impl->plan(plan, message)) {
    if (error)
      *error = message;
    return {};
  }
  std::vector<uint8_t> out;
  out.reserve(size_t(plan.fileSize));
  plan.emit([&](const uint8_t *data, uint64_t size) {
    out.insert(out.end(), data, data + size);
    return true;
  });
  return out;
}

bool ArtifactBuilder::write(const std::string &path, std::string *error) const {
  auto fail = [&](std::string message) {
    if (error)
      *error = std::move(message);
    return false;
  };
  FilePlan plan;
  std::string message;
  if (!impl->plan(plan, message))
    return fail(message);

  std::string tmp = path + ".tmp.XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0)
    return fail(strCat("cannot create a temporary file next to '", path,
                       "': ", std::strerror(errno)));
  auto abandon = [&](std::string message) {
    if (fd >= 0)
      ::close(fd);
    ::unlink(name.data());
    return fail(std::move(message));
  };
  // mkstemp creates the file 0600; an artifact is readable like a binary.
  if (::fchmod(fd, 0644) != 0)
    return abandon(strCat("cannot set the mode of '", name.data(),
                          "': ", std::strerror(errno)));
  int writeErrno = 0;
  bool written = plan.emit([&](const uint8_t *data, uint64_t size) {
    while (size > 0) {
      ssize_t n = ::write(fd, data, size_t(size));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        writeErrno = n < 0 ? errno : EIO;
        return false;
      }
      data += n;
      size -= uint64_t(n);
    }
    return true;
  });
  if (!written)
    return abandon(strCat("cannot write '", name.data(),
                          "': ", std::strerror(writeErrno)));
  if (::fsync(fd) != 0)
    return abandon(
        strCat("cannot flush '", name.data(), "': ", std::strerror(errno)));
  int closeResult = ::close(fd);
  fd = -1;
  if (closeResult != 0)
    return abandon(
        strCat("cannot close '", name.data(), "': ", std::strerror(errno)));
  if (::rename(name.data(), path.c_str()) != 0)
    return abandon(strCat("cannot rename '", name.data(), "' to '", path,
                          "': ", std::strerror(errno)));
  // Make the rename durable (best effort).
  std::string dir = ".";
  if (size_t slash = path.find_last_of('/'); slash != std::string::npos)
    dir = slash == 0 ? "/" : path.substr(0, slash);
  int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
  return true;
}

} // namespace dlcc::artifact
