//===- Container.h - The train.bin container: header and sections -*- C++ -*-//
//
// The fixed little-endian header, the section table and their checks (see
// docs/artifact-format.md, "Container"). The writer
// (lib/Target/Artifact/ArtifactWriter.cpp) writes the same layout; the two
// sides share only the schema, so the constants are repeated there and the
// round-trip tests keep them in agreement.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CONTAINER_H
#define DLCC_RUNTIME_CONTAINER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dlcc::runtime {

inline constexpr char kMagic[8] = {'D', 'L', 'C', 'C', 'T', 'B', 'I', 'N'};
/// 2: zero-initialised state slots, tied results written in place into
/// their slot's buffer; 3: splat state slots (docs/artifact-format.md,
/// "Versioning"). A version 2 artifact is a version 3 one without splats,
/// so both are read.
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr uint32_t kOldestFormatVersion = 2;
inline constexpr uint32_t kHeaderSize = 32;
inline constexpr uint32_t kSectionEntrySize = 32;
inline constexpr uint32_t kMaxSections = 64;
inline constexpr uint64_t kAlignment = 64;
/// Header flags (and Program.feature_flags) bits this runtime knows.
inline constexpr uint64_t kKnownFeatureFlags = 0x1f;

enum class SectionKind : uint32_t {
  Metadata = 1,
  InitialData = 2,
  KernelImage = 3,
  OnnxGraph = 4,
};
const char *sectionKindName(uint32_t kind);

struct Section {
  uint32_t kind = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t hash = 0;
};

struct Container {
  uint32_t formatVersion = 0;
  uint64_t flags = 0;
  std::vector<Section> sections;
  int metadata = -1;    // index of the metadata section
  int initialData = -1; // index of the initial_data section, or -1
  int onnxGraph = -1;   // index of the onnx_graph section, or -1
};

enum class ContainerError { None, Invalid, UnsupportedVersion };

/// Checks the header, the section table (bounds with overflow-safe
/// arithmetic, alignment, no overlaps, section counts) and every section's
/// xxh64 hash, in that order. On failure returns the kind of error and sets
/// `message` to one sentence naming the field.
ContainerError parseContainer(const uint8_t *data, size_t size, Container &out,
                              std::string &message);

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CONTAINER_H
