//===- ThreadPool.cpp - The CPU backend's thread pool ---------------------===//

#include "ThreadPool.h"
#include "Status.h"
#include "Support.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <thread>

#include <omp.h>
#include <sched.h>

namespace dlcc::runtime {

namespace {

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

void ThreadPool::run(CpuKernelFn fn, int64_t blocks, void **params) const {
  if (blocks <= 0)
    return;
  int64_t teams = std::min<int64_t>(threadCount, blocks);
  if (teams <= 1) {
    fn(0, blocks, params);
    return;
  }
  // Static contiguous ranges from the team's actual size (libgomp may give
  // fewer threads, e.g. inside a caller's parallel region). Kernels' blocks
  // are independent, so any split gives identical results.
#pragma omp parallel num_threads(int(teams))
  {
    int64_t t = omp_get_thread_num();
    int64_t n = omp_get_num_threads();
    int64_t base = blocks / n, extra = blocks % n;
    int64_t begin = t * base + std::min(t, extra);
    int64_t end = begin + base + (t < extra ? 1 : 0);
    if (begin < end)
      fn(begin, end, params);
  }
}

OmpTeamSize::OmpTeamSize(int threads) : caller(omp_get_max_threads()) {
  omp_set_num_threads(threads);
}

OmpTeamSize::~OmpTeamSize() { omp_set_num_threads(caller); }

} // namespace dlcc::runtime
