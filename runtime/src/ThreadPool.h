//===- ThreadPool.h - The CPU backend's thread pool -------------*- C++ -*-===//
//
// One fork/join per kernel launch over GNU OpenMP (libgomp), so that the
// runtime and oneDNN (which uses GNU OpenMP too) share one set of threads
// instead of two pools competing for cores; see docs/design-decisions.md,
// "Artifact and runtime".
//
// One pool per process, shared by every session: libgomp keeps a team of
// worker threads per thread that opens a parallel region, so sessions
// running on N application threads would otherwise start N full teams and
// oversubscribe the cores. Every parallel region (kernel launches of more
// than one block, oneDNN primitives) therefore opens on one dedicated pool
// thread, started at the first such call, whose OpenMP team is the
// process's only one. Each piece of work carries its session's thread count,
// so sessions with different counts share the team; concurrent sessions'
// work queues and runs one region at a time.
//
// A kernel launch with T threads is shared: the calling thread starts on its
// blocks at once and the pool's team of T - 1 joins as it gets to the job
// (the blocks are split into T ranges, each claimed by one participant;
// blocks are independent, so the split changes no result). If the pool is
// still busy with other work when the caller ran every range, the caller
// takes its job back rather than wait its turn. A oneDNN primitive runs on
// the pool thread with a team of T (its results depend on T) while the
// caller waits. Work of a one-thread session (and a launch of one block)
// runs inline on the calling thread and never queues.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_THREADPOOL_H
#define DLCC_RUNTIME_THREADPOOL_H

#include "dlcc-c/dlcc.h"

#include <cstdint>
#include <type_traits>

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

namespace detail {
using PoolTask = void (*)(void *context);
/// Runs task(context) on the process's pool thread, with that thread's
/// OpenMP team size set to `threads`, and waits for it; an exception the
/// task throws is rethrown here. Runs it inline (team size `threads` on
/// the calling thread) if the pool thread cannot be started.
void runOnPoolThread(int threads, PoolTask task, void *context);
} // namespace detail

/// A session's view of the process's pool: its thread count. Cheap; the
/// pool itself is shared (see the file comment) and never goes away.
class ThreadPool {
public:
  explicit ThreadPool(uint32_t threads) : threadCount(threads) {}
  uint32_t threads() const { return threadCount; }

  /// Calls fn(begin, end, params) on contiguous ranges that cover
  /// [0, blocks) exactly once, in parallel on up to threads() threads: the
  /// calling thread and up to threads() - 1 of the shared team; one range
  /// inline when blocks or threads() is 1. Returns when all are done.
  void run(CpuKernelFn fn, int64_t blocks, void **params) const;

  /// Calls body() where the parallel regions it opens (oneDNN's) get a
  /// team of threads() threads: on the pool thread, or inline with a team
  /// size of 1 for a one-thread session. Returns when body returned; an
  /// exception it throws is rethrown on the calling thread. body must not
  /// set the thread-local error message (it may run on another thread).
  template <typename Body> void call(Body &&body) const {
    using B = std::remove_reference_t<Body>;
    if (threadCount <= 1) {
      OmpTeamSize team(1);
      body();
      return;
    }
    detail::runOnPoolThread(
        int(threadCount), [](void *c) { (*static_cast<B *>(c))(); },
        const_cast<void *>(static_cast<const void *>(&body)));
  }

private:
  uint32_t threadCount;
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_THREADPOOL_H
