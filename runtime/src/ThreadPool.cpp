//===- ThreadPool.cpp - The CPU backend's thread pool ---------------------===//

#include "ThreadPool.h"
#include "Status.h"
#include "Support.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

namespace dlcc::runtime {

namespace {

/// One piece of work for the pool thread; lives on the submitter's stack
/// until `done`.
struct PoolJob {
  detail::PoolTask task = nullptr;
  void *context = nullptr;
  int threads = 1;
  std::exception_ptr error;
  /// Set (under PoolThread::mutex, so that a waiter cannot miss it) once
  /// the job ran; read without the lock while spinning.
  std::atomic<bool> done{false};
};

/// Waits up to `budget` for `ready()`, first spinning, then yielding the
/// CPU (to the pool's team, when cores are short); whether it became ready.
/// A hand-off through a condition variable alone costs two futex wake-ups
/// per parallel region, tens of microseconds on a loaded machine, while
/// kernel launches follow each other within microseconds.
template <typename Ready>
bool spinFor(std::chrono::microseconds budget, Ready &&ready) {
  for (int i = 0; i < 64; ++i) {
    if (ready())
      return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  auto end = std::chrono::steady_clock::now() + budget;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= end)
      return false;
    sched_yield();
  }
  return true;
}

/// How long the pool thread looks for the next job before it sleeps, and a
/// submitter for its job's end before it sleeps.
constexpr std::chrono::microseconds kPoolSpin{200}, kSubmitterSpin{100};

/// The process's pool thread: runs submitted jobs one at a time, in the
/// order they came, so that its OpenMP team (libgomp keeps one per thread
/// that opens parallel regions) is the only one the runtime uses.
class PoolThread {
public:
  /// Starts the thread with every signal blocked (its OpenMP workers
  /// inherit the mask), so that signals go to the application's threads.
  PoolThread() {
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    try {
      std::thread(&PoolThread::loop, this).detach();
    } catch (...) {
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
      throw;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }

  /// Queues `job`; the caller must then wait() (or withdraw()) before the
  /// job goes out of scope.
  void submit(PoolJob &job) {
    std::lock_guard<std::mutex> lock(mutex);
    queue.push_back(&job);
    pending.fetch_add(1, std::memory_order_release);
    if (sleeping)
      wake.notify_one();
  }

  /// Waits until `job` ran.
  void wait(PoolJob &job) {
    auto done = [&] { return job.done.load(std::memory_order_acquire); };
    if (spinFor(kSubmitterSpin, done))
      return;
    std::unique_lock<std::mutex> lock(mutex);
    finished.wait(lock, done);
  }

  /// Takes `job` back if the pool has not started it yet (true), else waits
  /// until it ran (false).
  bool withdraw(PoolJob &job) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = std::find(queue.begin(), queue.end(), &job);
      if (it != queue.end()) {
        queue.erase(it);
        pending.fetch_sub(1, std::memory_order_relaxed);
        return true;
      }
    }
    wait(job);
    return false;
  }

private:
  [[noreturn]] void loop() {
    for (;;) {
      PoolJob *job = nullptr;
      spinFor(kPoolSpin,
              [&] { return pending.load(std::memory_order_acquire) != 0; });
      {
        std::unique_lock<std::mutex> lock(mutex);
        sleeping = true;
        wake.wait(lock, [&] { return !queue.empty(); });
        sleeping = false;
        job = queue.front();
        queue.pop_front();
        pending.fetch_sub(1, std::memory_order_relaxed);
      }
      try {
        OmpTeamSize team(job->threads);
        job->task(job->context);
      } catch (...) {
        job->error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        job->done.store(true, std::memory_order_release);
      }
      finished.notify_all(); // no system call when nobody sleeps
    }
  }

  std::mutex mutex;
  std::condition_variable wake, finished;
  std::deque<PoolJob *> queue; // guarded by mutex
  std::atomic<size_t> pending{0}; // queue.size(), for spinning unlocked
  bool sleeping = false;          // guarded by mutex
};

// The pool thread is created at the first parallel call and never destroyed
// (it may still wait for work when static destructors run at exit). A forked
// child has no pool thread: the atfork handler forgets the parent's (leaking
// it), so that the child starts its own at its first parallel call.
std::mutex poolMutex;
std::atomic<PoolThread *> pool{nullptr};
bool poolFailed = false; // the thread could not be started: run inline

void forkPrepare() { poolMutex.lock(); }
void forkParent() { poolMutex.unlock(); }
void forkChild() {
  pool.store(nullptr);
  poolFailed = false;
  poolMutex.unlock();
}

PoolThread *processPool() {
  if (PoolThread *p = pool.load(std::memory_order_acquire))
    return p;
  std::lock_guard<std::mutex> lock(poolMutex);
  if (!pool.load() && !poolFailed) {
    static const bool registered =
        pthread_atfork(forkPrepare, forkParent, forkChild) == 0;
    (void)registered;
    try {
      pool.store(new PoolThread(), std::memory_order_release);
    } catch (...) {
      poolFailed = true;
    }
  }
  return pool.load();
}

uint32_t availableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0)
      return uint32_t(n);
  }
  unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

} // namespace

dlcc_status_t resolveThreadCount(uint32_t requested, uint32_t &out) {
  if (requested > kMaxCpuThreads)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_session_options_t.cpu_threads is ", requested,
                           ", at most ", kMaxCpuThreads, " are supported"));
  if (requested) {
    out = requested;
    return DLCC_STATUS_OK;
  }
  if (const char *env = std::getenv("DLCC_NUM_THREADS")) {
    char *end = nullptr;
    errno = 0;
    unsigned long long n = std::strtoull(env, &end, 10);
    bool digits = *env >= '0' && *env <= '9';
    if (!digits || *end != '\0' || errno != 0 || n == 0 || n > kMaxCpuThreads)
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      strCat("DLCC_NUM_THREADS is ", quoted(env),
                             ", expected an integer from 1 to ",
                             kMaxCpuThreads));
    out = uint32_t(n);
    return DLCC_STATUS_OK;
  }
  out = std::min(availableCpus(), kMaxCpuThreads);
  return DLCC_STATUS_OK;
}

namespace detail {

void runOnPoolThread(int threads, PoolTask task, void *context) {
  PoolThread *p = processPool();
  if (!p) { // no pool thread: the calling thread's own team
    OmpTeamSize team(threads);
    task(context);
    return;
  }
  PoolJob job;
  job.task = task;
  job.context = context;
  job.threads = threads;
  p->submit(job);
  p->wait(job);
  if (job.error)
    std::rethrow_exception(job.error);
}

} // namespace detail

namespace {

/// A kernel launch shared by the calling thread and the pool's team: its
/// blocks in `chunks` contiguous ranges (as even as possible), each claimed
/// by exactly one participant. Blocks are independent, so which thread runs
/// which range changes no result.
struct Launch {
  CpuKernelFn fn;
  int64_t blocks;
  void **params;
  int64_t chunks;
  int team; // the pool's share: the size of its region
  std::atomic<int64_t> next{0};
};

/// Claims and runs chunks until none is left.
void runChunks(Launch &l) {
  int64_t base = l.blocks / l.chunks, extra = l.blocks % l.chunks;
  for (;;) {
    int64_t c = l.next.fetch_add(1, std::memory_order_relaxed);
    if (c >= l.chunks)
      return;
    int64_t begin = c * base + std::min(c, extra);
    int64_t end = begin + base + (c < extra ? 1 : 0);
    l.fn(begin, end, l.params);
  }
}

void runLaunchOnTeam(void *context) {
  Launch &l = *static_cast<Launch *>(context);
  if (l.team <= 1) {
    runChunks(l);
    return;
  }
#pragma omp parallel num_threads(l.team)
  runChunks(l);
}

} // namespace

void ThreadPool::run(CpuKernelFn fn, int64_t blocks, void **params) const {
  if (blocks <= 0)
    return;
  int64_t threads = std::min<int64_t>(threadCount, blocks);
  if (threads <= 1) {
    fn(0, blocks, params);
    return;
  }
  // The calling thread is one of the `threads` participants and starts at
  // once; the pool's team (threads - 1) joins as it gets to the job. If the
  // pool is still busy (another session's work) when the caller has run
  // every chunk, the caller takes the job back instead of waiting its turn.
  Launch launch{fn, blocks, params, threads, int(threads - 1)};
  PoolThread *p = processPool();
  if (!p) { // no pool thread: the calling thread runs every chunk
    runChunks(launch);
    return;
  }
  PoolJob job;
  job.task = runLaunchOnTeam;
  job.context = &launch;
  job.threads = launch.team;
  p->submit(job);
  runChunks(launch);
  p->withdraw(job);
}

OmpTeamSize::OmpTeamSize(int threads) : caller(omp_get_max_threads()) {
  omp_set_num_threads(threads);
}

OmpTeamSize::~OmpTeamSize() { omp_set_num_threads(caller); }

} // namespace dlcc::runtime
