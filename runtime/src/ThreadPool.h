//===- ThreadPool.h - The CPU backend's thread pool -------------*- C++ -*-===//
//
// One fork/join per kernel launch over GNU OpenMP (libgomp), so that the
// runtime and oneDNN (which uses GNU OpenMP too) share one set of threads
// instead of two pools competing for cores; see docs/design-decisions.md,
// "Artifact and runtime". libgomp keeps one team per thread that opens a
// parallel region: sessions run concurrently from N application threads
// start N teams (one process-wide team handed work through a queue was
// tried, and cost the GPT benchmark 1.6x in hand-off latency).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_THREADPOOL_H
#define DLCC_RUNTIME_THREADPOOL_H

#include "dlcc-c/dlcc.h"

#include <cstdint>

namespace dlcc::runtime {

/// The packed CPU kernel ABI (docs/runtime.md, "CPU kernels").
using CpuKernelFn = void (*)(int64_t blockBegin, int64_t blockEnd,
                             void **params);

inline constexpr uint32_t kMaxCpuThreads = 1024;

/// The thread count of a session: `requested` if non-zero, else
/// $DLCC_NUM_THREADS if set (a positive integer up to kMaxCpuThreads; other
/// values are an error), else the CPUs this process may run on.
dlcc_status_t resolveThreadCount(uint32_t requested, uint32_t &out);

/// The calling thread's OpenMP team size (what oneDNN sizes its parallel
/// regions by) set to `threads` for a scope; the caller's setting is
/// restored when the scope ends, exceptions included.
class OmpTeamSize {
public:
  explicit OmpTeamSize(int threads);
  ~OmpTeamSize();
  OmpTeamSize(const OmpTeamSize &) = delete;
  OmpTeamSize &operator=(const OmpTeamSize &) = delete;

private:
  int caller;
};

class ThreadPool {
public:
  explicit ThreadPool(uint32_t threads) : threadCount(threads) {}
  uint32_t threads() const { return threadCount; }

  /// Calls fn(begin, end, params) on contiguous ranges that cover
  /// [0, blocks) exactly once, in parallel on up to threads() threads; one
  /// range inline when blocks or threads() is 1. Returns when all are done.
  void run(CpuKernelFn fn, int64_t blocks, void **params) const;

  /// Calls body() with the calling thread's OpenMP team size (oneDNN's
  /// parallel regions) set to threads().
  template <typename Body> void call(Body &&body) const {
    OmpTeamSize team{int(threadCount)};
    body();
  }

private:
  uint32_t threadCount;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_THREADPOOL_H
