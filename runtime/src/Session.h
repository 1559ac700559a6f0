//===- Session.h - The session behind dlcc_session_t ------------*- C++ -*-===//
//
// A session owns a backend, the plans of the program's entry points, the
// arena, every state slot's current value (one buffer per slot: a tied
// result is bound to that same buffer and written in place, so updated state
// is not double buffered), and one buffer per input argument and per output
// result of every entry point.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_SESSION_H
#define DLCC_RUNTIME_SESSION_H

#include "Backend.h"
#include "Executor.h"
#include "Program.h"

#include <memory>
#include <vector>

namespace dlcc::runtime {

struct SlotBuffers {
  /// The slot's value; also the buffer of the slot's state arguments and of
  /// its tied results (state updated in place).
  DevicePtr current = nullptr;
  uint64_t bytes = 0;
  bool constant = false;
  bool zeroInitialized = false; // initial value zeros (nothing stored)
  /// Initial value one element repeated: `elementBytes` bytes at `initial`.
  bool splat = false;
  uint64_t elementBytes = 0;
  /// The stored initial value (or splat element) in the program's data.
  const uint8_t *initial = nullptr;
  /// current points into the program's initial data (a constant on a
  /// host-addressable device); it is never written or freed.
  bool borrowed = false;
};

struct EntryBuffers {
  std::vector<DevicePtr> inputs;  // per argument; null for state arguments
  std::vector<bool> inputSet;     // per argument
  std::vector<DevicePtr> outputs; // per result; null for tied results
  std::vector<DevicePtr> argumentBindings, resultBindings; // per run
  bool hasResults = false;
};

} // namespace dlcc::runtime

struct dlcc_session {
  /// Takes a reference to `program`, dropped by the destructor: the
  /// program lives at least as long as the session (Program.h).
  explicit dlcc_session(const dlcc_program *program) : program(program) {
    dlcc::runtime::retainProgram(program);
  }
  ~dlcc_session();
  dlcc_session(const dlcc_session &) = delete;
  dlcc_session &operator=(const dlcc_session &) = delete;

  /// Allocates a buffer that the session frees on release, zero-filled
  /// unless `zero` is false (so that bytes a program never writes read as 0).
  dlcc_status_t allocate(uint64_t bytes, dlcc::runtime::DevicePtr &out,
                         bool zero = true);

  const dlcc_program *program;
  std::unique_ptr<dlcc::runtime::Backend> backend;
  std::vector<dlcc::runtime::EntryPlan> plans;
  dlcc::runtime::DevicePtr arena = nullptr;
  std::vector<dlcc::runtime::SlotBuffers> slots;
  std::vector<dlcc::runtime::EntryBuffers> entries;
  dlcc::runtime::LaunchScratch scratch;
  std::vector<dlcc::runtime::DevicePtr> allocations;
};

#endif // DLCC_RUNTIME_SESSION_H
