//===- Executor.h - Planning and running command streams --------*- C++ -*-===//
//
// The device-independent part of execution. planEntryPoints() turns every
// entry point's validated command stream into a compact plan once, at
// session creation (rejecting what the backend cannot run); execute() runs
// one plan on a Backend, resolving each BufferRef against the buffers bound
// to the arguments, the results and the arena for this run.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_EXECUTOR_H
#define DLCC_RUNTIME_EXECUTOR_H

#include "Backend.h"

#include <cstdint>
#include <vector>

namespace dlcc::runtime {

/// A BufferRef: space 0 arena, 1 argument[index], 2 result[index].
struct PlannedRef {
  uint8_t space = 0;
  uint32_t index = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct PlannedParam {
  bool buffer = false;
  PlannedRef ref;      // buffer parameters
  uint64_t scalar = 0; // scalar parameters: the value's bits
};

struct PlannedCommand {
  enum class Op : uint8_t {
    Launch,
    Copy,
    Memset,
    Gemm,
    Conv,
    RecordEvent,
    WaitEvent,
    Nop
  };
  Op op = Op::Nop;
  uint32_t stream = 0;                     // every op
  uint32_t event = 0;                      // RecordEvent, WaitEvent
  uint32_t kernel = 0;                     // Launch
  LaunchDims dims;                         // Launch
  uint32_t firstParam = 0, paramCount = 0; // Launch: into EntryPlan::params
  PlannedRef src, dst;                     // Copy (src, dst), Memset (dst)
  uint8_t value = 0;                       // Memset
  GemmParams gemm;                         // Gemm
  uint32_t gemmHandle = 0;                 // Gemm: Backend::prepareGemm's
  PlannedRef extra;                        // Gemm: A, B, C = src, dst, extra;
                                           // Conv: X, W, Y likewise
  ConvParams conv;                         // Conv
  uint32_t convHandle = 0;                 // Conv: Backend::prepareConv's
};

/// Time spent in one command over all runs (DLCC_PROFILE=1).
struct CommandProfile {
  double milliseconds = 0;
  uint64_t calls = 0;
};

struct EntryPlan {
  std::vector<PlannedCommand> commands;
  /// One entry per command when profiling (DLCC_PROFILE set to a non-zero
  /// value), else empty; filled by execute(), printed by printProfile().
  mutable std::vector<CommandProfile> profile;
  std::vector<PlannedParam> params;
  uint32_t maxParams = 0;
  uint32_t index = 0; // of the entry point
  size_t argumentCount = 0, resultCount = 0;
};

/// Plans every entry point of `program` for `backend`. Sets launched[k] for
/// each kernel some entry point launches (launched has one entry per
/// kernel). DLCC_STATUS_UNSUPPORTED for library calls the backend lacks
/// (collectives, and the gemms and convolutions it cannot run) and for
/// grids of more than 2^63-1 blocks.
dlcc_status_t planEntryPoints(const dlcc_program &program,
                              Backend &backend,
                              std::vector<EntryPlan> &plans,
                              std::vector<bool> &launched);

/// With DLCC_PROFILE=1 in the environment, each command of a run is timed
/// (the backend synchronised after it, so times are per command, not
/// overlapped); printProfile writes the table to stderr, slowest first.
bool profilingRequested();
void printProfile(const dlcc_program &program, const EntryPlan &plan);

/// The buffers of one run.
struct Bindings {
  const DevicePtr *arguments = nullptr;
  const DevicePtr *results = nullptr;
  DevicePtr arena = nullptr;
};

/// Reusable per-session storage for launch parameter arrays.
struct LaunchScratch {
  std::vector<DevicePtr> pointers;
  std::vector<uint64_t> scalars;
  std::vector<void *> params;
  std::vector<DevicePtr> key; // RunKey buffers
};

/// Runs `plan`'s commands in order on `backend` (between Backend::beginRun
/// and endRun, which may record or replay them), then synchronizes.
dlcc_status_t execute(Backend &backend, const EntryPlan &plan,
                      const Bindings &bindings, LaunchScratch &scratch);

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_EXECUTOR_H
