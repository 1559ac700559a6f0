//===- Program.h - The loaded program behind dlcc_program_t -----*- C++ -*-===//
//
// A dlcc_program owns the artifact's bytes (one 64-byte aligned copy) and
// indexes into them that were computed while validating. Nothing in it is
// mutated after loading, which is what makes concurrent queries safe (the
// only exception is the atomic count of live sessions).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_PROGRAM_H
#define DLCC_RUNTIME_PROGRAM_H

#include "Container.h"

#include "dlcc/schema/train_bin_generated.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dlcc::runtime {

/// What metadata validation derives for later use.
struct ProgramIndex {
  const dlcc::schema::Program *meta = nullptr;
  const uint8_t *initialData = nullptr; // start of the initial_data section
  uint64_t initialDataSize = 0;
  const uint8_t *onnxGraph = nullptr;
  uint64_t onnxGraphSize = 0;
  struct EntryPointSizes {
    std::vector<uint64_t> argumentBytes;
    std::vector<uint64_t> resultBytes;
  };
  std::vector<EntryPointSizes> entryPoints;
  std::unordered_map<std::string_view, uint32_t> slotByName;
  std::unordered_map<std::string_view, uint32_t> entryPointByName;
};

/// Byte size of one element of `dtype`, 0 for undefined or unknown values.
uint64_t dtypeSize(dlcc::schema::DType dtype);

/// Runs the FlatBuffers verifier on the metadata section, then checks every
/// index, offset and size the metadata refers to (docs/artifact-format.md,
/// "Validation order", steps 4 and 5). `file` is the whole artifact and
/// `container` its already validated section table.
bool validateMetadata(const uint8_t *file, const Container &container,
                      ProgramIndex &index, std::string &message);

struct FreeDeleter {
  void operator()(uint8_t *p) const { std::free(p); }
};

} // namespace dlcc::runtime

struct dlcc_program {
  std::unique_ptr<uint8_t[], dlcc::runtime::FreeDeleter> bytes;
  size_t size = 0;
  dlcc::runtime::Container container;
  dlcc::runtime::ProgramIndex index;
  /// Sessions created from this program and not yet released; the program
  /// refuses to be released while this is non-zero.
  mutable std::atomic<size_t> liveSessions{0};
};

#endif // DLCC_RUNTIME_PROGRAM_H
