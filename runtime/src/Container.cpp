//===- Container.cpp - The train.bin container: header and sections -------===//
//
// Header layout (little-endian, 32 bytes):
//   0  char[8] magic "DLCCTBIN"     16 u64 flags (= Program.feature_flags)
//   8  u32 format_version           24 u32 section_count
//   12 u32 header_size (= 32)       28 u32 reserved (0)
// then section_count entries of 32 bytes:
//   0 u32 kind, 4 u32 reserved (0), 8 u64 offset, 16 u64 size, 24 u64 xxh64
//
//===----------------------------------------------------------------------===//

#include "Container.h"
#include "Support.h"

#include <algorithm>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace dlcc::runtime {

const char *sectionKindName(uint32_t kind) {
  switch (static_cast<SectionKind>(kind)) {
  case SectionKind::Metadata:
    return "metadata";
  case SectionKind::InitialData:
    return "initial_data";
  case SectionKind::KernelImage:
    return "kernel_image";
  case SectionKind::OnnxGraph:
    return "onnx_graph";
  }
  return "unknown";
}

namespace {

std::string sectionLabel(size_t index, uint32_t kind) {
  return strCat("section ", index, " (", sectionKindName(kind), ")");
}

std::string magicText(const uint8_t *p) {
  std::string s;
  for (int i = 0; i < 8; ++i)
    s += char(p[i]);
  return quoted(s);
}

} // namespace

ContainerError parseContainer(const uint8_t *data, size_t size, Container &out,
                              std::string &message) {
  auto invalid = [&](std::string text) {
    message = std::move(text);
    return ContainerError::Invalid;
  };

  // 1. The fixed header.
  if (size < kHeaderSize)
    return invalid(strCat("file is ", size, " bytes, smaller than the ",
                          kHeaderSize, "-byte header"));
  if (std::memcmp(data, kMagic, sizeof(kMagic)) != 0)
    return invalid(strCat("not a dlcc artifact: magic is ", magicText(data),
                          ", expected \"DLCCTBIN\""));
  uint32_t version = readLE32(data + 8);
  if (version > kFormatVersion) {
    message = strCat("artifact format version ", version,
                     " is newer than this runtime supports (", kFormatVersion,
                     "); rebuild dlcc-run");
    return ContainerError::UnsupportedVersion;
  }
  if (version < kOldestFormatVersion) {
    // Older versions mean something else (version 1 computed tied results
    // into separate buffers); there is no reading them compatibly.
    message = strCat("artifact format version ", version,
                     " is not supported (this runtime reads versions ",
                     kOldestFormatVersion, " to ", kFormatVersion, ")",
                     version ? "; recompile the model with this dlcc" : "");
    return ContainerError::UnsupportedVersion;
  }
  uint32_t headerSize = readLE32(data + 12);
  if (headerSize != kHeaderSize)
    return invalid(strCat("header_size is ", headerSize, ", expected ",
                          kHeaderSize, " for format version ", version));
  uint64_t flags = readLE64(data + 16);
  if (flags & ~kKnownFeatureFlags)
    return invalid(strCat("header flags ", hex(flags), " have unknown bits ",
                          hex(flags & ~kKnownFeatureFlags)));
  uint32_t sectionCount = readLE32(data + 24);
  if (sectionCount == 0 || sectionCount > kMaxSections)
    return invalid(strCat("section_count is ", sectionCount, ", expected 1 to ",
                          kMaxSections));
  if (readLE32(data + 28) != 0)
    return invalid(strCat("header reserved field is ", hex(readLE32(data + 28)),
                          ", expected 0"));

  // 2. The section table.
  uint64_t tableEnd = uint64_t(kHeaderSize) +
                      uint64_t(sectionCount) * kSectionEntrySize; // <= 2080
  if (tableEnd > size)
    return invalid(strCat("section table (", sectionCount,
                          " entries) ends at byte ", tableEnd,
                          ", past the end of the ", size, "-byte file"));
  out.formatVersion = version;
  out.flags = flags;
  out.sections.clear();
  out.metadata = out.initialData = out.onnxGraph = -1;
  for (uint32_t i = 0; i < sectionCount; ++i) {
    const uint8_t *e = data + kHeaderSize + size_t(i) * kSectionEntrySize;
    Section s;
    s.kind = readLE32(e);
    uint32_t reserved = readLE32(e + 4);
    s.offset = readLE64(e + 8);
    s.size = readLE64(e + 16);
    s.hash = readLE64(e + 24);
    std::string label = sectionLabel(i, s.kind);
    if (s.kind < uint32_t(SectionKind::Metadata) ||
        s.kind > uint32_t(SectionKind::OnnxGraph))
      return invalid(strCat("section ", i, " has unknown kind ", s.kind));
    if (reserved != 0)
      return invalid(
          strCat(label, " reserved field is ", hex(reserved), ", expected 0"));
    uint64_t end;
    if (!checkedAdd(s.offset, s.size, end))
      return invalid(strCat(label, " offset ", s.offset, " + size ", s.size,
                            " overflows 64 bits"));
    if (end > size)
      return invalid(strCat(label, " [", s.offset, ", ", end,
                            ") extends past the end of the ", size,
                            "-byte file"));
    if (s.offset % kAlignment != 0)
      return invalid(strCat(label, " offset ", s.offset,
                            " is not a multiple of ", kAlignment));
    if (s.offset < tableEnd)
      return invalid(strCat(label, " offset ", s.offset,
                            " lies inside the header and section table (",
                            tableEnd, " bytes)"));
    int *slot = nullptr;
    switch (static_cast<SectionKind>(s.kind)) {
    case SectionKind::Metadata:
      slot = &out.metadata;
      break;
    case SectionKind::InitialData:
      slot = &out.initialData;
      break;
    case SectionKind::OnnxGraph:
      slot = &out.onnxGraph;
      break;
    case SectionKind::KernelImage:
      break;
    }
    if (slot) {
      if (*slot >= 0)
        return invalid(strCat("sections ", *slot, " and ", i, " are both ",
                              sectionKindName(s.kind),
                              " sections; at most one is allowed"));
      *slot = int(i);
    }
    out.sections.push_back(s);
  }
  if (out.metadata < 0)
    return invalid("no metadata section");

  // No two sections overlap, and nothing follows the last one.
  std::vector<size_t> order(sectionCount);
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return out.sections[a].offset < out.sections[b].offset;
  });
  uint64_t lastEnd = tableEnd;
  size_t lastIndex = sectionCount; // none yet
  for (size_t i : order) {
    const Section &s = out.sections[i];
    if (s.size == 0)
      continue;
    if (lastIndex != sectionCount && s.offset < lastEnd)
      return invalid(strCat("sections ", lastIndex, " (",
                            sectionKindName(out.sections[lastIndex].kind),
                            ") and ", i, " (", sectionKindName(s.kind),
                            ") overlap"));
    lastEnd = s.offset + s.size;
    lastIndex = i;
  }
  for (const Section &s : out.sections)
    lastEnd = std::max(lastEnd, s.offset + s.size);
  if (size > lastEnd)
    return invalid(strCat("file has ", size - lastEnd,
                          " trailing bytes after the last section"));

    // 3. Hashes. The fuzzing build (the OSS-Fuzz convention's macro) skips this
    // step so that mutated inputs reach the metadata checks.
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  for (uint32_t i = 0; i < sectionCount; ++i) {
    const Section &s = out.sections[i];
    uint64_t actual = XXH64(data + s.offset, size_t(s.size), 0);
    if (actual != s.hash)
      return invalid(strCat(sectionLabel(i, s.kind),
                            " hash mismatch: the section table says ",
                            hex(s.hash), ", the contents hash to ", hex(actual),
                            " (corrupt or modified file)"));
  }
#endif
  return ContainerError::None;
}

} // namespace dlcc::runtime
