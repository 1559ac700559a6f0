//===- Program.h - The loaded program behind dlcc_program_t -----*- C++ -*-===//
//
// A dlcc_program owns the artifact's bytes (one 64-byte aligned copy) and
// indexes into them that were computed while validating. Nothing in it is
// mutated after loading, which is what makes concurrent queries safe (the
// only exceptions are the atomic reference count and the flag that the
// caller's handle was released).
//
// Lifetime: the program is reference counted. The handle that
// dlcc_program_load_* returns is one reference and every session holds one
// more (taken in dlcc_session_create, dropped when the session is
// released); the program is destroyed when the last of them goes, whatever
// the order of dlcc_program_release and dlcc_session_release.
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
#include <mutex>
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
  /// The caller's handle (until dlcc_program_release) plus one per live
  /// session; see retainProgram / releaseProgram.
  mutable std::atomic<size_t> references{1};
  /// Set by the first dlcc_program_release, so that a second release of the
  /// same handle (while sessions keep the program alive) is reported instead
  /// of dropping a session's reference.
  std::atomic<bool> handleReleased{false};
  /// The full values of splat state slots, made on the first
  /// dlcc_program_state_slot_initial_data call for each (by slot index).
  mutable std::mutex splatMutex;
  mutable std::unordered_map<
      size_t, std::unique_ptr<uint8_t[], dlcc::runtime::FreeDeleter>>
      splatValues;
};

namespace dlcc::runtime {

/// Takes one more reference to `program` (for a session). The caller must
/// hold a reference already (the handle or a live session).
inline void retainProgram(const dlcc_program *program) {
  program->references.fetch_add(1, std::memory_order_relaxed);
}

/// Drops one reference; the last one destroys the program.
inline void releaseProgram(const dlcc_program *program) {
  if (program->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete program;
}

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_PROGRAM_H
